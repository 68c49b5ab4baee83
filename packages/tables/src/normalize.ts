/**
 * The one normaliser of a typed, pasted or imported cell: what a county's file really holds
 * (numbers stored as text, full-width digits ３０００, thousands separators 1,234.5, `√` / `是`
 * for yes, trailing spaces) becomes the column's value, and every change it made is named so the
 * caller can report it as a warning. Used by the file import (xlsx, CSV), the API and the web
 * grid's paste — no Node-only code here.
 */

/** What the normaliser needs to know of a column. */
export interface CellSpec {
  type: 'number' | 'integer' | 'string' | 'boolean';
  enum?: readonly unknown[];
  format?: string;
}

/** One cell as read from a sheet or typed: xlsx gives typed values, CSV and paste give text. */
export type RawCell = null | undefined | number | string | boolean | Date;

export type Normalized =
  /** `notes`: each normalisation applied, in Chinese (empty when the cell was taken as it was) */
  | { value: unknown; notes: string[] }
  | { error: string };

const isoDate = (d: Date): string => d.toISOString().slice(0, 10); // xlsx dates carry no zone: UTC midnight

/** Full-width digits, signs and separators (NFKC), the ideographic space, no-break spaces. */
function halfWidth(s: string): string {
  return s.normalize('NFKC').replace(/[\u00a0\u3000]/g, ' ');
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const GROUPED = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const YES = new Set(['是', 'true', 'y', 'yes', '√', '✓', '✔', '1']);
const NO = new Set(['否', 'false', 'n', 'no', '×', '✗', '✘', '0']);

/**
 * A number read from text: strict except for what the notice's counties really write. Returns
 * the number and what was changed, or undefined when the text is not a number.
 */
function numberOf(text: string, notes: string[]): number | undefined {
  let t = text;
  const half = halfWidth(t);
  if (half !== t) {
    notes.push(`全角字符“${t}”按半角读取`);
    t = half;
  }
  t = t.trim();
  if (GROUPED.test(t)) {
    notes.push(`去掉千分位分隔符：“${t}”按 ${t.replace(/,/g, '')} 读取`);
    t = t.replace(/,/g, '');
  }
  if (!NUMBER.test(t)) return undefined;
  return Number(t);
}

/**
 * Normalise one cell for a column. `undefined` for an empty cell; otherwise the value with the
 * normalisations applied (each named in `notes`), or an error in Chinese. `textOnly`: the cell
 * comes from text (CSV, paste, API), so numeric text is the ordinary way to write a number and
 * is not reported; from an xlsx, a number stored as text is read and reported.
 */
export function normalizeCell(col: CellSpec, cell: RawCell, textOnly = false): Normalized | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'string' && halfWidth(cell).trim() === '') return undefined;
  const notes: string[] = [];
  const shown = cell instanceof Date ? isoDate(cell) : String(cell);
  const trimmed = typeof cell === 'string' ? cell.trim() : shown;
  if (typeof cell === 'string' && trimmed !== cell) notes.push('去掉首尾空格');

  if (col.type === 'number' || col.type === 'integer') {
    let n: number;
    if (typeof cell === 'number') n = cell;
    else if (typeof cell === 'string') {
      const got = numberOf(trimmed, notes);
      if (got === undefined) return { error: `应填数字，单元格是文本“${trimmed}”（请去掉单位等文字）` };
      if (!textOnly) notes.push('文本格式的数字按数值读取');
      n = got;
    } else if (cell instanceof Date) return { error: `应填数字，单元格是日期 ${shown}` };
    else return { error: `应填数字，单元格是${cell ? '逻辑值 TRUE' : '逻辑值 FALSE'}` };
    if (!Number.isFinite(n)) return { error: `数值“${shown}”无效` };
    if (col.type === 'integer' && !Number.isInteger(n)) return { error: `应填整数，单元格是 ${shown}` };
    return { value: n, notes };
  }

  if (col.type === 'boolean') {
    if (typeof cell === 'boolean') return { value: cell, notes };
    const t = halfWidth(shown).replace(/\s+/g, '').toLowerCase();
    if (YES.has(t)) {
      if (t !== '是' && t !== 'true') notes.push(`“${trimmed}”按“是”读取`);
      return { value: true, notes };
    }
    if (NO.has(t)) {
      if (t !== '否' && t !== 'false') notes.push(`“${trimmed}”按“否”读取`);
      return { value: false, notes };
    }
    return { error: `应填“是”或“否”，单元格是“${shown}”` };
  }

  // text column
  let s: string;
  if (typeof cell === 'string') s = trimmed;
  else if (cell instanceof Date) s = isoDate(cell);
  else if (typeof cell === 'number') s = String(cell); // lossless: a code typed as a number
  else return { error: `应填文本，单元格是逻辑值 ${cell ? 'TRUE' : 'FALSE'}` };
  if (col.format === 'date') {
    const d = halfWidth(s).trim().replace(/^(\d{4})[./年](\d{1,2})[./月](\d{1,2})日?$/, (_m, y: string, m: string, dd: string) => `${y}-${m.padStart(2, '0')}-${dd.padStart(2, '0')}`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return { error: `应填日期（如 2020-12-31），单元格是“${s}”` };
    if (d !== s) notes.push(`日期“${s}”按 ${d} 读取`);
    s = d;
  }
  if (col.enum && !col.enum.includes(s)) {
    // a choice written with full-width letters or inner spaces (“Ａ”, “是 ”) is the choice
    const loose = halfWidth(s).replace(/\s+/g, '');
    let hit = col.enum.find((e) => halfWidth(String(e)).replace(/\s+/g, '') === loose);
    // a yes/no choice written as √ / × (the choices are 是 / 否)
    const t = loose.toLowerCase();
    if (hit === undefined && YES.has(t) && col.enum.includes('是')) hit = '是';
    if (hit === undefined && NO.has(t) && col.enum.includes('否')) hit = '否';
    if (hit === undefined) return { error: `“${s}”不是可选值，可选：${col.enum.map(String).join('、')}` };
    notes.push(`“${s}”按可选值“${String(hit)}”读取`);
    return { value: hit, notes };
  }
  return { value: s, notes };
}
