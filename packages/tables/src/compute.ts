import { LogicEngine } from 'json-logic-engine';
import { roundDecimal } from '@yuanping/core/browser';
import { tableLayout, type Row, type SectionDef, type TableForm } from './form.js';

/**
 * `engine.run` interprets the expression through closures cached per expression object; we
 * never call `engine.build`, which compiles the expression to source and evaluates it with `eval`.
 */
const engine = new LogicEngine();

function run(logic: unknown, row: Row): unknown {
  if (logic === null || typeof logic !== 'object') return logic;
  return engine.run(logic, row);
}

/** Computed columns and totals round with core's one decimal rounding (half-up). */
export const roundTo = (x: number, digits: number): number => roundDecimal(x, digits);

export interface ComputedSection {
  rows: Row[];
  /** the computed total row (only when the section declares one) */
  total?: Row;
}

/**
 * Fill the computed columns (`x-compute`, rounded to `x-precision`) of every row and build the
 * total row (`x-total`: "sum" adds the column; a json-logic expression is evaluated on
 * `{ …the sums, rows: [every row] }`; "recompute" evaluates the column's x-compute on the totals — a ratio of sums, not a sum of ratios). A computation that has no finite
 * result (division by zero, a missing input) leaves the cell empty (null).
 */
export function computeRows(form: TableForm, rows: readonly Row[], sectionField?: string): ComputedSection {
  const layout = tableLayout(form);
  const section = sectionField ? layout.sections.find((s) => s.field === sectionField) : layout.sections[0];
  if (!section) throw new Error(`表格没有分节“${sectionField ?? ''}”`);
  return computeSection(section, rows);
}

export function computeSection(section: SectionDef, rows: readonly Row[]): ComputedSection {
  const cols = new Map(section.columns.map((c) => [c.key, c]));
  const fill = (row: Row): Row => {
    const out: Row = { ...row };
    for (const key of section.computeOrder) {
      const col = cols.get(key);
      if (!col) continue;
      const v = run(col.compute, out);
      if (typeof v === 'number' && Number.isFinite(v)) out[key] = col.precision !== undefined ? roundTo(v, col.precision) : v;
      else if (typeof v === 'string' || typeof v === 'boolean') out[key] = v;
      else out[key] = null;
    }
    return out;
  };
  const computed = rows.map(fill);
  const result: ComputedSection = { rows: computed };
  if (section.total) {
    const total: Row = {};
    for (const col of section.columns) {
      if (col.total !== 'sum') continue;
      let sum = 0;
      for (const r of computed) {
        const v = r[col.key];
        if (typeof v === 'number' && Number.isFinite(v)) sum += v;
      }
      total[col.key] = roundTo(sum, col.precision ?? (col.type === 'integer' ? 0 : 6));
    }
    // json-logic totals see the sums so far and every row: { …sums, rows: [...] }
    const withRows = { ...total, rows: computed };
    for (const col of section.columns) {
      if (col.total !== 'logic') continue;
      const v = run(col.totalLogic, withRows);
      total[col.key] = typeof v === 'number' && Number.isFinite(v) ? (col.precision !== undefined ? roundTo(v, col.precision) : v) : null;
    }
    for (const key of section.computeOrder) {
      const col = cols.get(key);
      if (!col || col.total !== 'recompute') continue;
      const v = run(col.compute, total);
      total[key] = typeof v === 'number' && Number.isFinite(v) ? (col.precision !== undefined ? roundTo(v, col.precision) : v) : null;
    }
    total[section.total.column] = section.total.label;
    result.total = total;
  }
  return result;
}

/** computeRows for every section of a form's data object `{ rows: [...] }` / `{ sectionA: [...], … }`. */
export function computeData(form: TableForm, data: Record<string, unknown>): Record<string, ComputedSection> {
  const layout = tableLayout(form);
  const out: Record<string, ComputedSection> = {};
  for (const s of layout.sections) {
    const rows = Array.isArray(data[s.field]) ? (data[s.field] as Row[]) : [];
    out[s.field] = computeSection(s, rows);
  }
  return out;
}
