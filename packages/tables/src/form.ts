/**
 * A table form is a JSON Schema (draft-07) whose array properties hold the rows, plus
 * extension keywords (all named `x-…`, see TABLE_KEYWORDS) describing the official layout.
 * This module turns the schema into a `TableLayout` the importers/exporters share.
 */

export type JsonObject = Record<string, unknown>;
/** The table form: the form's JSON Schema as written in `schemas/<pack>/forms/<form>.schema.json`. */
export type TableForm = JsonObject;
export type Row = Record<string, unknown>;

/** Every extension keyword a table form may use (core registers them with ajv strict mode). */
export const TABLE_KEYWORDS = ['x-table', 'x-unit', 'x-precision', 'x-compute', 'x-total', 'x-numFmt', 'x-width', 'x-added', 'x-derive', 'x-result'] as const;

export type ColumnType = 'number' | 'integer' | 'string' | 'boolean';

export interface ColumnDef {
  key: string;
  /** title as declared (`title`, else the key) */
  title: string;
  /** header text: the title, plus `（unit）` when `x-unit` is set and the title does not already end in `（unit）` */
  header: string;
  type: ColumnType;
  enum?: readonly unknown[];
  format?: string;
  required: boolean;
  precision?: number;
  compute?: unknown;
  total: 'sum' | 'recompute' | 'none' | 'logic';
  /** `x-total` given as a json-logic expression */
  totalLogic?: unknown;
  numFmt?: string;
  width?: number;
  /**
   * `x-added`: a column the platform added to the notice's form (the notice's own layout lacks
   * it): optional in an imported file, marked as added in exports
   */
  added: boolean;
  /** `x-derive`: json-logic over the row giving this added column's value when a file lacks the column */
  derive?: unknown;
  /** titles of the header groups above this column, outermost first */
  groups: string[];
  schema: JsonObject;
}

export interface HeaderNode {
  title: string;
  /** leaf: the column key */
  key?: string;
  children?: HeaderNode[];
}

export interface SectionDef {
  /** the array property holding this section's rows */
  field: string;
  /** section title shown in the left column (only for multi-section forms) */
  title?: string;
  columns: ColumnDef[];
  tree: HeaderNode[];
  /** number of header rows */
  depth: number;
  total?: { label: string; column: string };
  itemsSchema: JsonObject;
  /** computed column keys in evaluation order */
  computeOrder: string[];
}

export type PreambleLine = { label: string; field: string } | { text: string };

export interface TableLayout {
  title: string;
  attachment?: string;
  sheetName: string;
  preamble: PreambleLine[];
  sections: SectionDef[];
  notes: string[];
  /** multi-section forms have a left column holding the section titles */
  sectionColumn: boolean;
  /** total number of sheet columns */
  width: number;
  /**
   * `x-table.print`: how the sheet prints on A4 landscape. `repeatColumns`: the first N columns
   * repeated on each page when the table is wider than a page (e.g. a code and a name);
   * `scale`: a print scale (%) instead of the automatic one (the largest that fits one page wide,
   * never below the one at which text stays 8 pt — wider tables go on to more pages).
   */
  print: { repeatColumns?: number; scale?: number };
}

/** A bad table form: thrown because it is a configuration bug (checkTableForm reports it as data). */
export class TableFormError extends Error {
  constructor(
    message: string,
    public readonly pointer: string,
  ) {
    super(message);
    this.name = 'TableFormError';
  }
}

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A column's (or a top-level field's) value type, from its schema. */
export function columnTypeOf(schema: JsonObject): ColumnType {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (t === 'number' || t === 'integer' || t === 'boolean') return t;
  return 'string';
}

