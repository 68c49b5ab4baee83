import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Problem } from '../errors.js';
import { parseJsonText } from '../util/json-text.js';
import { packPaths } from '../pack/types.js';

export interface PackLocation {
  id: string;
  /** the folder that holds `schemas/<id>` and `rules/<id>` */
  root: string;
}

/**
 * Where a pack named on the command line lives. Accepts a pack id (looked up under
 * `root`), the pack's `schemas/<id>` folder, or its `pack.json`.
 */
export async function locatePack(ref: string, root = process.cwd()): Promise<PackLocation | undefined> {
  const candidates: string[] = [];
  if (!ref.includes('/') && !ref.includes(sep)) candidates.push(join(root, 'schemas', ref));
  candidates.push(resolve(root, ref));
  for (let c of candidates) {
    try {
      const s = await stat(c);
      if (s.isFile() && basename(c) === 'pack.json') c = dirname(c);
      else if (!s.isDirectory()) continue;
      await stat(join(c, 'pack.json'));
      const id = basename(c);
      return { id, root: resolve(c, '..', '..') };
    } catch {
      /* try the next */
    }
  }
  return undefined;
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Read every JSON file of a pack. Syntax errors are problems, not exceptions. */
export async function readPackFiles(loc: PackLocation): Promise<{ files: Record<string, unknown>; problems: Problem[] }> {
  const paths = packPaths(loc.id);
  const files: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const dir of [paths.schemasDir, paths.rulesDir]) {
    for (const abs of (await walk(join(loc.root, dir))).sort()) {
      const rel = relative(loc.root, abs).split(sep).join('/');
      const text = await readFile(abs, 'utf8');
      const read = parseJsonText(text, rel);
      if (read.value !== undefined) files[rel] = read.value;
      problems.push(...read.problems);
    }
  }
  return { files, problems };
}
