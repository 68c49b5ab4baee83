import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { computeSection } from './compute.js';
import { tableLayout, type ColumnDef, type HeaderNode, type Row, type TableForm } from './form.js';
import { columnLetter, EXPORT_NOTE_PREFIX, headerProblem, importGrid, searchHeader, type Grid, type GridCell, type ImportResult } from './import.js';

/** A column appended after the form's columns: always the platform's (marked as added). */
export interface ExtraColumn {
  key: string;
  title: string;
  width?: number;
  numFmt?: string;
  /** long text: wrapped in its cell */
  wrap?: boolean;
}

export interface ExportOptions {
  /** values of the preamble fields (e.g. `{ area: '<value>' }`) when `rows` is an array */
  values?: Record<string, unknown>;
  /** blank bordered rows to add after the data (the template uses 10) */
  blankRows?: number;
  /** columns appended after the form's columns (e.g. a cohort step's 说明), single-section forms only */
  extraColumns?: ExtraColumn[];
  /** skip computeRows (the rows already hold computed values) */
  noCompute?: boolean;
  /**
   * Called with the data rows written so far, every EXPORT_PROGRESS_ROWS rows (the streaming
   * writer, exportXlsx / writeXlsx, awaits it: a job reports its progress there, and stops the
   * writing by throwing).
   */
  onProgress?: (rowsWritten: number) => Promise<void> | void;
}

/** Data rows written between two calls of ExportOptions.onProgress. */
export const EXPORT_PROGRESS_ROWS = 200;

type Data = Record<string, unknown>;

const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };
const headerFill = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFD9D9D9' } };
/** the header of a column the platform added to the notice's form (x-added, or appended results) */
const addedFill = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFDDEBF7' } };
export const ADDED_LEGEND = `${EXPORT_NOTE_PREFIX}浅蓝色表头的列为本平台增设，通知原表没有这些列。`;

/** A4 landscape, margins 0.4 in: the printable width in Excel's pixels (96 dpi). */
const A4_LANDSCAPE_PX = ((297 - 2 * 10.16) / 25.4) * 96;
/** A4 landscape's printable height in points (210 mm less the top and bottom margins of 0.5 in). */
const A4_LANDSCAPE_PT_HIGH = ((210 - 2 * 12.7) / 25.4) * 72;
/** the smallest print scale (%) at which 11 pt text stays ≥ 8 pt */
const MIN_SCALE = Math.ceil((8 / 11) * 100);
/** a column of width w (characters) in pixels, as Excel sizes it for the default font */
const columnPx = (w: number): number => Math.round(w * 7 + 5);
/** the most lines of wrapped text a printed row shows (a longer text continues on a second sheet) */
const MAX_LINES = 5;

/** Excel number format of a column: `x-numFmt`, else from the type and `x-precision`. */
export function numFmtOf(col: ColumnDef): string | undefined {
  if (col.numFmt) return col.numFmt;
  if (col.type === 'integer') return '0';
  if (col.type === 'number') return col.precision === undefined ? 'General' : col.precision === 0 ? '0' : `0.${'0'.repeat(col.precision)}`;
  return undefined;
}

const EXCEL_OPS: Record<string, string> = { '+': '+', '-': '-', '*': '*', '/': '/', '>': '>', '>=': '>=', '<': '<', '<=': '<=', '==': '=', '===': '=', '!=': '<>', '!==': '<>' };

/**
 * A json-logic computation (x-compute) as an Excel formula over cells (`ref(key)` gives a cell
 * address), so a total row recomputes when a cell is edited in Excel / WPS. Undefined when the
 * expression uses something Excel cannot say the same way (then the value is written).
 */
export function excelFormula(logic: unknown, ref: (key: string) => string | undefined): string | undefined {
  const go = (x: unknown): string | undefined => {
    if (typeof x === 'number') return String(x);
    if (x === null) return '""';
    if (typeof x !== 'object' || Array.isArray(x)) return undefined;
    const entries = Object.entries(x as Record<string, unknown>);
    if (entries.length !== 1) return undefined;
    const [op, raw] = entries[0] as [string, unknown];
    const args = Array.isArray(raw) ? raw : [raw];
    if (op === 'var') return typeof args[0] === 'string' ? ref(args[0]) : undefined;
    const parts = args.map(go);
    if (parts.some((p) => p === undefined)) return undefined;
    const ps = parts as string[];
    if (op === 'if' && ps.length === 3) return `IF(${ps[0] as string},${ps[1] as string},${ps[2] as string})`;
    const e = EXCEL_OPS[op];
    if (!e || ps.length < 1) return undefined;
    if (ps.length === 1) return op === '-' ? `(-${ps[0] as string})` : undefined;
    if (['>', '>=', '<', '<=', '==', '===', '!=', '!=='].includes(op) && ps.length !== 2) return undefined;
    return `(${ps.join(e)})`;
  };
  const f = go(logic);
  return f === undefined ? undefined : f.replace(/^\((.*)\)$/, '$1');
}

