/**
 * A form's fields as the workbench's fields editor edits them: the leaves of a form's JSON Schema
 * file (nested groups walked, tables and checklists are leaves) with what an administrator sets —
 * title, type, unit (`x-unit`), required (the parent's `required`), minimum/maximum, options
 * (`oneOf` const/title or `enum`), help text (`ui:help` in the form's ui file). Pure functions:
 * edits return new files, the untouched ones shared; the checker then checks them like any edit.
 */
import { isObject, isParamRef, packPaths, pointerTokens, ptr, ptrToken } from '@yuanping/core/browser';

type Obj = Record<string, unknown>;

export type FieldKind = 'string' | 'choice' | 'number' | 'integer' | 'boolean' | 'date' | 'checklist' | 'other';

export const FIELD_KIND_LABELS: Record<FieldKind, string> = {
  string: '文字',
  choice: '单选',
  number: '数值',
  integer: '整数',
  boolean: '是/否',
  date: '日期',
  checklist: '多选',
  other: '其他（表格、文件等，请在专家模式中修改）',
};

/** One field as the editor shows it. */
export interface FieldRow {
  /** JSON pointer of the field's schema in the form file */
  pointer: string;
  /** dotted path in the data (the key in the ui file) */
  path: string;
  /** the groups it is in, by their titles */
  group: string;
  title: string;
  kind: FieldKind;
  unit?: string;
  required: boolean;
  /** a number, or a parameter's reference (not editable here) */
  minimum?: unknown;
  maximum?: unknown;
  /** option labels; editable when each option's value is its label */
  options?: string[];
  optionsEditable: boolean;
  help?: string;
}

/** The editable part of a field (the form the editor generates from FIELD_META_SCHEMA). */
export interface FieldEdit {
  title?: string;
  kind?: FieldKind;
  unit?: string;
  required?: boolean;
  minimum?: number;
  maximum?: number;
  options?: string[];
  help?: string;
}

function kindOf(s: Obj): FieldKind {
  const t = s.type;
  if (t === 'array') {
    const it = isObject(s.items) ? s.items : {};
    return Array.isArray(it.enum) || Array.isArray(it.oneOf) ? 'checklist' : 'other';
  }
  if (t === 'string') {
    if (Array.isArray(s.oneOf) || Array.isArray(s.enum)) return 'choice';
    if (s.format === 'date') return 'date';
    return s['x-file'] !== undefined ? 'other' : 'string';
  }
  if (t === 'number' || t === 'integer' || t === 'boolean') return t;
  return 'other';
}

function optionHolder(s: Obj): Obj {
  return s.type === 'array' && isObject(s.items) ? s.items : s;
}

function optionsOf(s: Obj): { list?: string[]; editable: boolean } {
  const h = optionHolder(s);
  if (Array.isArray(h.oneOf)) {
    const list = h.oneOf.map((o) => (isObject(o) ? String(o.title ?? o.const) : String(o)));
    return { list, editable: h.oneOf.every((o) => isObject(o) && typeof o.const === 'string' && (o.title === undefined || o.title === o.const)) };
  }
  if (Array.isArray(h.enum)) return { list: h.enum.map(String), editable: h.enum.every((v) => typeof v === 'string') && !Array.isArray(h.enumNames) };
  return { editable: false };
}

/** The value of a ui file at a dotted path's object (null when absent). */
function uiAt(ui: unknown, path: string): Obj | null {
  let cur: unknown = ui;
  for (const k of path.split('.')) {
    if (!isObject(cur)) return null;
    cur = cur[k];
  }
  return isObject(cur) ? cur : null;
}

/** The fields of a form file, in the order of the file (groups walked). */
export function listFields(schema: unknown, ui: unknown): FieldRow[] {
  const out: FieldRow[] = [];
  const walk = (node: Obj, pointer: string, path: string, groups: string[]) => {
    const props = isObject(node.properties) ? node.properties : {};
    const required = Array.isArray(node.required) ? node.required : [];
    for (const [key, raw] of Object.entries(props)) {
      if (!isObject(raw)) continue;
      const p = `${pointer}/properties/${ptrToken(key)}`;
      const dotted = path ? `${path}.${key}` : key;
      const title = typeof raw.title === 'string' ? raw.title : key;
      if (raw.type === 'object' && isObject(raw.properties)) {
        walk(raw, p, dotted, [...groups, title]);
        continue;
      }
      const opts = optionsOf(raw);
      const help = uiAt(ui, dotted)?.['ui:help'];
      out.push({
        pointer: p,
        path: dotted,
        group: groups.join(' / '),
        title,
        kind: kindOf(raw),
        ...(typeof raw['x-unit'] === 'string' ? { unit: raw['x-unit'] } : {}),
        required: required.includes(key),
        ...(raw.minimum !== undefined ? { minimum: raw.minimum } : {}),
        ...(raw.maximum !== undefined ? { maximum: raw.maximum } : {}),
        ...(opts.list ? { options: opts.list } : {}),
        optionsEditable: opts.editable,
        ...(typeof help === 'string' ? { help } : {}),
      });
    }
  };
  if (isObject(schema)) walk(schema, '', '', []);
  return out;
}

