/**
 * Edits of a draft's pack files as the workbench's forms and tables make them: the manifest's
 * parameters, dates, windows and quotas, and the items of a scorecard (`x-scorecard` / `x-score`,
 * docs/packs.md 4.1). Pure functions: each returns new files, the untouched ones shared.
 */
import { packPaths } from '@yuanping/core/browser';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ManifestParam {
  label: string;
  value: unknown;
  unit?: string;
  clause?: string;
  description?: string;
}
export interface ManifestQuota {
  id: string;
  label: string;
  scope: string;
  default: unknown;
  overrides?: Record<string, unknown>;
  clause?: string;
}
export interface EditableManifest extends Obj {
  id: string;
  title: string;
  year: number;
  issueDate: string;
  dataCutoff: string;
  parameters?: Record<string, ManifestParam>;
  quotas?: ManifestQuota[];
  dates?: Array<{ id: string; label: string; date: string }>;
  workflow?: { stages: Array<{ id: string; label: string; window?: { opens?: string; closes?: string } }> };
  forms?: Array<{ id: string; title: string; kind: string; schema: string }>;
}

export function manifestOf(files: Obj, packId: string): EditableManifest {
  const m = files[packPaths(packId).manifest];
  if (!isObj(m)) throw new Error(`草稿缺少清单文件 ${packPaths(packId).manifest}`);
  return m as EditableManifest;
}

/** The files with the manifest changed by `edit` (on a copy). */
export function editManifest(files: Obj, packId: string, edit: (m: EditableManifest) => void): Obj {
  const m = structuredClone(manifestOf(files, packId));
  edit(m);
  return { ...files, [packPaths(packId).manifest]: m };
}

export interface ScorecardGroup {
  id: string;
  label: string;
  max: number;
  limit?: number;
}
export interface ScorecardRow {
  key: string;
  title: string;
  description: string;
  max: number;
  group: string;
  /** the titles of the materials its proof column points to (`x-pages-of`) */
  proofs: string[];
  clause: string;
}
export interface ScorecardView {
  /** the form's schema file */
  file: string;
  formTitle: string;
  /** JSON pointer of the scorecard object in the schema */
  pointer: string;
  groups: ScorecardGroup[];
  rows: ScorecardRow[];
}

function scorecardNode(schema: Obj): { node: Obj; pointer: string } | null {
  const props = isObj(schema.properties) ? schema.properties : {};
  for (const [k, v] of Object.entries(props)) if (isObj(v) && isObj(v['x-scorecard'])) return { node: v, pointer: `/properties/${k}` };
  return null;
}

/** The title of a field named by a dotted path `<form>.<field>.<field>` (as `x-pages-of` names materials), else the path. */
function fieldTitle(files: Obj, packId: string, m: EditableManifest, path: string): string {
  const [formId, ...fields] = path.split('.');
  const form = (m.forms ?? []).find((f) => f.id === formId);
  let node: unknown = form ? files[`${packPaths(packId).schemasDir}/${form.schema}`] : undefined;
  const titles: string[] = [];
  for (const f of fields) {
    node = isObj(node) && isObj(node.properties) ? node.properties[f] : undefined;
    if (!isObj(node)) return path;
    if (typeof node.title === 'string') titles.push(node.title);
  }
  return titles.length ? titles.join(' · ') : path;
}

