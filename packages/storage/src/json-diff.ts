/**
 * The changes between two JSON documents, as the audit log keeps them for a draft save: each
 * changed place once, by its path (object keys and array indexes), with its value before and
 * after — a key is absent when the value was absent (added or removed). Objects are compared key
 * by key; arrays of the same length element by element; an array whose length changed, or values
 * of different kinds, are one change.
 */
export type JsonPath = Array<string | number>;
export interface JsonChange {
  path: JsonPath;
  before?: unknown;
  after?: unknown;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
  }
  return false;
}

export function jsonChanges(before: unknown, after: unknown): JsonChange[] {
  const out: JsonChange[] = [];
  const walk = (a: unknown, b: unknown, path: JsonPath) => {
    if (a === b) return;
    if (isObj(a) && isObj(b)) {
      for (const k of Object.keys(a)) {
        if (!Object.prototype.hasOwnProperty.call(b, k)) out.push({ path: [...path, k], before: a[k] });
        else walk(a[k], b[k], [...path, k]);
      }
      for (const k of Object.keys(b)) if (!Object.prototype.hasOwnProperty.call(a, k)) out.push({ path: [...path, k], after: b[k] });
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], [...path, i]));
      return;
    }
    if (!same(a, b)) out.push({ path, before: a, after: b });
  };
  walk(before, after, []);
  return out;
}

/** The document before the changes, from the document after them (a copy; `after` is not modified). */
export function revertChanges(after: unknown, changes: JsonChange[]): unknown {
  let root: unknown = structuredClone(after);
  for (const c of changes) {
    if (c.path.length === 0) {
      root = 'before' in c ? structuredClone(c.before) : undefined;
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const k of c.path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = c.path[c.path.length - 1] as string | number;
    // defineProperty: a key such as "__proto__" is set as data, never as the prototype
    if ('before' in c) Object.defineProperty(parent, last, { value: structuredClone(c.before), writable: true, enumerable: true, configurable: true });
    else delete parent[last];
  }
  return root;
}
