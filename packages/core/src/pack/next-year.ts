import { YuanpingError } from '../errors.js';
import { isObject, ptr } from '../util/json.js';
import { packPaths } from './types.js';

/**
 * Next year's pack from last year's, as pure functions over the pack's files (no file
 * system): the CLI's `yuanping new` writes the result, a web wizard can show it.
 * Every date of the pack is either given by the administrator or shifted by the year
 * difference and listed for review ("请核对"); copied fixtures are marked as needing
 * review (`review` in the fixture format) instead of being left to fail.
 */

/** One date of a pack: where it is and what it means. */
export interface DateSlot {
  /** what the administrator names it by: `issueDate`, `dataCutoff`, `date:<id>`, `window:<stage>:opens|closes`, or `<file>#<pointer>` */
  id: string;
  /** in Chinese */
  label: string;
  file: string;
  pointer: string;
  date: string;
}

export interface PlannedDate extends DateSlot {
  after: string;
  /** given by the administrator, or shifted by the year difference (to be checked) */
  how: 'given' | 'shifted';
}

export interface NextYearOptions {
  fromId: string;
  newId: string;
  /** the new pack's year; default last year's + 1 */
  year?: number;
  /** dates the administrator gives, by slot id */
  dates?: Record<string, string>;
}

export interface NextYearPlan {
  /** every file of the new pack, by path (relative to the pack root) */
  files: Record<string, unknown>;
  /** the files whose content differs from last year's beyond their path (the rest are copies) */
  changed: string[];
  fromYear: number | undefined;
  year: number;
  dates: PlannedDate[];
  /** fixture files marked as needing review */
  fixtures: string[];
  /** titles and labels that still name last year's year: listed for review, not changed */
  yearMentions: Array<{ file: string; pointer: string; text: string }>;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The same day `years` years later (29 February becomes 28 February in a common year). */
export function shiftDate(date: string, years: number): string {
  const m = ISO.exec(date);
  if (!m) return date;
  const y = Number(m[1]) + years;
  let day = Number(m[3]);
  if (m[2] === '02' && day === 29 && !isIsoDate(`${y}-02-29`)) day = 28;
  return `${String(y).padStart(4, '0')}-${m[2]}-${String(day).padStart(2, '0')}`;
}

const isFixture = (file: string, id: string) => file.startsWith(`rules/${id}/fixtures/`) || file.startsWith(`rules/${id}/cohort-fixtures/`);

/** Every date a pack states (fixtures aside: their dates are data), manifest dates first, with a Chinese label each. */
export function listPackDates(files: Record<string, unknown>, packId: string): DateSlot[] {
  const paths = packPaths(packId);
  const out: DateSlot[] = [];
  const m = files[paths.manifest];
  const known = new Set<string>();
  const slot = (id: string, label: string, file: string, pointer: string, date: unknown) => {
    if (typeof date !== 'string' || !ISO.test(date)) return;
    known.add(`${file}#${pointer}`);
    out.push({ id, label, file, pointer, date });
  };
  if (isObject(m)) {
    slot('issueDate', '发文日期', paths.manifest, '/issueDate', m.issueDate);
    slot('dataCutoff', '数据截止日期', paths.manifest, '/dataCutoff', m.dataCutoff);
    if (Array.isArray(m.dates)) {
      m.dates.forEach((d, i) => {
        if (isObject(d)) slot(`date:${String(d.id)}`, `时间节点“${String(d.label ?? d.id)}”`, paths.manifest, ptr('dates', i, 'date'), d.date);
      });
    }
    const stages = isObject(m.workflow) && Array.isArray(m.workflow.stages) ? m.workflow.stages : [];
    stages.forEach((s, i) => {
      if (!isObject(s) || !isObject(s.window)) return;
      const name = `流程环节“${String(s.label ?? s.id)}”`;
      slot(`window:${String(s.id)}:opens`, `${name}开始`, paths.manifest, ptr('workflow', 'stages', i, 'window', 'opens'), s.window.opens);
      slot(`window:${String(s.id)}:closes`, `${name}截止`, paths.manifest, ptr('workflow', 'stages', i, 'window', 'closes'), s.window.closes);
    });
  }
  for (const file of Object.keys(files).sort()) {
    if (isFixture(file, packId)) continue;
    const walk = (v: unknown, pointer: string, context: string) => {
      if (typeof v === 'string') {
        if (ISO.test(v) && !known.has(`${file}#${pointer}`)) out.push({ id: `${file}#${pointer}`, label: `${context}中的日期`, file, pointer, date: v });
        return;
      }
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${pointer}/${i}`, context));
      else if (isObject(v)) {
        const here = typeof v.label === 'string' ? `“${v.label}”` : typeof v.title === 'string' ? `“${v.title}”` : context;
        for (const [k, x] of Object.entries(v)) if (k !== 'description' && k !== '$schema') walk(x, `${pointer}${ptr(k)}`, here);
      }
    };
    walk(files[file], '', file);
  }
  return out;
}

function setAt(doc: unknown, pointer: string, value: unknown): void {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) cur = Array.isArray(cur) ? cur[Number(t)] : isObject(cur) ? cur[t] : undefined;
  const last = tokens[tokens.length - 1];
  if (last === undefined) return;
  if (Array.isArray(cur)) cur[Number(last)] = value;
  else if (isObject(cur)) cur[last] = value;
}

/** The review note a copied fixture carries until the administrator has checked it against the new notice. */
export function reviewNote(fromYear: number | undefined, year: number): string {
  // by its year, not its identifier (the note is shown to the administrator on the workbench)
  return `复制自${fromYear ? ` ${fromYear} 年度` : '上一年度'}的通知包，尚未按 ${year} 年的通知核对输入和期望结果；核对后删除本字段`;
}

/** Plan next year's pack from last year's files. Throws USAGE for a malformed or unknown date. */
export function planNextYear(files: Record<string, unknown>, opts: NextYearOptions): NextYearPlan {
  const from = packPaths(opts.fromId);
  const manifest = files[from.manifest];
  if (!isObject(manifest)) throw new YuanpingError('PACK_NOT_FOUND', { pack: opts.fromId });
  const fromYear = typeof manifest.year === 'number' ? manifest.year : undefined;
  const year = opts.year ?? (fromYear !== undefined ? fromYear + 1 : new Date().getUTCFullYear());
  const years = fromYear !== undefined ? year - fromYear : 0;
  const slots = listPackDates(files, opts.fromId);
  const given = opts.dates ?? {};
  for (const [id, d] of Object.entries(given)) {
    if (!slots.some((s) => s.id === id)) {
      const names = slots.filter((s) => !s.id.includes('#')).map((s) => `${s.id}（${s.label}）`);
      throw new YuanpingError('USAGE', { detail: `通知包 ${opts.fromId} 没有日期“${id}”。可以给出的日期：${names.join('、')}` });
    }
    if (!isIsoDate(d)) throw new YuanpingError('USAGE', { detail: `日期“${id}”应写成 YYYY-MM-DD 且是真实的日期，收到“${d}”` });
  }
  const rename = (p: string) => p.replace(`schemas/${opts.fromId}/`, `schemas/${opts.newId}/`).replace(`rules/${opts.fromId}/`, `rules/${opts.newId}/`);
  const out: Record<string, unknown> = {};
  const changed = new Set<string>();
  for (const [p, v] of Object.entries(files)) out[rename(p)] = structuredClone(v);
  const newManifest = out[rename(from.manifest)] as Record<string, unknown>;
  newManifest.id = opts.newId;
  newManifest.succeeds = opts.fromId;
  newManifest.year = year;
  changed.add(rename(from.manifest));
  const dates: PlannedDate[] = slots.map((s) => {
    const g = given[s.id];
    const after = g ?? shiftDate(s.date, years);
    const file = rename(s.file);
    if (after !== s.date) {
      setAt(out[file], s.pointer, after);
      changed.add(file);
    }
    return { ...s, file, after, how: g ? 'given' : 'shifted' };
  });
  const note = reviewNote(fromYear, year);
  const fixtures: string[] = [];
  for (const p of Object.keys(out).sort()) {
    if (!isFixture(p, opts.newId) || !isObject(out[p])) continue;
    (out[p] as Record<string, unknown>).review = note;
    fixtures.push(p);
    changed.add(p);
  }
  const yearMentions: NextYearPlan['yearMentions'] = [];
  if (fromYear !== undefined && years !== 0) {
    for (const p of Object.keys(out).sort()) {
      if (isFixture(p, opts.newId)) continue;
      const walk = (v: unknown, pointer: string) => {
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${pointer}/${i}`));
        else if (isObject(v)) {
          for (const [k, x] of Object.entries(v)) {
            if ((k === 'title' || k === 'label') && typeof x === 'string' && x.includes(String(fromYear))) yearMentions.push({ file: p, pointer: `${pointer}${ptr(k)}`, text: x });
            else walk(x, `${pointer}${ptr(k)}`);
          }
        }
      };
      walk(out[p], '');
    }
  }
  return { files: out, changed: [...changed].sort(), fromYear, year, dates, fixtures, yearMentions };
}