/** The form of one field's edit, as a JSON Schema (rendered by the same rjsf form as the applicant's). */
export function fieldMetaSchema(row: FieldRow): Obj {
  const numeric = row.kind === 'number' || row.kind === 'integer';
  const choice = row.kind === 'choice' || row.kind === 'checklist';
  const simple: FieldKind[] = ['string', 'number', 'integer', 'boolean', 'date'];
  const props: Obj = {
    title: { type: 'string', title: '标题', minLength: 1, maxLength: 300 },
  };
  // a field's type changes among the simple kinds; a choice, a checklist or a table keeps its kind
  if (simple.includes(row.kind)) props.kind = { type: 'string', title: '类型', oneOf: simple.map((k) => ({ const: k, title: FIELD_KIND_LABELS[k] })) };
  props.required = { type: 'boolean', title: '必填' };
  if (numeric) {
    props.unit = { type: 'string', title: '单位', maxLength: 20 };
    if (!isParamRef(row.minimum)) props.minimum = { type: 'number', title: '最小值' };
    if (!isParamRef(row.maximum)) props.maximum = { type: 'number', title: '最大值' };
  }
  if (choice && row.optionsEditable) props.options = { type: 'array', title: '选项', minItems: 1, maxItems: 200, items: { type: 'string', title: '选项', minLength: 1, maxLength: 200 } };
  props.help = { type: 'string', title: '填写说明（显示在字段下方）', maxLength: 2000 };
  return { type: 'object', title: `字段：${row.title}`, properties: props };
}

export function fieldEditOf(row: FieldRow): FieldEdit {
  return {
    title: row.title,
    kind: row.kind,
    required: row.required,
    ...(row.unit !== undefined ? { unit: row.unit } : {}),
    ...(typeof row.minimum === 'number' ? { minimum: row.minimum } : {}),
    ...(typeof row.maximum === 'number' ? { maximum: row.maximum } : {}),
    ...(row.options && row.optionsEditable ? { options: row.options } : {}),
    ...(row.help !== undefined ? { help: row.help } : {}),
  };
}

function at(root: unknown, pointer: string): Obj | null {
  let cur: unknown = root;
  for (const t of pointerTokens(pointer)) {
    if (!isObject(cur)) return null;
    cur = cur[t];
  }
  return isObject(cur) ? cur : null;
}

const setOrDelete = (o: Obj, k: string, v: unknown) => {
  if (v === undefined || v === '' || v === null) delete o[k];
  else o[k] = v;
};

/**
 * The files with one field changed: `schemaFile` (the form) and `uiFile` (for the help text; made
 * when the form has none is not done here: without a ui file the help text is not written).
 */
export function editField(files: Obj, schemaFile: string, uiFile: string | undefined, row: FieldRow, edit: FieldEdit): Obj {
  const schema = structuredClone(files[schemaFile]);
  const field = at(schema, row.pointer);
  if (!field) return files;
  const out: Obj = { ...files, [schemaFile]: schema };
  if (edit.title !== undefined && edit.title !== '') field.title = edit.title;
  if (edit.kind && edit.kind !== row.kind) {
    delete field.format;
    if (edit.kind === 'date') {
      field.type = 'string';
      field.format = 'date';
    } else field.type = edit.kind;
    if (edit.kind !== 'number' && edit.kind !== 'integer') for (const k of ['minimum', 'maximum', 'x-unit', 'exclusiveMinimum', 'exclusiveMaximum']) delete field[k];
    if (edit.kind !== 'string') for (const k of ['maxLength', 'minLength', 'pattern']) delete field[k];
    if (edit.kind === 'string' && field.maxLength === undefined) field.maxLength = 200;
  }
  const kind = edit.kind ?? row.kind;
  if (kind === 'number' || kind === 'integer') {
    setOrDelete(field, 'x-unit', edit.unit);
    if (!isParamRef(row.minimum)) setOrDelete(field, 'minimum', edit.minimum);
    if (!isParamRef(row.maximum)) setOrDelete(field, 'maximum', edit.maximum);
  }
  if (edit.options && row.optionsEditable) {
    const h = optionHolder(field);
    const list = edit.options.filter((o) => o !== '');
    if (Array.isArray(h.oneOf)) h.oneOf = list.map((o) => ({ const: o, title: o }));
    else h.enum = list;
  }
  // required: the parent object's list
  const tokens = pointerTokens(row.pointer);
  const key = tokens[tokens.length - 1]!;
  const parent = at(schema, ptr(...tokens.slice(0, -2)));
  if (parent && edit.required !== undefined && edit.required !== row.required) {
    const req = Array.isArray(parent.required) ? parent.required.filter((k) => k !== key) : [];
    if (edit.required) req.push(key);
    if (req.length) parent.required = req;
    else delete parent.required;
  }
  if (uiFile && isObject(files[uiFile]) && (edit.help ?? '') !== (row.help ?? '')) {
    const ui = structuredClone(files[uiFile]) as Obj;
    let cur = ui;
    for (const k of row.path.split('.')) {
      if (!isObject(cur[k])) cur[k] = {};
      cur = cur[k] as Obj;
    }
    setOrDelete(cur, 'ui:help', edit.help);
    out[uiFile] = ui;
  }
  return out;
}

/** The forms of a draft with their files (the manifest's order). */
export function formFiles(files: Obj, packId: string): Array<{ id: string; title: string; kind: string; schemaFile: string; uiFile?: string }> {
  const paths = packPaths(packId);
  const m = files[paths.manifest];
  const forms = isObject(m) && Array.isArray(m.forms) ? m.forms.filter(isObject) : [];
  const year = isObject(m) && typeof m.year === 'number' ? String(m.year) : '';
  return forms
    .filter((f) => typeof f.id === 'string' && typeof f.schema === 'string')
    .map((f) => ({
      id: String(f.id),
      title: `${f.attachment ? `${String(f.attachment)} ` : ''}${String(f.title ?? f.id).replace(/\{\{\s*pack\.year\s*\}\}/g, year)}`,
      kind: String(f.kind ?? 'record'),
      schemaFile: `${paths.schemasDir}/${String(f.schema)}`,
      ...(typeof f.ui === 'string' ? { uiFile: `${paths.schemasDir}/${f.ui}` } : {}),
    }));
}
