import { api } from './api';
import type { components } from '../api/schema';

export type OrgUnit = components['schemas']['OrgUnit'];
export type Park = components['schemas']['Park'];

let orgs: Promise<Map<string, OrgUnit>> | null = null;
export function orgUnits(): Promise<Map<string, OrgUnit>> {
  orgs ??= api
    .get('/api/org-units')
    .then((l) => new Map(l.map((o) => [o.code, o])))
    .catch(() => new Map<string, OrgUnit>());
  return orgs;
}

export async function parks(): Promise<Map<string, Park>> {
  try {
    const l = await api.get('/api/parks');
    return new Map(l.map((p) => [p.id, p]));
  } catch {
    return new Map();
  }
}

/** After a unit is created or renamed: the next `orgUnits()` reads them again. */
export function forgetOrgUnits(): void {
  orgs = null;
}

/**
 * The next free division code under a parent: a city's counties are its first four digits and
 * 01–99 (330100 → 330101…), a province's cities its first two and 01–99 then 00 (330000 → 330100…).
 */
export function nextUnitCode(parent: OrgUnit, units: OrgUnit[]): string | undefined {
  const taken = new Set(units.map((u) => u.code));
  for (let n = 1; n <= 99; n++) {
    const nn = String(n).padStart(2, '0');
    const code = parent.level === 'province' ? `${parent.code.slice(0, 2)}${nn}00` : `${parent.code.slice(0, 4)}${nn}`;
    if (!taken.has(code)) return code;
  }
  return undefined;
}
