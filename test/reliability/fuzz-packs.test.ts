/**
 * Fuzzing the pack checker with mutated packs (REL_PACK_FUZZ_RUNS, default 10,000 on the test pack, a fiftieth of that on each repository pack):
 * one random change at a random place of a random file of a good pack (a value replaced by random
 * JSON, a key deleted or added, a string or number changed). The checker never crashes; every
 * mutant is either refused with catalogued codes (each with file, pointer and a Chinese message) or
 * accepted as valid — and then its forms validate and its rule sets evaluate without throwing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkPack, ERRORS, evaluate, loadPack, packFromFiles, validateSubmission } from '@yuanping/core';
import { packCheckPlugins } from '@yuanping/cli';
import { testPackFiles, TEST_PACK_ID } from '../../apps/server/src/testing/fixture-pack.js';
import { envInt, mapLimit } from './helpers.js';
import { REPO } from './server-process.js';

const RUNS = envInt('REL_PACK_FUZZ_RUNS', 10_000);
type Path = Array<string | number>;

function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

type Mutation = { kind: 'replace' | 'delete' | 'addKey' | 'string' | 'number'; junk: unknown; text: string; num: number };

function mutate(root: unknown, path: Path, m: Mutation): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) return m.kind === 'replace' ? m.junk : copy;
  let parent: unknown = copy;
  for (const k of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[k];
  const last = path[path.length - 1] as string | number;
  const p = parent as Record<string | number, unknown>;
  switch (m.kind) {
    case 'replace':
      p[last] = m.junk;
      break;
    case 'delete':
      if (Array.isArray(p)) p.splice(last as number, 1);
      else delete p[last];
      break;
    case 'addKey': {
      const target = p[last];
      if (target && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[m.text || 'x'] = m.junk;
      else p[last] = m.junk;
      break;
    }
    case 'string':
      p[last] = typeof p[last] === 'string' ? m.text : m.junk;
      break;
    case 'number':
      p[last] = typeof p[last] === 'number' ? m.num : m.junk;
      break;
  }
  return copy;
}

const mutation = fc.record({
  fileIndex: fc.nat(),
  pathIndex: fc.nat(),
  m: fc.record({
    kind: fc.constantFrom<Mutation['kind']>('replace', 'delete', 'addKey', 'string', 'number'),
    junk: fc.jsonValue({ maxDepth: 2 }),
    text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('(a+)+$', '#/definitions/x', 'http://example.com/s.json', '$data', 'app', 'firms', '2021-13-45')),
    num: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e308)),
  }),
});

async function fuzz(name: string, files: Record<string, unknown>, id: string, runs: number) {
  const names = Object.keys(files).sort();
  const plugins = packCheckPlugins();
  const stats = { refused: 0, accepted: 0, codes: new Set<string>() };
  await fc.assert(
    fc.property(mutation, ({ fileIndex, pathIndex, m }) => {
      const file = names[fileIndex % names.length] as string;
      const ps = paths(files[file]);
      const path = ps[pathIndex % ps.length] as Path;
      const mutated = { ...files, [file]: mutate(files[file], path, m) };
      const pack = packFromFiles(mutated, id);
      const problems = checkPack(pack, { plugins });
      const errors = problems.filter((p) => p.severity === 'error');
      for (const p of problems) {
        expect(Object.keys(ERRORS)).toContain(p.code);
        expect(typeof p.file).toBe('string');
        expect(typeof p.pointer).toBe('string');
        expect(p.message).toMatch(/[\u4e00-\u9fff]/);
      }
      if (errors.length) {
        stats.refused++;
        for (const e of errors) stats.codes.add(e.code);
        return;
      }
      // accepted as valid: then it works
      stats.accepted++;
      for (const f of pack.forms.values()) validateSubmission(f, {});
      for (const rs of pack.ruleSets.keys()) {
        const fx = pack.fixtures.find((x) => (x.fixture as { ruleSet?: string }).ruleSet === rs);
        evaluate(pack, rs, (fx?.fixture as { input?: unknown } | undefined)?.input ?? {});
      }
    }),
    { numRuns: runs },
  );
  console.log(`[fuzz-packs] ${name}: ${runs} mutants — ${stats.refused} refused (codes: ${[...stats.codes].sort().join(', ')}), ${stats.accepted} accepted as valid`);
}

describe('the pack checker on mutated packs', () => {
  it('the server test pack: never a crash, refused with codes or valid', async () => {
    const files = testPackFiles();
    expect(checkPack(packFromFiles(files, TEST_PACK_ID), { plugins: packCheckPlugins() }).filter((p) => p.severity === 'error')).toEqual([]);
    await fuzz('test-pack', files, TEST_PACK_ID, RUNS);
  });

  it('every repository pack (fewer mutants each: they carry many fixtures)', async () => {
    const ids = ['zj-2021-evaluation-star', 'zj-2022-digital-demo', 'zj-2018-construction', 'city-2023-guidance'];
    await mapLimit(ids, 1, async (id) => {
      const pack = await loadPack(id, { root: REPO });
      await fuzz(id, pack.files, id, Math.max(20, Math.floor(RUNS / 50)));
    });
  });
});
