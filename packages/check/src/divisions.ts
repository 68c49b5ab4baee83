/**
 * The division file (province → cities → counties, `data/zhejiang-divisions.json`): the org units
 * quotas, caps and cohort runs may name. Owned here so that the checker (pure, no file system) and
 * the server (which seeds its org units from it) read the same data.
 */
import type { KnownOrgUnit } from '@yuanping/core/browser';
import divisions from '../data/zhejiang-divisions.json' with { type: 'json' };

export interface Divisions {
  province: { code: string; name: string };
  cities: Array<{ code: string; name: string; counties: Array<{ code: string; name: string }> }>;
}

/** The division data as shipped. */
export const DIVISIONS: Divisions = divisions;

/** Province, cities and counties as a flat list, each county with its city as parent. */
export function divisionUnits(d: Divisions = DIVISIONS): KnownOrgUnit[] {
  return [
    { code: d.province.code, name: d.province.name, level: 'province' },
    ...d.cities.flatMap((c) => [
      { code: c.code, name: c.name, level: 'city', parent: d.province.code },
      ...c.counties.map((k) => ({ code: k.code, name: k.name, level: 'county', parent: c.code })),
    ]),
  ];
}
