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
import { at, candidateCache, mutate, mutation } from '../support/pack-mutants.js';

const RUNS = envInt('REL_PACK_FUZZ_RUNS', 10_000);
const CODES = new Set(Object.keys(ERRORS));
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
  const candidatesOf = candidateCache(files);
  const stats: Stats = { mutants: 0, unchanged: 0, refused: 0, accepted: 0, byKind: {}, codes: new Map(), unpinned: [] };
  await fc.assert(
    fc.property(mutation, (m) => {
      stats.mutants++;
      const k = (stats.byKind[m.kind] ??= { accepted: 0, refused: 0, unchanged: 0 });
      const { file, path, changed } = mutate(files, m, candidatesOf);
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
