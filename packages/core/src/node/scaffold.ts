import { cp, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { YuanpingError } from '../errors.js';
import { planNextYear, type NextYearOptions, type NextYearPlan } from '../pack/next-year.js';
import { packPaths } from '../pack/types.js';
import { readPackFiles } from './files.js';

async function exists(p: string) {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Start next year's pack from last year's (see pack/next-year.ts): copy its files under the
 * new id, then write the files the plan changed — the manifest (id, succeeds, year), every
 * date given or shifted, and the copied fixtures marked for review.
 */
export async function scaffoldPack(
  root: string,
  newId: string,
  fromId: string,
  opts: Omit<NextYearOptions, 'fromId' | 'newId'> = {},
): Promise<{ dirs: string[]; plan: NextYearPlan }> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(newId)) throw new YuanpingError('USAGE', { detail: `新通知包标识“${newId}”只能包含小写字母、数字和连字符` });
  const from = packPaths(fromId);
  const to = packPaths(newId);
  if (!(await exists(join(root, from.manifest)))) throw new YuanpingError('PACK_NOT_FOUND', { pack: fromId });
  for (const dir of [to.schemasDir, to.rulesDir]) {
    if (await exists(join(root, dir))) throw new YuanpingError('USAGE', { detail: `${dir} 已存在，不会覆盖` });
  }
  const { files, problems } = await readPackFiles({ id: fromId, root });
  if (problems.length) throw new YuanpingError('USAGE', { detail: `${fromId} 有文件不能读取（${problems.map((p) => p.file).join('、')}），请先运行 yuanping check ${fromId}` });
  const plan = planNextYear(files, { ...opts, fromId, newId });
  await cp(join(root, from.schemasDir), join(root, to.schemasDir), { recursive: true });
  if (await exists(join(root, from.rulesDir))) await cp(join(root, from.rulesDir), join(root, to.rulesDir), { recursive: true });
  for (const file of plan.changed) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), JSON.stringify(plan.files[file], null, 2) + '\n');
  }
  return { dirs: [to.schemasDir, to.rulesDir], plan };
}
