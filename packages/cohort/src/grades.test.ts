import { describe, expect, it } from 'vitest';
import { runCohortStep, type CohortRecord, type CohortStep } from './index.js';

/**
 * Quota fixtures. Every expected grade is worked out by hand in the comments.
 * Shares used throughout (like seed 000): A 20 % floor ("不高于"), B 30 % round ("左右"),
 * C 45 % round, D takes the remainder.
 */
const levels: NonNullable<CohortStep['grades']>['levels'] = [
  { grade: 'A', share: 0.2, rounding: 'floor' },
  { grade: 'B', share: 0.3, rounding: 'round' },
  { grade: 'C', share: 0.45, rounding: 'round' },
  { grade: 'D', share: 0.05 },
];

const gradeStep = (extra: Partial<CohortStep> = {}, grades: Partial<NonNullable<CohortStep['grades']>> = {}): CohortStep => ({
  id: 'grading',
  title: '分档',
  key: 'k',
  rank: { field: 's' },
  ...extra,
  grades: { levels, ...grades },
});

/** n records k1..kn with strictly decreasing scores 100, 99, 98, … */
const ladder = (n: number, extra: (i: number) => CohortRecord = () => ({})): CohortRecord[] =>
  Array.from({ length: n }, (_, i) => ({ k: `k${i + 1}`, s: 100 - i, ...extra(i) }));

const grades = (r: ReturnType<typeof runCohortStep>) => r.records.map((x) => x.grade ?? '-').join('');

describe('quota rounding at small cohort sizes', () => {
  it('5 records: A floor(1.0)=1, B round(1.5)=2, C round(2.25)=2, D remainder 0', () => {
    const r = runCohortStep(gradeStep(), ladder(5));
    expect(grades(r)).toBe('ABBCC');
    expect(r.groups[0]?.seats).toEqual({ A: 1, B: 2, C: 2, D: 0 });
    expect(r.distribution).toEqual({ A: 1, B: 2, C: 2, D: 0, excluded: 0 });
  });

  it('7 records: A floor(1.4)=1, B round(2.1)=2, C round(3.15)=3, D remainder 1', () => {
    const r = runCohortStep(gradeStep(), ladder(7));
    expect(grades(r)).toBe('ABBCCCD');
    expect(r.groups[0]?.seats).toEqual({ A: 1, B: 2, C: 3, D: 1 });
  });

  it('20 records: A floor(4)=4, B round(6)=6, C round(9)=9 (0.45×20 is 9.000000000000002 in floating point), D 1', () => {
    const r = runCohortStep(gradeStep(), ladder(20));
    expect(grades(r)).toBe('AAAABBBBBBCCCCCCCCCD');
    expect(r.groups[0]?.seats).toEqual({ A: 4, B: 6, C: 9, D: 1 });
    const last = r.records[19];
    expect(last?.explanation.join('\n')).toContain('剩余 1 个');
    expect(r.records[0]?.explanation.join('\n')).toContain('20 × 20% = 4，向下取整得 4 个');
  });

  it('groups (by city) are graded separately', () => {
    // city X: 5 records → ABBCC ; city Y: 2 records → A floor(0.4)=0, B round(0.6)=1, C round(0.9)=1, D 0 → BC
    const recs = [...ladder(5, () => ({ city: 'X' })), { k: 'y1', s: 100, city: 'Y' }, { k: 'y2', s: 50, city: 'Y' }];
    const r = runCohortStep(gradeStep({}, { groupBy: ['city'] }), recs);
    expect(grades(r)).toBe('ABBCCBC');
    expect(r.groups.map((g) => g.group)).toEqual(['X', 'Y']);
  });
});

