/**
 * A rule set's conditions as sentences a person reads and edits ("企业数 ≥ 50 家"): the facts a
 * rule may read (the form's fields, the derived facts, the parameters) by their Chinese titles, the
 * common conditions (fact + operator + value, grouped by all / any) made editable, the others
 * (`not`, `path`, `params`, a value comparing with another fact) shown read-only with a pointer to
 * the expert mode; and a level rule set's criteria as a matrix (indicator × park type × level).
 * Pure functions over the draft's files, like pack-edit.ts: each edit returns new files.
 */
import { OPERATOR_TEXT, indexFields, paramText, packPaths, pointerTokens, ptr, resolvePointer, type FieldInfo, type Operator } from '@yuanping/core/browser';
import { manifestOf } from './pack-edit';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a rule can read, as the editor names it. */
export interface FactInfo {
  id: string;
  title: string;
  kind: 'field' | 'derived' | 'param';
  type: FieldInfo['type'];
  format?: string;
  unit?: string;
  options?: Array<{ value: unknown; label: string }>;
  /** for a list field (a checklist): its items' options */
  itemOptions?: Array<{ value: unknown; label: string }>;
}

export interface RuleSetView {
  id: string;
  title: string;
  /** the rule set's file in the draft */
  file: string;
  kind: string;
  levels: Array<{ id: string; label: string }>;
  rules: Obj[];
  facts: Map<string, FactInfo>;
  /** a label or message as the applicant reads it: `{{param.x}}` and `{{pack.year}}` filled in */
  text: (s: unknown) => string;
}

