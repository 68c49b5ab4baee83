import { isObject, resolvePointer } from '../util/json.js';

export type FieldType = 'number' | 'integer' | 'string' | 'boolean' | 'array' | 'object' | 'null' | 'unknown';

/** What the runtime knows about one field of a form: enough to label, type-check and display it. */
export interface FieldInfo {
  path: string;
  title: string;
  type: FieldType;
  format?: string;
  /** allowed values, with their Chinese labels where the schema gives them */
  options?: Array<{ value: unknown; label: string }>;
  /** for arrays: the item field */
  items?: FieldInfo;
  unit?: string;
  schema: Record<string, unknown>;
}

function typeOf(schema: Record<string, unknown>): FieldType {
  const t = schema.type;
  if (typeof t === 'string') return t as FieldType;
  if (Array.isArray(t)) {
    const nonNull = t.filter((x) => x !== 'null');
    if (nonNull.length === 1) return nonNull[0] as FieldType;
  }
  if (Array.isArray(schema.enum)) {
    const kinds = new Set(schema.enum.map((v) => typeof v));
    if (kinds.size === 1) return ([...kinds][0] as FieldType) ?? 'unknown';
  }
  if ('const' in schema) return typeof schema.const as FieldType;
  if (Array.isArray(schema.oneOf) && schema.oneOf.every((o) => isObject(o) && 'const' in o)) {
    const kinds = new Set(schema.oneOf.map((o) => typeof (o as { const: unknown }).const));
    if (kinds.size === 1) return [...kinds][0] as FieldType;
  }
  return 'unknown';
}

export function optionsOf(schema: Record<string, unknown>): Array<{ value: unknown; label: string }> | undefined {
  if (Array.isArray(schema.oneOf) && schema.oneOf.every((o) => isObject(o) && 'const' in o)) {
    return (schema.oneOf as Array<{ const: unknown; title?: string }>).map((o) => ({
      value: o.const,
      label: o.title ?? String(o.const),
    }));
  }
  if (Array.isArray(schema.enum)) {
    const names = Array.isArray(schema.enumNames) ? (schema.enumNames as string[]) : [];
    return schema.enum.map((v, i) => ({ value: v, label: names[i] ?? String(v) }));
  }
  return undefined;
}

/** Resolve a local `$ref` (`#/definitions/x`) against the root schema. */
export function deref(root: Record<string, unknown>, schema: Record<string, unknown>): Record<string, unknown> {
  let cur = schema;
  for (let i = 0; i < 16 && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/'); i++) {
    const target = resolvePointer(root, cur.$ref);
    if (!isObject(target)) break;
    cur = { ...target, ...Object.fromEntries(Object.entries(cur).filter(([k]) => k !== '$ref')) };
  }
  return cur;
}

function info(root: Record<string, unknown>, raw: Record<string, unknown>, path: string, key: string): FieldInfo {
  const schema = deref(root, raw);
  const type = typeOf(schema);
  const f: FieldInfo = { path, title: typeof schema.title === 'string' ? schema.title : key, type, schema };
  if (typeof schema.format === 'string') f.format = schema.format;
  if (typeof schema['x-unit'] === 'string') f.unit = schema['x-unit'];
  const opts = optionsOf(schema);
  if (opts) f.options = opts;
  if (type === 'array' && isObject(schema.items)) f.items = info(root, schema.items, path + '[]', key);
  return f;
}

/**
 * Every addressable field of a form, by dotted path: nested objects are walked,
 * arrays are leaves (a checklist, a table's rows). Objects are listed too, so a
 * rule may read a whole group.
 */
export function indexFields(rootSchema: unknown): Map<string, FieldInfo> {
  const out = new Map<string, FieldInfo>();
  if (!isObject(rootSchema)) return out;
  const walk = (schemaRaw: Record<string, unknown>, prefix: string) => {
    const schema = deref(rootSchema, schemaRaw);
    const props = isObject(schema.properties) ? schema.properties : {};
    const extra: Array<Record<string, unknown>> = [];
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = schema[k];
      if (Array.isArray(list)) for (const s of list) if (isObject(s)) extra.push(s);
    }
    if (isObject(schema.then)) extra.push(schema.then);
    if (isObject(schema.else)) extra.push(schema.else);
    for (const [key, sub] of Object.entries(props)) {
      if (!isObject(sub)) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      const fi = info(rootSchema, sub, path, key);
      out.set(path, fi);
      if (fi.type === 'object' || (fi.type === 'unknown' && isObject(fi.schema.properties))) walk(fi.schema, path);
    }
    for (const s of extra) walk(s, prefix);
  };
  walk(rootSchema, '');
  return out;
}

/** Show a value as a person reads it: the option's label, 是/否, or the number with its unit. */
export function displayValue(field: FieldInfo | undefined, v: unknown): string {
  if (v === undefined || v === null) return '未填写';
  if (Array.isArray(v)) {
    if (v.length === 0) return '（无）';
    return v.map((x) => displayValue(field?.items, x)).join('、');
  }
  // one element of a list field (the value a `contains` rule looks for): shown like the list's items
  if (field?.type === 'array' && field.items) return displayValue(field.items, v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  const opt = field?.options?.find((o) => o.value === v);
  if (opt) return opt.label;
  if (typeof v === 'number' && field?.unit) return `${v} ${field.unit}`;
  return String(v);
}
