/**
 * `x-table.prefill`: a county's (or city's) summary table filled from the parks' own data. The
 * pack declares which application form a row comes from and, for each column, the application's
 * field (a dotted path) or a fact of the park the platform knows (its name, credit code, county,
 * city); the table's top-level fields (填报地区 …) may come from the account's org unit. The
 * server offers the rows of the parks in the unit's area that have submitted; the page shows
 * them before anything is filled.
 *
 * ```json
 * "prefill": {
 *   "from": "star-application",
 *   "match": "<column>",
 *   "columns": { "<column>": "<section>.<field>", "<other column>": { "park": "county" } },
 *   "orgUnit": { "region": "city" },
 *   "where": { "<section>.<field>": ["<value>", "<value>"] },
 *   "status": ["county_passed", "city_recommended"]
 * }
 * ```
 * `where` limits which applications qualify (e.g. a table of the 4/5★ recommendations takes only
 * the applications for 4 or 5 stars): every listed field of the application holds one of its values.
 * `status` limits them by where they stand (e.g. a city recommends only what its counties passed):
 * the application's status is one of those listed; without it every submitted application qualifies.
 */
import { columnTypeOf, tableLayout, type ColumnDef, type JsonObject, type Row, type SectionDef, type TableForm } from './form.js';
import { normalizeCell } from './normalize.js';

/** What the platform knows of a park besides its application. */
export const PARK_FACTS = ['name', 'creditCode', 'county', 'city'] as const;
export type ParkFact = (typeof PARK_FACTS)[number];
/** Which org unit's name a top-level field takes: the account's own, or the county / city it is (or lies in). */
export const ORG_SOURCES = ['self', 'county', 'city'] as const;
export type OrgSource = (typeof ORG_SOURCES)[number];

/** A column's source: an application field (dotted path), or a fact of the park. */
export type PrefillSource = string | { park: ParkFact };

export interface TablePrefill {
  /** the application form (a park's form of the same pack) */
  from: string;
  /** the section filled (its row array's field); default the first */
  section: string;
  /** the column that names the park's row: a row already holding the same value is the park's (updated, not added) */
  match?: string;
  columns: Record<string, PrefillSource>;
  orgUnit: Record<string, OrgSource>;
  /** which applications qualify: application field (dotted path) → the values it may hold */
  where: Record<string, unknown[]>;
  /** which applications qualify by their status (a submission status, e.g. county_passed); none: every submitted one */
  status?: string[];
}

export interface PrefillPark {
  name: string;
  creditCode: string;
  county: string;
  city: string;
}

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The form's prefill declaration, read leniently (the pack checker reports what is wrong); null when there is none. */
export function tablePrefillOf(form: TableForm): TablePrefill | null {
  const xt = form['x-table'];
  const p = isObj(xt) ? xt.prefill : undefined;
  if (!isObj(p) || typeof p.from !== 'string' || !isObj(p.columns)) return null;
  let section: string;
  try {
    section = typeof p.section === 'string' ? p.section : (tableLayout(form).sections[0]?.field ?? 'rows');
  } catch {
    return null;
  }
  const columns: Record<string, PrefillSource> = {};
  for (const [k, v] of Object.entries(p.columns)) {
    if (typeof v === 'string') columns[k] = v;
    else if (isObj(v) && typeof v.park === 'string' && (PARK_FACTS as readonly string[]).includes(v.park)) columns[k] = { park: v.park as ParkFact };
  }
  const orgUnit: Record<string, OrgSource> = {};
  if (isObj(p.orgUnit)) for (const [k, v] of Object.entries(p.orgUnit)) if (typeof v === 'string' && (ORG_SOURCES as readonly string[]).includes(v)) orgUnit[k] = v as OrgSource;
  const where: Record<string, unknown[]> = {};
  if (isObj(p.where)) for (const [k, v] of Object.entries(p.where)) if (Array.isArray(v)) where[k] = v;
  const status = Array.isArray(p.status) ? p.status.filter((x): x is string => typeof x === 'string') : undefined;
  return { from: p.from, section, ...(typeof p.match === 'string' ? { match: p.match } : {}), columns, orgUnit, where, ...(status ? { status } : {}) };
}

