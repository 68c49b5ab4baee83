/** Small JSON helpers shared by the loader, the checker and the diff. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with object keys sorted, so equal content gives equal text (for hashing). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  if (isObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(v[k])).join(',') + '}';
  }
  return JSON.stringify(v) ?? 'null';
}

/** The paths whose content differs between two sets of files (added, removed or changed; key order ignored). */
export function changedFiles(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return paths.filter((f) => canonicalJson(before[f]) !== canonicalJson(after[f])).sort();
}

/** Escape one JSON-pointer token (RFC 6901). */
export function ptrToken(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function ptr(...tokens: Array<string | number>): string {
  return tokens.map((t) => '/' + ptrToken(t)).join('');
}

/** The tokens of a JSON pointer (`/a/b~1c` → ['a', 'b/c']); a leading `#` (a `$ref`) is allowed. */
export function pointerTokens(pointer: string): string[] {
  const p = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (p === '') return [];
  return p
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a JSON pointer (or a local `$ref` `#/…`) names inside `root`; undefined when there is none. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const tok of pointerTokens(pointer)) {
    if (Array.isArray(cur)) cur = /^(0|[1-9]\d*)$/.test(tok) ? cur[Number(tok)] : undefined;
    else if (isObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, tok) ? cur[tok] : undefined;
    else return undefined;
  }
  return cur;
}

/** Read a dotted path (`a.b.c`) out of nested data. */
export function getPath(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const key of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
