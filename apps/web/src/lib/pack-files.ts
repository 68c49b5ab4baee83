/** A pack's files by what they are, in Chinese (the manifest's titles): the names the workbench shows instead of paths. */
import { packPaths } from '@yuanping/core/browser';

type Files = Record<string, unknown>;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each file by what it is, in Chinese (the manifest's titles), in the manifest's order. */
export function fileLabels(files: Files, packId: string): Array<{ path: string; label: string }> {
  const paths = packPaths(packId);
  const m = isObj(files[paths.manifest]) ? (files[paths.manifest] as Record<string, unknown>) : {};
  const year = typeof m.year === 'number' ? String(m.year) : '';
  const title = (t: unknown) => (typeof t === 'string' ? t.replace(/\{\{\s*pack\.year\s*\}\}/g, year) : '');
  const labels = new Map<string, string>([[paths.manifest, '通知包清单']]);
  const list = (k: string) => (Array.isArray(m[k]) ? (m[k] as unknown[]).filter(isObj) : []);
  for (const f of list('forms')) {
    const name = `${f.attachment ? `${String(f.attachment)} ` : ''}${title(f.title) || String(f.id)}`;
    if (typeof f.schema === 'string') labels.set(`${paths.schemasDir}/${f.schema}`, `表单：${name}`);
    if (typeof f.ui === 'string') labels.set(`${paths.schemasDir}/${f.ui}`, `表单界面：${name}`);
  }
  for (const r of list('ruleSets')) {
    const file = `${paths.rulesDir}/${String(r.file)}`;
    const t = isObj(files[file]) ? title((files[file] as Record<string, unknown>).title) : '';
    labels.set(file, `规则集：${t || String(r.id)}`);
  }
  for (const c of list('cohortSteps')) {
    const file = `${paths.rulesDir}/${String(c.file)}`;
    const t = isObj(files[file]) ? title((files[file] as Record<string, unknown>).title) : '';
    labels.set(file, `群体评价：${t || String(c.id)}`);
  }
  const out: Array<{ path: string; label: string }> = [];
  const seen = new Set<string>();
  for (const [path, label] of labels) {
    if (path in files) {
      out.push({ path, label });
      seen.add(path);
    }
  }
  const rest = Object.keys(files)
    .filter((p) => !seen.has(p))
    .sort();
  for (const path of rest) {
    const t = isObj(files[path]) ? title((files[path] as Record<string, unknown>).title) : '';
    const kind = path.includes('/cohort-fixtures/') ? '群体评价样例' : path.includes('/fixtures/') ? '样例' : '文件';
    out.push({ path, label: `${kind}：${t || path.split('/').pop()}` });
  }
  return out;
}

/** One file's Chinese name (its path's last part when the pack does not name it). */
export function fileLabel(files: Files, packId: string, path: string): string {
  return fileLabels(files, packId).find((f) => f.path === path)?.label ?? path.split('/').pop() ?? path;
}

/**
 * Where a problem is, in words: the file's Chinese name, then the titles (or a rule's label) of
 * what the pointer passes through — "规则集：〈规则集标题〉 › 〈规则的说明〉",
 * "表单：〈表单标题〉 › 〈分组标题〉 › 〈字段标题〉" — instead of a path and a JSON pointer.
 */
export function placeLabel(files: Files, packId: string, file: string, pointer: string): string {
  const name = fileLabel(files, packId, file);
  const m = files[packPaths(packId).manifest];
  const year = isObj(m) && typeof m.year === 'number' ? String(m.year) : '';
  const names: string[] = [];
  let cur: unknown = files[file];
  for (const t of pointer.split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    cur = isObj(cur) ? cur[t] : Array.isArray(cur) ? cur[Number(t)] : undefined;
    if (!isObj(cur)) continue;
    const n = cur.label ?? cur.title;
    if (typeof n === 'string' && n.trim()) names.push(n.replace(/\{\{\s*pack\.year\s*\}\}/g, year).trim());
  }
  return [name, ...names].join(' › ');
}
