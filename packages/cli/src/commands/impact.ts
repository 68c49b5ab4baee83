/**
 * `yuanping impact <old> <new> <submissions.json>`: the impact preview of the workbench (core's
 * `impactOf`) over submissions in a file — which outcomes change under the new pack, before and
 * after, with the reasons. `--out x.xlsx` writes the same workbook as the web page's export.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { impactOf, isObject, loadPack, type ImpactSubmission } from '@yuanping/core';
import { impactXlsx } from '@yuanping/tables';
import { EXIT, readJsonFile, UsageError } from '../io.js';

/** A submission of the file: `{ id?, label?, forms: { <form id>: data } }` or `{ id?, label?, formId, data }`. */
function toSubmission(v: unknown, i: number, path: string): ImpactSubmission {
  if (!isObject(v)) throw new UsageError(`${path} 第 ${i + 1} 项应为对象`);
  const id = typeof v.id === 'string' ? v.id : String(i + 1);
  const label = typeof v.label === 'string' ? v.label : id;
  if (isObject(v.forms)) return { id, label, forms: v.forms };
  if (typeof v.formId === 'string') return { id, label, forms: { [v.formId]: v.data } };
  throw new UsageError(`${path} 第 ${i + 1} 项应有 forms（表单标识 → 数据），或 formId 与 data`);
}

export async function impactCommand(oldRef: string, newRef: string, file: string, opts: { root: string; out?: string; format?: string }): Promise<number> {
  const before = await loadPack(oldRef, { root: opts.root });
  const after = await loadPack(newRef, { root: opts.root });
  const raw = await readJsonFile(file);
  if (!Array.isArray(raw)) throw new UsageError(`${file} 应为申报的数组`);
  const subs = raw.map((v, i) => toSubmission(v, i, file));
  const t0 = performance.now();
  const report = impactOf(before, after, subs, {
    onProgress: (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r已计算 ${done}/${total}`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const ms = performance.now() - t0;
  if (opts.out) {
    await mkdir(dirname(opts.out), { recursive: true });
    if (extname(opts.out).toLowerCase() === '.xlsx') await writeFile(opts.out, await impactXlsx(report, `${after.manifest.title}：与 ${before.id} 相比的影响预览`));
    else await writeFile(opts.out, JSON.stringify(report, null, 2) + '\n');
  }
  if (opts.format === 'json' && !opts.out) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return EXIT.OK;
  }
  const w = (s: string) => process.stdout.write(s + '\n');
  w(`${subs.length} 份申报按 ${newRef} 重新计算（${Math.round(ms)} ms），与 ${oldRef} 相比 ${report.changes.length} 项结果变化：`);
  for (const r of report.ruleSets) w(`  ${r.title}：比较 ${r.evaluated} 份，变化 ${r.changed} 份`);
  if (report.newRuleSets.length) w(`  新增的规则集（不比较）：${report.newRuleSets.join('、')}`);
  for (const c of report.changes) {
    w(`${c.label}【${c.ruleSetTitle}】${c.before} → ${c.after}`);
    for (const r of c.reasons) w(`    ${r}`);
  }
  for (const f of report.failures) w(`! ${f.submission}【${f.ruleSet}】未能计算：${f.message}`);
  if (opts.out) w(`已写入 ${opts.out}`);
  return EXIT.OK;
}
