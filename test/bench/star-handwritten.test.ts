// The runtime and an independent, hand-written implementation of the 2021 star standard
// reach the same level on generated boundary submissions.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRuleSet, loadPack } from '@yuanping/core';
import { nearFixturesArbitrary } from '../differential/generate.js';
import { starLevelByHand } from './star-handwritten.js';
import { sampleSize } from '../support/full.js';

const repo = join(import.meta.dirname, '..', '..');

describe('star rule set ≡ hand-written star standard', async () => {
  const pack = await loadPack('zj-2021-evaluation-star', { root: repo });
  const rs = compileRuleSet(pack, 'star-rating');
  const avg = rs.paramValues().provincialAvgTaxPerMu as number;
  const n = sampleSize(1000, 5000);
  it(`agrees on ${n} boundary submissions`, () => {
    const inputs = fc.sample(nearFixturesArbitrary(pack, 'star-rating'), { numRuns: n, seed: 2021 });
    const diffs: string[] = [];
    const levels = new Set<number>();
    const batch = rs.evaluateBatch(inputs);
    inputs.forEach((input, i) => {
      const o = rs.evaluate(input).outcome;
      const mine = o.kind === 'level' && o.level ? Number(o.level) : 0;
      const hand = starLevelByHand(input as never, avg);
      levels.add(hand);
      if (mine !== hand && diffs.length < 3) diffs.push(`runtime ${mine} vs hand ${hand}: ${JSON.stringify(input)}`);
      const inBatch = Number(batch.level(i) ?? 0);
      if (inBatch !== hand && diffs.length < 3) diffs.push(`batch ${inBatch} vs hand ${hand}: ${JSON.stringify(input)}`);
    });
    expect(diffs).toEqual([]);
    // the generator reaches more than one level, or the comparison would say little
    expect(levels.size).toBeGreaterThan(1);
  });
});