describe('groups rolled up the org tree', () => {
  it('county names (or codes) in the records are graded per city', () => {
    // 上城区, 拱墅区 → 杭州市 (5 records: ABBCC); 海曙区 → 宁波市 (2 records: A 0, B 1, C 1 → BC)
    const orgUnits = [
      { code: '330100', name: '杭州市', level: 'city' },
      { code: '330102', name: '上城区', level: 'county', parent: '330100' },
      { code: '330105', name: '拱墅区', level: 'county', parent: '330100' },
      { code: '330200', name: '宁波市', level: 'city' },
      { code: '330203', name: '海曙区', level: 'county', parent: '330200' },
    ];
    const counties = ['上城区', '330105', '海曙区', '上城区', '拱墅区', '330203', '拱墅区'];
    const recs = counties.map((county, i) => ({ k: `k${i + 1}`, s: 100 - i, county }));
    const r = runCohortStep(gradeStep({}, { groupBy: ['county'], rollUp: { county: 'city' } }), recs, { orgUnits });
    // 杭州市: k1 100, k2 99, k4 97, k5 96, k7 94 → A B B C C ; 宁波市: k3 98, k6 95 → B C
    expect(r.records.map((x) => `${x.key}${x.grade ?? '-'}`).join(' ')).toBe('k1A k2B k3B k4B k5C k6C k7C');
    expect(r.groups.map((g) => [g.group, g.base])).toEqual([
      ['杭州市', 5],
      ['宁波市', 2],
    ]);
  });
});

describe('exemptions (4/5-star parks that stay A take no A seat)', () => {
  it('exempt records get A outside the quota and are not counted in the base', () => {
    // 7 records with scores 100..94; k2 and k5 are 4-star parks confirmed A (keepA) → exempt.
    // Competitors: k1 k3 k4 k6 k7 (5) → base 5 → A 1, B 2, C 2, D 0.
    // k1 A; k3, k4 B; k6, k7 C; k2, k5 A (exempt).  Counts A 3, B 2, C 2.
    const step = gradeStep({}, {
      exemptions: [
        { id: 'star', when: { and: [{ '>=': [{ var: 'stars' }, 4] }, { '==': [{ var: 'keepA' }, true] }] }, grade: 'A', reason: '已获评四星级及以上且继续评为 A 档' },
      ],
    });
    const r = runCohortStep(step, ladder(7, (i) => (i === 1 || i === 4 ? { stars: 4, keepA: true } : { stars: 3 })));
    expect(grades(r)).toBe('AABBACC');
    expect(r.records[1]?.exempt?.id).toBe('star');
    expect(r.records[1]?.seat).toBeUndefined();
    expect(r.groups[0]?.base).toBe(5);
    expect(r.groups[0]?.counts).toEqual({ A: 3, B: 2, C: 2, D: 0 });
    expect(r.records[1]?.explanation.join('')).toContain('不占该档名额');
  });

  it('with base "participants" the exempt records are counted in the base', () => {
    // same 7 records, base 7 → A 1, B 2, C 3, D 1 over the 5 competitors:
    // k1 A; k3 k4 B; k6 k7 C (C would have 3 seats but only 2 competitors are left) → no D
    const step = gradeStep({}, {
      base: 'participants',
      exemptions: [{ id: 'star', when: { '==': [{ var: 'keepA' }, true] }, grade: 'A', reason: '豁免' }],
    });
    const r = runCohortStep(step, ladder(7, (i) => (i === 1 || i === 4 ? { keepA: true } : {})));
    expect(grades(r)).toBe('AABBACC');
    expect(r.groups[0]?.base).toBe(7);
    expect(r.groups[0]?.seats).toEqual({ A: 1, B: 2, C: 3, D: 1 });
  });

  it('an exemption can use the computed score ($.score)', () => {
    const step: CohortStep = {
      id: 'g',
      title: 'g',
      key: 'k',
      score: { indicators: [{ id: 'v', title: 'V', field: 'v', weight: 1, satisfactory: 100, unacceptable: 0 }] },
      grades: {
        levels,
        exemptions: [{ id: 'hi', when: { and: [{ '==': [{ var: 'stars' }, 5] }, { '>=': [{ var: '$.score' }, 90] }] }, grade: 'A', reason: '五星且总分≥90' }],
      },
    };
    // v=100 → d 100 (5 stars → exempt); v=50 → d 80 (5 stars, 80 < 90 → not exempt)
    const r = runCohortStep(step, [{ k: 'a', v: 100, stars: 5 }, { k: 'b', v: 50, stars: 5 }]);
    expect(r.records[0]?.exempt).toBeDefined();
    expect(r.records[1]?.exempt).toBeUndefined();
  });
});

