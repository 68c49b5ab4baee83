/** Cell text ↔ column value for the grid: what is shown, and what a typed or pasted text means. */
import type { Column } from './columns';

export function display(c: Column, v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  if (c.options) return c.options.find((o) => o.value === v)?.label ?? String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

/** A pasted or typed text as the column's value; undefined for an empty cell. */
export function parseCell(c: Column, text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (c.type === 'number' || c.type === 'integer') {
    const n = Number(t.replace(/[,，\s]/g, ''));
    return Number.isFinite(n) ? n : t;
  }
  if (c.type === 'boolean') {
    if (/^(是|true|1|y|yes|√|✓)$/i.test(t)) return true;
    if (/^(否|false|0|n|no|×)$/i.test(t)) return false;
    return t;
  }
  if (c.options) {
    const o = c.options.find((x) => x.label === t || String(x.value) === t);
    return o ? o.value : t;
  }
  return t;
}

