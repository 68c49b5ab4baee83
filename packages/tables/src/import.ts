import { Ajv, type ValidateFunction } from 'ajv';
import localizeZh from 'ajv-i18n/localize/zh/index.js';
import { computeSection } from './compute.js';
import { tableLayout, type ColumnDef, type Row, type SectionDef, type TableForm, type TableLayout } from './form.js';

/** One cell as read from a sheet: xlsx gives typed values, CSV gives text only. */
export type GridCell = null | number | string | boolean | Date;

export interface Grid {
  sheet: string;
  rows: GridCell[][];
  /** CSV: every cell is text, so number columns accept numeric text */
  textOnly: boolean;
}

export interface ImportError {
  sheet: string;
  /** 1-based row number as the spreadsheet shows it */
  row: number;
  /** column letter (A, B, …, AA) — empty when the error is about the whole sheet */
  column: string;
  /** column title (Chinese), when the error is about a column */
  title?: string;
  reason: string;
}

export type ImportResult =
  | { ok: true; rows: Row[]; data: Record<string, unknown> }
  | { ok: false; errors: ImportError[] };

const MAX_ERRORS = 500;

export function columnLetter(index0: number): string {
  let n = index0 + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Normalise header text for matching: NFKC (full-width → half-width), no whitespace. */
export function norm(v: GridCell | undefined): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return s.normalize('NFKC').replace(/\s+/g, '');
}

const isEmpty = (v: GridCell | undefined): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

interface HeaderMatch {
  /** header bottom row (0-based) */
  bottom: number;
  /** band start row */
  top: number;
  /** column key → sheet column index */
  map: Map<string, number>;
}

function matchHeader(grid: Grid, section: SectionDef, from: number, layout: TableLayout): HeaderMatch | undefined {
  const rows = grid.rows;
  const limit = Math.min(rows.length, from + 60);
  const needed = section.columns.filter((c) => c.compute === undefined);
  const firstCol = layout.sectionColumn ? 1 : 0;
  for (let r = from; r < limit; r++) {
    const row = rows[r] ?? [];
    // cheap pre-check: the bottom row must contain the first needed leaf title
    const top = Math.max(from, r - section.depth + 1);
    const map = new Map<string, number>();
    const taken = new Set<number>();
    let ok = true;
    for (const col of section.columns) {
      const leaf = norm(col.header);
      const leafAlt = norm(col.title);
      const path = norm([...col.groups, col.title].join('/'));
      let found = -1;
      for (let c = firstCol; c < row.length; c++) {
        if (taken.has(c)) continue;
        const t = norm(row[c]);
        if (t !== leaf && t !== leafAlt && t !== path) continue;
        if (t !== path && col.groups.length > 0) {
          const stack = new Set<string>();
          for (let k = top; k < r; k++) stack.add(norm(rows[k]?.[c] ?? null));
          const present = col.groups.filter((g) => stack.has(norm(g))).length;
          if (present > 0 && present < col.groups.length) continue;
        }
        found = c;
        break;
      }
      if (found < 0) {
        if (col.compute === undefined) {
          ok = false;
          break;
        }
        continue;
      }
      taken.add(found);
      map.set(col.key, found);
    }
    if (ok && needed.every((c) => map.has(c.key))) return { bottom: r, top, map };
  }
  return undefined;
}

const validators = new WeakMap<object, ValidateFunction>();
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false }); // date columns are checked by parseCell

function rowValidator(section: SectionDef): ValidateFunction {
  let v = validators.get(section.itemsSchema);
  if (!v) {
    v = ajv.compile(section.itemsSchema);
    validators.set(section.itemsSchema, v);
  }
  return v;
}

function isoDate(d: Date): string {
  // xlsx dates carry no zone; exceljs gives them as UTC midnight
  return d.toISOString().slice(0, 10);
}

const NUMERIC_TEXT = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

type Parsed = { value: unknown } | { error: string } | undefined;

function parseCell(col: ColumnDef, cell: GridCell, textOnly: boolean): Parsed {
  if (isEmpty(cell)) return undefined;
  const shown = cell instanceof Date ? isoDate(cell) : String(cell);
  if (col.type === 'number' || col.type === 'integer') {
    let n: number | undefined;
    if (typeof cell === 'number') n = cell;
    else if (typeof cell === 'string' && textOnly && NUMERIC_TEXT.test(cell.trim())) n = Number(cell.trim());
    else if (typeof cell === 'string') return { error: `应填数字，单元格是文本“${shown}”${textOnly ? '' : '（请把单元格设为数值格式并去掉空格、单位等文字）'}` };
    else if (cell instanceof Date) return { error: `应填数字，单元格是日期 ${shown}` };
    else return { error: `应填数字，单元格是${cell ? '逻辑值 TRUE' : '逻辑值 FALSE'}` };
    if (!Number.isFinite(n)) return { error: `数值“${shown}”无效` };
    if (col.type === 'integer' && !Number.isInteger(n)) return { error: `应填整数，单元格是 ${shown}` };
    return { value: n };
  }
  if (col.type === 'boolean') {
    if (typeof cell === 'boolean') return { value: cell };
    const t = norm(cell).toLowerCase();
    if (t === '是' || t === 'true') return { value: true };
    if (t === '否' || t === 'false') return { value: false };
    return { error: `应填“是”或“否”，单元格是“${shown}”` };
  }
  // string column
  let s: string;
  if (typeof cell === 'string') s = cell.trim();
  else if (cell instanceof Date) s = isoDate(cell);
  else if (typeof cell === 'number') s = String(cell); // lossless: a code typed as a number
  else return { error: `应填文本，单元格是逻辑值 ${cell ? 'TRUE' : 'FALSE'}` };
  if (col.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(s)) return { error: `应填日期（如 2020-12-31），单元格是“${s}”` };
  if (col.enum && !col.enum.includes(s)) {
    return { error: `“${s}”不是可选值，可选：${col.enum.map(String).join('、')}` };
  }
  return { value: s };
}

