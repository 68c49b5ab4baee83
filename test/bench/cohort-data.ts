/** The cohort of the cohort benches: records and the step that scores and grades them. */
import type { CohortStep } from '@yuanping/cohort';

const cities = ['330100', '330200', '330300', '330400', '330500', '330600', '330700', '330800', '330900', '331000', '331100'];
let seed = 42;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
/** `n` parks over 11 cities with random figures (fixed seed: the same cohort every run). */
export function cohortBenchRecords(n: number): Array<Record<string, unknown>> {
  seed = 42;
  return Array.from({ length: n }, (_, i) => ({
  code: `P${String(i).padStart(6, '0')}`,
  city: cities[i % cities.length],
  tax: Math.round(rnd() * 1000) / 10,
  rev: Math.round(rnd() * 10000) / 10,
  revPrev: Math.round(rnd() * 10000) / 10 + 1,
  conc: Math.round(rnd() * 100) / 100,
  vacancy: Math.round(rnd() * 50) / 100,
  national: rnd() < 0.05,
  teams: Math.floor(rnd() * 4),
  stars: 1 + Math.floor(rnd() * 5),
  accident: rnd() < 0.01,
  }));
}

/** Scores 5 efficacy indicators + 2 bonus items, grades by share per city, with an exemption and an exclusion. */
export const cohortBenchStep: CohortStep = {
  id: 'bench',
  title: 'bench',
  key: 'code',
  exclusions: [{ id: 'acc', when: { '==': [{ var: 'accident' }, true] }, reason: '事故' }],
  score: {
    indicators: [
      { id: 'tax', title: '税', field: 'tax', weight: 0.3, satisfactory: 80, unacceptable: 5, clamp: true },
      { id: 'rev', title: '营收', field: 'rev', weight: 0.2, method: 'population' },
      { id: 'g', title: '增速', field: 'rev', growth: { previous: 'revPrev' }, weight: 0.2, satisfactory: 0.3, unacceptable: -0.3, clamp: true },
      { id: 'conc', title: '集聚度', field: 'conc', weight: 0.15, method: 'population' },
      { id: 'vac', title: '空置率', field: 'vacancy', direction: 'reverse', weight: 0.15, satisfactory: 0.05, unacceptable: 0.4, clamp: true },
    ],
    bonus: {
      cap: 5,
      items: [
        { id: 'nat', title: '国家级', when: { '==': [{ var: 'national' }, true] }, points: 3 },
        { id: 'teams', title: '人才', field: 'teams', perUnit: 1, cap: 2 },
      ],
    },
  },
  rank: { tieBreak: [{ field: 'tax' }] },
  grades: {
    groupBy: ['city'],
    levels: [
      { grade: 'A', share: 0.2, rounding: 'floor' },
      { grade: 'B', share: 0.3, rounding: 'round' },
      { grade: 'C', share: 0.45, rounding: 'round' },
      { grade: 'D' },
    ],
    exemptions: [{ id: 'star', when: { and: [{ '>=': [{ var: 'stars' }, 5] }, { '>=': [{ var: '$.score' }, 95] }] }, grade: 'A', reason: '五星' }],
  },
};

