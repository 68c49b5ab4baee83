// The runtime (rules compiled to closures) and plain json-rules-engine 7 agree, rule by
// rule, on generated submissions concentrated on the thresholds — run sequentially and
// concurrently (a shared json-rules-engine Engine is known to go wrong under Promise.all;
// the runtime must not).
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRuleSet, evaluateReference, loadPack, referenceDerive, type NoticePack } from '@yuanping/core';
import { allPackIds } from '../packs/all-packs.js';
import { sampleSize } from '../support/full.js';
import { boundaryArbitrary, nearFixturesArbitrary } from './generate.js';

const repo = join(import.meta.dirname, '..', '..');
// `pnpm test:full`: 10,000 for the star standard and the test pack (the bar), 2,000 for
// every other rule set; the daily `pnpm test`: 1,000 and 400 (same generators and seeds)
const N_MAIN = sampleSize(1_000, 10_000);
const N_OTHER = sampleSize(400, 2_000);
// the concurrency check interleaves evaluations; it needs no large sample daily (its inputs are the first of the same)
const N_CONCURRENT = sampleSize(250, 10_000);
const MAIN = new Set(['zj-2021-evaluation-star/star-rating', 'mini/level']);

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
    const N = MAIN.has(`${pack.id}/${ruleSet}`) ? N_MAIN : N_OTHER;
    // half purely random around the thresholds, half moved from the hand-worked fixtures
    // generated inside each test (same seeds, same inputs) so that no test holds them for the others
    const makeInputs = () => [
      ...fc.sample(boundaryArbitrary(pack, ruleSet), { numRuns: N / 2, seed: 20210622 }),
      ...fc.sample(nearFixturesArbitrary(pack, ruleSet), { numRuns: N / 2, seed: 20210623 }),
    ];
    const rs = compileRuleSet(pack, ruleSet);
    it(`${pack.id}/${ruleSet}: ${N} submissions, sequentially`, async () => {
      const inputs = makeInputs();
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
    }, 600_000);
    it(`${pack.id}/${ruleSet}: the quick outcome equals the explained one`, () => {
      const inputs = makeInputs();
      let diffs = 0;
      for (const input of inputs) {
        const q = rs.quick(input);
        const e = rs.evaluate(input);
        const o = e.outcome;
        const failed = e.criteria.filter((c) => c.type === 'criterion' && c.applicable && !c.passed).map((c) => c.rule);
        if (JSON.stringify(q.failed) !== JSON.stringify(failed)) diffs++;
        if (JSON.stringify(q.warnings) !== JSON.stringify(e.warnings.map((w) => w.rule))) diffs++;
        if (JSON.stringify(q.errors) !== JSON.stringify(e.errors.map((w) => w.rule))) diffs++;
        if (o.kind === 'level' && q.level !== o.level) diffs++;
        if (o.kind === 'eligibility' && q.eligible !== o.eligible) diffs++;
        if (o.kind === 'score' && q.score !== o.score) diffs++;
      }
      expect(diffs).toBe(0);
    }, 600_000);
    it(`${pack.id}/${ruleSet}: batches (of mixed sizes, empty, of one) ≡ evaluate() ≡ json-rules-engine, explain(i) deep-equal`, async () => {
      const inputs = makeInputs();
      // batch sizes cycling through the edges of the 32-bit words: 0, 1, 31, 32, 33, 1000, the rest
      const sizes = [0, 1, 31, 32, 33, 1000, 7, 64, 0, 1, 2];
      const batches: Array<{ at: number; items: unknown[] }> = [];
      for (let at = 0, k = 0; at < inputs.length; k++) {
        const size = sizes[k % sizes.length]!;
        batches.push({ at, items: inputs.slice(at, at + size) });
        at += size;
      }
      expect(batches.some((b) => b.items.length === 0)).toBe(true);
      let diffs = 0;
      let first: string | undefined;
      const note = (d: string) => {
        diffs++;
        first ??= d;
      };
      for (const { at, items } of batches) {
        const b = rs.evaluateBatch(items);
        expect(b.size).toBe(items.length);
        for (let j = 0; j < items.length; j++) {
          const input = items[j];
          const e = rs.evaluate(input);
          // explain(i) is the Evaluation evaluate() returns
          if (!isDeepStrictEqual(b.explain(j), e)) note(`#${at + j}: explain(${j}) differs from evaluate() for ${JSON.stringify(input)}`);
          // the compact result: outcome and every rule's applicable / passed bits
          const q = b.quick(j);
          const o = e.outcome;
          if (o.kind === 'level' && (q.level !== o.level || b.level(j) !== o.level)) note(`#${at + j}: level ${String(q.level)} ≠ ${String(o.level)}`);
          if (o.kind === 'eligibility' && q.eligible !== o.eligible) note(`#${at + j}: eligible ${String(q.eligible)} ≠ ${String(o.eligible)}`);
          if (o.kind === 'score' && q.score !== o.score) note(`#${at + j}: score ${String(q.score)} ≠ ${String(o.score)}`);
          const failed = e.criteria.filter((c) => c.type === 'criterion' && c.applicable && !c.passed).map((c) => c.rule);
          if (!isDeepStrictEqual(q.failed, failed)) note(`#${at + j}: failed differs`);
          if (!isDeepStrictEqual(q.warnings, e.warnings.map((w) => w.rule)) || !isDeepStrictEqual(q.errors, e.errors.map((w) => w.rule))) note(`#${at + j}: warnings / errors differ`);
          // the derived facts (compiled closures) are the interpreter's
          const params = rs.paramValues();
          if (!isDeepStrictEqual(b.derived(j), referenceDerive(rs, input, params))) note(`#${at + j}: derived facts differ from json-logic-engine's for ${JSON.stringify(input)}`);
          // and plain json-rules-engine, rule by rule, on the batch's own bits
          const ref = await evaluateReference(rs, input);
          rs.rules.forEach((cr, r) => {
            const name = cr.rule.name;
            const passed = ((b.passed[r]![j >>> 5]! >>> (j & 31)) & 1) === 1;
            const applicable = ((b.applicable[r]![j >>> 5]! >>> (j & 31)) & 1) === 1;
            if (ref.passed[name] !== passed || ref.applicable[name] !== applicable) {
              note(`#${at + j} ${name}: batch passed=${passed} applicable=${applicable}, json-rules-engine passed=${ref.passed[name]} applicable=${ref.applicable[name]} for ${JSON.stringify(input)}`);
            }
          });
        }
        // nothing past the batch
        expect(() => b.explain(items.length)).toThrow(RangeError);
      }
      expect(first).toBeUndefined();
      expect(diffs).toBe(0);
    }, 600_000);
    it(`${pack.id}/${ruleSet}: ${Math.min(N, N_CONCURRENT)} submissions, concurrently (Promise.all) equal sequential`, async () => {
      // a compact signature of an evaluation: the outcome and the pass/fail of every rule
      const sig = (e: ReturnType<typeof rs.evaluate>) => {
        const o = e.outcome;
        const head = o.kind === 'level' ? o.level : o.kind === 'eligibility' ? o.eligible : o.score;
        return `${String(head)}|${e.criteria.map((c) => (c.applicable ? (c.passed ? '1' : '0') : '-')).join('')}`;
      };
      const inputs = makeInputs().slice(0, N_CONCURRENT);
      const sequential = inputs.map((i) => sig(rs.evaluate(i)));
      let diffs = 0;
      // in chunks of 1,000 submissions at a time, each interleaving the runtime and json-rules-engine
      for (let k = 0; k < inputs.length; k += 1000) {
        const chunk = inputs.slice(k, k + 1000);
        const results = await Promise.all(
          chunk.map(async (i) => {
            await Promise.resolve();
            const mine = rs.evaluate(i);
            const ref = await evaluateReference(rs, i);
            const again = sig(rs.evaluate(i));
            return { s: sig(mine), again, ref: mine.criteria.every((c) => ref.passed[c.rule] === c.passed) };
          }),
        );
        results.forEach((r, j) => {
          if (r.s !== sequential[k + j] || r.again !== r.s || !r.ref) diffs++;
        });
      }
      expect(diffs).toBe(0);
    }, 600_000);
  }
});

describe('where the runtime means what the notice means and plain floating point does not', () => {
  it('"1.5 倍（含）以上" at a ratio computed as 1.4999999999999998', async () => {
    const { Engine } = await import('json-rules-engine');
    const { OPERATOR_FNS } = await import('@yuanping/core');
    const engine = new Engine([], { allowUndefinedFacts: true });
    engine.addRule({
      conditions: { all: [{ fact: 'ratio', operator: 'greaterThanInclusive', value: 1.5 }] },
      event: { type: 'relaxed' },
    });
    const ratio = 1.5 - Number.EPSILON; // 1.4999999999999998, what e.g. (0.15 × 30 − 3e-15) / 3 comes to in binary floating point
    expect(ratio).toBeLessThan(1.5);
    const plain = await engine.run({ ratio });
    expect(plain.events).toHaveLength(0); // plain json-rules-engine: not ≥ 1.5
    expect(OPERATOR_FNS.greaterThanInclusive(ratio, 1.5)).toBe(true); // the runtime: holds
  });
});
