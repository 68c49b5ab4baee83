import { Ajv, type ValidateFunction } from 'ajv';
import localizeZh from 'ajv-i18n/localize/zh/index.js';
import { LogicEngine } from 'json-logic-engine';
import { computeSection } from './compute.js';
import { columnTypeOf, tableLayout, type ColumnDef, type Row, type SectionDef, type TableForm, type TableLayout } from './form.js';
import { normalizeCell } from './normalize.js';

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
  /** where the cell's value went: the section's data field ('' for a form whose data is the rows), the row's index in it, the column's key */
  section?: string;
  index?: number;
  key?: string;
  /** a top-level (preamble) field's problem: the field */
  field?: string;
}

/** `warnings`: each normalisation of a cell (full-width digits, a number stored as text, …), with its place. */
export type ImportResult =
  | { ok: true; rows: Row[]; data: Record<string, unknown>; warnings: ImportError[] }
  /** `partial`: when the header was found, every row read, a bad cell holding what the file wrote (for a preview that shows and fixes it) */
  | { ok: false; errors: ImportError[]; warnings: ImportError[]; partial?: Record<string, unknown> };

const MAX_ERRORS = 500;
/** every note an export writes below the table starts so (xlsx.ts) */
export const EXPORT_NOTE_PREFIX = '注：';

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

/** the words a total row of a county's file starts with */
const TOTAL_WORDS = new Set(['合计', '总计', '小计', '总合计']);

const isEmpty = (v: GridCell | undefined): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

interface HeaderMatch {
  /** header bottom row (0-based) */
  bottom: number;
  /** band start row */
  top: number;
  /** column key → sheet column index */
  map: Map<string, number>;
}

/** The header row that matched most of a section's columns, and the columns it lacks. */
export interface HeaderSearch {
  match?: HeaderMatch;
  /** best partial match: the row (0-based) and the columns the file must have but lacks */
  best?: { row: number; missing: ColumnDef[]; found: number };
}

/** Columns a file must have: neither computed nor added by the platform. */
const mustHave = (c: ColumnDef): boolean => c.compute === undefined && !c.added;

const ambiguity = new WeakMap<SectionDef, Set<string>>();
/** Leaf titles that occur more than once in a section (only their groups tell them apart). */
function ambiguousLeaves(section: SectionDef): Set<string> {
  let hit = ambiguity.get(section);
  if (!hit) {
    const seen = new Map<string, number>();
    for (const c of section.columns) for (const t of new Set([norm(c.header), norm(c.title)])) seen.set(t, (seen.get(t) ?? 0) + 1);
    hit = new Set([...seen].filter(([, n]) => n > 1).map(([t]) => t));
    ambiguity.set(section, hit);
  }
  return hit;
}

function matchAt(rows: GridCell[][], section: SectionDef, r: number, from: number, firstCol: number): Map<string, number> {
  const row = rows[r] ?? [];
  const top = Math.max(from, r - section.depth + 1);
  const map = new Map<string, number>();
  const taken = new Set<number>();
  const ambiguous = ambiguousLeaves(section);
  for (const col of section.columns) {
    const leaf = norm(col.header);
    const leafAlt = norm(col.title);
    const path = norm([...col.groups, col.title].join('/'));
    for (let c = firstCol; c < row.length; c++) {
      if (taken.has(c)) continue;
      // the lowest title in the column's header band: a column without groups has its title in the
      // band's top row when the file does not repeat it down a merged cell
      let k0 = r;
      while (k0 > top && norm(rows[k0]?.[c] ?? null) === '') k0--;
      const t = norm(rows[k0]?.[c] ?? null);
      if (t === '' || (t !== leaf && t !== leafAlt && t !== path)) continue;
      // a leaf title the section has twice (附件3: 小计 under each year) is told apart by its groups
      if (t !== path && col.groups.length > 0 && ambiguous.has(t)) {
        const stack = new Set<string>();
        for (let k = top; k < k0; k++) stack.add(norm(rows[k]?.[c] ?? null));
        const present = col.groups.filter((g) => stack.has(norm(g))).length;
        if (present > 0 && present < col.groups.length) continue;
      }
      taken.add(c);
      map.set(col.key, c);
      break;
    }
  }
  return map;
}

export function searchHeader(grid: Grid, section: SectionDef, from: number, layout: TableLayout): HeaderSearch {
  const rows = grid.rows;
  const limit = Math.min(rows.length, from + 60);
  const needed = section.columns.filter(mustHave);
  const firstCol = layout.sectionColumn ? 1 : 0;
  let best: HeaderSearch['best'];
  for (let r = from; r < limit; r++) {
    const map = matchAt(rows, section, r, from, firstCol);
    const missing = needed.filter((c) => !map.has(c.key));
    if (missing.length === 0) return { match: { bottom: r, top: Math.max(from, r - section.depth + 1), map } };
    const found = needed.length - missing.length;
    if (found > 0 && (!best || found > best.found)) best = { row: r, missing, found };
  }
  return best ? { best } : {};
}

