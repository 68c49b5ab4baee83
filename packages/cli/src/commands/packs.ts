import { divisionUnits, runAllFixtures } from '@yuanping/check';
import { diffPacks, formatDiffText, loadPack, scaffoldPack } from '@yuanping/core';
import { EXIT } from '../io.js';

export async function newCommand(newId: string, opts: { from: string; root: string }): Promise<number> {
  const dirs = await scaffoldPack(opts.root, newId, opts.from);
  process.stdout.write(`已从 ${opts.from} 生成新通知包 ${newId}：\n${dirs.map((d) => `  ${d}/`).join('\n')}\n`);
  process.stdout.write(`下一步：修改 schemas/${newId}/pack.json 中的日期、参数和名额，然后运行 pnpm yuanping diff ${opts.from} ${newId} 和 pnpm yuanping check ${newId}\n`);
  return EXIT.OK;
}

export async function diffCommand(oldRef: string, newRef: string, opts: { root: string; format?: string }): Promise<number> {
  const a = await loadPack(oldRef, { root: opts.root });
  const b = await loadPack(newRef, { root: opts.root });
  const names = new Map(divisionUnits().map((u) => [u.code, u.name]));
  const lines = diffPacks(a, b, { orgUnitName: (code) => names.get(code) });
  process.stdout.write((opts.format === 'json' ? JSON.stringify(lines, null, 2) : formatDiffText(lines)) + '\n');
  return EXIT.OK;
}

export async function fixturesCommand(ref: string, opts: { root: string }): Promise<number> {
  const pack = await loadPack(ref, { root: opts.root });
  const runs = runAllFixtures(pack);
  let failed = 0;
  for (const r of runs) {
    process.stdout.write(`${r.passed ? '✓' : '✗'} ${r.kind === 'cohort' ? '群体评价 ' : ''}${r.file.split('/').pop()}  ${r.title}\n`);
    if (!r.passed) {
      failed++;
      for (const p of r.problems) process.stdout.write(`    ${p.code}：${p.message}\n`);
    }
  }
  process.stdout.write(`${runs.length - failed} 个通过，${failed} 个未通过\n`);
  return failed ? EXIT.PROBLEMS : EXIT.OK;
}
