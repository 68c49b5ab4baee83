// Mutated notice packs: one change at one place of one file, junk (replace, delete, add a key, a
// string, a number) or type-keeping (reorder keys, nudge a number, swap a string, flip a boolean,
// rewrite a title, reverse an array). Used by the pack fuzzer (test/reliability/fuzz-packs.test.ts)
// and by the server ≡ CLI parity test (apps/server/src/pack-check-parity.test.ts).
import fc from 'fast-check';

export type Path = Array<string | number>;
export type Json = unknown;

export const JUNK_KINDS = ['replace', 'delete', 'addKey', 'string', 'number'] as const;
export const KEEP_KINDS = ['reorderKeys', 'nudgeNumber', 'swapString', 'flipBoolean', 'docText', 'reverseArray'] as const;
export type Kind = (typeof JUNK_KINDS)[number] | (typeof KEEP_KINDS)[number];
/** Keys whose string values are documentation (titles, descriptions, notes). */
const DOC_KEYS = new Set(['title', 'description', 'note', 'x-note', 'comment', 'summary']);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function nodes(v: Json, at: Path = [], out: Array<{ path: Path; value: Json }> = []): Array<{ path: Path; value: Json }> {
  out.push({ path: at, value: v });
  if (Array.isArray(v)) v.forEach((x, i) => nodes(x, [...at, i], out));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) nodes(x, [...at, k], out);
  return out;
}

/** The places of a file a mutation of this kind can act on. */
export function candidates(root: Json, kind: Kind): Path[] {
  const all = nodes(root);
  const last = (p: Path) => p[p.length - 1];
  switch (kind) {
    case 'reorderKeys':
      return all.filter((n) => isObj(n.value) && Object.keys(n.value).length >= 2).map((n) => n.path);
    case 'nudgeNumber':
      return all.filter((n) => typeof n.value === 'number').map((n) => n.path);
    case 'swapString':
      return all.filter((n) => typeof n.value === 'string' && n.path.length > 0).map((n) => n.path);
    case 'flipBoolean':
      return all.filter((n) => typeof n.value === 'boolean').map((n) => n.path);
    case 'docText':
      return all.filter((n) => typeof n.value === 'string' && DOC_KEYS.has(String(last(n.path)))).map((n) => n.path);
    case 'reverseArray':
      return all.filter((n) => Array.isArray(n.value) && n.value.length >= 2).map((n) => n.path);
    default:
      return all.map((n) => n.path);
  }
}

export interface Mutation {
  kind: Kind;
  /** pick the file among the definition files (manifest, forms, rule sets, cohort steps), not the fixtures */
  definitions: boolean;
  fileIndex: number;
  pathIndex: number;
  junk: Json;
  text: string;
  num: number;
  /** for type-keeping mutations: an integer step, a relative factor, a pick */
  step: number;
  factor: number;
  pick: number;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.oneof({ weight: 1, arbitrary: fc.constantFrom<Kind>(...JUNK_KINDS) }, { weight: 1, arbitrary: fc.constantFrom<Kind>(...KEEP_KINDS) }),
  definitions: fc.boolean(),
  // unbiased: fast-check's bias towards small integers would keep picking the first files and the roots
  fileIndex: fc.noBias(fc.nat()),
  pathIndex: fc.noBias(fc.nat()),
  junk: fc.jsonValue({ maxDepth: 2 }),
  text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('(a+)+$', '#/definitions/x', 'http://example.com/s.json', '$data', 'app', 'firms', '2021-13-45')),
  num: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e308)),
  step: fc.integer({ min: -10, max: 10 }).filter((n) => n !== 0),
  factor: fc.double({ min: -0.25, max: 0.25, noNaN: true }).filter((f) => Math.abs(f) >= 0.001),
  pick: fc.noBias(fc.nat()),
});

const DOC_TEXTS = ['说明（模糊测试改写）', '本项为测试改写的标题', '评价说明：按通知原文执行', 'Ａ'];

export function at(root: Json, path: Path): Json {
  let v: Json = root;
  for (const k of path) v = (v as Record<string | number, Json>)[k];
  return v;
}

