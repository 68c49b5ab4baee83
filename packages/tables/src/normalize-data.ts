/**
 * A table form's whole data object as it arrives from a client (the API, the web grid): each
 * cell written as text where the column wants a number, a yes/no or a choice (“３０００”,
 * “1,234.5”, “√”, “是 ”) goes through the one cell normaliser the file import uses, and each
 * normalisation is named with its place. A text the column cannot hold is kept as written (the
 * schema's validation then names it), so nothing typed is lost.
 */
import { columnTypeOf, tableLayout, type Row, type TableForm } from './form.js';
import { normalizeCell, type CellSpec } from './normalize.js';

/** One normalisation: a cell (section, row index, column key) or a top-level field, with the column's title. */
export interface DataNote {
  /** the cell's section (the row array's field) and row index; absent for a top-level field */
  section?: string;
  index?: number;
  /** the column key, or the top-level field */
  key: string;
  title: string;
  reason: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A text value normalised for its column; numbers, booleans and non-text values are left as they are. */
function fix(spec: CellSpec, v: unknown): { value: unknown; notes: string[] } {
  if (typeof v !== 'string') return { value: v, notes: [] };
  const got = normalizeCell(spec, v, false); // a JSON string where a number is declared is a number stored as text: named
  if (got === undefined) return { value: v, notes: [] }; // an empty text: the schema says whether it may be
  if ('error' in got) return { value: v, notes: [] };
  return got;
}

/**
 * Normalise every text cell of `data` (a table form's data object) for its column. Returns the
 * data with the normalised values (a new object; rows not touched are the same objects) and the
 * notes. Data that is no object, a section that is no list, a row that is no object: left as is.
 */
export function normalizeData(form: TableForm, data: unknown): { data: unknown; notes: DataNote[] } {
  if (!isObj(data)) return { data, notes: [] };
  const layout = tableLayout(form);
  const notes: DataNote[] = [];
  const out: Record<string, unknown> = { ...data };
  const top = (isObj(form.properties) ? form.properties : {}) as Record<string, unknown>;
  for (const p of layout.preamble) {
    if (!('field' in p) || !(p.field in out)) continue;
    const schema = isObj(top[p.field]) ? (top[p.field] as Record<string, unknown>) : {};
    const spec: CellSpec = { type: columnTypeOf(schema), ...(Array.isArray(schema.enum) ? { enum: schema.enum } : {}), ...(typeof schema.format === 'string' ? { format: schema.format } : {}) };
    const got = fix(spec, out[p.field]);
    out[p.field] = got.value;
    for (const reason of got.notes) notes.push({ key: p.field, title: p.label, reason });
  }
  for (const s of layout.sections) {
    const rows = out[s.field];
    if (!Array.isArray(rows)) continue;
    out[s.field] = rows.map((row: unknown, index) => {
      if (!isObj(row)) return row;
      let copy: Row | null = null;
      for (const col of s.columns) {
        if (!(col.key in row)) continue;
        const got = fix(col, row[col.key]);
        if (got.value === row[col.key]) continue;
        copy ??= { ...row };
        copy[col.key] = got.value;
        for (const reason of got.notes) notes.push({ section: s.field, index, key: col.key, title: col.header, reason });
      }
      return copy ?? row;
    });
  }
  return { data: out, notes };
}