/** Every scorecard of the draft (forms whose schema has an `x-scorecard` property). */
export function scorecardsOf(files: Obj, packId: string): ScorecardView[] {
  const m = manifestOf(files, packId);
  const out: ScorecardView[] = [];
  for (const f of m.forms ?? []) {
    const file = `${packPaths(packId).schemasDir}/${f.schema}`;
    const schema = files[file];
    if (!isObj(schema)) continue;
    const sc = scorecardNode(schema);
    if (!sc) continue;
    const decl = sc.node['x-scorecard'] as Obj;
    const groups = (Array.isArray(decl.groups) ? decl.groups : []).filter(isObj).map((g) => ({
      id: String(g.id),
      label: String(g.label ?? g.id),
      max: Number(g.max ?? 0),
      ...(typeof g.limit === 'number' ? { limit: g.limit } : {}),
    }));
    const rows: ScorecardRow[] = [];
    for (const [key, item] of Object.entries(isObj(sc.node.properties) ? sc.node.properties : {})) {
      if (!isObj(item) || !isObj(item['x-score'])) continue;
      const xs = item['x-score'];
      const proof = isObj(item.properties) ? Object.values(item.properties).find((c) => isObj(c) && Array.isArray(c['x-pages-of'])) : undefined;
      rows.push({
        key,
        title: String(item.title ?? key),
        description: String(item.description ?? ''),
        max: Number(xs.max ?? 0),
        group: String(xs.group ?? ''),
        proofs: isObj(proof) ? (proof['x-pages-of'] as unknown[]).map((p) => fieldTitle(files, packId, m, String(p))) : [],
        clause: String(item['x-clause'] ?? ''),
      });
    }
    out.push({ file, formTitle: f.title.replaceAll('{{pack.year}}', String(m.year)), pointer: sc.pointer, groups, rows });
  }
  return out;
}

function editScorecard(files: Obj, file: string, edit: (node: Obj) => void): Obj {
  const schema = structuredClone(files[file]) as Obj;
  const sc = scorecardNode(schema);
  if (!sc) return files;
  edit(sc.node);
  return { ...files, [file]: schema };
}

/** One attribute of a scorecard item: its 满分, 分组, 指标 (title) or 考核内容 (description). */
export function setScorecardItem(files: Obj, file: string, key: string, patch: Partial<Pick<ScorecardRow, 'max' | 'group' | 'title' | 'description'>>): Obj {
  return editScorecard(files, file, (node) => {
    const item = (node.properties as Obj)[key];
    if (!isObj(item) || !isObj(item['x-score'])) return;
    const xs = item['x-score'];
    if (patch.max !== undefined) xs.max = patch.max;
    if (patch.group !== undefined) xs.group = patch.group;
    if (patch.title !== undefined) item.title = patch.title;
    if (patch.description !== undefined) item.description = patch.description;
  });
}

/** A new item after the last of its group (its columns come from `x-scorecard.columns`); returns its key too. */
export function addScorecardItem(files: Obj, file: string, item: { title: string; description: string; max: number; group: string }): { files: Obj; key: string } {
  let key = '';
  const next = editScorecard(files, file, (node) => {
    const props = node.properties as Obj;
    let n = Object.keys(props).length + 1;
    while (`item${n}` in props) n++;
    key = `item${n}`;
    const entries = Object.entries(props);
    let at = entries.length;
    entries.forEach(([, v], i) => {
      if (isObj(v) && isObj(v['x-score']) && v['x-score'].group === item.group) at = i + 1;
    });
    const created: Obj = { title: item.title, description: item.description, 'x-score': { max: item.max, group: item.group } };
    entries.splice(at, 0, [key, created]);
    node.properties = Object.fromEntries(entries);
  });
  return { files: next, key };
}

export function removeScorecardItem(files: Obj, file: string, key: string): Obj {
  return editScorecard(files, file, (node) => {
    delete (node.properties as Obj)[key];
  });
}

/** The group maxima (`x-scorecard.groups[].max`). */
export function setScorecardGroupMax(files: Obj, file: string, group: string, max: number): Obj {
  return editScorecard(files, file, (node) => {
    const decl = node['x-scorecard'] as Obj;
    for (const g of Array.isArray(decl.groups) ? decl.groups : []) if (isObj(g) && g.id === group) g.max = max;
  });
}

/** Whether a scorecard of the draft has a reviewer's column (`x-score: reviewer`): its scores can then be counted either way. */
export function hasReviewerScores(files: Obj, packId: string): boolean {
  const m = manifestOf(files, packId);
  return (m.forms ?? []).some((f) => {
    const schema = files[`${packPaths(packId).schemasDir}/${f.schema}`];
    const sc = isObj(schema) ? scorecardNode(schema) : null;
    const cols = sc && isObj(sc.node['x-scorecard']) ? (sc.node['x-scorecard'] as Obj).columns : undefined;
    return isObj(cols) && Object.values(cols).some((c) => isObj(c) && c['x-score'] === 'reviewer');
  });
}