const validators = new WeakMap<object, ValidateFunction>();
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false }); // date columns are checked by normalizeCell

function rowValidator(section: SectionDef): ValidateFunction {
  let v = validators.get(section.itemsSchema);
  if (!v) {
    v = ajv.compile(section.itemsSchema);
    validators.set(section.itemsSchema, v);
  }
  return v;
}

/** Where a problem is, and why: an error refuses the file, a warning names a normalisation. */
function problem(grid: Grid, row0: number, c: number | undefined, col: ColumnDef | undefined, reason: string, at?: { section: string; index: number }): ImportError {
  return { sheet: grid.sheet, row: row0 + 1, column: c === undefined ? '' : columnLetter(c), ...(col ? { title: col.header } : {}), reason, ...(at ? { section: at.section, index: at.index, ...(col ? { key: col.key } : {}) } : {}) };
}

const deriveEngine = new LogicEngine();

/** The sheet's problem when a section's header is not found: the columns the best candidate row lacks, by name. */
export function headerProblem(grid: Grid, section: SectionDef, found: HeaderSearch, from: number): ImportError {
  const where = section.title ? `“${section.title}”分节的` : '';
  if (found.best) {
    const names = found.best.missing.map((c) => c.header).join('、');
    return { sheet: grid.sheet, row: found.best.row + 1, column: '', reason: `${where}表头缺少列：${names}` };
  }
  const missing = section.columns.filter(mustHave).map((c) => c.header);
  return { sheet: grid.sheet, row: from + 1, column: '', reason: `没有找到${where}表头：应包含列 ${missing.join('、')}` };
}

/**
 * Import a grid (a sheet of an xlsx, or a CSV) into the form's rows. Every cell goes through the
 * one normaliser (`normalizeCell`); each normalisation is a warning with sheet / row / column. Any
 * bad cell refuses the whole file: the result is either every row, or every error found.
 * Columns the platform added to the notice's form (`x-added`) may be absent: they are derived
 * (`x-derive`, over the row and the sheet's top-level values) or left empty.
 */
