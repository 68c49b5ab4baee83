/**
 * Quotas name org units of the division file: each key of `quotas[].overrides` is the code of a
 * unit at the quota's level (a name instead of a code, a misspelt name or an unknown code is
 * refused). Silent when no division file is known. (The jurisdiction is not checked: a draft
 * notice may leave its city open, `000000`.)
 */
import { problem, type Problem } from '../../errors.js';
import { isObject, ptr } from '../../util/json.js';
import type { KnownOrgUnit, PackCheck } from '../registry.js';

/** Division codes compare at six digits: the province `33` is `330000`. */
export const normalizeDivisionCode = (code: string): string => (/^\d{2,6}$/.test(code) ? code.padEnd(6, '0') : code);

const LEVEL_NAMES: Record<string, string> = { province: '省级', city: '市级', county: '县级' };

/** Problems for one org unit named in a pack (`level`: the level it must have, if any). */
export function orgUnitProblems(units: readonly KnownOrgUnit[], ref: string, file: string, pointer: string, level?: string): Problem[] {
  if (!units.length) return [];
  const byCode = new Map(units.map((u) => [normalizeDivisionCode(u.code), u]));
  const hit = byCode.get(normalizeDivisionCode(ref));
  if (hit) {
    if (level && hit.level && hit.level !== level) return [problem('ORG_UNIT_LEVEL', file, pointer, { ref, name: hit.name, level: LEVEL_NAMES[level] ?? level })];
    return [];
  }
  const named = units.find((u) => u.name === ref && (!level || !u.level || u.level === level));
  if (named) return [problem('ORG_UNIT_BY_NAME', file, pointer, { ref, code: normalizeDivisionCode(named.code) })];
  return [problem('ORG_UNIT_UNKNOWN', file, pointer, { ref, level: level ? (LEVEL_NAMES[level] ?? level) : '组织单位' })];
}

export const quotaOrgUnitsCheck: PackCheck = {
  id: 'core.quota-org-units',
  run(pack, ctx) {
    const out: Problem[] = [];
    const file = pack.manifestFile;
    (pack.manifest.quotas ?? []).forEach((q, i) => {
      if (!isObject(q.overrides)) return;
      for (const key of Object.keys(q.overrides)) out.push(...orgUnitProblems(ctx.orgUnits, key, file, ptr('quotas', i, 'overrides', key), q.scope));
    });
    return out;
  },
};
