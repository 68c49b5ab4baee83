/**
 * The shape of a pack workbook: sheets of rows, each row named by its key columns, each
 * editable cell bound to one place (file + JSON pointer) of the pack's source files. The same
 * description is used to write the workbook (export.ts) and to read it back (import.ts), so a
 * cell can only ever change the one value it was written from.
 */

/** How a cell's text becomes a JSON value. */
export type CellKind = 'text' | 'number' | 'integer' | 'date' | 'list' | 'boolean';

/** The place in the pack's source files an editable cell writes. */
export interface Binding {
  file: string;
  pointer: string;
  kind: CellKind;
  /** an empty cell removes the key (a description, a clause, a unit); otherwise empty is refused */
  optional?: boolean;
  /** for `list`: the items are numbers */
  numericItems?: boolean;
}

export type CellValue = string | number | boolean | null;

export interface SheetColumn {
  /** Chinese header, row 1 */
  header: string;
  width: number;
  /** part of the row's name (read-only) */
  key?: boolean;
  /** what the column holds, shown in the 说明 sheet */
  note?: string;
}

export interface SheetRow {
  cells: CellValue[];
  /** where the row is written: a row left out of the workbook removes this key (sheets that allow it) */
  remove?: { file: string; pointer: string };
  /** per column: the place an editable cell writes; undefined = read-only */
  bindings: Array<Binding | undefined>;
  /** per column: why a read-only cell cannot be changed here (e.g. 取自参数 capHangzhou) */
  hints?: Array<string | undefined>;
}

/** A change of the pack's files made after the cells' edits (a row added). */
export type FileChange = (files: Record<string, unknown>) => void;

/** How a sheet takes a new row: how its cells are read, and what the row becomes in the pack. */
export interface RowInsert {
  /** per column: how a new row's cell is read; undefined for a column left as typed (a key, a name shown) */
  kinds: Array<{ kind: CellKind; optional?: boolean } | undefined>;
  /**
   * the change that adds the row, from its key cells (as text) and its parsed cells; or why it
   * cannot be added, with the column (0-based) of the cell at fault when one is
   */
  create(keys: string[], values: unknown[], files: Record<string, unknown>): FileChange | { refused: string; column?: number };
  /** a key column (0-based) a new row may leave empty: the row's identifier is then proposed (`proposeId`) */
  blankKey?: number;
}

/** An identifier not yet among `taken`: `stem` followed by the first free number (item1, item2 …). */
export function proposeId(stem: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = /^[A-Za-z][A-Za-z0-9_]{0,30}$/.test(stem) ? stem : 'item';
  for (let n = 1; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}

export interface SheetSpec {
  name: string;
  /** new rows are accepted (written by `insert.create`); without it a new row is refused */
  insert?: RowInsert;
  /** one sentence for the 说明 sheet */
  note: string;
  columns: SheetColumn[];
  rows: SheetRow[];
}

/** A row's name: its key cells. */
export function rowKey(spec: SheetSpec, cells: readonly CellValue[]): string {
  return spec.columns
    .map((c, i) => (c.key ? cellText(cells[i] ?? null) : null))
    .filter((x): x is string => x !== null)
    .join(' / ');
}

/** A cell as text, the way it is compared and shown in messages. */
export function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v).trim();
}

/** The name of the first sheet: which pack, which content. */
export const README_SHEET = '说明';
