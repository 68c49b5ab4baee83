import { resolvePointer } from '@yuanping/core';
type Schema = Record<string, unknown>;

function isObj(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function resolveRef(root: Schema, s: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 20 && typeof cur.$ref === 'string'; i++) {
    const ref = cur.$ref as string;
    if (!ref.startsWith('#/')) return cur;
    const target = resolvePointer(root, ref);
    if (!isObj(target)) return cur;
    cur = target;
  }
  return cur;
}

/** The sub-schema at a dotted data path (`a.b.0.c`; numeric segments step into arrays). */
export function schemaAt(root: Schema, path: string): Schema | null {
  let cur: Schema = resolveRef(root, root);
  if (path === '') return cur;
  for (const seg of path.split('.')) {
    const props = cur.properties;
    if (isObj(props) && isObj(props[seg])) cur = resolveRef(root, props[seg] as Schema);
    else if (/^\d+$/.test(seg) && isObj(cur.items)) cur = resolveRef(root, cur.items);
    else return null;
  }
  return cur;
}

export function valueAt(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** The path of the first array of rows in a table form (data itself when the schema is an array). */
export function rowsPath(root: Schema): string | null {
  const s = resolveRef(root, root);
  if (s.type === 'array') return '';
  if (isObj(s.properties)) {
    for (const [k, v] of Object.entries(s.properties)) if (isObj(v) && resolveRef(root, v).type === 'array') return k;
  }
  return null;
}

/** A copy of `data` with the value at a dotted path replaced (objects created on the way). */
export function setAt(data: unknown, path: string, value: unknown): unknown {
  const segs = path.split('.');
  const root: Record<string, unknown> = isObj(data) ? { ...data } : {};
  let cur = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const k = segs[i] as string;
    const next = cur[k];
    const copy: Record<string, unknown> = isObj(next) ? { ...next } : {};
    cur[k] = copy;
    cur = copy;
  }
  cur[segs[segs.length - 1] as string] = value;
  return root;
}