function parseColumn(key: string, schema: JsonObject, required: boolean, groups: string[], inAddedGroup: boolean): ColumnDef {
  const title = typeof schema.title === 'string' ? schema.title : key;
  const unit = typeof schema['x-unit'] === 'string' ? schema['x-unit'] : undefined;
  const header = unit && !title.endsWith(`(${unit})`) && !title.endsWith(`（${unit}）`) ? `${title}（${unit}）` : title;
  const t = schema['x-total'];
  const col: ColumnDef = {
    key,
    title,
    header,
    type: columnTypeOf(schema),
    required,
    total: t === 'sum' || t === 'recompute' ? t : isObj(t) ? 'logic' : 'none',
    added: schema['x-added'] === true || inAddedGroup,
    groups,
    schema,
  };
  if (schema['x-derive'] !== undefined) col.derive = schema['x-derive'];
  if (Array.isArray(schema.enum)) col.enum = schema.enum;
  if (typeof schema.format === 'string') col.format = schema.format;
  if (typeof schema['x-precision'] === 'number') col.precision = schema['x-precision'];
  if (schema['x-compute'] !== undefined) col.compute = schema['x-compute'];
  if (isObj(t)) col.totalLogic = t;
  if (typeof schema['x-numFmt'] === 'string') col.numFmt = schema['x-numFmt'];
  if (typeof schema['x-width'] === 'number') col.width = schema['x-width'];
  return col;
}

/** The json-logic `var` names an expression reads. */
export function logicVars(logic: unknown, out: string[] = []): string[] {
  if (Array.isArray(logic)) for (const x of logic) logicVars(x, out);
  else if (isObj(logic)) {
    for (const [op, arg] of Object.entries(logic)) {
      if (op === 'var') {
        const p = Array.isArray(arg) ? arg[0] : arg;
        if (typeof p === 'string' && p !== '') out.push(p);
      } else logicVars(arg, out);
    }
  }
  return out;
}

function parseSection(form: TableForm, field: string, spec: JsonObject, pointer: string): SectionDef {
  const props = isObj(form.properties) ? form.properties : {};
  const arr = props[field];
  if (!isObj(arr) || arr.type !== 'array' || !isObj(arr.items)) {
    throw new TableFormError(`表格字段“${field}”必须是 type: array 且 items 为对象的属性`, `/properties/${field}`);
  }
  const items = arr.items;
  const itemProps = isObj(items.properties) ? items.properties : {};
  const required = new Set(Array.isArray(items.required) ? items.required.filter((x): x is string => typeof x === 'string') : []);
  const columns: ColumnDef[] = [];
  const used = new Set<string>();

  const walk = (nodes: unknown, groups: string[], p: string, added = false): HeaderNode[] =>
    (Array.isArray(nodes) ? nodes : []).map((n, i): HeaderNode => {
      if (typeof n === 'string') {
        const s = itemProps[n];
        if (!isObj(s)) throw new TableFormError(`表头引用的列“${n}”不在 items.properties 中`, `${p}/${i}`);
        if (used.has(n)) throw new TableFormError(`列“${n}”在表头中出现了不止一次`, `${p}/${i}`);
        used.add(n);
        const col = parseColumn(n, s, required.has(n), groups, added);
        columns.push(col);
        return { title: col.header, key: n };
      }
      if (isObj(n) && typeof n.title === 'string' && Array.isArray(n.children) && n.children.length > 0) {
        // a group declared `"added": true` holds columns the platform added to the notice's form
        return { title: n.title, children: walk(n.children, [...groups, n.title], `${p}/${i}/children`, added || n.added === true) };
      }
      throw new TableFormError('表头节点应为列名字符串，或 { "title": 分组标题, "children": [...] }', `${p}/${i}`);
    });

  const tree = walk(spec.columns ?? Object.keys(itemProps), [], `${pointer}/columns`);
  for (const k of Object.keys(itemProps)) {
    if (!used.has(k)) throw new TableFormError(`列“${k}”没有出现在表头 columns 中`, `${pointer}/columns`);
  }
  const depthOf = (nodes: HeaderNode[]): number => Math.max(0, ...nodes.map((n) => (n.children ? 1 + depthOf(n.children) : 1)));

  // computed columns in dependency order
  const computed = columns.filter((c) => c.compute !== undefined);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (c: ColumnDef): void => {
    if (state.get(c.key) === 'done') return;
    if (state.get(c.key) === 'visiting') throw new TableFormError(`计算列“${c.title}”存在循环引用`, `/properties/${field}/items/properties/${c.key}/x-compute`);
    state.set(c.key, 'visiting');
    for (const v of logicVars(c.compute)) {
      const dep = columns.find((x) => x.key === v);
      if (!dep) throw new TableFormError(`计算列“${c.title}”引用的列“${v}”不存在`, `/properties/${field}/items/properties/${c.key}/x-compute`);
      if (dep.compute !== undefined) visit(dep);
    }
    state.set(c.key, 'done');
    order.push(c.key);
  };
  computed.forEach(visit);

  const section: SectionDef = { field, columns, tree, depth: depthOf(tree), itemsSchema: items, computeOrder: order };
  if (typeof spec.title === 'string') section.title = spec.title;
  const total = spec.total;
  if (isObj(total)) {
    const column = typeof total.column === 'string' ? total.column : columns[0]?.key ?? '';
    if (!columns.some((c) => c.key === column)) throw new TableFormError(`总计行的标签列“${column}”不存在`, `${pointer}/total/column`);
    if (typeof total.label !== 'string' || total.label === '') throw new TableFormError('总计行必须写标签 label（如表格上的文字）', `${pointer}/total/label`);
    section.total = { label: total.label, column };
  }
  return section;
}

