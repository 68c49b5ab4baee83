/**
 * Reporting progress of the units below a reviewer, per notice: a county sees its parks'
 * applications; a city the county tables it rolls up; the province the cities' tables. The same
 * list names the units that have not reported — the targets of 催报.
 */
import type { Storage, User } from '@yuanping/storage';
import type { PackLike } from './engine.js';
import { applicantForms, BUNDLE } from './bundle.js';
import { PRIVATE_STATUSES } from './scope.js';
import { statusLabel } from './workflow.js';

/** A table report that counts as reported. */
export const REPORTED_TABLE = ['submitted', 'accepted'];
const TABLE_STATUS: Record<string, string> = { draft: '草稿（未报送）', submitted: '已报送', accepted: '已接收', returned: '已退回' };

export interface UnitProgress {
  /** an org unit's code, or a park's id (a county's units are its parks) */
  target: string;
  kind: 'org' | 'park';
  name: string;
  reported: boolean;
  status: string;
  statusLabel: string;
}

export interface Progress {
  packId: string;
  packTitle: string;
  /** a table form's id; null: the parks' applications */
  formId: string | null;
  title: string;
  units: UnitProgress[];
  reported: number;
  total: number;
}

/** The progress lists `u` watches over the published notices (latest version of each). */
export async function progressFor(storage: Storage, u: User, packs: Array<{ packId: string; title: string; pack: PackLike }>): Promise<Progress[]> {
  const org = u.orgCode;
  if (!org || (u.role !== 'county' && u.role !== 'city' && u.role !== 'province')) return [];
  const out: Progress[] = [];
  const push = (p: Omit<Progress, 'reported' | 'total'>) => out.push({ ...p, reported: p.units.filter((x) => x.reported).length, total: p.units.length });
  if (u.role === 'county') {
    const parks = await storage.listParks({ countyCode: org });
    if (parks.length === 0) return out;
    const subs = await storage.listSubmissions({ countyCode: org, excludeStatuses: PRIVATE_STATUSES });
    for (const { packId, title, pack } of packs) {
      if (applicantForms(pack).length === 0) continue;
      push({
        packId,
        packTitle: title,
        formId: null,
        title: '园区申报',
        units: parks.map((p) => {
          const mine = subs.filter((s) => s.packId === packId && s.parkId === p.id);
          // the whole application, else the latest of its forms, speaks for the park
          const s = mine.find((x) => x.formId === BUNDLE) ?? mine[mine.length - 1];
          return { target: p.id, kind: 'park', name: p.name, reported: !!s, status: s?.status ?? 'missing', statusLabel: s ? statusLabel(s.status) : '未提交' };
        }),
      });
    }
    return out;
  }
  const units = await storage.listOrgUnits({ parentCode: org, level: u.role === 'city' ? 'county' : 'city' });
  for (const { packId, title, pack } of packs) {
    for (const f of pack.forms.values()) {
      if (f.kind !== 'table') continue;
      // a city watches the county tables it rolls up; the province every table, as the cities report it
      if (u.role === 'city' ? f.scope !== 'county' : f.scope !== 'county' && f.scope !== 'city') continue;
      const reports = await storage.listTableReports(packId, f.id, units.map((x) => x.code));
      push({
        packId,
        packTitle: title,
        formId: f.id,
        title: `${f.attachment ? `${f.attachment} ` : ''}${f.title}`,
        units: units.map((unit) => {
          const r = reports.find((x) => x.orgCode === unit.code);
          return { target: unit.code, kind: 'org', name: unit.name, reported: !!r && REPORTED_TABLE.includes(r.status), status: r?.status ?? 'missing', statusLabel: r ? (TABLE_STATUS[r.status] ?? r.status) : '未填报' };
        }),
      });
    }
  }
  return out;
}
