import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acceptUnchanged, divisionUnits, runAllFixtures } from '@yuanping/check';
import { diffPacks, formatDiffText, listPackDates, loadPack, scaffoldPack, shiftDate } from '@yuanping/core';
import { EXIT, UsageError } from '../io.js';

/** Asks one question (interactive `new`); an empty answer keeps the default. */
export type Ask = (question: string, suggestion: string) => Promise<string>;

export interface NewOptions {
  from: string;
  root: string;
  year?: string;
  issueDate?: string;
  dataCutoff?: string;
  /** `id=YYYY-MM-DD` for a date of the manifest's `dates` */
  date?: string[];
  /** `stage=opens..closes` (either side may be empty) */
  window?: string[];
  /** when set (a terminal), every date not given by a flag is asked for */
  ask?: Ask;
}

/** The flags, as slot ids of listPackDates → dates. */
function givenDates(opts: NewOptions): Record<string, string> {
  const out: Record<string, string> = {};
  if (opts.issueDate) out.issueDate = opts.issueDate;
  if (opts.dataCutoff) out.dataCutoff = opts.dataCutoff;
  for (const spec of opts.date ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--date 应写成 时间节点标识=YYYY-MM-DD（收到“${spec}”）`);
    const id = spec.slice(0, eq);
    out[id.includes(':') ? id : `date:${id}`] = spec.slice(eq + 1);
  }
  for (const spec of opts.window ?? []) {
    const m = /^([^=]+)=([^.]*)\.\.([^.]*)$/.exec(spec);
    if (!m) throw new UsageError(`--window 应写成 环节标识=开始日期..截止日期（某一端可空），如 apply=2023-08-20..2023-09-20（收到“${spec}”）`);
    if (m[2]) out[`window:${m[1]}:opens`] = m[2];
    if (m[3]) out[`window:${m[1]}:closes`] = m[3];
  }
  return out;
}

export async function newCommand(newId: string, opts: NewOptions): Promise<number> {
  const old = await loadPack(opts.from, { root: opts.root });
  const fromYear = old.manifest.year;
  let year: number | undefined;
  if (opts.year !== undefined) {
    year = Number(opts.year);
    if (!Number.isInteger(year) || year < 1900 || year > 2999) throw new UsageError(`--year 应为四位年份，收到“${opts.year}”`);
  }
  const dates = givenDates(opts);
  if (opts.ask) {
    process.stdout.write(`以 ${opts.from}（${fromYear} 年）为底稿生成 ${newId}。直接回车表示沿用建议值（按年份顺延，之后列为“请核对”）。\n`);
    if (year === undefined) {
      const a = (await opts.ask('年度', String(fromYear + 1))).trim();
      year = a ? Number(a) : fromYear + 1;
      if (!Number.isInteger(year)) throw new UsageError(`年度应为四位年份，收到“${a}”`);
    }
    const years = year - fromYear;
    for (const s of listPackDates(old.files, opts.from)) {
      if (s.id.includes('#') || dates[s.id]) continue;
      const a = (await opts.ask(`${s.label}（去年 ${s.date}）`, shiftDate(s.date, years))).trim();
      if (a) dates[s.id] = a;
    }
  }
  const { dirs, plan } = await scaffoldPack(opts.root, newId, opts.from, { ...(year !== undefined ? { year } : {}), dates });
  const w = (s: string) => process.stdout.write(s + '\n');
  w(`已从 ${opts.from} 生成新通知包 ${newId}（年度 ${plan.fromYear ?? '？'} → ${plan.year}）：`);
  for (const d of dirs) w(`  ${d}/`);
  const toCheck = plan.dates.filter((d) => d.how === 'shifted');
  w(`日期（${plan.dates.length} 个，其中 ${toCheck.length} 个按年份顺延、请核对）：`);
  for (const d of plan.dates) {
    const where = d.id.includes('#') ? `（${d.file}#${d.pointer}）` : '';
    w(`  ${d.how === 'given' ? '✓' : '?'} ${d.label}${where}：${d.date} → ${d.after}${d.how === 'given' ? '（已给出）' : '（按年份顺延，请核对）'}`);
  }
  if (plan.fixtures.length) w(`样例：${plan.fixtures.length} 个复制的样例已标记为“待复核”（review 字段）；按今年的通知核对输入和期望结果后删除该字段。运行 pnpm yuanping fixtures ${newId} 查看。`);
  if (plan.yearMentions.length) {
    w(`以下标题仍写着 ${plan.fromYear} 年（请核对）：`);
    for (const m of plan.yearMentions) w(`  ${m.file}#${m.pointer}：${m.text}`);
  }
  w(`下一步：修改今年变化的数值和日期，然后运行 pnpm yuanping diff ${opts.from} ${newId} 和 pnpm yuanping check ${newId}`);
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

export async function fixturesCommand(ref: string, opts: { root: string; acceptUnchanged?: boolean }): Promise<number> {
  const pack = await loadPack(ref, { root: opts.root });
  const runs = runAllFixtures(pack);
  // the review marker removed from each unchanged fixture: the same function as the workbench's 一并接受
  const reviewed = opts.acceptUnchanged ? acceptUnchanged(pack.files, runs) : {};
  let failed = 0;
  let review = 0;
  let accepted = 0;
  for (const r of runs) {
    const name = r.file.split('/').pop();
    if (r.file in reviewed) {
      // written back with two-space indentation, as `new` wrote it
      writeFileSync(join(opts.root, r.file), JSON.stringify(reviewed[r.file], null, 2) + '\n');
      accepted++;
      process.stdout.write(`✓ ${r.kind === 'cohort' ? '群体评价 ' : ''}${name}  ${r.title}  结果与期望一致，已标为已复核\n`);
      continue;
    }
    if (r.review) {
      review++;
      process.stdout.write(`? ${r.kind === 'cohort' ? '群体评价 ' : ''}${name}  ${r.title}  待复核\n`);
      for (const p of r.problems) process.stdout.write(`    ${p.message}\n`);
      continue;
    }
    process.stdout.write(`${r.passed ? '✓' : '✗'} ${r.kind === 'cohort' ? '群体评价 ' : ''}${name}  ${r.title}\n`);
    if (!r.passed) {
      failed++;
      for (const p of r.problems) process.stdout.write(`    ${p.code}：${p.message}\n`);
    }
  }
  process.stdout.write(`${runs.length - failed - review} 个通过${accepted ? `（其中 ${accepted} 个刚标为已复核）` : ''}，${failed} 个未通过${review ? `，${review} 个待复核` : ''}\n`);
  if (review && !opts.acceptUnchanged && runs.some((r) => r.review && r.unchanged)) {
    process.stdout.write(`其中结果与期望一致的待复核样例，核对输入后可用 pnpm yuanping fixtures ${ref} --accept-unchanged 一并标为已复核\n`);
  }
  return failed ? EXIT.PROBLEMS : EXIT.OK;
}

