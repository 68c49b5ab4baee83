/**
 * Fuzzing the pack checker with mutated packs (REL_PACK_FUZZ_RUNS, default 10,000 on the test pack,
 * a fiftieth of that on each repository pack). Each mutant is one change at one place of one file
 * of a good pack, of two families:
 *   - junk: a value replaced by random JSON, a key deleted or added, a string or number replaced
 *     by a random one (mostly refused);
 *   - type-keeping: keys of an object reordered, a number nudged (a threshold, a score, a fixture
 *     value: an integer stays an integer), a string swapped for another string of the same file,
 *     a boolean flipped, a title/description rewritten, an array reversed (a meaningful share of
 *     these is valid, so the "accepted" branch is exercised too).
 * Properties: the checker never throws; every problem carries a catalogued code, a file of the
 * pack, a JSON pointer and a Chinese message; a mutant is either refused (≥ 1 error) or accepted —
 * and an accepted mutant is usable: its forms validate, every rule-set fixture evaluates without
 * throwing and matches, every cohort fixture runs and matches. Reordering an object's keys never
 * changes the verdict (JSON key order means nothing in a pack). The unmutated pack must be clean
 * first — otherwise every mutant would be "refused" for the baseline's own problem.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ERRORS, evaluate, loadPack, packFromFiles, validateSubmission, type NoticePack } from '@yuanping/core';
import { checkPackFully, runAllFixtures } from '@yuanping/check';
import { testPackFiles, TEST_PACK_ID } from '../../apps/server/src/testing/fixture-pack.js';
import { envInt } from './helpers.js';
import { REPO } from './server-process.js';

const RUNS = envInt('REL_PACK_FUZZ_RUNS', 10_000);
const CODES = new Set(Object.keys(ERRORS));
type Path = Array<string | number>;
type Json = unknown;

const JUNK_KINDS = ['replace', 'delete', 'addKey', 'string', 'number'] as const;
const KEEP_KINDS = ['reorderKeys', 'nudgeNumber', 'swapString', 'flipBoolean', 'docText', 'reverseArray'] as const;
type Kind = (typeof JUNK_KINDS)[number] | (typeof KEEP_KINDS)[number];
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
function candidates(root: Json, kind: Kind): Path[] {
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

interface Mutation {
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

const mutation: fc.Arbitrary<Mutation> = fc.record({
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

function at(root: Json, path: Path): Json {
  let v: Json = root;
  for (const k of path) v = (v as Record<string | number, Json>)[k];
  return v;
}

/** Applies `m` at `path` of a copy of `root`; the new file, or null when it would change nothing. */
function apply(root: Json, path: Path, m: Mutation): Json | null {
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
function canonical(v: Json): string {
  return JSON.stringify(v, (_k, x: unknown) => (isObj(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

interface Stats {
  mutants: number;
  unchanged: number;
  refused: number;
  accepted: number;
  byKind: Record<string, { accepted: number; refused: number; unchanged: number }>;
  codes: Map<string, number>;
  /** accepted mutants that changed a number in a rule set or cohort step: a threshold no fixture pins */
  unpinned: string[];
}

/** Checks a mutant; asserts the properties; 'accepted' | 'refused'. */
function judge(pack: NoticePack, files: Record<string, unknown>, stats: Stats): 'accepted' | 'refused' {
  const problems = checkPackFully(pack); // must not throw
  for (const p of problems) {
    expect(CODES.has(p.code), `uncatalogued code ${p.code}`).toBe(true);
    expect(p.file in files, `${p.code}: file ${p.file} is not a file of the pack`).toBe(true);
    expect(p.pointer === '' || p.pointer.startsWith('/'), `${p.code}: pointer ${p.pointer}`).toBe(true);
    expect(p.message).toMatch(/[\u4e00-\u9fff]/);
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    for (const code of new Set(errors.map((e) => e.code))) stats.codes.set(code, (stats.codes.get(code) ?? 0) + 1);
    return 'refused';
  }
  // accepted as valid: then it is usable
  for (const f of pack.forms.values()) validateSubmission(f, {});
  for (const { file, fixture } of pack.fixtures) {
    const fx = fixture as { ruleSet: string; input: unknown; parameters?: Record<string, unknown> };
    const form = pack.forms.get(pack.ruleSets.get(fx.ruleSet)?.ruleSet.form ?? '');
    const data = form ? validateSubmission(form, fx.input).data : fx.input;
    expect(() => evaluate(pack, fx.ruleSet, data, fx.parameters ? { parameters: fx.parameters } : {}), file).not.toThrow();
  }
  const failed = runAllFixtures(pack).filter((r) => !r.passed);
  expect(failed.map((r) => `${r.file}: ${r.differences.join('；')}`)).toEqual([]);
  return 'accepted';
}

async function fuzz(name: string, files: Record<string, unknown>, id: string, runs: number): Promise<Stats> {
  // the baseline: without this a broken unmutated pack makes every mutant "refused"
  const base = checkPackFully(packFromFiles(files, id)).filter((p) => p.severity === 'error');
  expect(base.map((p) => `${p.code} ${p.file}${p.pointer}`), `${name} unmutated`).toEqual([]);
  const all = Object.keys(files).sort();
  const definitions = all.filter((f) => !/\/(cohort-)?fixtures\//.test(f));
  const cands = new Map<string, Path[]>();
  const candidatesOf = (file: string, kind: Kind) => {
    const key = `${kind}\u0000${file}`;
    let c = cands.get(key);
    if (!c) cands.set(key, (c = candidates(files[file], kind)));
    return c;
  };
  const stats: Stats = { mutants: 0, unchanged: 0, refused: 0, accepted: 0, byKind: {}, codes: new Map(), unpinned: [] };
  await fc.assert(
    fc.property(mutation, (m) => {
      stats.mutants++;
      const k = (stats.byKind[m.kind] ??= { accepted: 0, refused: 0, unchanged: 0 });
      // a file with a place for this kind of change (the picked one, else the next that has one)
      const names = m.definitions ? definitions : all;
      let file = names[m.fileIndex % names.length] as string;
      for (let i = 0; candidatesOf(file, m.kind).length === 0 && i < names.length; i++) file = names[(m.fileIndex + i + 1) % names.length] as string;
      const ps = candidatesOf(file, m.kind);
      const path = ps.length ? (ps[m.pathIndex % ps.length] as Path) : null;
      const changed = path ? apply(files[file], path, m) : null;
      if (changed === null) {
        stats.unchanged++;
        k.unchanged++;
        return;
      }
      const mutated = { ...files, [file]: changed };
      const verdict = judge(packFromFiles(mutated, id), mutated, stats);
      stats[verdict]++;
      k[verdict]++;
      if (verdict === 'accepted' && m.kind === 'nudgeNumber' && /\.(rules|cohort)\.json$/.test(file) && path) {
        stats.unpinned.push(`${file.replace(/^.*\//, '')}#/${path.join('/')} ${JSON.stringify(at(files[file], path))}→${JSON.stringify(at(changed, path))}`);
      }
      if (m.kind === 'reorderKeys') expect(verdict, `${name}: keys of ${file}#/${(path ?? []).join('/')} reordered`).toBe('accepted');
    }),
    { numRuns: runs },
  );
  const judged = stats.accepted + stats.refused;
  const kinds = Object.entries(stats.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, s]) => `${kind} ${s.accepted}/${s.accepted + s.refused}${s.unchanged ? ` (+${s.unchanged} unchanged)` : ''}`)
    .join(', ');
  const codes = [...stats.codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
  console.log(
    `[fuzz-packs] ${name}: ${stats.mutants} mutants — ${stats.unchanged} unchanged (skipped), ${stats.refused} refused, ${stats.accepted} accepted as valid and usable ` +
      `(${((100 * stats.accepted) / Math.max(1, judged)).toFixed(1)} % of ${judged}); accepted/judged by kind: ${kinds}; refusals by code (mutants): ${codes}` +
      (stats.unpinned.length ? `; numbers in rule sets / cohort steps changed without any fixture noticing (${stats.unpinned.length}): ${[...new Set(stats.unpinned)].slice(0, 15).join('; ')}` : ''),
  );
  return stats;
}

describe('the pack checker on mutated packs', () => {
  it('the server test pack: never a crash, refused with codes or valid and usable', async () => {
    const s = await fuzz('test-pack', testPackFiles(), TEST_PACK_ID, RUNS);
    // both branches explored: type-keeping changes yield valid packs, junk refused ones
    expect(s.accepted).toBeGreaterThan(0);
    expect(s.refused).toBeGreaterThan(0);
  });

  const ids = ['zj-2021-evaluation-star', 'zj-2022-digital-demo', 'zj-2018-construction', 'city-2023-guidance'];
  it.each(ids)('repository pack %s (fewer mutants: it carries many fixtures)', async (id) => {
    const pack = await loadPack(id, { root: REPO });
    const s = await fuzz(id, pack.files, id, Math.max(20, Math.floor(RUNS / 50)));
    expect(s.accepted + s.refused).toBeGreaterThan(0);
  });
});
