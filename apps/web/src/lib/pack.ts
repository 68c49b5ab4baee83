/**
 * A pack version as the browser sees it: the server sends its files; we rebuild the
 * NoticePack shape that @yuanping/core's rule runtime reads (no file system, no hashing:
 * the server's content hash is the identity).
 */
import type { Fixture, FormDecl, NoticePack, RuleSetFile } from '@yuanping/core/browser';
import { api, type PackDetail } from './api';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function packFromDetail(d: PackDetail): NoticePack {
  const files = d.files ?? {};
  const id = d.packId;
  const rulesDir = `rules/${id}`;
  const manifest = d.manifest as unknown as NoticePack['manifest'];
  const forms: NoticePack['forms'] = new Map();
  for (const f of d.forms) {
    const decl = (d.manifest.forms.find((x) => x.id === f.id) ?? { id: f.id, title: f.title, kind: f.kind, schema: '' }) as unknown as FormDecl;
    forms.set(f.id, {
      id: f.id,
      title: f.title,
      kind: f.kind,
      decl,
      schema: f.schema,
      ui: f.ui,
      file: '',
      cacheId: `yuanping:${id}@${d.hash.slice(0, 16)}/${f.id}`,
      ...(f.attachment ? { attachment: f.attachment } : {}),
    });
  }
  const ruleSets: NoticePack['ruleSets'] = new Map();
  const decls = (manifest as unknown as { ruleSets?: Array<{ id: string; file: string }> }).ruleSets ?? [];
  for (const rs of decls) {
    const file = `${rulesDir}/${rs.file}`;
    const content = files[file];
    if (isObj(content)) ruleSets.set(rs.id, { id: rs.id, file, ruleSet: content as unknown as RuleSetFile });
  }
  const fixtures = Object.keys(files)
    .filter((p) => p.startsWith(`${rulesDir}/fixtures/`) && p.endsWith('.json') && isObj(files[p]))
    .sort()
    .map((file) => ({ file, fixture: files[file] as unknown as Fixture }));
  return { id, hash: d.hash, manifest, manifestFile: `schemas/${id}/pack.json`, forms, ruleSets, cohortSteps: new Map(), fixtures, files };
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
    p = api.get<PackDetail>(`/api/pack-versions/${versionId}${opts.fixtures ? '?fixtures=1' : ''}`).then((detail) => ({ detail, pack: packFromDetail(detail) }));
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
