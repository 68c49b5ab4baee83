/**
 * Read a pack's workbook back: every sheet compared with the sheets the pack itself gives
 * (sheets.ts), every changed editable cell parsed and written to its one place in a copy of the
 * pack's source files; then the whole pack checked (`checkPackFully`) and compared with the
 * original (`diffPacks`). Rows may be added and removed where the sheet says so (scorecard items,
 * quotas' exceptions: `SheetSpec.insert`, `SheetRow.remove`). One bad cell — wrong type, an edited
 * read-only column, a row added or removed where that is not allowed, a header changed — and nothing is applied: the answer names the sheet, row, column and
 * reason of each, with codes from the one catalogue.
 */
import { checkPackFully, divisionUnits } from '@yuanping/check';
import {
  canonicalJson,
  changedFiles,
  diffPacks,
  formatMessage,
  isIsoDate,
  isObject,
  packFromFiles,
  pointerTokens,
  resolvePointer,
  type DiffLine,
  type ErrorCode,
  type NoticePack,
  type Problem,
  type RegistryCheckOptions,
} from '@yuanping/core';
import { columnLetter, readXlsx, type GridCell } from '@yuanping/tables';
import { README_KEYS } from './export.js';
import { cellText, README_SHEET, rowKey, type Binding, type CellValue, type FileChange, type SheetSpec } from './model.js';
import { packSheets } from './sheets.js';

/** A refused cell (or sheet, or row): where, in the workbook's own terms, and why. */
export interface CellProblem {
  code: ErrorCode;
  sheet: string;
  /** 1-based row number as Excel shows it; 0 for the whole sheet */
  row: number;
  /** column letter (A, B, …); empty for a whole row or sheet */
  column: string;
  /** e.g. E5; empty for a whole row or sheet */
  cell: string;
  message: string;
  severity: 'error';
}

export interface WorkbookImport {
  /** no refused cell: `files` holds the changed pack (which may still have problems of the full check) */
  accepted: boolean;
  /** accepted and the changed pack passes the full check (it can be published as it is) */
  ok: boolean;
  /** the workbook was exported from other content of this pack than the one it is applied to */
  stale: boolean;
  cellProblems: CellProblem[];
  /** the full check of the changed pack (empty when cells were refused: nothing was applied) */
  problems: Problem[];
  /** the readable diff: original pack → changed pack */
  diff: DiffLine[];
  /** every file of the changed pack (null when cells were refused) */
  files: Record<string, unknown> | null;
  /** the files whose content changed */
  changedFiles: string[];
  /** the number of changed cells */
  changes: number;
}

interface Edit {
  file: string;
  pointer: string;
  value: unknown;
}

type Parsed = { ok: true; value: unknown } | { ok: false; code: ErrorCode; expected?: string };

const KIND_NAMES: Record<Binding['kind'], string> = {
  text: '文字',
  number: '数值',
  integer: '整数',
  date: '日期（如 2023-09-20）',
  list: '一组值（用顿号“、”隔开）',
  boolean: '“是”或“否”',
};

const ORG_NAMES = new Map(divisionUnits().map((u) => [u.code, u.name]));

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

function isEmpty(c: GridCell | undefined): boolean {
  return c === null || c === undefined || (typeof c === 'string' && c.trim() === '');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A cell's content as the JSON value its binding expects. */
export function parseCell(b: Binding, c: GridCell | undefined): Parsed {
  if (isEmpty(c)) return b.optional ? { ok: true, value: undefined } : { ok: false, code: 'WORKBOOK_CELL_EMPTY' };
  const bad: Parsed = { ok: false, code: 'WORKBOOK_CELL_TYPE', expected: KIND_NAMES[b.kind] };
  const text = c instanceof Date ? '' : String(c).trim();
  switch (b.kind) {
    case 'text':
      return c instanceof Date ? { ok: true, value: `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())}` } : { ok: true, value: text };
    case 'number':
    case 'integer': {
      const n = typeof c === 'number' ? c : NUMBER.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(n) || (b.kind === 'integer' && !Number.isInteger(n))) return bad;
      return { ok: true, value: n };
    }
    case 'date': {
      if (c instanceof Date) return { ok: true, value: `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())}` };
      const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
      const iso = m ? `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}` : '';
      return isIsoDate(iso) ? { ok: true, value: iso } : bad;
    }
    case 'boolean':
      if (typeof c === 'boolean') return { ok: true, value: c };
      if (['是', 'true', 'TRUE'].includes(text)) return { ok: true, value: true };
      if (['否', 'false', 'FALSE'].includes(text)) return { ok: true, value: false };
      return bad;
    case 'list': {
      const parts = text.split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean);
      if (!b.numericItems) return { ok: true, value: parts };
      if (!parts.every((p) => NUMBER.test(p))) return bad;
      return { ok: true, value: parts.map(Number) };
    }
  }
}

