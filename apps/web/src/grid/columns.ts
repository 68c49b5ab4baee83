/** Columns and multi-level headers of a table form, from its schema (`x-headers`, or the row's properties). */
import { deref, isObj, type Json } from '../form/ui';

export interface Column {
  key: string;
  title: string;
  schema: Json;
  type: 'number' | 'integer' | 'string' | 'boolean';
  options?: Array<{ value: unknown; label: string }>;
  computed: boolean;
  total?: 'sum' | 'recompute' | undefined;
  unit?: string | undefined;
  width: number;
}

export interface HeaderCell {
  title: string;
  col: number; // 1-based grid column start
  span: number;
  row: number; // 1-based grid row start
  rowSpan: number;
}

/** Where the rows live: '' when the root is the array, else the property holding it. */
export function rowsPathOf(schema: Json): string | null {
  if (schema.type === 'array') return '';
  const props = isObj(schema.properties) ? schema.properties : {};
  for (const [k, v] of Object.entries(props)) {
    const s = isObj(v) ? deref(schema, v) : {};
    if (s.type === 'array' && isObj(s.items) && isObj(deref(schema, s.items).properties)) return k;
  }
  return null;
}

export function itemSchemaOf(schema: Json, field?: string): Json | null {
  const p = field ?? rowsPathOf(schema);
  if (p === null) return null;
  const prop = p === '' ? schema : isObj(schema.properties) ? schema.properties[p] : undefined;
  if (!isObj(prop)) return null;
  const arr = p === '' ? schema : deref(schema, prop);
  return isObj(arr.items) ? deref(schema, arr.items) : null;
}

/** The choices of a field (`oneOf` of consts with titles, or `enum`). */
export function optionsOf(s: Json): Array<{ value: unknown; label: string }> | undefined {
  if (Array.isArray(s.oneOf) && s.oneOf.every((o) => isObj(o) && 'const' in o)) {
    return (s.oneOf as Array<{ const: unknown; title?: string }>).map((o) => ({ value: o.const, label: o.title ?? String(o.const) }));
  }
  if (Array.isArray(s.enum)) return s.enum.map((v) => ({ value: v, label: String(v) }));
  return undefined;
}

export function columnsOf(schema: Json, field?: string): Column[] {
  const item = itemSchemaOf(schema, field);
  if (!item) return [];
  const props = isObj(item.properties) ? item.properties : {};
  return Object.entries(props)
    .filter(([, v]) => isObj(v))
    .map(([key, raw]) => {
      const s = deref(schema, raw as Json);
      const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
      const type = (t === 'number' || t === 'integer' || t === 'boolean' ? t : 'string') as Column['type'];
      const title = typeof s.title === 'string' ? s.title : key;
      const opts = optionsOf(s);
      const width = Math.min(320, Math.max(type === 'string' && !opts ? 160 : 96, title.length * 15 + 24));
      return {
        key,
        title,
        schema: s,
        type,
        ...(opts ? { options: opts } : {}),
        computed: s['x-compute'] !== undefined,
        total: s['x-total'] === 'sum' ? 'sum' : s['x-total'] === 'recompute' ? 'recompute' : undefined,
        unit: typeof s['x-unit'] === 'string' ? s['x-unit'] : undefined,
        width,
      } satisfies Column;
    });
}

interface HeaderNode {
  title: string;
  column?: string;
  children?: HeaderNode[];
}

function depthOf(n: HeaderNode): number {
  return n.children?.length ? 1 + Math.max(...n.children.map(depthOf)) : 1;
}

/** The header title of a column: its title, with the unit when the title does not carry it. */
function headerTitle(c: Column): string {
  return c.unit && !c.title.endsWith(`（${c.unit}）`) && !c.title.endsWith(`(${c.unit})`) ? `${c.title}（${c.unit}）` : c.title;
}

