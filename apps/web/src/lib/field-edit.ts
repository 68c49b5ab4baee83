/**
 * A form's fields as the workbench's fields editor edits them: the leaves of a form's JSON Schema
 * file (nested groups walked, tables and checklists are leaves) with what an administrator sets —
 * title, type, unit (`x-unit`), required (the parent's `required`), minimum/maximum, options
 * (`oneOf` const/title or `enum`), help text (`ui:help` in the form's ui file) — and fields added,
 * removed and moved within their group (the group's `properties` order and its `ui:order`). Pure
 * functions: edits return new files, the untouched ones shared; the checker then checks them like
 * any edit (a rule that reads a removed field is its RULE_UNKNOWN_FACT).
 */
import { EDITABLE_KINDS, FIELD_KIND_LABELS, fieldEditSchema, isObject, isParamRef, packPaths, pointerTokens, ptr, ptrToken, type FieldKind } from '@yuanping/core/browser';

type Obj = Record<string, unknown>;

export { EDITABLE_KINDS, FIELD_KIND_LABELS, type FieldKind };

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

/** An attachment as the packs write it: PDF or a picture, up to 20 MB. */
const NEW_FILE = { accept: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 20 * 1024 * 1024 };
const NEW_OPTIONS = ['选项一', '选项二'];

