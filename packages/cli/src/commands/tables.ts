import { mkdir, readFile, writeFile as writeFileRaw } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { computeFields, isObject, loadPack, YuanpingError, type Form, type NoticePack } from '@yuanping/core';
import { gradedTable, runCohortStep, type CohortStep } from '@yuanping/cohort';
import { exportXlsx, importCsv, importXlsx, templateXlsx, type ImportResult, type Row, type TableForm } from '@yuanping/tables';
import { EXIT, UsageError } from '../io.js';
import { divisionUnits } from '@yuanping/check';

/** Writes an output file, creating its folder (e.g. out/) when missing. */
async function writeFile(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileRaw(path, data);
}

/** The table a cohort step reads its records from: --form, the manifest's declaration, or the only table. */
function recordsSource(pack: NoticePack, stepId: string, formOpt?: string): { form: Form; path: string } {
  const decl = pack.manifest.cohortSteps?.find((s) => s.id === stepId)?.records;
  const formId = formOpt ?? decl?.form;
  const tables = [...pack.forms.values()].filter((f) => f.kind === 'table');
  const form = formId ? pack.forms.get(formId) : tables.length === 1 ? tables[0] : undefined;
  if (!form) {
    throw new UsageError(
      formId ? `通知包中没有表单“${formId}”` : `请用 --form 指明参评记录所在的表格（可选：${tables.map((t) => t.id).join('、')}）`,
    );
  }
  const props = isObject(form.schema.properties) ? form.schema.properties : {};
  const path = decl?.path ?? Object.keys(props).find((k) => isObject(props[k]) && (props[k] as { type?: unknown }).type === 'array');
  if (!path) throw new UsageError(`表单“${form.id}”不是表格`);
  return { form, path };
}

async function readRecords(file: string, form: Form, path: string): Promise<ImportResult> {
  const ext = extname(file).toLowerCase();
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch {
    throw new UsageError(`读不到文件 ${file}`);
  }
  if (ext === '.xlsx') return importXlsx(form.schema as TableForm, buf);
  if (ext === '.csv') return importCsv(form.schema as TableForm, buf);
  if (ext === '.json') {
    let json: unknown;
    try {
      json = JSON.parse(buf.toString('utf8'));
    } catch (err) {
      throw new UsageError(`${file} 不是合法的 JSON：${(err as Error).message}`);
    }
    const data = Array.isArray(json) ? { [path]: json } : isObject(json) ? json : {};
    const computed = computeFields(form.schema, data) as Record<string, unknown>;
    const rows = computed[path];
    if (!Array.isArray(rows)) throw new UsageError(`${file} 中没有记录列表（应为数组，或含“${path}”数组的对象）`);
    return { ok: true, rows: rows as Row[], data: computed, warnings: [] };
  }
  throw new UsageError(`不支持的文件类型 ${ext || '（无扩展名）'}：请使用 .xlsx、.csv 或 .json`);
}

export async function cohortCommand(
  file: string,
  opts: { pack: string; step: string; form?: string; out?: string; root: string },
): Promise<number> {
  const pack = await loadPack(opts.pack, { root: opts.root });
  const entry = pack.cohortSteps.get(opts.step);
  if (!entry) throw new UsageError(`通知包中没有群体评价步骤“${opts.step}”（可选：${[...pack.cohortSteps.keys()].join('、') || '无'}）`);
  const { form, path } = recordsSource(pack, opts.step, opts.form);
  const imported = await readRecords(file, form, path);
  if (!imported.ok) {
    process.stderr.write(`导入失败，整个文件未导入（${imported.errors.length} 处错误）：\n`);
    for (const e of imported.errors) process.stderr.write(`  工作表“${e.sheet}” 第 ${e.row} 行 ${e.column ? `第 ${e.column} 列` : ''}：${e.reason}\n`);
    return EXIT.PROBLEMS;
  }
  if (imported.warnings.length) {
    process.stderr.write(`导入时规整了 ${imported.warnings.length} 处单元格（请核对）：\n`);
    for (const w of imported.warnings.slice(0, 50)) process.stderr.write(`  工作表“${w.sheet}” 第 ${w.row} 行 ${w.column ? `第 ${w.column} 列` : ''}：${w.reason}\n`);
    if (imported.warnings.length > 50) process.stderr.write(`  ……另有 ${imported.warnings.length - 50} 处\n`);
  }
  const parameters: Record<string, unknown> = {};
  for (const [k, p] of Object.entries((pack.manifest.parameters ?? {}) as Record<string, { value: unknown }>)) parameters[k] = p.value;
  const orgUnits = divisionUnits();
  const result = runCohortStep(entry.step as CohortStep, imported.rows, { parameters, orgUnits });
  const summary = `${result.records.length} 条记录；分布 ${Object.entries(result.distribution)
    .map(([g, n]) => `${g} ${n}`)
    .join('，')}${result.rewardTotal ? `；奖励合计 ${result.rewardTotal}` : ''}`;
  const out = opts.out;
  if (out && extname(out).toLowerCase() === '.xlsx') {
    // the official columns the form maps (x-result) filled, the platform's results appended where the form asks
    const { rows, extraColumns } = gradedTable(form.schema, path, imported.rows, result.records);
    const buf = await exportXlsx(form.schema as TableForm, rows, { values: imported.data, extraColumns });
    await writeFile(out, buf);
    process.stdout.write(`已写入 ${out}（官方版式${extraColumns.length ? `，增设列 ${extraColumns.map((c) => c.title).join('、')} 附在表格右侧` : ''}）：${summary}\n`);
  } else {
    const text = JSON.stringify({ pack: pack.id, packHash: pack.hash, step: opts.step, result }, null, 2) + '\n';
    if (out) {
      await writeFile(out, text);
      process.stdout.write(`已写入 ${out}：${summary}\n`);
    } else process.stdout.write(text);
  }
  return EXIT.OK;
}

export async function templateCommand(opts: { pack: string; form: string; out?: string; root: string }): Promise<number> {
  const pack = await loadPack(opts.pack, { root: opts.root });
  const form = pack.forms.get(opts.form);
  if (!form) throw new YuanpingError('FORM_NOT_FOUND', { form: opts.form });
  if (form.kind !== 'table') throw new UsageError(`表单“${form.id}”不是表格，没有 xlsx 模板`);
  // by default into out/ (ignored by git), never beside the sources
  const out = opts.out ?? join('out', `${pack.id}-${form.id}.xlsx`);
  await writeFile(out, await templateXlsx(form.schema as TableForm));
  process.stdout.write(`已写入空白模板 ${out}（${form.attachment ?? ''}${form.title}）\n`);
  return EXIT.OK;
}
