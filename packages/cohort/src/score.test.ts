import { describe, expect, it } from 'vitest';
import { CohortConfigError, runCohortStep, type CohortStep } from './index.js';

/** All expectations below are worked out by hand in the comments, not copied from output. */

const byKey = (r: ReturnType<typeof runCohortStep>) => new Map(r.records.map((x) => [x.key, x]));

describe('功效系数法 — 满意值/不允许值', () => {
  const step: CohortStep = {
    id: 'score-standard',
    title: '计分',
    key: 'code',
    score: {
      indicators: [
        // positive: x_h = 100, x_s = 20 (from parameters)
        { id: 'tax', title: '亩均税收', field: 'tax', weight: 0.5, satisfactory: { param: 'taxGood' }, unacceptable: { param: 'taxBad' } },
        // reverse: smaller is better, x_h = 1, x_s = 5
        { id: 'energy', title: '单位能耗', field: 'energy', direction: 'reverse', weight: 0.5, satisfactory: 1, unacceptable: 5 },
      ],
    },
  };
  const parameters = { taxGood: 100, taxBad: 20 };

  it('scores a positive and a reverse indicator and sums the weighted d-scores', () => {
    // p1: tax 60 → d = 60 + 40·(60−20)/(100−20) = 60 + 20 = 80; × 0.5 = 40
    //     energy 2 → d = 60 + 40·(2−5)/(1−5) = 60 + 30 = 90; × 0.5 = 45   → total 85
    // p2: tax 100 → d = 100 (× 0.5 = 50); energy 5 → d = 60 (× 0.5 = 30) → total 80
    const r = runCohortStep(step, [
      { code: 'p1', tax: 60, energy: 2 },
      { code: 'p2', tax: 100, energy: 5 },
    ], { parameters });
    const m = byKey(r);
    expect(m.get('p1')?.score).toBe(85);
    expect(m.get('p2')?.score).toBe(80);
    const b = m.get('p1')?.breakdown ?? [];
    expect(b.map((x) => [x.id, x.value, x.d, x.weight, x.contribution])).toEqual([
      ['tax', 60, 80, 0.5, 40],
      ['energy', 2, 90, 0.5, 45],
    ]);
    expect(m.get('p1')?.explanation.join('\n')).toContain('逆向指标');
    expect(m.get('p1')?.explanation.join('\n')).toContain('满意值 100，不允许值 20');
    // ranking by the computed score, highest first
    expect(m.get('p1')?.rank).toBe(1);
    expect(m.get('p2')?.rank).toBe(2);
  });

  it('a missing parameter is a configuration error naming the parameter', () => {
    expect(() => runCohortStep(step, [{ code: 'p1', tax: 1, energy: 1 }], { parameters: { taxGood: 100 } })).toThrow(CohortConfigError);
    expect(() => runCohortStep(step, [{ code: 'p1', tax: 1, energy: 1 }], { parameters: { taxGood: 100 } })).toThrow(/taxBad/);
  });

  it('a reverse indicator whose 满意值 is above its 不允许值 is refused', () => {
    const bad: CohortStep = {
      ...step,
      score: { indicators: [{ id: 'e', title: '能耗', field: 'energy', direction: 'reverse', weight: 1, satisfactory: 5, unacceptable: 1 }] },
    };
    expect(() => runCohortStep(bad, [{ code: 'p', energy: 1 }])).toThrow(/满意值（5）应小于不允许值（1）/);
  });

  it('a text in a number field is not coerced: the record is excluded with a reason', () => {
    const r = runCohortStep(step, [{ code: 'p1', tax: '60', energy: 2 }], { parameters });
    expect(r.records[0]?.excluded?.reason).toContain('缺少数值');
    expect(r.records[0]?.score).toBeUndefined();
    expect(r.distribution.excluded).toBe(1);
  });
});