/** Whether a Chinese font draws a character full width: CJK, full-width forms, and the curly quotes, dashes and ellipsis Chinese text uses. */
const fullWidth = (code: number): boolean => code > 0x2e80 || (code >= 0x2010 && code <= 0x2027);

function visualWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += fullWidth(ch.charCodeAt(0)) ? 2 : 1;
  return w;
}

/**
 * The advance widths of the printable ASCII characters (space … ~) in Calibri, the sheet's font,
 * in 1/2048 em: the larger of its regular and bold cut (Carlito, its metric twin, has the same).
 * A Chinese font draws every full-width character 1 em wide.
 */
const ASCII_EM = [
  463, 667, 821, 1020, 1038, 1464, 1397, 452, 621, 621, 1020, 1020, 511, 627, 517, 791, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 548, 548, 1020, 1020, 1020, 949,
  1831, 1185, 1114, 1092, 1260, 1000, 941, 1292, 1276, 516, 653, 1064, 861, 1751, 1322, 1356, 1058, 1378, 1112, 941, 998, 1314, 1162, 1822, 1063, 998, 959, 628, 791, 628, 1020, 1020,
  596, 981, 1076, 866, 1076, 1019, 625, 964, 1076, 470, 490, 931, 470, 1636, 1076, 1080, 1076, 1076, 714, 801, 686, 1076, 925, 1464, 887, 927, 809, 644, 943, 644, 1020,
];
/** 11 pt in pixels (96 dpi) */
const EM_PX = (11 * 96) / 72;
/** A character's width in pixels in 11 pt text (a half-width one outside ASCII as a digit). */
function charPx(ch: string): number {
  const code = ch.charCodeAt(0);
  if (fullWidth(code)) return EM_PX;
  const em = code >= 32 && code <= 126 ? (ASCII_EM[code - 32] as number) : 1038;
  return (em / 2048) * EM_PX;
}

/** Closing marks a line of Chinese text never starts with (they take the character before them down). */
const CLOSING = new Set('）】》」』〕，。、；：！？”’)]}%,.;:!?');
/** Line height of 11 pt text as LibreOffice and WPS draw Chinese (a CJK font's line is ≈ 1.45 em; Calibri alone is 15 pt). */
const LINE_PT = 16;
/** A row's height in points for `lines` lines of 11 pt text. */
const rowHeight = (lines: number): number => lines * LINE_PT + 4;

/**
 * The pieces a line may break between: a Chinese character with the closing marks after it, a run of half-width letters and digits (a word, a number such as
 * 100.00 or 20%, never broken unless longer than a line), a space (free at the end of a line).
 */
function breakUnits(para: string): Array<{ w: number; space: boolean }> {
  const units: Array<{ w: number; space: boolean }> = [];
  let word = false;
  for (const ch of para) {
    const w = charPx(ch);
    const last = units[units.length - 1];
    const half = !fullWidth(ch.charCodeAt(0));
    if (ch === ' ') {
      units.push({ w, space: true });
      word = false;
    } else if (last && !last.space && (CLOSING.has(ch) || (half && word))) {
      last.w += w;
    } else {
      units.push({ w, space: false });
      word = half;
    }
  }
  return units;
}

/**
 * The lines a text takes wrapped in a cell `width` characters wide: each line as a client breaks
 * it — the cell as Excel sizes it (7 px a character and 5, the narrower of Excel's and
 * LibreOffice's, which takes 7.4 px a character) less 10 px of padding; Chinese characters 1 em
 * (14.67 px at 11 pt), half-width ones as wide as Calibri draws them (a space 3.3 px, a digit
 * 7.4 px); a closing mark never starts a line, a word or number
 * is not broken. A leaf title of 12 characters with two curly quotes and a closing bracket,
 * printed by LibreOffice in a 16-wide cell, took three lines where its width alone (characters ÷
 * width) said two, and was cut; explanation cells counted every space and digit 7 px wide and
 * printed an empty last line.
 */