/**
 * Import a grid (a sheet of an xlsx, or a CSV) into the form's rows. Any bad cell refuses the
 * whole file: the result is either every row, or every error found (sheet, row, column, reason).
 */
export function importGrid(form: TableForm, grid: Grid): ImportResult {
  const layout = tableLayout(form);
  const errors: ImportError[] = [];
  const data: Record<string, unknown> = {};
  const rows = grid.rows;

  // preamble values ("<label>：<value>")
  for (const p of layout.preamble) {
    if (!('field' in p)) continue;
    const label = norm(p.label);
    for (let r = 0; r < Math.min(rows.length, 20); r++) {
      const row = rows[r] ?? [];
      const c = row.findIndex((x) => norm(x).startsWith(label));
      if (c < 0) continue;
      const text = String(row[c] ?? '').normalize('NFKC');
      const idx = text.search(/[:：]/);
      let value = idx >= 0 ? text.slice(idx + 1).trim() : '';
      if (!value) value = String(row.slice(c + 1).find((x) => !isEmpty(x)) ?? '').trim();
      if (value) data[p.field] = value;
      break;
    }
  }

  // find each section's header, in order
  const matches: HeaderMatch[] = [];
  let from = 0;
  for (const s of layout.sections) {
    const m = matchHeader(grid, s, from, layout);
    if (!m) {
      const missing = s.columns.filter((c) => c.compute === undefined).map((c) => c.header);
      errors.push({
        sheet: grid.sheet,
        row: from + 1,
        column: '',
        reason: `没有找到${s.title ? `“${s.title}”分节的` : ''}表头：应包含列 ${missing.join('、')}`,
      });
      return { ok: false, errors };
    }
    matches.push(m);
    from = m.bottom + 1;
  }

  const noteTexts = layout.notes.map((n) => norm(n).slice(0, 6));
  layout.sections.forEach((s, si) => {
    const m = matches[si] as HeaderMatch;
    const next = matches[si + 1];
    const end = next ? next.top : rows.length;
    const labelCol = s.total ? m.map.get(s.total.column) : undefined;
    const totalLabel = s.total ? norm(s.total.label) : '';
    const validate = rowValidator(s);
    const out: Row[] = [];
    for (let r = m.bottom + 1; r < end; r++) {
      const row = rows[r] ?? [];
      const nonEmpty = row.filter((x, c) => !(layout.sectionColumn && c === 0) && !isEmpty(x));
      if (nonEmpty.length === 0) continue;
      if (labelCol !== undefined && norm(row[labelCol] ?? null) === totalLabel) continue; // total row: recomputed
      if (nonEmpty.length === 1 && typeof nonEmpty[0] === 'string') {
        const t = norm(nonEmpty[0]);
        if (noteTexts.some((n) => n && t.startsWith(n))) break; // the form's notes below the table
      }
      const rec: Row = {};
      let bad = false;
      for (const col of s.columns) {
        const c = m.map.get(col.key);
        if (col.compute !== undefined) continue;
        const cell = c === undefined ? null : (row[c] ?? null);
        const parsed = parseCell(col, cell, grid.textOnly);
        const where = { sheet: grid.sheet, row: r + 1, column: c === undefined ? '' : columnLetter(c), title: col.header };
        if (parsed === undefined) {
          if (col.required) {
            errors.push({ ...where, reason: '必填项为空' });
            bad = true;
          }
        } else if ('error' in parsed) {
          errors.push({ ...where, reason: parsed.error });
          bad = true;
        } else rec[col.key] = parsed.value;
      }
      if (!bad && !validate(rec)) {
        const errs = [...(validate.errors ?? [])];
        localizeZh(errs);
        for (const e of errs) {
          const key = e.instancePath.split('/')[1] ?? (e.params as { missingProperty?: string }).missingProperty ?? '';
          const col = s.columns.find((x) => x.key === key);
          const c = col ? m.map.get(col.key) : undefined;
          errors.push({
            sheet: grid.sheet,
            row: r + 1,
            column: c === undefined ? '' : columnLetter(c),
            ...(col ? { title: col.header } : {}),
            reason: e.message ?? e.keyword,
          });
        }
      }
      if (errors.length >= MAX_ERRORS) break;
      out.push(rec);
    }
    data[s.field] = computeSection(s, out).rows;
  });
  if (errors.length) return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
  const first = layout.sections[0];
  return { ok: true, rows: first ? ((data[first.field] as Row[]) ?? []) : [], data };
}
