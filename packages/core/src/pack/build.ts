import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/json.js';
import { assemblePack } from './assemble.js';
import type { NoticePack } from './types.js';

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

/** Build a NoticePack from its source files (see assemblePack); the hash is over the files as written. */
export function packFromFiles(files: Record<string, unknown>, id: string): NoticePack {
  return assemblePack(files, id, hashFiles(files));
}
