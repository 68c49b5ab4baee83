import { YuanpingError, type Problem } from '../errors.js';
import { packFromFiles } from '../pack/build.js';
import type { NoticePack } from '../pack/types.js';
import { locatePack, readPackFiles } from './files.js';

export interface LoadedPack {
  pack: NoticePack;
  root: string;
  /** files that could not be parsed */
  readProblems: Problem[];
}

/** Load a pack from disk by id or folder. Throws PACK_NOT_FOUND when there is none. */
export async function loadPackWithProblems(ref: string, opts: { root?: string } = {}): Promise<LoadedPack> {
  const loc = await locatePack(ref, opts.root);
  if (!loc) throw new YuanpingError('PACK_NOT_FOUND', { pack: ref });
  const { files, problems } = await readPackFiles(loc);
  return { pack: packFromFiles(files, loc.id), root: loc.root, readProblems: problems };
}

export async function loadPack(ref: string, opts: { root?: string } = {}): Promise<NoticePack> {
  return (await loadPackWithProblems(ref, opts)).pack;
}