/** The layout spec of the table (`x-table`, or the section of it holding the rows). */
function tableSpec(schema: Json, section?: string): Json | null {
  const xt = schema['x-table'];
  if (!isObj(xt)) return null;
  const field = section ?? rowsPathOf(schema);
  if (Array.isArray(xt.sections)) {
    const secs = xt.sections.filter(isObj);
    return secs.find((x) => x.field === field) ?? secs[0] ?? null;
  }
  return xt;
}

/** `x-table.columns` (column keys, or { title, children }) as header nodes. */
function fromTable(nodes: unknown, byKey: Map<string, Column>): HeaderNode[] {
  return (Array.isArray(nodes) ? nodes : []).flatMap((n): HeaderNode[] => {
    if (typeof n === 'string') {
      const c = byKey.get(n);
      return c ? [{ title: headerTitle(c), column: n }] : [];
    }
    if (isObj(n) && typeof n.title === 'string') return [{ title: n.title, children: fromTable(n.children, byKey) }];
    return [];
  });
}

/** The total row's label and the column it sits in (`x-table.total`), if the table declares one. */
export function totalLabelOf(schema: Json, field?: string): { label: string; column: string } | null {
  const spec = tableSpec(schema, field);
  const t = spec?.total;
  if (isObj(t) && typeof t.label === 'string') return { label: t.label, column: typeof t.column === 'string' ? t.column : '' };
  return null;
}

/**
 * The header grid: `x-table.columns` (the table layout shared with the xlsx export), or the
 * older `x-headers` tree, else one row of column titles. Columns the tree does not name are
 * appended as leaves.
 */
export function headersOf(schema: Json, columns: Column[], field?: string): { cells: HeaderCell[]; depth: number; order: Column[] } {
  const byKey = new Map(columns.map((c) => [c.key, c]));
  const spec = tableSpec(schema, field);
  const legacy = Array.isArray(schema['x-headers']) ? (schema['x-headers'] as HeaderNode[]) : [];
  const tree: HeaderNode[] = spec ? fromTable(spec.columns, byKey) : legacy.filter((n) => isObj(n));
  const order: Column[] = [];
  const cells: HeaderCell[] = [];
  const depth = Math.max(1, ...tree.map(depthOf));
  const place = (n: HeaderNode, row: number): number => {
    const start = order.length + 1;
    if (n.children?.length) {
      for (const ch of n.children) place(ch, row + 1);
      const span = order.length + 1 - start;
      if (span > 0) cells.push({ title: n.title, col: start, span, row, rowSpan: 1 });
      return span;
    }
    const c = n.column ? byKey.get(n.column) : undefined;
    if (!c || order.includes(c)) return 0;
    order.push(c);
    cells.push({ title: n.title || headerTitle(c), col: start, span: 1, row, rowSpan: depth - row + 1 });
    return 1;
  };
  for (const n of tree) place(n, 1);
  for (const c of columns) {
    if (order.includes(c)) continue;
    order.push(c);
    cells.push({ title: headerTitle(c), col: order.length, span: 1, row: 1, rowSpan: depth });
  }
  return { cells, depth, order };
}

export interface Section {
  /** the array property holding this section's rows ('' when the root is the array) */
  field: string;
  /** the section's heading (`x-table.sections[].title`); '' for a table of one section */
  title: string;
}

/**
 * The sections of a table form, in the order of the official layout: `x-table.sections`
 * (each its own array property with its own columns), else the one array of rows.
 */
export function sectionsOf(schema: Json): Section[] {
  const xt = schema['x-table'];
  const props = isObj(schema.properties) ? schema.properties : {};
  if (isObj(xt) && Array.isArray(xt.sections)) {
    const out = xt.sections
      .filter(isObj)
      .filter((x): x is Json & { field: string } => typeof x.field === 'string' && isObj(props[x.field]))
      .map((x) => ({ field: x.field, title: typeof x.title === 'string' ? x.title : x.field }));
    if (out.length) return out;
  }
  const p = rowsPathOf(schema);
  return p === null ? [] : [{ field: p, title: '' }];
}
