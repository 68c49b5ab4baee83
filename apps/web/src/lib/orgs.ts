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
