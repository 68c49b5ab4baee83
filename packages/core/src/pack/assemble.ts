import type { Manifest, RuleSetFile, Fixture } from '../meta/index.js';
import { isObject } from '../util/json.js';
import { expandPack } from './expand.js';
import type { Form, FormKind, NoticePack } from './types.js';
import { packPaths } from './types.js';

/**
 * Build a NoticePack from its source files and their content hash. Tolerant: whatever is
 * missing or malformed is simply absent from the result; `checkPack` is what reports it.
 * `files` stay as written; manifest, forms, rule sets and cohort steps are the expanded
 * pack (pack/expand.ts). Runs anywhere (the browser rebuilds published versions with it).
 */
export function assemblePack(files: Record<string, unknown>, id: string, hash: string): NoticePack {
  const paths = packPaths(id);
  const manifestRaw = files[paths.manifest];
  const source = isObject(manifestRaw) ? manifestRaw : {};
  const formDecls = (Array.isArray(source.forms) ? source.forms : []).filter((d): d is Record<string, unknown> => isObject(d) && typeof d.id === 'string');
  const rsDecls = (Array.isArray(source.ruleSets) ? source.ruleSets : []).filter((d): d is Record<string, unknown> => isObject(d) && typeof d.id === 'string');
  const csDecls = (Array.isArray(source.cohortSteps) ? source.cohortSteps : []).filter((d): d is Record<string, unknown> => isObject(d) && typeof d.id === 'string');
  const formFile = (d: Record<string, unknown>) => `${paths.schemasDir}/${String(d.schema)}`;
  const uiFile = (d: Record<string, unknown>) => (typeof d.ui === 'string' ? `${paths.schemasDir}/${d.ui}` : undefined);
  const expanded = expandPack({
    manifestFile: paths.manifest,
    manifest: source,
    forms: formDecls.map((d) => {
      const ui = uiFile(d);
      return { id: d.id as string, file: formFile(d), schema: files[formFile(d)], ui: ui ? files[ui] : undefined };
    }),
    ruleSets: rsDecls.flatMap((d) => {
      const file = `${paths.rulesDir}/${String(d.file)}`;
      const content = files[file];
      return isObject(content) ? [{ id: d.id as string, file, content }] : [];
    }),
    cohortSteps: csDecls.flatMap((d) => {
      const file = `${paths.rulesDir}/${String(d.file)}`;
      return files[file] !== undefined ? [{ id: d.id as string, file, content: files[file] }] : [];
    }),
  });
  const manifest = expanded.manifest as unknown as Manifest;
  const forms = new Map<string, Form>();
  for (const decl of Array.isArray(manifest.forms) ? manifest.forms : []) {
    if (!isObject(decl) || typeof decl.id !== 'string') continue;
    const x = expanded.forms.get(decl.id);
    forms.set(decl.id, {
      id: decl.id,
      title: decl.title,
      ...(decl.attachment ? { attachment: decl.attachment } : {}),
      kind: decl.kind as FormKind,
      ...(decl.scope ? { scope: decl.scope } : {}),
      decl,
      schema: x && isObject(files[`${paths.schemasDir}/${decl.schema}`]) ? x.schema : {},
      // `$schema` names the ui file's meta-schema (for editors); it is no field of the form
      ui: isObject(x?.ui) ? Object.fromEntries(Object.entries(x.ui).filter(([k]) => k !== '$schema')) : {},
      file: `${paths.schemasDir}/${decl.schema}`,
      cacheId: `yuanping:${id}@${hash.slice(0, 16)}/${decl.id}`,
    });
  }
  const ruleSets = new Map<string, { id: string; file: string; ruleSet: RuleSetFile }>();
  for (const rs of Array.isArray(manifest.ruleSets) ? manifest.ruleSets : []) {
    if (!isObject(rs) || typeof rs.id !== 'string') continue;
    const content = expanded.ruleSets.get(rs.id);
    if (content) ruleSets.set(rs.id, { id: rs.id, file: `${paths.rulesDir}/${rs.file}`, ruleSet: content as unknown as RuleSetFile });
  }
  const cohortSteps = new Map<string, { id: string; file: string; step: unknown }>();
  for (const cs of Array.isArray(manifest.cohortSteps) ? manifest.cohortSteps : []) {
    if (!isObject(cs) || typeof cs.id !== 'string' || !expanded.cohortSteps.has(cs.id)) continue;
    cohortSteps.set(cs.id, { id: cs.id, file: `${paths.rulesDir}/${cs.file}`, step: expanded.cohortSteps.get(cs.id) });
  }
  const fixtures = Object.keys(files)
    .filter((p) => p.startsWith(`${paths.fixturesDir}/`) && p.endsWith('.json'))
    .sort()
    .filter((p) => isObject(files[p]))
    .map((file) => ({ file, fixture: files[file] as unknown as Fixture }));
  return { id, hash, manifest, manifestFile: paths.manifest, forms, ruleSets, cohortSteps, fixtures, files, expandProblems: expanded.problems };
}