/**
 * The room for text in a cell `width` characters wide, in pixels: the narrower of Excel's (w × 7,
 * the 5 px of its column metric being the margins and the grid line) and LibreOffice's (a
 * character 7.42 px — Carlito's digit — with ≈ 2 px of margin a side, measured in its PDF).
 */
const textRoom = (width: number): number => Math.min(width * 7, width * 7.42 - 4);

export function wrappedLines(text: string, width: number): number {
  const room = textRoom(width);
  let lines = 0;
  for (const para of text.split('\n')) {
    lines++;
    let used = 0;
    for (const u of breakUnits(para)) {
      if (u.space) {
        used += u.w; // a space that overflows hangs at the line's end
        continue;
      }
      if (used > 0 && used + u.w > room) {
        lines++;
        used = 0;
      }
      // a word longer than a line is broken where it overflows
      while (u.w - room > 0.01 && used === 0) {
        lines++;
        u.w -= room;
      }
      used += u.w;
    }
  }
  return Math.max(1, lines);
}

const leafCount = (n: HeaderNode): number => (n.children ? n.children.reduce((a, c) => a + leafCount(c), 0) : 1);

function toData(form: TableForm, rowsOrData: readonly Row[] | Data, values?: Record<string, unknown>): Data {
  if (Array.isArray(rowsOrData)) {
    const first = tableLayout(form).sections[0];
    return { ...(values ?? {}), [first?.field ?? 'rows']: rowsOrData };
  }
  return { ...(values ?? {}), ...(rowsOrData as Data) };
}

/** Build the official sheet into a workbook held in memory (tests read it back; exportXlsx streams the same sheet). */
export function buildWorkbook(form: TableForm, rowsOrData: readonly Row[] | Data, opts: ExportOptions = {}): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  fillWorkbook(wb, form, rowsOrData, opts);
  return wb;
}

/**
 * Write the official sheet into `wb`: an in-memory Workbook or exceljs's streaming WorkbookWriter
 * (whose rows stay open until its commit, so every cell may still be styled and merged here; its
 * sheet view is written when the sheet is added, so the frozen header is decided before).
 */