/** Whether an application qualifies for the table (`where`: each field holds one of its listed values; `status`: its status is listed). */
export function prefillQualifies(spec: TablePrefill, application: unknown, status?: string): boolean {
  if (spec.status && status !== undefined && !spec.status.includes(status)) return false;
  return Object.entries(spec.where).every(([path, values]) => values.includes(valueAtPath(application, path)));
}

/** The value at a dotted path of an application's data. */
export function valueAtPath(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const k of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** The schema node at a dotted path of a form's schema (through `properties`); undefined when there is none. */
export function schemaAtPath(schema: unknown, path: string): JsonObject | undefined {
  let cur: unknown = schema;
  for (const k of path.split('.')) {
    if (!isObj(cur) || !isObj(cur.properties)) return undefined;
    cur = cur.properties[k];
  }
  return isObj(cur) ? cur : undefined;
}

/** A choice's label in the source form (`oneOf: [{ const, title }]`), for a target column whose choices are the labels (“4” → “四星级”). */
function labelOf(source: JsonObject | undefined, value: unknown): string | undefined {
  const opts = source && Array.isArray(source.oneOf) ? source.oneOf : [];
  for (const o of opts) if (isObj(o) && o.const === value && typeof o.title === 'string') return o.title;
  return undefined;
}

/** One value for a column: as it is when the column takes it, else through the cell normaliser (a number to text, a choice by its label). */
function fit(col: ColumnDef, v: unknown, source: JsonObject | undefined): { value?: unknown; problem?: string } {
  if (v === undefined || v === null || v === '') return {};
  if (col.enum && !col.enum.includes(v)) {
    const label = labelOf(source, v);
    if (label !== undefined && col.enum.includes(label)) return { value: label };
  }
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return { problem: `“${col.title}”的来源不是单个值` };
  const got = normalizeCell(col, v, true);
  if (got === undefined) return {};
  if ('error' in got) return { problem: `“${col.title}”：${got.error}` };
  return { value: got.value };
}

/** The row a park's application gives (the declared columns only), and what could not be carried over. */
export function prefillRow(form: TableForm, spec: TablePrefill, application: unknown, park: PrefillPark, appSchema: unknown): { row: Row; problems: string[] } {
  const section = tableLayout(form).sections.find((s) => s.field === spec.section);
  const row: Row = {};
  const problems: string[] = [];
  if (!section) return { row, problems };
  for (const [key, src] of Object.entries(spec.columns)) {
    const col = section.columns.find((c) => c.key === key);
    if (!col || col.compute !== undefined) continue;
    const raw = typeof src === 'string' ? valueAtPath(application, src) : park[src.park];
    const got = fit(col, raw, typeof src === 'string' ? schemaAtPath(appSchema, src) : undefined);
    if (got.problem) problems.push(got.problem);
    else if (got.value !== undefined) row[key] = got.value;
  }
  return { row, problems };
}

/** The top-level values the account's org unit gives: field → the name of the unit at the declared level (or the choice it titles). */
export function prefillTop(form: TableForm, spec: TablePrefill, names: Partial<Record<OrgSource, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = isObj(form.properties) ? form.properties : {};
  for (const [field, level] of Object.entries(spec.orgUnit)) {
    const name = names[level];
    if (name === undefined) continue;
    const schema = isObj(props[field]) ? props[field] : {};
    // a field whose choices are written `oneOf: [{ const, title }]` (a unit by its code, titled with its name) takes the const the unit's name titles
    // (a name that titles none of them is left for the user to choose)
    if (Array.isArray(schema.oneOf)) {
      const choice = schema.oneOf.find((o) => isObj(o) && o.title === name);
      if (isObj(choice) && choice.const !== undefined) out[field] = choice.const;
      continue;
    }
    const got = normalizeCell({ type: columnTypeOf(schema), ...(Array.isArray(schema.enum) ? { enum: schema.enum } : {}) }, name, true);
    if (got && !('error' in got)) out[field] = got.value;
  }
  return out;
}

/** The section a prefill fills (undefined when the form has no such section). */
export function prefillSection(form: TableForm, spec: TablePrefill): SectionDef | undefined {
  return tableLayout(form).sections.find((s) => s.field === spec.section);
}