function setAt(doc: Record<string, unknown>, pointer: string, value: unknown): void {
  const tokens = pointerTokens(pointer);
  const last = tokens.pop();
  if (last === undefined) return;
  let cur: unknown = doc;
  for (const t of tokens) {
    const next: unknown = Array.isArray(cur) ? cur[Number(t)] : isObject(cur) ? cur[t] : undefined;
    if (next === undefined && isObject(cur)) cur = cur[t] = {};
    else cur = next;
  }
  if (Array.isArray(cur)) cur[Number(last)] = value;
  else if (isObject(cur)) {
    if (value === undefined) delete cur[last];
    else cur[last] = value;
  }
}

function shown(c: GridCell | undefined): string {
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return cellText((c ?? null) as CellValue);
}

/** Compare one sheet of the workbook with the pack's sheet: edits, or the problems of its cells. */
function readSheet(spec: SheetSpec, grid: GridCell[][], files: Record<string, unknown>, stale: boolean, out: { edits: Edit[]; problems: CellProblem[]; inserts: FileChange[]; removals: Edit[] }): void {
  const say = (code: ErrorCode, row: number, col: number | undefined, params: Record<string, unknown>) => {
    const column = col === undefined ? '' : columnLetter(col);
    const cell = col === undefined ? '' : `${column}${row}`;
    out.problems.push({ code, sheet: spec.name, row, column, cell, message: formatMessage(code, { sheet: spec.name, row, cell, column: col === undefined ? '' : spec.columns[col]?.header, ...params }), severity: 'error' });
  };
  const head = grid[0] ?? [];
  let headerOk = true;
  spec.columns.forEach((c, i) => {
    if (shown(head[i]) !== c.header) {
      headerOk = false;
      say('WORKBOOK_HEADER', 1, i, { expected: c.header, actual: shown(head[i]) });
    }
  });
  if (!headerOk) return;
  const wanted = new Map(spec.rows.map((r) => [rowKey(spec, r.cells), r]));
  const seen = new Map<string, number>();
  grid.slice(1).forEach((cells, i) => {
    const rowNo = i + 2;
    if (cells.every(isEmpty)) return;
    const key = rowKey(spec, cells.map((c) => shown(c)));
    // a new row whose identifier is left for the import to propose: never the same as another row
    const blank = spec.insert?.blankKey !== undefined && isEmpty(cells[spec.insert.blankKey]);
    const first = seen.get(key);
    if (first !== undefined && !blank) return say('WORKBOOK_ROW_DUPLICATE', rowNo, undefined, { key, first });
    if (!blank) seen.set(key, rowNo);
    const row = blank ? undefined : wanted.get(key);
    if (!row) {
      if (!spec.insert) return say('WORKBOOK_ROW_UNKNOWN', rowNo, undefined, { key });
      // a new row: each of its cells read as the sheet says, then the row made into the pack's own form
      const values: unknown[] = [];
      let bad = false;
      spec.insert.kinds.forEach((k, j) => {
        if (!k) return;
        const parsed = parseCell({ file: '', pointer: '', kind: k.kind, ...(k.optional ? { optional: true } : {}) }, cells[j]);
        if (!parsed.ok) {
          bad = true;
          say(parsed.code, rowNo, j, { expected: parsed.expected, value: shown(cells[j]) });
        } else values[j] = parsed.value;
      });
      if (bad) return;
      const keys = spec.columns.map((c, j) => (c.key ? shown(cells[j]) : '')).filter((_, j) => spec.columns[j]!.key);
      const made = spec.insert.create(keys, values, files);
      if (typeof made === 'function') out.inserts.push(made);
      else if (made.column !== undefined) say('WORKBOOK_NEW_CELL_INVALID', rowNo, made.column, { key, reason: made.refused, value: shown(cells[made.column]) });
      else say('WORKBOOK_ROW_NEW_INVALID', rowNo, undefined, { key, reason: made.refused });
      return;
    }
    spec.columns.forEach((col, j) => {
      if (col.key) return;
      const b = row.bindings[j];
      const cell = cells[j];
      if (!b) {
        // a cell showing a value written elsewhere (a parameter): in a workbook exported before that
        // value changed it shows the old one, which is no edit
        if (stale && row.hints?.[j]) return;
        if (shown(cell) !== cellText(row.cells[j] ?? null)) say('WORKBOOK_CELL_READONLY', rowNo, j, { before: cellText(row.cells[j] ?? null), value: shown(cell), hint: row.hints?.[j] ?? '' });
        return;
      }
      const before = resolvePointer(files[b.file], b.pointer);
      // a value written empty in the pack ("" or []) shows as an empty cell and stays as it is
      if (isEmpty(cell) && (before === '' || (Array.isArray(before) && before.length === 0))) return;
      const parsed = parseCell(b, cell);
      if (!parsed.ok) return say(parsed.code, rowNo, j, { expected: parsed.expected, value: shown(cell) });
      const same = parsed.value === undefined ? before === undefined : before !== undefined && canonicalJson(before) === canonicalJson(parsed.value);
      if (!same) out.edits.push({ file: b.file, pointer: b.pointer, value: parsed.value });
    });
  });
  for (const [key, row] of wanted) {
    if (seen.has(key)) continue;
    // a row left out: removed where the sheet allows it (a scorecard item, a quota's exception)
    if (row.remove) out.removals.push({ ...row.remove, value: undefined });
    else say('WORKBOOK_ROW_MISSING', 0, undefined, { key });
  }
}

