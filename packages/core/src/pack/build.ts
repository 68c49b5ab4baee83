import { createHash } from 'node:crypto';
import type { Manifest, RuleSetFile, Fixture } from '../meta/index.js';
import { canonicalJson, isObject } from '../util/json.js';
import type { Form, FormKind, NoticePack } from './types.js';
import { packPaths } from './types.js';

export function hashFiles(files: Record<string, unknown>): string {
  const h = createHash('sha256');
  for (const path of Object.keys(files).sort()) {
    h.update(path);
    h.update('\0');
    h.update(canonicalJson(files[path]));
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * Build a NoticePack from its files. Tolerant: whatever is missing or malformed is
 * simply absent from the result; `checkPack` is what reports it.
 */
export function packFromFiles(files: Record<string, unknown>, id: string): NoticePack {
  const paths = packPaths(id);
  const hash = hashFiles(files);
  const manifestRaw = files[paths.manifest];
  const manifest = (isObject(manifestRaw) ? manifestRaw : {}) as unknown as Manifest;
  const forms = new Map<string, Form>();
  for (const decl of Array.isArray(manifest.forms) ? manifest.forms : []) {
    if (!isObject(decl) || typeof decl.id !== 'string') continue;
    const file = `${paths.schemasDir}/${decl.schema}`;
    const schema = files[file];
    const uiFile = decl.ui ? `${paths.schemasDir}/${decl.ui}` : undefined;
    const ui = uiFile ? files[uiFile] : undefined;
    forms.set(decl.id, {
      id: decl.id,
      title: decl.title,
      ...(decl.attachment ? { attachment: decl.attachment } : {}),
      kind: decl.kind as FormKind,
      ...(decl.scope ? { scope: decl.scope } : {}),
      decl,
      schema: isObject(schema) ? schema : {},
      ui: isObject(ui) ? ui : {},
      file,
      cacheId: `yuanping:${id}@${hash.slice(0, 16)}/${decl.id}`,
    });
  }
  const ruleSets = new Map<string, { id: string; file: string; ruleSet: RuleSetFile }>();
  for (const rs of Array.isArray(manifest.ruleSets) ? manifest.ruleSets : []) {
    if (!isObject(rs) || typeof rs.id !== 'string') continue;
    const file = `${paths.rulesDir}/${rs.file}`;
    const content = files[file];
    if (isObject(content)) ruleSets.set(rs.id, { id: rs.id, file, ruleSet: content as unknown as RuleSetFile });
  }
  const cohortSteps = new Map<string, { id: string; file: string; step: unknown }>();
  for (const cs of Array.isArray(manifest.cohortSteps) ? manifest.cohortSteps : []) {
    if (!isObject(cs) || typeof cs.id !== 'string') continue;
    const file = `${paths.rulesDir}/${cs.file}`;
    if (files[file] !== undefined) cohortSteps.set(cs.id, { id: cs.id, file, step: files[file] });
  }
  const fixtures = Object.keys(files)
    .filter((p) => p.startsWith(`${paths.fixturesDir}/`) && p.endsWith('.json'))
    .sort()
    .filter((p) => isObject(files[p]))
    .map((file) => ({ file, fixture: files[file] as unknown as Fixture }));
  return { id, hash, manifest, manifestFile: paths.manifest, forms, ruleSets, cohortSteps, fixtures, files };
}