const cache = new WeakMap<TableForm, TableLayout>();

/** Parse (and cache) the layout of a table form; throws TableFormError on a malformed form. */
export function tableLayout(form: TableForm): TableLayout {
  const hit = cache.get(form);
  if (hit) return hit;
  const xt = isObj(form['x-table']) ? form['x-table'] : {};
  const title = typeof xt.title === 'string' ? xt.title : typeof form.title === 'string' ? form.title : '';
  const sectionsSpec = Array.isArray(xt.sections) ? xt.sections : undefined;
  const sections: SectionDef[] = sectionsSpec
    ? sectionsSpec.map((s, i) => {
        if (!isObj(s) || typeof s.field !== 'string') throw new TableFormError('分节应为 { "field": 数组属性名, "title": 分节标题, "columns": [...] }', `/x-table/sections/${i}`);
        return parseSection(form, s.field, s, `/x-table/sections/${i}`);
      })
    : [parseSection(form, typeof xt.rowsField === 'string' ? xt.rowsField : 'rows', xt, '/x-table')];
  const preamble: PreambleLine[] = (Array.isArray(xt.preamble) ? xt.preamble : []).map((p, i) => {
    if (isObj(p) && typeof p.text === 'string') return { text: p.text };
    if (isObj(p) && typeof p.label === 'string' && typeof p.field === 'string') return { label: p.label, field: p.field };
    throw new TableFormError('表头说明行应为 { "label": "填报地区", "field": 字段 } 或 { "text": 文字 }', `/x-table/preamble/${i}`);
  });
  const sectionColumn = sections.length > 1;
  const width = Math.max(1, ...sections.map((s) => s.columns.length)) + (sectionColumn ? 1 : 0);
  const layout: TableLayout = {
    title,
    sheetName: typeof xt.sheetName === 'string' ? xt.sheetName : typeof xt.attachment === 'string' ? xt.attachment : 'Sheet1',
    preamble,
    sections,
    notes: Array.isArray(xt.notes) ? xt.notes.filter((x): x is string => typeof x === 'string') : [],
    sectionColumn,
    width,
    print: {},
  };
  if (isObj(xt.print)) {
    if (typeof xt.print.repeatColumns === 'number') layout.print.repeatColumns = xt.print.repeatColumns;
    if (typeof xt.print.scale === 'number') layout.print.scale = xt.print.scale;
  }
  if (typeof xt.attachment === 'string') layout.attachment = xt.attachment;
  cache.set(form, layout);
  return layout;
}