/** Apply an edited workbook to a pack: the changed files, checked and compared, or the refused cells. */
export async function importPackWorkbook(pack: NoticePack, xlsx: Buffer | ArrayBuffer | Uint8Array, opts: RegistryCheckOptions = {}): Promise<WorkbookImport> {
  const refused = (cellProblems: CellProblem[], stale = false): WorkbookImport => ({ accepted: false, ok: false, stale, cellProblems, problems: [], diff: [], files: null, changedFiles: [], changes: 0 });
  const sheetProblem = (code: ErrorCode, sheet: string, params: Record<string, unknown>): CellProblem => ({ code, sheet, row: 0, column: '', cell: '', message: formatMessage(code, { sheet, ...params }), severity: 'error' });
  let grids: Array<{ sheet: string; rows: GridCell[][] }>;
  try {
    grids = await readXlsx(xlsx);
  } catch (e) {
    return refused([sheetProblem('WORKBOOK_UNREADABLE', '', { detail: e instanceof Error ? e.message : String(e) })]);
  }
  const bySheet = new Map(grids.map((g) => [g.sheet, g.rows]));
  const readme = new Map((bySheet.get(README_SHEET) ?? []).map((r) => [shown(r[0]), shown(r[1])]));
  const found = readme.get(README_KEYS.pack);
  if (found === undefined) return refused([sheetProblem('WORKBOOK_SHEET_MISSING', README_SHEET, {})]);
  if (found !== pack.id) return refused([sheetProblem('WORKBOOK_OTHER_PACK', README_SHEET, { found, pack: pack.id })]);
  const stale = readme.get(README_KEYS.hash) !== pack.hash;

  const acc: { edits: Edit[]; problems: CellProblem[]; inserts: FileChange[]; removals: Edit[] } = { edits: [], problems: [], inserts: [], removals: [] };
  for (const spec of packSheets(pack.files, pack.id)) {
    const grid = bySheet.get(spec.name);
    if (!grid) acc.problems.push(sheetProblem('WORKBOOK_SHEET_MISSING', spec.name, {}));
    else readSheet(spec, grid, pack.files, stale, acc);
  }
  if (acc.problems.length) return refused(acc.problems, stale);

  const files = structuredClone(pack.files);
  // the cells' edits, then the rows left out (a removed row's edits do not matter), then the new rows
  for (const e of [...acc.edits, ...acc.removals]) {
    const doc = files[e.file];
    if (isObject(doc)) setAt(doc, e.pointer, e.value);
  }
  for (const add of acc.inserts) add(files);
  const changed = changedFiles(pack.files, files);
  const after = packFromFiles(files, pack.id);
  const problems = checkPackFully(after, opts);
  return {
    accepted: true,
    ok: !problems.some((p) => p.severity === 'error'),
    stale,
    cellProblems: [],
    problems,
    diff: diffPacks(pack, after, { orgUnitName: (code) => ORG_NAMES.get(code) }),
    files,
    changedFiles: changed,
    changes: acc.edits.length + acc.removals.length + acc.inserts.length,
  };
}