describe('ties at a grade boundary', () => {
  // 10 records: s = 90, 85, 85, 80, 75, 70, 65, 60, 55, 50; tax tie-break on the two 85s.
  // Seats (base 10): A floor(2)=2, B round(3)=3, C round(4.5)=5 (4.5 rounds half up), D remainder 0.
  // Cumulative boundaries: A ends at 2, B at 5, C at 10.
  // The A boundary falls between the two 85s (positions 2 and 3).
  const recs: CohortRecord[] = [90, 85, 85, 80, 75, 70, 65, 60, 55, 50].map((s, i) => ({ k: `k${i + 1}`, s, tax: i === 1 ? 10 : 12 }));
  const step = (ties: 'same-grade-upper' | 'same-grade-lower' | 'by-tiebreak') =>
    gradeStep({ rank: { field: 's', tieBreak: [{ field: 'tax', order: 'desc', title: '税收' }] } }, { ties });

  it('same-grade-lower: both 85s go to B; A has one record; B still ends at position 5', () => {
    // A: k1. B: k2 k3 (moved down) k4 k5. C: k6..k10.
    const r = runCohortStep(step('same-grade-lower'), recs);
    expect(grades(r)).toBe('ABBBBCCCCC');
    expect(r.records[1]?.explanation.join('')).toContain('同分不拆档');
  });

  it('same-grade-upper: both 85s go to A (3 A, over quota)', () => {
    // A: k1 k2 k3. B: k4 k5. C: k6..k10.
    const r = runCohortStep(step('same-grade-upper'), recs);
    expect(grades(r)).toBe('AAABBCCCCC');
    expect(r.records[2]?.explanation.join('')).toContain('超出名额');
  });

  it('by-tiebreak: the 85 with the higher tax (k3, tax 12) takes the A seat', () => {
    const r = runCohortStep(step('by-tiebreak'), recs);
    const m = new Map(r.records.map((x) => [x.key, x.grade]));
    expect(m.get('k3')).toBe('A');
    expect(m.get('k2')).toBe('B');
    // ranks: k1 1, k3 2, k2 3 (tax breaks the tie)
    expect(r.records.map((x) => x.rank).slice(0, 3)).toEqual([1, 3, 2]);
  });

  it('default (no ties declared) never splits equal scores: same as same-grade-lower', () => {
    const r = runCohortStep(gradeStep(), recs);
    expect(grades(r)).toBe('ABBBBCCCCC');
    // equal scores share a rank
    expect(r.records.map((x) => x.rank).slice(0, 4)).toEqual([1, 2, 2, 4]);
  });
});

describe('exclusions and vetoes', () => {
  it('a major accident excludes the record; a veto sends it straight to D without a seat', () => {
    // 6 records s 100..95. k2 accident → excluded (not counted). k4 veto → D.
    // Competitors: k1 k3 k5 k6 (4) → A floor(0.8)=0, B round(1.2)=1, C round(1.8)=2, D remainder 1.
    // k1 B; k3 C; k5 C; k6 D; k4 D (veto).
    const step = gradeStep({
      exclusions: [
        { id: 'accident', when: { '==': [{ var: 'accident' }, true] }, reason: '发生重大安全生产事故' },
        { id: 'veto', when: { '==': [{ var: 'veto' }, true] }, reason: '存在重大违规', action: 'grade', grade: 'D' },
      ],
    });
    const r = runCohortStep(step, ladder(6, (i) => (i === 1 ? { accident: true } : i === 3 ? { veto: true } : {})));
    expect(grades(r)).toBe('B-CDCD');
    expect(r.records[1]?.excluded?.reason).toBe('发生重大安全生产事故');
    expect(r.records[1]?.rank).toBeUndefined();
    expect(r.records[3]?.vetoed?.id).toBe('veto');
    expect(r.records[3]?.explanation[0]).toContain('一票否决');
    expect(r.distribution).toEqual({ A: 0, B: 1, C: 2, D: 2, excluded: 1 });
  });
});

