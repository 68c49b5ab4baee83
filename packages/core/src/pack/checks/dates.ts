/**
 * The dates of a notice make sense: the issue date is in the pack's year; a submission window
 * closes on or after it opens, and neither end lies before the issue date or after the year
 * following the pack's year; the stages' deadlines follow the workflow's order; and the notice's
 * dates (`dates[]`), listed in the notice's order, are chronological. A date of `dates[]` on or
 * before the data cutoff is a reference date (e.g. "built before 2018-12-31") and may precede the
 * issue date; one after the data cutoff but before the issue date is a deadline left from an
 * earlier year.
 */
import { problem, type Problem } from '../../errors.js';
import { isObject, ptr } from '../../util/json.js';
import type { PackCheck } from '../registry.js';

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

export const datesCheck: PackCheck = {
  id: 'core.dates',
  run(pack) {
    const out: Problem[] = [];
    const m = pack.manifest;
    const file = pack.manifestFile;
    if (!isObject(pack.files[file])) return out;
    const year = typeof m.year === 'number' ? m.year : undefined;
    const issue = isDate(m.issueDate) ? m.issueDate : undefined;
    const cutoff = isDate(m.dataCutoff) ? m.dataCutoff : undefined;
    if (year !== undefined && issue && Number(issue.slice(0, 4)) !== year) {
      out.push(problem('PACK_DATE_OUTSIDE_YEAR', file, '/issueDate', { what: '发文日期', date: issue, year }));
    }
    const latest = year !== undefined ? `${year + 1}-12-31` : undefined;
    /** a deadline-like date: not before the issue date, not after the year following the pack's year */
    const inRange = (date: string, pointer: string, what: string) => {
      if (issue && date < issue) out.push(problem('PACK_DATE_BEFORE_ISSUE', file, pointer, { what, date, issue }));
      else if (latest && date > latest) out.push(problem('PACK_DATE_OUTSIDE_YEAR', file, pointer, { what, date, year }));
    };

    // ── workflow windows ──
    let prev: { label: string; closes: string } | undefined;
    (m.workflow?.stages ?? []).forEach((s, i) => {
      const w = s.window;
      if (!w) return;
      const at = ptr('workflow', 'stages', i, 'window');
      if (isDate(w.opens)) inRange(w.opens, at + '/opens', `“${s.label}”的开始日期`);
      if (isDate(w.closes)) inRange(w.closes, at + '/closes', `“${s.label}”的截止日期`);
      if (isDate(w.opens) && isDate(w.closes) && w.closes < w.opens) {
        out.push(problem('PACK_WINDOW_INVERTED', file, at + '/closes', { stage: s.label, opens: w.opens, closes: w.closes }));
      }
      if (isDate(w.closes)) {
        if (prev && w.closes < prev.closes) {
          out.push(problem('PACK_DATE_ORDER', file, at + '/closes', { what: `“${s.label}”的截止日期`, date: w.closes, before: `“${prev.label}”的截止日期`, beforeDate: prev.closes }));
        }
        prev = { label: s.label, closes: w.closes };
      }
    });

    // ── the notice's dates, in its order ──
    let last: { label: string; date: string } | undefined;
    (m.dates ?? []).forEach((d, i) => {
      if (!isDate(d.date)) return;
      const at = ptr('dates', i, 'date');
      if (cutoff && d.date <= cutoff) return; // a reference date
      inRange(d.date, at, `“${d.label}”`);
      if (last && d.date < last.date) out.push(problem('PACK_DATE_ORDER', file, at, { what: `“${d.label}”`, date: d.date, before: `“${last.label}”`, beforeDate: last.date }));
      last = { label: d.label, date: d.date };
    });
    return out;
  },
};
