// The runtime (rules compiled to closures) and plain json-rules-engine 7 agree, rule by
// rule, on generated submissions concentrated on the thresholds — run sequentially and
// concurrently (a shared json-rules-engine Engine is known to go wrong under Promise.all;
// the runtime must not).
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRuleSet, evaluateReference, loadPack, type NoticePack } from '@yuanping/core';
import { allPackIds } from '../packs/all-packs.js';
import { boundaryArbitrary } from './generate.js';

const repo = join(import.meta.dirname, '..', '..');
const N = Number(process.env.DIFF_N ?? 10_000);

async function targets(): Promise<Array<{ pack: NoticePack; ruleSet: string }>> {
  const out: Array<{ pack: NoticePack; ruleSet: string }> = [];
  const mini = await loadPack('mini', { root: join(repo, 'test', 'packs') });
  out.push({ pack: mini, ruleSet: 'level' });
  for (const id of allPackIds(repo)) {
    const pack = await loadPack(id, { root: repo });
    for (const rs of pack.ruleSets.keys()) out.push({ pack, ruleSet: rs });
  }
  return out;
}

function compare(rs: ReturnType<typeof compileRuleSet>, input: unknown, ref: Awaited<ReturnType<typeof evaluateReference>>) {
  const mine = rs.evaluate(input);
  for (const c of mine.criteria) {
    if (ref.passed[c.rule] !== c.passed || ref.applicable[c.rule] !== c.applicable) {
      return `${c.rule}: runtime passed=${c.passed} applicable=${c.applicable}, json-rules-engine passed=${ref.passed[c.rule]} applicable=${ref.applicable[c.rule]} for ${JSON.stringify(input)}`;
    }
  }
  return undefined;
}

describe('runtime ≡ json-rules-engine on boundary submissions', async () => {
  const list = await targets();
  for (const { pack, ruleSet } of list) {
    const inputs = fc.sample(boundaryArbitrary(pack, ruleSet), { numRuns: N, seed: 20210622 });
    const rs = compileRuleSet(pack, ruleSet);
    it(`${pack.id}/${ruleSet}: ${N} submissions, sequentially`, async () => {
      let diffs = 0;
      let first: string | undefined;
      for (const input of inputs) {
        const d = compare(rs, input, await evaluateReference(rs, input));
        if (d) {
          diffs++;
          first ??= d;
        }
      }
      expect(first).toBeUndefined();
      expect(diffs).toBe(0);
    });
    it(`${pack.id}/${ruleSet}: ${N} submissions, concurrently (Promise.all) equal sequential`, async () => {
      const sequential = inputs.map((i) => rs.evaluate(i));
      const concurrent = await Promise.all(inputs.map(async (i) => ({ mine: rs.evaluate(i), ref: await evaluateReference(rs, i) })));
      let diffs = 0;
      concurrent.forEach(({ mine, ref }, k) => {
        const seq = sequential[k]!;
        if (JSON.stringify(mine.outcome) !== JSON.stringify(seq.outcome)) diffs++;
        for (const c of mine.criteria) if (ref.passed[c.rule] !== c.passed) diffs++;
      });
      expect(diffs).toBe(0);
    });
  }
});