describe('caps per org unit', () => {
  it('Hangzhou-style override and a default cap; county codes roll up to cities', () => {
    // caps: default 1, 330100 → 2. Counties 330102/330105 roll up to 330100.
    // 330100: 90, 80, 70 → first 2 selected (90, 80). 330200: 85, 75 → 85. 330300: 60 → 60.
    const step: CohortStep = {
      id: 'recommend',
      title: '推荐',
      key: 'k',
      rank: { field: 's' },
      caps: { field: 'county', rollUp: 'city', default: { param: 'capDefault' }, overrides: { '330100': 2 } },
    };
    const orgUnits = [
      { code: '330100', name: '杭州市', level: 'city' },
      { code: '330102', name: '上城区', level: 'county', parent: '330100' },
      { code: '330105', name: '拱墅区', level: 'county', parent: '330100' },
      { code: '330200', name: '宁波市', level: 'city' },
      { code: '330300', name: '温州市', level: 'city' },
    ];
    const recs = [
      { k: 'h1', s: 90, county: '330102' },
      { k: 'h2', s: 80, county: '330105' },
      { k: 'h3', s: 70, county: '330102' },
      { k: 'n1', s: 85, county: '330200' },
      { k: 'n2', s: 75, county: '330200' },
      { k: 'w1', s: 60, county: '330300' },
    ];
    const r = runCohortStep(step, recs, { parameters: { capDefault: 1 }, orgUnits });
    expect(r.records.map((x) => x.selected)).toEqual([true, true, false, true, false, true]);
    expect(r.caps).toEqual([
      { unit: '330100', name: '杭州市', cap: 2, candidates: 3, selected: 2 },
      { unit: '330200', name: '宁波市', cap: 1, candidates: 2, selected: 1 },
      { unit: '330300', name: '温州市', cap: 1, candidates: 1, selected: 1 },
    ]);
    expect(r.records[2]?.explanation.join('')).toContain('杭州市名额 2（单独规定）');
  });

  it('a full tie at the cap boundary is not split: the tied records all stay out', () => {
    // cap 2; scores 90, 80, 80 → the two 80s are tied at the boundary → only 90 selected
    const step: CohortStep = { id: 'c', title: 'c', key: 'k', rank: { field: 's' }, caps: { field: 'city', default: 2 } };
    const r = runCohortStep(step, [{ k: 'a', s: 90, city: 'X' }, { k: 'b', s: 80, city: 'X' }, { k: 'c', s: 80, city: 'X' }]);
    expect(r.records.map((x) => x.selected)).toEqual([true, false, false]);
  });
});

describe('rewards by rank', () => {
  const step: CohortStep = {
    id: 'reward',
    title: '奖励',
    key: 'k',
    rank: { field: 's' },
    grades: { levels: [{ grade: 'A', share: 0.5, rounding: 'floor' }, { grade: 'B' }] },
    rewards: { grades: ['A'], byPosition: [{ param: 'first' }, 80, 70], otherwise: 50, unit: '万元' },
  };
  const parameters = { first: 100 };

  it('1st 100, 2nd 80, 3rd 70, every other A 50', () => {
    // 10 records → A floor(5) = 5: s 99, 98, 97, 96, 95 → 100, 80, 70, 50, 50; B no reward
    const r = runCohortStep(step, ladder(10, (i) => ({ s: 99 - i })), { parameters });
    expect(r.records.map((x) => x.reward ?? 0)).toEqual([100, 80, 70, 50, 50, 0, 0, 0, 0, 0]);
    expect(r.rewardTotal).toBe(350);
    expect(r.records[0]?.explanation.join('')).toContain('奖励 100万元');
  });

  it('two parks tied first both get the first amount; the next is 3rd', () => {
    // 6 records → A floor(3) = 3: s 99, 99, 97 → positions 1, 1, 3 → 100, 100, 70
    const recs = [99, 99, 97, 96, 95, 94].map((s, i) => ({ k: `k${i}`, s }));
    const r = runCohortStep(step, recs, { parameters });
    expect(r.records.map((x) => x.reward ?? 0)).toEqual([100, 100, 70, 0, 0, 0]);
  });
});