function fillWorkbook(wb: ExcelJS.Workbook, form: TableForm, rowsOrData: readonly Row[] | Data, opts: ExportOptions): ExcelJS.Worksheet[] {
  const steps = fillSteps(wb, form, rowsOrData, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** fillWorkbook in steps: yields the data rows written so far every EXPORT_PROGRESS_ROWS rows, returns the sheets. */
function* fillSteps(wb: ExcelJS.Workbook, form: TableForm, rowsOrData: readonly Row[] | Data, opts: ExportOptions): Generator<number, ExcelJS.Worksheet[], void> {
  let written = 0;
  const layout = tableLayout(form);
  const data = toData(form, rowsOrData, opts.values);
  wb.creator = '园评 Yuanping';
  const single = layout.sections[0];
  // a single-section table freezes its header rows (the title, preamble and header above the data)
  const frozenRows = layout.sections.length === 1 && single ? (layout.attachment ? 1 : 0) + 1 + layout.preamble.length + single.depth : 0;
  // printed as the official form: A4 landscape, all columns on one page width, header repeated
  const ws = wb.addWorksheet(layout.sheetName.slice(0, 31), {
    // exceljs leaves out a column exactly 9 wide (its default) and clients then draw it at their
    // own default, 8.43: so the sheet says its default is 9
    properties: { defaultColWidth: 9 },
    views: frozenRows > 0 ? [{ state: 'frozen', ySplit: frozenRows, xSplit: 0 }] : [],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  const sheets = [ws];
  const extra = layout.sections.length === 1 ? (opts.extraColumns ?? []) : [];
  const width = layout.width + extra.length;
  const off = layout.sectionColumn ? 1 : 0;
  let R = 1;

  if (layout.attachment) {
    ws.getCell(R, 1).value = layout.attachment;
    ws.getCell(R, 1).font = { bold: true, size: 12 };
    R++;
  }
  const titleRow = R;
  const title = ws.getCell(R, 1);
  title.value = layout.title;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(R).height = 30;
  R++;
  for (const p of layout.preamble) {
    const cell = ws.getCell(R, 1);
    if ('text' in p) cell.value = p.text;
    else cell.value = `${p.label}：${data[p.field] === undefined || data[p.field] === null ? '' : String(data[p.field])}`;
    R++;
  }

  const widths: number[] = new Array<number>(width).fill(8);
  /** the group headers (a title over several columns), merged at the end */
  const groups: Array<{ row: number; col: number; span: number; title: string }> = [];
  let anyAdded = false;
  /** wrapped texts too long for a printed row: written in full, one line a row, on a second sheet */
  const overflow: Array<{ row: number; lead: string[]; title: string; text: string }> = [];
  /** each section's rows, header to last (total) row: a section that would be split across pages starts a page */
  const sectionRows: Array<[number, number]> = [];
  for (const s of layout.sections) {
    const computed = opts.noCompute
      ? { rows: (Array.isArray(data[s.field]) ? data[s.field] : []) as Row[], total: undefined }
      : computeSection(s, Array.isArray(data[s.field]) ? (data[s.field] as Row[]) : []);
    const headerTop = R;
    const headerBottom = R + s.depth - 1;
    const styleHeader = (cell: ExcelJS.Cell, added = false): void => {
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = border;
      cell.fill = added ? addedFill : headerFill;
    };
    const allAdded = (n: HeaderNode): boolean => (n.children ? n.children.every(allAdded) : s.columns.find((c) => c.key === n.key)?.added === true);
    const place = (nodes: HeaderNode[], row: number, col: number): void => {
      let c = col;
      for (const n of nodes) {
        const span = leafCount(n);
        if (n.children) {
          // merged once the printed pages are known (a group split by a page break is merged on each page)
          groups.push({ row, col: c, span, title: n.title });
          ws.getCell(row, c).value = n.title;
          const added = allAdded(n);
          if (added) anyAdded = true;
          for (let k = 0; k < span; k++) styleHeader(ws.getCell(row, c + k), added);
          place(n.children, row + 1, c);
        } else {
          if (headerBottom > row) ws.mergeCells(row, c, headerBottom, c);
          ws.getCell(row, c).value = n.title;
          const added = allAdded(n);
          if (added) anyAdded = true;
          for (let k = row; k <= headerBottom; k++) styleHeader(ws.getCell(k, c), added);
        }
        c += span;
      }
    };
    place(s.tree, headerTop, 1 + off);
    extra.forEach((e, i) => {
      const c = 1 + off + s.columns.length + i;
      if (headerBottom > headerTop) ws.mergeCells(headerTop, c, headerBottom, c);
      ws.getCell(headerTop, c).value = e.title;
      anyAdded = true;
      for (let k = headerTop; k <= headerBottom; k++) styleHeader(ws.getCell(k, c), true);
    });
    // leaf order = column order of the section
    const leaves: ColumnDef[] = s.columns;
    // a column is as wide as its title wrapped on two lines and its longest value, up to 30
    s.columns.forEach((col, i) => {
      let content = 0;
      for (const row of computed.rows) {
        const v = row[col.key];
        if (v !== undefined && v !== null) content = Math.max(content, visualWidth(typeof v === 'boolean' ? '是' : String(v)));
      }
      const w = col.width ?? Math.min(Math.max(visualWidth(col.header) / 2 + 2, content + 2, 8), 30);
      widths[off + i] = Math.max(widths[off + i] ?? 8, w);
    });
    extra.forEach((e, i) => {
      widths[off + s.columns.length + i] = e.width ?? Math.max(10, visualWidth(e.title) + 2);
    });
    // header rows tall enough for their wrapped titles (Excel does not grow merged cells itself)
    const need = new Array<number>(s.depth).fill(18);
    const measure = (nodes: HeaderNode[], depth: number, col: number): void => {
      let c = col;
      for (const n of nodes) {
        const span = leafCount(n);
        let w = 0;
        for (let k = 0; k < span; k++) w += widths[c - 1 + k] ?? 8;
        const lines = wrappedLines(n.title, w);
        if (n.children) {
          need[depth] = Math.max(need[depth] ?? 18, rowHeight(lines));
          measure(n.children, depth + 1, c);
        } else {
          const rows = s.depth - depth;
          const per = rowHeight(lines) / rows;
          for (let d = depth; d < s.depth; d++) need[d] = Math.max(need[d] ?? 18, per);
        }
        c += span;
      }
    };
    measure(s.tree, 0, 1 + off);
    need.forEach((h, d) => {
      ws.getRow(headerTop + d).height = Math.ceil(h);
    });
    // a single section's header rows are repeated on every printed page; a table of several
    // sections repeats none (one range a sheet: the first section's header printed above a later
    // section's own header on page 2 of a three-section form), each section brings its own header
    if (layout.sections.length === 1) ws.pageSetup.printTitlesRow = `${headerTop}:${headerBottom}`;
    R = headerBottom + 1;

    // drop-down lists for enum columns (Excel limits a literal list to 255 characters)
    const enumList = new Map<string, string>();
    for (const col of s.columns) {
      if (!col.enum) continue;
      const list = `"${col.enum.map(String).join(',')}"`;
      if (list.length <= 255 && !col.enum.some((v) => String(v).includes(','))) enumList.set(col.key, list);
    }
    const firstData = R;
    const letterOf = new Map(leaves.map((c, i) => [c.key, columnLetter(off + i)]));
    /** the total row's cell of a column as a formula: SUM of the rows above, or its x-compute over the total row */
    const totalFormula = (col: ColumnDef, lastData: number): string | undefined => {
      const L = letterOf.get(col.key) as string;
      if (col.total === 'sum') return lastData >= firstData ? `SUM(${L}${firstData}:${L}${lastData})` : undefined;
      if (col.total === 'recompute') return excelFormula(col.compute, (k) => (letterOf.has(k) ? `${letterOf.get(k) as string}${R}` : undefined));
      return undefined;
    };
    const writeRow = (row: Row | undefined, bold = false, total = false): void => {
      const lastData = R - 1;
      const xr = ws.getRow(R);
      // wrapped text: the row as tall as its longest cell (Excel and LibreOffice do not grow a row on opening)
      let lines = 1;
      leaves.forEach((col, i) => {
        const cell = xr.getCell(1 + off + i);
        const v = row?.[col.key];
        const formula = total ? totalFormula(col, lastData) : undefined;
        if (formula !== undefined) cell.value = { formula, result: typeof v === 'number' ? v : 0 } as ExcelJS.CellFormulaValue;
        else if (v !== undefined && v !== null) cell.value = typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? '是' : '否') : String(v);
        cell.alignment = { vertical: 'middle' };
        if (col.type === 'string' && typeof v === 'string' && visualWidth(v) > (widths[off + i] ?? 8)) {
          cell.alignment = { wrapText: true, vertical: 'middle' };
          lines = Math.max(lines, wrappedLines(v, widths[off + i] ?? 8));
        }
        const fmt = numFmtOf(col);
        if (fmt) cell.numFmt = fmt;
        cell.border = border;
        if (bold) cell.font = { bold: true };
      });
      extra.forEach((e, i) => {
        const cell = xr.getCell(1 + off + leaves.length + i);
        const v = row?.[e.key];
        if (v !== undefined && v !== null) cell.value = Array.isArray(v) ? v.join('\n') : typeof v === 'number' ? v : String(v);
        if (e.numFmt) cell.numFmt = e.numFmt;
        cell.alignment = e.wrap ? { wrapText: true, vertical: 'top' } : { vertical: 'middle' };
        cell.border = border;
        if (e.wrap && typeof cell.value === 'string') {
          const n = wrappedLines(cell.value, widths[off + leaves.length + i] ?? 10);
          lines = Math.max(lines, Math.min(n, MAX_LINES));
          if (n > MAX_LINES) overflow.push({ row: R, lead: leaves.slice(0, 2).map((c) => String(row?.[c.key] ?? '')), title: e.title, text: cell.value });
        }
      });
      if (lines > 1) xr.height = rowHeight(lines);
      R++;
    };
    for (const row of computed.rows) {
      writeRow(row);
      if (++written % EXPORT_PROGRESS_ROWS === 0) yield written;
    }
    for (let i = 0; i < (opts.blankRows ?? 0); i++) writeRow(undefined);
    // an enum column's drop-down list over its data rows (one range a column, not one rule a cell;
    // exceljs keeps a sheet's rules in `dataValidations`, both writers, though its typings omit it)
    if (R > firstData) {
      leaves.forEach((col, i) => {
        const list = enumList.get(col.key);
        if (!list) return;
        const L = columnLetter(off + i);
        (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${L}${firstData}:${L}${R - 1}`, { type: 'list', allowBlank: !col.required, formulae: [list], showErrorMessage: true, errorTitle: '输入有误', error: `请从下拉列表中选择：${col.title}` });
      });
    }
    if (s.total) writeRow(computed.total ?? { [s.total.column]: s.total.label }, true, true);
    sectionRows.push([headerTop, R - 1]);
    if (layout.sectionColumn) {
      const last = R - 1;
      if (last > headerTop) ws.mergeCells(headerTop, 1, last, 1);
      const c = ws.getCell(headerTop, 1);
      c.value = s.title ?? s.field;
      c.font = { bold: true };
      c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      for (let k = headerTop; k <= last; k++) ws.getCell(k, 1).border = border;
      widths[0] = Math.max(widths[0] ?? 8, Math.min(visualWidth(c.value) + 2, 14));
    }
  }
  // the lines below the table: written once the first page's width is known (merged over it, wrapped)
  const below: Array<{ text: string; added?: boolean }> = layout.notes.map((text) => ({ text }));
  if (anyAdded) below.push({ text: ADDED_LEGEND, added: true });
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  // A4 landscape at a legible size: the largest scale that fits one page wide, never below 8 pt
  // text; a wider table continues on further pages (header rows, and the declared key columns, repeated)
  const totalPx = widths.reduce((a, w) => a + columnPx(w), 0);
  const fit = Math.floor((100 * A4_LANDSCAPE_PX) / totalPx);
  const scale = layout.print.scale ?? Math.max(MIN_SCALE, Math.min(100, fit));
  ws.pageSetup.fitToPage = false;
  ws.pageSetup.scale = scale;
  // a table of several sections repeats no header rows (see above): a section that would begin
  // near a page's foot and continue headless on the next page starts a new page instead (when it
  // fits on one); the rows' heights at the scale against A4 landscape's height inside the margins
  if (sectionRows.length > 1) {
    const pageH = A4_LANDSCAPE_PT_HIGH / (scale / 100);
    const h = (r: number): number => ws.getRow(r).height ?? 15;
    let used = 0;
    let r = 1;
    const add = (to: number): void => {
      for (; r <= to; r++) {
        used += h(r);
        if (used > pageH) used = h(r); // a row that does not fit begins the next page
      }
    };
    for (const [top, bottom] of sectionRows) {
      add(top - 1);
      let block = 0;
      for (let k = top; k <= bottom; k++) block += h(k);
      if (used > 0 && used + block > pageH && block <= pageH && top > 1) {
        ws.getRow(top - 1).addPageBreak();
        used = 0;
      }
      add(bottom);
    }
  }
  if (overflow.length) {
    const lead = (layout.sections[0]?.columns ?? []).slice(0, 2).map((c) => c.header);
    const name = `${overflow[0]?.title ?? ''}全文`.slice(0, 31);
    const ds = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: false, scale: 100, margins: ws.pageSetup.margins }, headerFooter: { oddFooter: '第 &P 页，共 &N 页' } });
    sheets.push(ds);
    const head = ds.addRow(['行号', ...lead, name]);
    head.eachCell((c) => {
      c.font = { bold: true };
      c.fill = addedFill;
      c.border = border;
    });
    for (const o of overflow) {
      for (const line of o.text.split('\n')) {
        const r = ds.addRow([o.row, ...o.lead, line]);
        r.getCell(lead.length + 2).alignment = { wrapText: true, vertical: 'top' };
        r.height = rowHeight(wrappedLines(line, 102));
      }
    }
    for (let i = 0; i < lead.length + 2; i++) ds.getColumn(i + 1).width = i === 0 ? 6 : i <= lead.length ? 14 : 102;
    ds.pageSetup.printTitlesRow = '1:1';
    below.push({ text: `${EXPORT_NOTE_PREFIX}${overflow[0]?.title ?? ''}较长的行在打印时只显示前 ${MAX_LINES} 行，全文见工作表“${name}”。` });
  }
  const repeat = layout.print.repeatColumns ?? 0;
  const repeated = repeat > 0 && fit < scale;
  if (repeated) ws.pageSetup.printTitlesColumn = `A:${columnLetter(repeat - 1)}`;
  // the columns where a printed page begins (whole columns a page, as Excel and LibreOffice break
  // them; the repeated key columns take their width on every page after the first)
  const starts = new Set<number>();
  const avail = A4_LANDSCAPE_PX / (scale / 100);
  const repeatPx = repeated ? widths.slice(0, repeat).reduce((a, w) => a + columnPx(w), 0) : 0;
  let used = 0;
  widths.forEach((w, i) => {
    const p = columnPx(w);
    if (used > 0 && used + p > (starts.size ? avail - repeatPx : avail)) {
      starts.add(i + 1);
      used = 0;
    }
    used += p;
  });
  // the title centred over the columns of the first page
  let span = 0;
  let px = 0;
  for (const w of widths) {
    if (span > 0 && (px + columnPx(w)) * (scale / 100) > A4_LANDSCAPE_PX) break;
    px += columnPx(w);
    span++;
  }
  if (span > 1) ws.mergeCells(titleRow, 1, titleRow, span);
  const spanWidth = widths.slice(0, span).reduce((a, w) => a + w, 0);
  // a title wider than a narrow table wraps inside it (the print range ends at the table's last
  // column: a five-column table printed its title cut on both sides); 16 pt holds 11/16 of 11 pt's characters
  const titleLines = wrappedLines(layout.title, (spanWidth * 11) / 16);
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  if (titleLines > 1) ws.getRow(titleRow).height = titleLines * 24 + 6;
  // the lines below the table. When key columns repeat on every page, a note merged from column A
  // would print its clipped start inside the repeated columns of each later page: there each
  // printed page carries the whole note over its own columns instead, right of the key columns
  // (left empty in the note rows), the row as tall as the narrowest part needs
  const noteSpans: Array<[number, number]> = [];
  if (repeated) {
    const bounds = [repeat + 1, ...[...starts].filter((c) => c > repeat + 1), width + 1];
    for (let k = 0; k + 1 < bounds.length; k++) noteSpans.push([bounds[k] as number, (bounds[k + 1] as number) - 1]);
  } else noteSpans.push([1, Math.max(1, span)]);
  for (const b of below) {
    let lines = 1;
    for (const [from, to] of noteSpans) {
      if (to > from) ws.mergeCells(R, from, R, to);
      const cell = ws.getCell(R, from);
      cell.value = b.text;
      cell.alignment = { wrapText: true, vertical: 'top' };
      if (b.added) cell.fill = addedFill;
      lines = Math.max(lines, wrappedLines(b.text, widths.slice(from - 1, to).reduce((a, w) => a + w, 0)));
    }
    if (lines > 1) ws.getRow(R).height = rowHeight(lines);
    R++;
  }
  // a group header split by a page break is merged on each page and titled on each, so no page
  // shows a cut title (its row made tall enough for the narrower part)
  for (const g of groups) {
    let from = g.col;
    const last = g.col + g.span - 1;
    for (let c = g.col + 1; c <= last + 1; c++) {
      if (c <= last && !starts.has(c)) continue;
      if (c - 1 > from) ws.mergeCells(g.row, from, g.row, c - 1);
      ws.getCell(g.row, from).value = g.title;
      const w = widths.slice(from - 1, c - 1).reduce((a, x) => a + x, 0);
      const h = rowHeight(wrappedLines(g.title, w));
      const row = ws.getRow(g.row);
      if ((row.height ?? 0) < h) row.height = h;
      from = c;
    }
  }
  return sheets;
}

/**
 * The official sheet filled with rows (computed columns and the total row filled), written by
 * exceljs's streaming WorkbookWriter: each row's XML is rendered once into the zip stream and
 * compressed by Node's zlib (fast level), instead of the in-memory writer's whole-sheet string and
 * pure-JS deflate — the same sheet (cells, styles, merges, widths, print setup, formulas).
 * `out` receives the bytes as they are compressed; without it they are collected into a Buffer.
 */
export async function exportXlsx(form: TableForm, rowsOrData: readonly Row[] | Data, opts: ExportOptions = {}): Promise<Buffer> {
  // blank rows are there for their borders, which the streaming writer leaves out (it writes rows with a value)
  if (opts.blankRows) return Buffer.from(await buildWorkbook(form, rowsOrData, opts).xlsx.writeBuffer());
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeXlsx(out, form, rowsOrData, opts);
  return Buffer.concat(chunks);
}

/**
 * exceljs 4.4's streaming sheet writer leaves out `<printOptions>`, so the sheet's horizontalCentered
 * (the official form centred on the printed page, as the in-memory writer saves it) would be lost:
 * written here just before the page margins, where the schema places it.
 */
function centreOnPage(ws: ExcelJS.Worksheet): void {
  const w = ws as unknown as { _writePageMargins?: () => void; _write?: (xml: string) => void };
  const margins = w._writePageMargins;
  const write = w._write;
  if (!ws.pageSetup.horizontalCentered || typeof margins !== 'function' || typeof write !== 'function') return;
  w._writePageMargins = function (this: unknown): void {
    write.call(this, '<printOptions horizontalCentered="1"/>');
    margins.call(this);
  };
}

/** exportXlsx into a stream (ended when the workbook is complete). */
export async function writeXlsx(out: NodeJS.WritableStream, form: TableForm, rowsOrData: readonly Row[] | Data, opts: ExportOptions = {}): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out as unknown as import('node:stream').Stream, useStyles: true, useSharedStrings: true, zip: { zlib: { level: 1 } } } as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>);
  const steps = fillSteps(wb, form, rowsOrData, opts);
  let r = steps.next();
  while (!r.done) {
    await opts.onProgress?.(r.value);
    r = steps.next();
  }
  for (const ws of r.value) centreOnPage(ws);
  await wb.commit();
}

/** The blank official sheet (headers, 10 empty bordered rows, the total row label). */
export async function templateXlsx(form: TableForm, opts: ExportOptions = {}): Promise<Buffer> {
  return exportXlsx(form, {}, { blankRows: 10, ...opts });
}

function cellValue(cell: ExcelJS.Cell): GridCell {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      const r = (v as { result?: unknown }).result;
      if (r === undefined || r === null) return null;
      if (typeof r === 'number' || typeof r === 'string' || typeof r === 'boolean' || r instanceof Date) return r;
      return String((r as { error?: unknown }).error ?? '');
    }
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return String((v as { error: unknown }).error);
  }
  return String(v);
}

/** Read an xlsx buffer into a grid per worksheet. */
export async function readXlsx(buffer: Buffer | ArrayBuffer | Uint8Array): Promise<{ sheet: string; rows: GridCell[][] }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return wb.worksheets.map((ws) => {
    const rows: GridCell[][] = [];
    const n = ws.rowCount;
    const cols = ws.columnCount;
    for (let r = 1; r <= n; r++) {
      const row = ws.getRow(r);
      const out: GridCell[] = [];
      for (let c = 1; c <= cols; c++) out.push(cellValue(row.getCell(c)));
      rows.push(out);
    }
    return { sheet: ws.name, rows };
  });
}

/**
 * Import an xlsx in the official layout (or any sheet whose header row carries the column
 * titles, e.g. one written by LibreOffice from a CSV). The data sheet is found by its header, not
 * its position: the sheet named like the form's sheet first, then every other sheet in order; the
 * first whose header holds every column the notice's layout has is imported. When none does, the
 * error names the sheet that came closest and the columns it lacks. One bad cell refuses the file.
 */
export async function importXlsx(form: TableForm, buffer: Buffer | ArrayBuffer | Uint8Array): Promise<ImportResult> {
  let sheets: { sheet: string; rows: GridCell[][] }[];
  try {
    sheets = await readXlsx(buffer);
  } catch (e) {
    return { ok: false, errors: [{ sheet: '', row: 0, column: '', reason: `不是有效的 xlsx 文件：${(e as Error).message}` }], warnings: [] };
  }
  const layout = tableLayout(form);
  const first = layout.sections[0];
  if (!sheets.length || !first) return { ok: false, errors: [{ sheet: '', row: 0, column: '', reason: '文件中没有工作表' }], warnings: [] };
  const ordered = [...sheets.filter((s) => s.sheet === layout.sheetName), ...sheets.filter((s) => s.sheet !== layout.sheetName)];
  let closest: { grid: Grid; found: number } | undefined;
  for (const s of ordered) {
    const grid: Grid = { ...s, textOnly: false };
    const found = searchHeader(grid, first, 0, layout);
    if (found.match) return importGrid(form, grid);
    const n = found.best?.found ?? 0;
    if (!closest || n > closest.found) closest = { grid, found: n };
  }
  const grid = (closest as { grid: Grid }).grid;
  const problem = headerProblem(grid, first, searchHeader(grid, first, 0, layout), 0);
  const others = sheets.length > 1 ? `（文件中的 ${sheets.length} 个工作表都没有完整的表头，此处是最接近的一个）` : '';
  return { ok: false, errors: [{ ...problem, reason: problem.reason + others }], warnings: [] };
}