/** Applies `m` at `path` of a copy of `root`; the new file, or null when it would change nothing. */
export function apply(root: Json, path: Path, m: Mutation): Json | null {
  const copy = structuredClone(root);
  if (path.length === 0) {
    if (m.kind === 'replace') return m.junk;
    if (m.kind !== 'reorderKeys' && m.kind !== 'reverseArray') return null;
  }
  const parent = path.length ? (at(copy, path.slice(0, -1)) as Record<string | number, Json>) : null;
  const last = path[path.length - 1] as string | number;
  const cur = path.length ? (parent as Record<string | number, Json>)[last] : copy;
  const set = (v: Json) => {
    if (parent) parent[last] = v;
  };
  switch (m.kind) {
    case 'replace':
      set(m.junk);
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else if (parent) delete parent[last];
      break;
    case 'addKey':
      if (isObj(cur)) cur[m.text || 'x'] = m.junk;
      else set(m.junk);
      break;
    case 'string':
      set(typeof cur === 'string' ? m.text : m.junk);
      break;
    case 'number':
      set(typeof cur === 'number' ? m.num : m.junk);
      break;
    case 'reorderKeys': {
      const o = cur as Record<string, Json>;
      const keys = Object.keys(o);
      const shift = 1 + (m.pick % (keys.length - 1));
      const order = [...keys.slice(shift), ...keys.slice(0, shift)];
      const re: Record<string, Json> = {};
      for (const k of order) re[k] = o[k];
      if (!parent) return re;
      set(re);
      return copy; // same JSON value, other key order: never "unchanged"
    }
    case 'nudgeNumber': {
      const n = cur as number;
      set(Number.isInteger(n) ? n + m.step : Number((n * (1 + m.factor)).toFixed(4)));
      break;
    }
    case 'swapString': {
      const others = [...new Set(nodes(root).flatMap((x) => (typeof x.value === 'string' && x.value !== cur ? [x.value] : [])))];
      set(others.length ? others[m.pick % others.length] : m.text);
      break;
    }
    case 'flipBoolean':
      set(!(cur as boolean));
      break;
    case 'docText':
      set(DOC_TEXTS[m.pick % DOC_TEXTS.length]);
      break;
    case 'reverseArray': {
      const rev = [...(cur as Json[])].reverse();
      if (!parent) return rev;
      set(rev);
      break;
    }
  }
  return canonical(copy) === canonical(root) ? null : copy;
}

/** JSON with sorted keys: equal for equal values whatever the key order. */
export function canonical(v: Json): string {
  return JSON.stringify(v, (_k, x: unknown) => (isObj(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

/** The places of each file for each kind of mutation, computed once per file and kind. */
export function candidateCache(files: Record<string, unknown>): (file: string, kind: Kind) => Path[] {
  const cands = new Map<string, Path[]>();
  return (file, kind) => {
    const key = `${kind}\u0000${file}`;
    let c = cands.get(key);
    if (!c) cands.set(key, (c = candidates(files[file], kind)));
    return c;
  };
}

/**
 * Applies `m` to the pack `files`: the file it picks (among the definition files or all; the picked
 * one, else the next that has a place for this kind of change), the place, and the changed file —
 * null when the mutation would change nothing.
 */
export function mutate(
  files: Record<string, unknown>,
  m: Mutation,
  candidatesOf: (file: string, kind: Kind) => Path[] = candidateCache(files),
): { file: string; path: Path | null; changed: Json | null } {
  const all = Object.keys(files).sort();
  const names = m.definitions ? all.filter((f) => !/\/(cohort-)?fixtures\//.test(f)) : all;
  let file = names[m.fileIndex % names.length] as string;
  for (let i = 0; candidatesOf(file, m.kind).length === 0 && i < names.length; i++) file = names[(m.fileIndex + i + 1) % names.length] as string;
  const ps = candidatesOf(file, m.kind);
  const path = ps.length ? (ps[m.pathIndex % ps.length] as Path) : null;
  return { file, path, changed: path ? apply(files[file], path, m) : null };
}
