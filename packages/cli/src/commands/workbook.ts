import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatDiffText, loadPack } from '@yuanping/core';
import { exportPackWorkbook, importPackWorkbook } from '@yuanping/workbook';
import { allPackIds, EXIT, UsageError } from '../io.js';

/** `yuanping workbook export <pack> --out x.xlsx`: the pack's tables as one workbook. */
export async function workbookExportCommand(ref: string, opts: { root: string; out?: string }): Promise<number> {
  const pack = await loadPack(ref, { root: opts.root });
  const out = opts.out ?? join('out', `${pack.id}-workbook.xlsx`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, await exportPackWorkbook(pack));
  process.stdout.write(`已写出 ${out}：通知包 ${pack.id} 的参数、日期、名额、评分项、判定标准和选项，每类一张工作表。\n`);
  process.stdout.write(`在白色单元格中修改后运行 pnpm yuanping workbook import ${pack.id} ${out}\n`);
  return EXIT.OK;
}

/**
 * `yuanping workbook import <pack> x.xlsx`: the edited workbook applied to the pack's files. The
 * diff and the full check are shown first; a refused cell writes nothing. `--dry-run` only shows.
 */
export async function workbookImportCommand(ref: string, file: string, opts: { root: string; dryRun?: boolean; format?: string }): Promise<number> {
  const pack = await loadPack(ref, { root: opts.root });
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new UsageError(`读不到文件 ${file}`);
  }
  const r = await importPackWorkbook(pack, bytes, { knownPacks: await allPackIds(opts.root) });
  const write = r.accepted && !opts.dryRun && r.changedFiles.length > 0;
  if (write && r.files) for (const f of r.changedFiles) await writeFile(join(opts.root, f), JSON.stringify(r.files[f], null, 2) + '\n');
  if (opts.format === 'json') {
    const { files: _files, ...rest } = r;
    process.stdout.write(JSON.stringify({ ...rest, written: write ? r.changedFiles : [] }, null, 2) + '\n');
    return r.accepted ? (r.ok ? EXIT.OK : EXIT.PROBLEMS) : EXIT.PROBLEMS;
  }
  const w = (s: string) => process.stdout.write(s + '\n');
  if (!r.accepted) {
    w(`✗ 工作簿有 ${r.cellProblems.length} 处错误，没有应用任何修改：`);
    for (const p of r.cellProblems) w(`  ${p.code}  ${p.sheet}${p.cell ? `!${p.cell}` : p.row ? ` 第 ${p.row} 行` : ''}\n      ${p.message}`);
    return EXIT.PROBLEMS;
  }
  if (r.stale) w('注意：这份工作簿导出后，通知包的文件又改动过；下面的差异是相对于现在的文件，请逐条核对。');
  w(`工作簿中改动了 ${r.changes} 个单元格。与原通知包的差异：`);
  w(formatDiffText(r.diff));
  const errs = r.problems.filter((p) => p.severity === 'error');
  const warns = r.problems.filter((p) => p.severity === 'warning');
  if (errs.length || warns.length) {
    w(`${errs.length ? '✗' : '!'} 修改后的通知包：${errs.length} 个错误，${warns.length} 个提示`);
    for (const p of r.problems) w(`  ${p.severity === 'error' ? '错误' : '提示'} ${p.code}  ${p.file}#${p.pointer}\n      ${p.message}`);
  } else w('✓ 修改后的通知包检查通过');
  if (!r.changedFiles.length) w('没有需要写入的改动。');
  else if (opts.dryRun) w(`（--dry-run：未写入。将改动的文件：${r.changedFiles.join('、')}）`);
  else w(`已写入：${r.changedFiles.join('、')}${errs.length ? `。请按上面的问题改正后运行 pnpm yuanping check ${pack.id}` : ''}`);
  return errs.length ? EXIT.PROBLEMS : EXIT.OK;
}