const TEXT_REF = /\{\{\s*(param|pack)\.([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** `{{param.x}}` / `{{pack.year}}` in a text, filled from the draft's manifest (left as written when unknown). */
export function filler(m: { parameters?: Record<string, { value: unknown }> } & Obj): (s: unknown) => string {
  return (s) =>
    typeof s !== 'string'
      ? ''
      : s.replace(TEXT_REF, (whole, scope: string, name: string) => {
          const v = scope === 'pack' ? m[name] : m.parameters?.[name]?.value;
          return v === undefined ? whole : paramText(v);
        });
}

/** The operators offered for a fact of each kind, in the order the list shows them. */
const NUMBER_OPS: Operator[] = ['greaterThanInclusive', 'greaterThan', 'lessThanInclusive', 'lessThan', 'equal', 'notEqual'];
const DATE_OPS: Operator[] = ['dateOnOrBefore', 'dateBefore', 'dateOnOrAfter', 'dateAfter', 'equal'];
const CHOICE_OPS: Operator[] = ['equal', 'notEqual', 'in', 'notIn'];
const LIST_OPS: Operator[] = ['contains', 'doesNotContain', 'containsAll'];
const BOOL_OPS: Operator[] = ['equal', 'notEqual'];
const TEXT_OPS: Operator[] = ['equal', 'notEqual', 'in', 'notIn'];

/** The operators that make sense for a fact (by its type), each with its Chinese text. */
export function operatorsFor(f: FactInfo | undefined): Array<{ value: Operator; label: string }> {
  const ops =
    !f ? NUMBER_OPS
    : f.type === 'array' ? LIST_OPS
    : f.type === 'boolean' ? BOOL_OPS
    : f.format === 'date' ? DATE_OPS
    : f.type === 'number' || f.type === 'integer' ? NUMBER_OPS
    : f.options ? CHOICE_OPS
    : TEXT_OPS;
  return ops.map((o) => ({ value: o, label: OPERATOR_TEXT[o] }));
}

/** The rule sets of a draft, with the facts each can read. */
export function ruleSetsOf(files: Obj, packId: string): RuleSetView[] {
  const m = manifestOf(files, packId);
  const paths = packPaths(packId);
  const decls = Array.isArray(m.ruleSets) ? (m.ruleSets as unknown[]).filter(isObj) : [];
  const text = filler(m);
  const out: RuleSetView[] = [];
  for (const d of decls) {
    const file = `${paths.rulesDir}/${String(d.file)}`;
    const rs = files[file];
    if (!isObj(rs) || !Array.isArray(rs.rules)) continue;
    const facts = new Map<string, FactInfo>();
    const form = (m.forms ?? []).find((f) => f.id === rs.form);
    const schema = form ? files[`${paths.schemasDir}/${form.schema}`] : undefined;
    for (const [path, fi] of indexFields(schema)) {
      if (fi.type === 'object') continue;
      facts.set(path, {
        id: path,
        title: text(fi.title),
        kind: 'field',
        type: fi.type,
        ...(fi.format ? { format: fi.format } : {}),
        ...(fi.unit ? { unit: fi.unit } : {}),
        ...(fi.options ? { options: fi.options } : {}),
        ...(fi.items?.options ? { itemOptions: fi.items.options } : {}),
      });
    }
    for (const x of Array.isArray(rs.derived) ? rs.derived.filter(isObj) : []) {
      facts.set(String(x.id), { id: String(x.id), title: text(x.label ?? x.id), kind: 'derived', type: 'number', ...(typeof x.unit === 'string' ? { unit: x.unit } : {}) });
    }
    for (const [name, p] of Object.entries(m.parameters ?? {})) {
      const v = p.value;
      facts.set(`param.${name}`, {
        id: `param.${name}`,
        title: `参数“${text(p.label)}”`,
        kind: 'param',
        type: typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : Array.isArray(v) ? 'array' : 'string',
        ...(p.unit ? { unit: p.unit } : {}),
      });
    }
    const outcome = isObj(rs.outcome) ? rs.outcome : {};
    out.push({
      id: String(rs.id ?? d.id),
      title: text(rs.title ?? d.id),
      file,
      kind: String(outcome.kind ?? ''),
      levels: (Array.isArray(outcome.levels) ? outcome.levels.filter(isObj) : []).map((l) => ({ id: String(l.id), label: String(l.label ?? l.id) })),
      rules: rs.rules.filter(isObj),
      facts,
      text,
    });
  }
  return out;
}

/** One condition as the editor shows it. */
export type ConditionView =
  | { kind: 'leaf'; pointer: string; fact: string; operator: Operator; value: unknown; name?: string }
  | { kind: 'group'; pointer: string; join: 'all' | 'any'; name?: string; children: ConditionView[] }
  /** a condition the sentence form does not edit: its text, and why */
  | { kind: 'other'; pointer: string; text: string; why: string };

const isPlain = (v: unknown) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** The condition at `pointer` (a rule's `conditions` or `applies`, or a part of them) as a view. */
export function conditionView(c: unknown, pointer: string, facts: Map<string, FactInfo>): ConditionView {
  if (isObj(c) && (Array.isArray(c.all) || Array.isArray(c.any))) {
    const join = Array.isArray(c.all) ? 'all' : 'any';
    const list = c[join] as unknown[];
    return { kind: 'group', pointer, join, ...(typeof c.name === 'string' ? { name: c.name } : {}), children: list.map((x, i) => conditionView(x, `${pointer}/${join}/${i}`, facts)) };
  }
  if (isObj(c) && typeof c.fact === 'string' && typeof c.operator === 'string') {
    const simple = !('path' in c) && !('params' in c) && (isPlain(c.value) || (Array.isArray(c.value) && c.value.every(isPlain)));
    if (simple && facts.has(c.fact) && c.operator in OPERATOR_TEXT) {
      return { kind: 'leaf', pointer, fact: c.fact, operator: c.operator as Operator, value: c.value, ...(typeof c.name === 'string' ? { name: c.name } : {}) };
    }
    const why = isObj(c.value) ? '与另一项数据或参数比较' : 'path' in c || 'params' in c ? '读取数据中的一部分' : !facts.has(c.fact) ? '读取的数据不在表单中' : '要求的值不是数、文字或列表';
    return { kind: 'other', pointer, text: sentence(c, facts), why };
  }
  if (isObj(c) && 'not' in c) return { kind: 'other', pointer, text: `不满足：${sentence(c.not, facts)}`, why: '“不满足”条件' };
  return { kind: 'other', pointer, text: '（无法读出的条件）', why: '条件的写法不常见' };
}

/** A fact's value as the sentence shows it: the option's label, 是/否, the number with its unit. */
export function valueText(f: FactInfo | undefined, v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => valueText(f, x)).join('、');
  if (typeof v === 'boolean') return v ? '是' : '否';
  const opts = f?.type === 'array' ? f.itemOptions : f?.options;
  const o = opts?.find((x) => x.value === v);
  if (o) return o.label;
  if (typeof v === 'number') return f?.unit ? `${v} ${f.unit}` : String(v);
  return String(v);
}

/** Any condition as one line of Chinese (read-only parts included). */
export function sentence(c: unknown, facts: Map<string, FactInfo>, top = true): string {
  if (isObj(c) && (Array.isArray(c.all) || Array.isArray(c.any))) {
    const join = Array.isArray(c.all) ? 'all' : 'any';
    const parts = (c[join] as unknown[]).map((x) => sentence(x, facts, top && (c[join] as unknown[]).length === 1));
    if (parts.length === 1) return parts[0]!;
    const text = parts.join(join === 'all' ? '，并且 ' : '，或者 ');
    return top ? text : `（${text}）`;
  }
  if (isObj(c) && 'not' in c) return `不满足${sentence(c.not, facts, false)}`;
  if (isObj(c) && typeof c.fact === 'string') {
    const f = facts.get(c.fact);
    const title = f?.title ?? c.fact;
    const op = OPERATOR_TEXT[c.operator as Operator] ?? String(c.operator);
    const v = isObj(c.value) && typeof c.value.fact === 'string' ? (facts.get(c.value.fact)?.title ?? c.value.fact) : valueText(f, c.value);
    return `${title} ${op} ${v}`;
  }
  return '（无法读出的条件）';
}

/** The files with the rule set's JSON at `pointer` changed by `edit` (on a copy of that file). */
function editAt(files: Obj, file: string, pointer: string, edit: (node: Obj) => void): Obj {
  const rs = structuredClone(files[file]);
  const node = resolvePointer(rs, pointer);
  if (!isObj(node)) return files;
  edit(node);
  return { ...files, [file]: rs };
}

/** A default value for a fact under an operator (when the field or operator changes). */
export function defaultValue(f: FactInfo | undefined, op: Operator, old: unknown): unknown {
  const list = op === 'in' || op === 'notIn' || op === 'containsAll';
  const opts = f?.type === 'array' ? f.itemOptions : f?.options;
  const first = opts?.[0]?.value;
  let one: unknown;
  if (f?.type === 'boolean') one = true;
  else if (f?.format === 'date') one = typeof old === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(old) ? old : '2000-01-01';
  else if (f?.type === 'number' || f?.type === 'integer') one = typeof old === 'number' ? old : 0;
  else if (first !== undefined) one = first;
  else one = typeof old === 'string' ? old : '';
  if (list) return Array.isArray(old) && old.every((x) => !opts || opts.some((o) => o.value === x)) && old.length ? old : [one];
  return one;
}

/** A leaf condition's fact, operator or value; a new fact or operator resets the value to one that fits. */
export function setLeaf(files: Obj, rs: RuleSetView, pointer: string, patch: { fact?: string; operator?: Operator; value?: unknown }): Obj {
  return editAt(files, rs.file, pointer, (c) => {
    const old = c.value;
    if (patch.fact !== undefined && patch.fact !== c.fact) {
      c.fact = patch.fact;
      const f = rs.facts.get(patch.fact);
      const ops = operatorsFor(f).map((o) => o.value);
      if (!ops.includes(c.operator as Operator)) c.operator = ops[0];
      c.value = defaultValue(f, c.operator as Operator, undefined);
      // the condition's own name described the old field
      delete c.name;
    }
    if (patch.operator !== undefined && patch.operator !== c.operator) {
      c.operator = patch.operator;
      c.value = defaultValue(rs.facts.get(String(c.fact)), patch.operator, old);
    }
    if (patch.value !== undefined) c.value = patch.value;
  });
}

/** all ↔ any of a group. */
export function setJoin(files: Obj, file: string, pointer: string, join: 'all' | 'any'): Obj {
  return editAt(files, file, pointer, (c) => {
    const from = Array.isArray(c.all) ? 'all' : 'any';
    if (from === join) return;
    c[join] = c[from];
    delete c[from];
  });
}

/** A new condition at the end of a group (the group's first field, ≥ 0 or its first option). */
export function addLeaf(files: Obj, rs: RuleSetView, pointer: string, fact: string): Obj {
  return editAt(files, rs.file, pointer, (c) => {
    const join = Array.isArray(c.all) ? 'all' : 'any';
    const f = rs.facts.get(fact);
    const op = operatorsFor(f)[0]!.value;
    (c[join] as unknown[]).push({ fact, operator: op, value: defaultValue(f, op, undefined) });
  });
}

/** The condition at `pointer` taken out of its group (a group keeps at least one condition). */
export function removeCondition(files: Obj, file: string, pointer: string): Obj {
  const tokens = pointerTokens(pointer);
  const index = Number(tokens.pop());
  const rs = structuredClone(files[file]);
  const list = resolvePointer(rs, ptr(...tokens));
  if (!Array.isArray(list) || list.length <= 1 || !Number.isInteger(index)) return files;
  list.splice(index, 1);
  return { ...files, [file]: rs };
}

/** A level rule set's criteria as a matrix: a row per indicator and park type (the rule's `applies`), a column per level. */
export interface MatrixRow {
  indicator: string;
  /** the sentence of the rules' `applies` (e.g. a park category = one of its options), '' when they apply to every park */
  appliesTo: string;
  cells: Map<string, number[]>;
}

export function levelMatrix(rs: RuleSetView): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  rs.rules.forEach((r, i) => {
    const ev = isObj(r.event) ? r.event : {};
    const level = isObj(ev.params) && ev.params.level !== undefined ? String(ev.params.level) : null;
    if (ev.type !== 'criterion' || level === null) return;
    const indicator = rs.text(typeof r.indicator === 'string' ? r.indicator : (r.label ?? r.name));
    const appliesTo = r.applies === undefined ? '' : sentence(r.applies, rs.facts);
    const key = `${indicator}\u0000${appliesTo}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { indicator, appliesTo, cells: new Map() }));
    const cell = row.cells.get(level) ?? [];
    cell.push(i);
    row.cells.set(level, cell);
  });
  return [...rows.values()];
}

/** The leaf conditions of a condition tree, flattened (for a matrix cell: its thresholds and options). */
export function leaves(v: ConditionView): ConditionView[] {
  return v.kind === 'group' ? v.children.flatMap(leaves) : [v];
}

/** The name of a condition or group (shown in the explanation); empty removes it (the field's title is used). */
export function setName(files: Obj, file: string, pointer: string, name: string): Obj {
  return editAt(files, file, pointer, (c) => {
    if (name.trim()) c.name = name.trim();
    else delete c.name;
  });
}