describe('功效系数法 — population form, clamping, growth, bonus', () => {
  it('population form uses the cohort max/min; reverse swaps them', () => {
    // values 10, 20, 30: positive → x_h = 30, x_s = 10 → d = 60, 80, 100
    // reverse → x_h = 10, x_s = 30 → d = 100, 80, 60
    const step: CohortStep = {
      id: 'pop',
      title: 'pop',
      key: 'k',
      score: {
        indicators: [
          { id: 'a', title: '正向', field: 'v', method: 'population', weight: 1 },
          { id: 'b', title: '逆向', field: 'v', method: 'population', direction: 'reverse', weight: 1 },
        ],
      },
    };
    const r = runCohortStep(step, [{ k: 'x', v: 10 }, { k: 'y', v: 20 }, { k: 'z', v: 30 }]);
    expect(r.records.map((x) => x.breakdown.map((b) => b.d))).toEqual([
      [60, 100],
      [80, 80],
      [100, 60],
    ]);
    // totals 160 each (weights 1 + 1) — all tied, all rank 1
    expect(r.records.map((x) => x.rank)).toEqual([1, 1, 1]);
  });

  it('clamps to [60, 100] when clamp is true, and to declared bounds', () => {
    // x_h = 100, x_s = 20. x = 120 → 60 + 40·100/80 = 110 → clamp → 100
    //                      x = 0   → 60 + 40·(−20)/80 = 50 → clamp → 60
    // declared bounds {min 0, max 105}: 110 → 105, 50 → 50
    const step: CohortStep = {
      id: 'clamp',
      title: 'clamp',
      key: 'k',
      score: {
        indicators: [
          { id: 'a', title: 'A', field: 'v', weight: 1, satisfactory: 100, unacceptable: 20, clamp: true },
          { id: 'b', title: 'B', field: 'v', weight: 1, satisfactory: 100, unacceptable: 20, clamp: { min: 0, max: 105 } },
        ],
      },
    };
    const r = runCohortStep(step, [{ k: 'hi', v: 120 }, { k: 'lo', v: 0 }]);
    expect(r.records[0]?.breakdown.map((b) => b.d)).toEqual([100, 105]);
    expect(r.records[1]?.breakdown.map((b) => b.d)).toEqual([60, 50]);
    expect(r.records[0]?.breakdown[0]?.note).toContain('110');
  });

  it('growth indicators compare this year with last year', () => {
    // this year 120, last year 100 → growth 0.2; x_h = 0.3, x_s = 0
    // d = 60 + 40·0.2/0.3 = 60 + 26.666… = 86.666… → total rounded to 2 decimals = 86.67
    // a record whose previous value is 0 cannot have a growth rate → excluded (missing: exclude)
    const step: CohortStep = {
      id: 'growth',
      title: 'growth',
      key: 'k',
      score: {
        indicators: [{ id: 'g', title: '营收增速', field: 'rev', growth: { previous: 'revPrev' }, weight: 1, satisfactory: 0.3, unacceptable: 0 }],
      },
    };
    const r = runCohortStep(step, [{ k: 'a', rev: 120, revPrev: 100 }, { k: 'b', rev: 5, revPrev: 0 }]);
    expect(r.records[0]?.score).toBe(86.67);
    expect(r.records[0]?.breakdown[0]?.value).toBeCloseTo(0.2, 12);
    expect(r.records[0]?.explanation.join('')).toContain('增长率 20%（本年 120，上年 100）；满意值 30%，不允许值 0%');
    expect(r.records[1]?.excluded?.reason).toContain('不能计算增长率');
  });

  it('bonus items: by condition, by field with an item cap, and an overall cap', () => {
    // indicator: x_h 10, x_s 0, v = 5 → d = 80, weight 1 → 80
    // bonus 1: national = true → +3
    // bonus 2: talents 4 × 2 = 8, item cap 5 → 5
    // bonus total 8 > cap 6 → 6 → score 86
    // record b: national false → 0; talents 1 × 2 = 2 → bonus 2 → score 82
    const step: CohortStep = {
      id: 'bonus',
      title: 'bonus',
      key: 'k',
      score: {
        indicators: [{ id: 'v', title: 'V', field: 'v', weight: 1, satisfactory: 10, unacceptable: 0 }],
        bonus: {
          cap: { param: 'bonusCap' },
          items: [
            { id: 'nat', title: '国家级认定', when: { '==': [{ var: 'national' }, true] }, points: 3 },
            { id: 'talent', title: '人才团队', field: 'talents', perUnit: 2, cap: 5 },
          ],
        },
      },
    };
    const r = runCohortStep(step, [
      { k: 'a', v: 5, national: true, talents: 4 },
      { k: 'b', v: 5, national: false, talents: 1 },
    ], { parameters: { bonusCap: 6 } });
    expect(r.records[0]?.score).toBe(86);
    expect(r.records[0]?.bonus).toBe(6);
    expect(r.records[0]?.breakdown.filter((b) => b.kind === 'bonus').map((b) => b.contribution)).toEqual([3, 5]);
    expect(r.records[0]?.explanation.join('\n')).toContain('超过上限 6');
    expect(r.records[1]?.score).toBe(82);
  });
});
