import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { YuanpingError } from '../errors.js';
import { packPaths } from '../pack/types.js';

async function exists(p: string) {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Start next year's pack from last year's: copy its forms, rule sets and fixtures,
 * give it the new id, record what it succeeds, and move the year on by one.
 * Dates are left for the administrator to edit (the checker and `diff` show them).
 */
export async function scaffoldPack(root: string, newId: string, fromId: string): Promise<string[]> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(newId)) throw new YuanpingError('USAGE', { detail: `新通知包标识“${newId}”只能包含小写字母、数字和连字符` });
  const from = packPaths(fromId);
  const to = packPaths(newId);
  if (!(await exists(join(root, from.manifest)))) throw new YuanpingError('PACK_NOT_FOUND', { pack: fromId });
  for (const dir of [to.schemasDir, to.rulesDir]) {
    if (await exists(join(root, dir))) throw new YuanpingError('USAGE', { detail: `${dir} 已存在，不会覆盖` });
  }
  await cp(join(root, from.schemasDir), join(root, to.schemasDir), { recursive: true });
  if (await exists(join(root, from.rulesDir))) await cp(join(root, from.rulesDir), join(root, to.rulesDir), { recursive: true });
  const mPath = join(root, to.manifest);
  const m = JSON.parse(await readFile(mPath, 'utf8')) as Record<string, unknown>;
  m.id = newId;
  m.succeeds = fromId;
  if (typeof m.year === 'number') m.year += 1;
  await writeFile(mPath, JSON.stringify(m, null, 2) + '\n');
  return [to.schemasDir, to.rulesDir];
}
