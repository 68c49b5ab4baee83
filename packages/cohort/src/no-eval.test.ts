import { LogicEngine } from 'json-logic-engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCohortStep, type CohortStep } from './index.js';

describe('conditions never go through eval', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs exclusions, bonus items and exemptions with global eval disabled', () => {
    const spy = vi.spyOn(globalThis, 'eval').mockImplementation(() => {
      throw new Error('eval called');
    });
    const step: CohortStep = {
      id: 'no-eval',
      title: 't',
      key: 'k',
      exclusions: [{ id: 'x', when: { '==': [{ var: 'bad' }, true] }, reason: '排除' }],
      score: {
        indicators: [{ id: 'v', title: 'V', field: 'v', weight: 1, satisfactory: 10, unacceptable: 0 }],
        bonus: { items: [{ id: 'b', title: 'B', when: { '>': [{ var: 'v' }, { var: 'param.min' }] }, points: 1 }] },
      },
      grades: {
        levels: [{ grade: 'A', share: 0.5 }, { grade: 'B' }],
        exemptions: [{ id: 'e', when: { '>=': [{ var: '$.score' }, 101] }, grade: 'A', reason: '豁免' }],
      },
    };
    // a: v 10 → d 100 + bonus 1 (10 > 5) = 101 → exempt A; b: v 5 → 80, no bonus; c: excluded
    const r = runCohortStep(step, [{ k: 'a', v: 10 }, { k: 'b', v: 5 }, { k: 'c', v: 1, bad: true }], { parameters: { min: 5 } });
    expect(r.records.map((x) => [x.score, x.grade])).toEqual([
      [101, 'A'],
      [80, 'B'],
      [undefined, undefined],
    ]);
    expect(r.records[0]?.exempt?.id).toBe('e');
    expect(spy).not.toHaveBeenCalled();
  });

  it('(control) the build() path of the library does use eval, which is why we do not call it', () => {
    const spy = vi.spyOn(globalThis, 'eval').mockImplementation(() => {
      throw new Error('eval called');
    });
    expect(() => new LogicEngine().build({ '==': [{ var: 'a' }, 1] })).toThrow('eval called');
    expect(spy).toHaveBeenCalled();
  });
});