export function importGrid(form: TableForm, grid: Grid): ImportResult {
  const layout = tableLayout(form);
  const errors: ImportError[] = [];
  const warnings: ImportError[] = [];
  const data: Record<string, unknown> = {};
  const rows = grid.rows;
  const topProps = (form.properties ?? {}) as Record<string, Record<string, unknown> | undefined>;

  // preamble values ("<label>：<value>"), typed by the field's schema (an integer year is a number)
  for (const p of layout.preamble) {
    if (!('field' in p)) continue;
    // the label as the form writes it, or without its parenthesised note (a notice's “<label>：” for the form's “<label>（<note>）”)
    const label = norm(p.label);
    const bare = label.replace(/\([^)]*\)$/, '');
    const labelled = (x: GridCell | undefined): boolean => {
      const t = norm(x ?? null);
      return t.startsWith(label) || (bare !== label && bare !== '' && t.startsWith(bare) && /^[:：]/.test(t.slice(bare.length)));
    };
    for (let r = 0; r < Math.min(rows.length, 20); r++) {
      const row = rows[r] ?? [];
      const c = row.findIndex(labelled);
      if (c < 0) continue;
      const text = String(row[c] ?? '');
      const idx = text.search(/[:：﹕]/);
      let cell: GridCell = idx >= 0 ? text.slice(idx + 1).trim() : '';
      if (isEmpty(cell)) cell = row.slice(c + 1).find((x) => !isEmpty(x)) ?? null;
      const schema = topProps[p.field] ?? {};
      const spec = { type: columnTypeOf(schema), ...(Array.isArray(schema.enum) ? { enum: schema.enum } : {}) };
      const got = normalizeCell(spec, cell, typeof cell === 'string');
      if (got && 'error' in got) errors.push({ sheet: grid.sheet, row: r + 1, column: columnLetter(c), title: p.label, reason: got.error, field: p.field });
      else if (got) {
        data[p.field] = got.value;
        for (const n of got.notes) warnings.push({ sheet: grid.sheet, row: r + 1, column: columnLetter(c), title: p.label, reason: n, field: p.field });
      }
      break;
    }
  }

  // find each section's header, in order
  const matches: HeaderMatch[] = [];
  let from = 0;
  for (const s of layout.sections) {
    const found = searchHeader(grid, s, from, layout);
    if (!found.match) return { ok: false, errors: [headerProblem(grid, s, found, from)], warnings };
    matches.push(found.match);
    from = found.match.bottom + 1;
  }

  // the form's notes below the table, and the notes an export adds (the legend of added columns, “注：…”)
  const noteTexts = [...layout.notes.map((n) => norm(n).slice(0, 6)), norm(EXPORT_NOTE_PREFIX)];
  layout.sections.forEach((s, si) => {
    const m = matches[si] as HeaderMatch;
    const next = matches[si + 1];
    const end = next ? next.top : rows.length;
    const labelCol = s.total ? m.map.get(s.total.column) : undefined;
    const totalLabel = s.total ? norm(s.total.label) : '';
    const validate = rowValidator(s);
    // added columns the file lacks: derived, or left empty (then not required)
    const absent = new Set(s.columns.filter((c) => c.added && !m.map.has(c.key)).map((c) => c.key));
    const out: Row[] = [];
    for (let r = m.bottom + 1; r < end; r++) {
      const row = rows[r] ?? [];
      const nonEmpty = row.filter((x, c) => !(layout.sectionColumn && c === 0) && !isEmpty(x));
      if (nonEmpty.length === 0) continue;
      if (labelCol !== undefined && norm(row[labelCol] ?? null) === totalLabel) continue; // total row: recomputed
      // a total row the clerk added though the form declares none (or under another word): not a
      // record (its key cells are empty); skipped with a warning, the platform sums the rows itself
      const lead = row.findIndex((x, c) => !(layout.sectionColumn && c === 0) && !isEmpty(x));
      const leadText = norm(row[lead] ?? null);
      if (TOTAL_WORDS.has(leadText)) {
        warnings.push({ sheet: grid.sheet, row: r + 1, column: columnLetter(lead), reason: `“${leadText}”行不是一条记录，未导入（合计由平台按各行计算）` });
        continue;
      }
      // one text (a merged cell reads back as the same text in each of its cells)
      if (typeof nonEmpty[0] === 'string' && nonEmpty.every((x) => x === nonEmpty[0])) {
        const t = norm(nonEmpty[0]);
        if (noteTexts.some((n) => n && t.startsWith(n))) break; // the form's notes below the table
      }
      const rec: Row = {};
      const at = { section: s.field, index: out.length };
      // computed columns the file gives are inputs of a derivation only (they are recomputed)
      const given: Row = {};
      let bad = false;
      for (const col of s.columns) {
        const c = m.map.get(col.key);
        if (c === undefined) continue;
        const parsed = normalizeCell(col, row[c] ?? null, grid.textOnly);
        if (parsed === undefined) {
          if (col.required && col.compute === undefined) {
            errors.push(problem(grid, r, c, col, '必填项为空', at));
            bad = true;
          }
        } else if ('error' in parsed) {
          if (col.compute !== undefined) continue; // a computed cell is recomputed whatever the file says
          errors.push(problem(grid, r, c, col, parsed.error, at));
          const raw = row[c];
          rec[col.key] = raw instanceof Date ? raw.toISOString().slice(0, 10) : typeof raw === 'string' ? raw.trim() : raw; // kept as written, for a preview to show and fix
          bad = true;
        } else {
          for (const n of parsed.notes) warnings.push(problem(grid, r, c, col, n, at));
          if (col.compute === undefined) rec[col.key] = parsed.value;
          else given[col.key] = parsed.value;
        }
      }
      for (const col of s.columns) {
        if (!absent.has(col.key) || col.derive === undefined) continue;
        const v: unknown = deriveEngine.run(col.derive, { ...data, ...given, ...rec });
        if (v !== null && v !== undefined && !(typeof v === 'number' && !Number.isFinite(v))) rec[col.key] = v;
      }
      if (!bad && !validate(rec)) {
        const errs = [...(validate.errors ?? [])];
        localizeZh(errs);
        // an added column the file lacks is not required, nor is the conditional (if/then) that asked for it
        const excused = new Set<string>();
        for (const e of errs) {
          const missing = (e.params as { missingProperty?: string }).missingProperty;
          if (e.keyword === 'required' && missing !== undefined && absent.has(missing)) excused.add(e.schemaPath.replace(/\/then\/required$/, '/if'));
        }
        for (const e of errs) {
          const key = e.instancePath.split('/')[1] ?? (e.params as { missingProperty?: string }).missingProperty ?? '';
          if (e.keyword === 'required' && absent.has(key)) continue;
          if (e.keyword === 'if' && excused.has(e.schemaPath)) continue;
          const col = s.columns.find((x) => x.key === key);
          const reason = absent.has(key) && col ? `由其他列推算出的值不合要求：${e.message ?? e.keyword}` : (e.message ?? e.keyword);
          errors.push(problem(grid, r, col ? m.map.get(col.key) : undefined, col, reason, at));
        }
      }
      if (errors.length >= MAX_ERRORS) break;
      out.push(rec);
    }
    // a file with errors is not computed (its bad cells hold text): the preview computes as they are fixed
    data[s.field] = errors.length ? out : computeSection(s, out).rows;
  });
  if (errors.length) return { ok: false, errors: errors.slice(0, MAX_ERRORS), warnings, partial: data };
  const first = layout.sections[0];
  return { ok: true, rows: first ? ((data[first.field] as Row[]) ?? []) : [], data, warnings };
}
