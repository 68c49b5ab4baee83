/** Cell text ↔ column value for the grid: what is shown, and what a typed or pasted text means. */
import { normalizeCell, type CellSpec } from '@yuanping/tables/normalize';
import type { Column } from './columns';

export function display(c: Column, v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  if (c.options) return c.options.find((o) => o.value === v)?.label ?? String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

/**
 * A pasted or typed text as the column's value (undefined for an empty cell), through the one
 * normaliser the file import and the API use (full-width digits, 1,234.5, √ for yes, spaces).
 * A text the column cannot hold is kept as typed, so the grid shows its error on the cell.
 */
export function parseCell(c: Column, text: string): unknown {
  return parseCellNoted(c, text).value;
}

/** `parseCell` with the normalisations it applied (for the paste's notice). */
export function parseCellNoted(c: Column, text: string): { value: unknown; notes: string[] } {
  const t = text.trim();
  if (t === '') return { value: undefined, notes: [] };
  if (c.options && c.type === 'string') {
    // a choice pasted by its label or by its value
    const o = c.options.find((x) => x.label === t || String(x.value) === t);
    if (o) return { value: o.value, notes: [] };
  }
  const spec: CellSpec = { type: c.type, ...(c.options ? { enum: c.options.map((o) => o.value) } : {}) };
  const got = normalizeCell(spec, text, true);
  if (got === undefined) return { value: undefined, notes: [] };
  if ('error' in got) return { value: t, notes: [] };
  return got;
}