describe('score lines (minScore), alone and combined with quotas', () => {
  const scores = [95, 92, 90, 88, 84, 80, 75, 70, 65, 60];
  const recs = scores.map((s, i) => ({ k: `r${i + 1}`, s }));

  it('lines and shares both hold: A ≤ 20 % and ≥ 90 (含); B 30 % and > 85 (不含); C 40 %; D the rest', () => {
    // base 10. A: seats floor(2) = 2 → 95, 92 (both ≥ 90); 90 reaches the A line but the A seats are full.
    // B: seats round(3) = 3 from 90 on → 90 > 85, 88 > 85, 84 not > 85: the line cuts B at 2 (its third seat is not passed on).
    // C: seats round(4) = 4 from 84 on → 84, 80, 75, 70. D: 65, 60.
    const r = runCohortStep(
      gradeStep({}, {
        levels: [
          { grade: 'A', title: 'A档', share: 0.2, rounding: 'floor', minScore: 90 },
          { grade: 'B', title: 'B档', share: 0.3, rounding: 'round', minScore: 85, inclusive: false },
          { grade: 'C', title: 'C档', share: 0.4, rounding: 'round' },
          { grade: 'D', title: 'D档' },
        ],
      }),
      recs,
    );
    expect(grades(r)).toBe('AABBCCCCDD');
    expect(r.distribution).toEqual({ A: 2, B: 2, C: 4, D: 2, excluded: 0 });
    const text = (k: string) => r.records.find((x) => x.key === k)?.explanation.join('\n') ?? '';
    expect(text('r3')).toContain('达到A档分数线（“s”不低于 90（含）），但A档名额');
    expect(text('r5')).toContain('未达到B档分数线（“s”不低于 85（不含本数））');
    // the words of an exemption are not used for a line
    expect(r.records.every((x) => !x.explanation.join('').includes('不占该档名额'))).toBe(true);
  });

  it('lines alone: as many in a grade as reach its line; a value exactly on an inclusive line reaches it, whatever binary floating point says', () => {
    // A ≥ 0.3 (含), B ≥ 0.2 (含), C the rest. 0.1 + 0.2 = 0.30000000000000004 in floating point, 0.3 as the notice means it.
    const step = gradeStep({}, { levels: [{ grade: 'A', minScore: 0.3 }, { grade: 'B', minScore: 0.2 }, { grade: 'C' }] });
    const r = runCohortStep(step, [
      { k: 'x', s: 0.1 + 0.2 },
      { k: 'y', s: 0.3 },
      { k: 'z', s: 0.29999 },
      { k: 'w', s: 0.2 },
      { k: 'v', s: 0.1 },
    ]);
    expect(grades(r)).toBe('AABBC');
    expect(r.groups[0]?.seats).toEqual({ A: 2, B: 2, C: 1 });
  });

  it('a line on the last level, lines going up and a share-less level without a line are refused by the checker', async () => {
    const { checkCohortStep } = await import('./index.js');
    const codes = (levelsIn: NonNullable<CohortStep['grades']>['levels']) => checkCohortStep(gradeStep({}, { levels: levelsIn }), ['k', 's']).map((p) => `${p.code} ${p.pointer}`);
    expect(codes([{ grade: 'A', minScore: 85 }, { grade: 'B', minScore: 70 }])).toContain('COHORT_BAD_LINE /grades/levels/1/minScore');
    expect(codes([{ grade: 'A', minScore: 70 }, { grade: 'B', minScore: 85 }, { grade: 'C' }])).toContain('COHORT_BAD_LINE /grades/levels/1/minScore');
    expect(codes([{ grade: 'A' }, { grade: 'B' }])).toContain('COHORT_BAD_SHARE /grades/levels/0/share');
    expect(codes([{ grade: 'A', minScore: 85 }, { grade: 'B', minScore: 70 }, { grade: 'C' }])).toEqual([]);
  });
});