function kindOf(s: Obj, ui: Obj | null): FieldKind {
  const t = s.type;
  if (t === 'array') {
    const it = isObject(s.items) ? s.items : {};
    return Array.isArray(it.enum) || Array.isArray(it.oneOf) ? 'checklist' : 'other';
  }
  if (t === 'string') {
    if (Array.isArray(s.oneOf) || Array.isArray(s.enum)) return 'choice';
    if (s.format === 'date') return 'date';
    if (s['x-file'] !== undefined) return 'file';
    return ui?.['ui:widget'] === 'textarea' ? 'textarea' : 'string';
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
      const fieldUi = uiAt(ui, dotted);
      const help = fieldUi?.['ui:help'];
      out.push({
        pointer: p,
        path: dotted,
        group: groups.join(' / '),
        title,
        kind: kindOf(raw, fieldUi),
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
  return fieldEditSchema({ kind: row.kind, optionsEditable: row.optionsEditable, minimumIsParam: isParamRef(row.minimum), maximumIsParam: isParamRef(row.maximum) });
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
  const kindChanged = edit.kind !== undefined && edit.kind !== row.kind && EDITABLE_KINDS.includes(edit.kind) && EDITABLE_KINDS.includes(row.kind);
  if (kindChanged && edit.kind) retype(field, edit.kind, row.options);
  const kind = edit.kind ?? row.kind;
  const wasNumeric = row.kind === 'number' || row.kind === 'integer';
  if (kind === 'number' || kind === 'integer') setOrDelete(field, 'x-unit', edit.unit);
  // a field that was not a number keeps the new field's range (edit's minimum/maximum are not its)
  if ((kind === 'number' || kind === 'integer') && (wasNumeric || !kindChanged)) {
    if (!isParamRef(row.minimum)) setOrDelete(field, 'minimum', edit.minimum);
    if (!isParamRef(row.maximum)) setOrDelete(field, 'maximum', edit.maximum);
  }
  if (edit.options && row.optionsEditable && !kindChanged) {
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
  const helpChanged = (edit.help ?? '') !== (row.help ?? '');
  if (uiFile && isObject(files[uiFile]) && (helpChanged || kindChanged)) {
    const ui = structuredClone(files[uiFile]) as Obj;
    const cur = uiNode(ui, row.path, true)!;
    if (helpChanged) setOrDelete(cur, 'ui:help', edit.help);
    if (kindChanged) setOrDelete(cur, 'ui:widget', edit.kind === 'textarea' ? 'textarea' : undefined);
    out[uiFile] = ui;
  }
  return out;
}

/** A field's schema made of another kind: its title, description, clause and role kept, the rest as a new field of that kind has it. */
function retype(field: Obj, kind: FieldKind, options: string[] | undefined): void {
  const keep = ['title', 'description', 'x-clause', 'x-role'];
  for (const k of Object.keys(field)) if (!keep.includes(k)) delete field[k];
  Object.assign(field, newFieldSchema(kind, options));
}

function newFieldSchema(kind: FieldKind, options?: string[]): Obj {
  switch (kind) {
    case 'textarea':
      return { type: 'string', maxLength: 2000 };
    case 'number':
    case 'integer':
      return { type: kind, minimum: 0 };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'choice':
      return { type: 'string', oneOf: (options?.length ? options : NEW_OPTIONS).map((o) => ({ const: o, title: o })) };
    case 'file':
      return { type: 'string', maxLength: 500, 'x-file': structuredClone(NEW_FILE) };
    default:
      return { type: 'string', maxLength: 200 };
  }
}

/** The ui file's object at a dotted path (made when `make`). */
function uiNode(ui: Obj, path: string, make: boolean): Obj | null {
  let cur = ui;
  for (const k of path ? path.split('.') : []) {
    if (!isObject(cur[k])) {
      if (!make) return null;
      cur[k] = {};
    }
    cur = cur[k] as Obj;
  }
  return cur;
}

/** The group (object schema) a field is in: its pointer, its dotted path and the field's key. */
function placeOf(row: Pick<FieldRow, 'pointer' | 'path'>): { parentPointer: string; parentPath: string; key: string } {
  const tokens = pointerTokens(row.pointer);
  return { parentPointer: ptr(...tokens.slice(0, -2)), parentPath: row.path.split('.').slice(0, -1).join('.'), key: tokens[tokens.length - 1]! };
}

/** The ui file with a group's `ui:order` changed by `edit` (when the group has one). */
function withUiOrder(files: Obj, uiFile: string | undefined, parentPath: string, edit: (order: string[]) => string[]): Obj {
  if (!uiFile || !isObject(files[uiFile])) return files;
  const ui = structuredClone(files[uiFile]) as Obj;
  const node = uiNode(ui, parentPath, false);
  if (!node || !Array.isArray(node['ui:order'])) return files;
  node['ui:order'] = edit(node['ui:order'].map(String));
  return { ...files, [uiFile]: ui };
}

/**
 * A new field after `after` in its group (or at the end of the form): `kind`, titled `title`, with
 * a key the form does not have yet (`field1`, `field2`…; the administrator never types a key).
 */
export function addField(files: Obj, schemaFile: string, uiFile: string | undefined, after: FieldRow | null, spec: { title: string; kind: FieldKind }): { files: Obj; pointer: string; path: string } {
  const schema = structuredClone(files[schemaFile]);
  const place = after ? placeOf(after) : { parentPointer: '', parentPath: '', key: '' };
  const parent = at(schema, place.parentPointer);
  if (!parent) return { files, pointer: '', path: '' };
  const props = isObject(parent.properties) ? parent.properties : {};
  const taken = new Set(listFields(schema, undefined).map((r) => r.path.split('.').pop()));
  let n = 1;
  while (taken.has(`field${n}`) || `field${n}` in props) n++;
  const key = `field${n}`;
  const entries = Object.entries(props);
  const i = after ? entries.findIndex(([k]) => k === place.key) : -1;
  entries.splice(i >= 0 ? i + 1 : entries.length, 0, [key, { title: spec.title, ...newFieldSchema(spec.kind) }]);
  parent.properties = Object.fromEntries(entries);
  let out: Obj = { ...files, [schemaFile]: schema };
  out = withUiOrder(out, uiFile, place.parentPath, (order) => {
    const j = order.indexOf(place.key);
    const next = [...order];
    if (j >= 0) next.splice(j + 1, 0, key);
    else if (!next.includes('*')) next.push(key);
    return next;
  });
  if (spec.kind === 'textarea' && uiFile && isObject(out[uiFile])) {
    const ui = structuredClone(out[uiFile]) as Obj;
    uiNode(ui, place.parentPath ? `${place.parentPath}.${key}` : key, true)!['ui:widget'] = 'textarea';
    out[uiFile] = ui;
  }
  const path = place.parentPath ? `${place.parentPath}.${key}` : key;
  return { files: out, pointer: `${place.parentPointer}/properties/${ptrToken(key)}`, path };
}

/** The form without the field: its schema, its place in `required`, its ui entry and `ui:order` place. */
export function removeField(files: Obj, schemaFile: string, uiFile: string | undefined, row: FieldRow): Obj {
  const schema = structuredClone(files[schemaFile]);
  const { parentPointer, parentPath, key } = placeOf(row);
  const parent = at(schema, parentPointer);
  if (!parent || !isObject(parent.properties)) return files;
  delete parent.properties[key];
  if (Array.isArray(parent.required)) {
    const req = parent.required.filter((k) => k !== key);
    if (req.length) parent.required = req;
    else delete parent.required;
  }
  let out: Obj = { ...files, [schemaFile]: schema };
  out = withUiOrder(out, uiFile, parentPath, (order) => order.filter((k) => k !== key));
  if (uiFile && isObject(out[uiFile])) {
    const ui = structuredClone(out[uiFile]) as Obj;
    const node = uiNode(ui, parentPath, false);
    if (node && key in node) {
      delete node[key];
      out[uiFile] = ui;
    }
  }
  return out;
}

/** The fields of the group `row` is in, in the order the applicant sees them (`ui:order` when the group has one). */
function shownOrder(files: Obj, schemaFile: string, uiFile: string | undefined, row: FieldRow): string[] {
  const { parentPointer, parentPath } = placeOf(row);
  const parent = at(files[schemaFile], parentPointer);
  const keys = parent && isObject(parent.properties) ? Object.keys(parent.properties) : [];
  const node = uiFile && isObject(files[uiFile]) ? uiNode(files[uiFile] as Obj, parentPath, false) : null;
  const order = node && Array.isArray(node['ui:order']) ? node['ui:order'].map(String) : null;
  if (!order) return keys;
  const star = order.indexOf('*');
  const listed = order.filter((k) => keys.includes(k));
  const rest = keys.filter((k) => !listed.includes(k));
  if (star < 0) return listed;
  const before = order.slice(0, star).filter((k) => keys.includes(k));
  return [...before, ...rest, ...listed.filter((k) => !before.includes(k))];
}

/** Whether the field can move up (-1) or down (+1) within its group. */
export function canMove(files: Obj, schemaFile: string, uiFile: string | undefined, row: FieldRow, delta: -1 | 1): boolean {
  const order = shownOrder(files, schemaFile, uiFile, row);
  const i = order.indexOf(placeOf(row).key);
  return i >= 0 && i + delta >= 0 && i + delta < order.length;
}

/**
 * The field moved one place up (-1) or down (+1) within its group, as the applicant sees it: the
 * group's `properties` in the new order and, when the group has a `ui:order`, that list too.
 */
export function moveField(files: Obj, schemaFile: string, uiFile: string | undefined, row: FieldRow, delta: -1 | 1): Obj {
  const order = shownOrder(files, schemaFile, uiFile, row);
  const { parentPointer, parentPath, key } = placeOf(row);
  const i = order.indexOf(key);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= order.length) return files;
  const next = [...order];
  [next[i], next[j]] = [next[j]!, next[i]!];
  const schema = structuredClone(files[schemaFile]);
  const parent = at(schema, parentPointer);
  if (!parent || !isObject(parent.properties)) return files;
  const props = parent.properties;
  const unlisted = Object.keys(props).filter((k) => !next.includes(k));
  parent.properties = Object.fromEntries([...next, ...unlisted].map((k) => [k, props[k]]));
  const out: Obj = { ...files, [schemaFile]: schema };
  return withUiOrder(out, uiFile, parentPath, (o) => {
    // the two keys swap their places in the list (a `*` and keys of other fields stay where they are)
    const a = o.indexOf(key);
    const b = o.indexOf(order[j]!);
    if (a < 0 || b < 0) return o;
    const r = [...o];
    [r[a], r[b]] = [r[b]!, r[a]!];
    return r;
  });
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
