/**
 * A pack version as the browser sees it: the server sends its files (as written); we rebuild
 * the expanded NoticePack that @yuanping/core's rule runtime reads with core's own assembly
 * (the same expansion as the server: parameters, scorecards, quotas), keeping the server's
 * content hash as the identity (no hashing here).
 */
import { assemblePack, type NoticePack } from '@yuanping/core/browser';
import { api, moduleUrl, type PackDetail } from './api';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function packFromDetail(d: PackDetail): NoticePack {
  return assemblePack(d.files ?? {}, d.packId, d.hash);
}

const cache = new Map<string, Promise<{ detail: PackDetail; pack: NoticePack }>>();

/**
 * A published version (immutable, so cached for the page's life). Without its fixtures (the
 * server leaves them out unless asked: they are most of a pack's size and only the administrator's
 * pack page runs them); `{ fixtures: true }` for that page.
 */
export function loadPackVersion(versionId: number, opts: { fixtures?: boolean } = {}): Promise<{ detail: PackDetail; pack: NoticePack }> {
  const key = `${versionId}${opts.fixtures ? '+fixtures' : ''}`;
  let p = cache.get(key);
  if (!p) {
    p = api.get('/api/pack-versions/{id}', { params: { id: versionId }, query: opts.fixtures ? { fixtures: '1' } : {} }).then((detail) => ({ detail, pack: packFromDetail(detail) }));
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

/** The rule sets of a pack that read a given form. */
export function ruleSetsFor(pack: NoticePack, formId: string): string[] {
  const out: string[] = [];
  for (const [id, e] of pack.ruleSets) {
    const rs = e.ruleSet as unknown as { form?: string; forms?: string[] };
    const forms = rs.forms ?? (rs.form ? [rs.form] : null);
    if (!forms || forms.includes(formId)) out.push(id);
  }
  return out;
}

/** The `formId` of a whole application: the data is `{ [formId]: formData }` over the applicant's forms. */
export const BUNDLE = '*';

/**
 * The forms the applicant fills (as the server decides them): the forms of the applicant's
 * workflow stages, else every park-scope form; in manifest order.
 */
export function applicantFormIds(pack: NoticePack): string[] {
  const stageForms = new Set((pack.manifest.workflow?.stages ?? []).filter((s) => s.role === 'applicant').flatMap((s) => s.forms ?? []));
  const park = [...pack.forms.values()].filter((f) => (f.decl.scope ?? 'park') === 'park').map((f) => f.id);
  return stageForms.size > 0 ? park.filter((id) => stageForms.has(id)) : park;
}

/** The forms of a submission: its form, or every applicant form of a whole application. */
export function submissionFormIds(pack: NoticePack, formId: string): string[] {
  return formId === BUNDLE ? applicantFormIds(pack) : [formId];
}

/** The rule sets that apply to a submission, each with its input (a whole application: the data of the rule set's form). */
export function ruleSetInputs(pack: NoticePack, formId: string, data: unknown): Array<[string, unknown]> {
  if (formId !== BUNDLE) return ruleSetsFor(pack, formId).map((id) => [id, data]);
  const forms = applicantFormIds(pack);
  const out: Array<[string, unknown]> = [];
  for (const [id, e] of pack.ruleSets) {
    const target = (e.ruleSet as unknown as { form?: string }).form;
    if (target && forms.includes(target)) out.push([id, isObj(data) ? (data[target] ?? {}) : {}]);
  }
  return out;
}

/** The URL of a published form's precompiled validators (SchemaForm's `validators`). */
export function versionValidators(versionId: number, formId: string): string {
  return moduleUrl('/api/pack-versions/{id}/forms/{formId}/validators.js', { params: { id: versionId, formId } });
}

/** The URL of a draft's form's precompiled validators at a saved revision (the workbench's form preview). */
export function draftValidators(draftId: number, revision: number, formId: string): string {
  return moduleUrl('/api/pack-drafts/{id}/forms/{formId}/validators.js', { params: { id: draftId, formId }, query: { revision: String(revision) } });
}
