/**
 * A table form's whole data object: its sections (`x-table.sections`, else the first array of
 * rows) and its top-level fields (the preamble). Generic over the form's schema.
 */
import type { TableReport } from '@yuanping/storage';
import { rowsPath } from './schema-path.js';

type Schema = Record<string, unknown>;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The data paths of a table form's row arrays ('' when the data itself is the array); [] when it is no table. */
export function tableSections(schema: Schema): string[] {
  const xt = schema['x-table'];
  const secs = isObj(xt) && Array.isArray(xt.sections) ? xt.sections : [];
  const fields = secs.map((s) => (isObj(s) && typeof s.field === 'string' ? s.field : null)).filter((f): f is string => f !== null);
  if (fields.length > 0) return fields;
  const p = rowsPath(schema);
  return p === null ? [] : [p];
}

/** The top-level fields of a table form that are not sections. */
export function preambleFields(schema: Schema): string[] {
  const secs = new Set(tableSections(schema));
  return isObj(schema.properties) ? Object.keys(schema.properties).filter((k) => !secs.has(k)) : [];
}

/** The rows of one section of a data object. */
export function sectionRows(data: unknown, section: string): unknown[] {
  const v = section === '' ? data : isObj(data) ? data[section] : undefined;
  return Array.isArray(v) ? v : [];
}

/** A data object holding `rows` in the first section, over `base` (the other sections and fields kept). */
export function withFirstSection(schema: Schema, base: unknown, rows: unknown[]): unknown {
  const first = tableSections(schema)[0] ?? '';
  if (first === '') return rows;
  return { ...(isObj(base) ? base : {}), [first]: rows };
}

/** A stored report's whole data object (reports saved as rows only: their rows in the first section). */
export function reportData(schema: Schema, rep: TableReport | null | undefined): unknown {
  if (!rep) return tableSections(schema)[0] === '' ? [] : {};
  if (rep.data !== null && rep.data !== undefined) return rep.data;
  return withFirstSection(schema, {}, rep.rows);
}

/** The rows stored in the `rows` column: the first section's. */
export function firstSectionRows(schema: Schema, data: unknown): unknown[] {
  return sectionRows(data, tableSections(schema)[0] ?? '');
}

/** The top-level (non-section) values of a data object. */
export function preambleOf(schema: Schema, data: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObj(data)) return out;
  for (const k of preambleFields(schema)) if (data[k] !== undefined) out[k] = data[k];
  return out;
}

/**
 * Reports combined into one data object: each section the concatenation of the reports' rows
 * (in report order), the top-level fields from `preamble`; `origins` names each row's unit.
 */
export function combineData(schema: Schema, reports: TableReport[], preamble: Record<string, unknown> = {}): { data: unknown; origins: Record<string, string[]> } {
  const secs = tableSections(schema);
  const origins: Record<string, string[]> = {};
  const parts: Record<string, unknown[]> = {};
  for (const s of secs) {
    origins[s] = [];
    parts[s] = [];
  }
  for (const r of reports) {
    const d = reportData(schema, r);
    for (const s of secs) {
      const rows = sectionRows(d, s);
      parts[s]?.push(...rows);
      origins[s]?.push(...rows.map(() => r.orgCode));
    }
  }
  if (secs[0] === '') return { data: parts[''] ?? [], origins };
  return { data: { ...preamble, ...parts }, origins };
}

/**
 * Of a table draft's validation errors, those that make it no table the page can show and the
 * user correct: the data, a section or a row of the wrong kind (not an object, not a list of
 * rows), or a field the form does not have. A draft with one of these is refused; any other
 * error (a cell's or a top-level field's value) is stored with the draft and answered with it.
 */
export function tableShapeErrors<E extends { path: string; code: string }>(schema: Schema, errors: readonly E[]): E[] {
  const sections = tableSections(schema);
  const rowsOnly = sections[0] === '';
  return errors.filter((e) => {
    if (e.code === 'additionalProperties') return true;
    if (e.code !== 'type') return false;
    const parts = e.path === '' ? [] : e.path.split('.');
    if (parts.length === 0) return true;
    // rows only: the data is the list, a row is `3`; sectioned: a section is `built`, a row `built.3`
    if (rowsOnly) return parts.length === 1;
    return sections.includes(parts[0] ?? '') && parts.length <= 2;
  });
}
