import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCohortStep, runCohortStep, type CohortStep } from './index.js';

/** Example pack files (not the real seed packs) live in test/cohort/examples/. */
const load = (name: string): CohortStep =>
  JSON.parse(readFileSync(new URL(`../../../test/cohort/examples/${name}`, import.meta.url), 'utf8')) as CohortStep;

describe('example: efficacy-coefficient evaluation with bonus, exclusion, grades and rewards', () => {
  const step = load('city-evaluation.cohort.json');
  const parameters = {
    wTaxPerMu: 0.3, wRevenuePerMu: 0.2, wGrowth: 0.2, wConcentration: 0.15, wVacancy: 0.15,
    taxPerMuGood: 50, taxPerMuBad: 10, growthGood: 0.2, growthBad: 0, vacancyGood: 0.05, vacancyBad: 0.3,
    bonusCap: 5, bonusNational: 5, bonusProvincial: 3, bonusPerTeam: 1, bonusTeamsCap: 3,
    shareA: 0.4, shareB: 0.3, reward1: 100, reward2: 80, reward3: 70, rewardOther: 50,
  };
  const fields = ['parkCode', 'parkName', 'majorAccident', 'taxPerMu', 'revenuePerMu', 'revenuePerMuPrev', 'concentration', 'vacancyRate', 'nationalRecognition', 'provincialRecognition', 'talentTeams'];

  it('passes the checker against its fields and parameters', () => {
    expect(checkCohortStep(step, fields, { parameterNames: Object.keys(parameters) })).toEqual([]);
  });

  it('scores, excludes, grades and rewards as worked out by hand', () => {
    const records = [
      // P1: tax 50 → d 100 × 0.3 = 30; revenue 500 = population max → 100 × 0.2 = 20;
      //     growth (500−400)/400 = 0.25 → 60 + 40·0.25/0.2 = 110 → clamp 100 × 0.2 = 20;
      //     concentration 0.8 = max → 100 × 0.15 = 15; vacancy 0.05 = 满意值 → 100 × 0.15 = 15 → 100
      //     bonus national 5 + teams 2 = 7 > cap 5 → 5 → total 105
      { parkCode: 'P1', parkName: '一号园', taxPerMu: 50, revenuePerMu: 500, revenuePerMuPrev: 400, concentration: 0.8, vacancyRate: 0.05, nationalRecognition: true, provincialRecognition: true, talentTeams: 2 },
      // P2: tax 30 → 60 + 40·20/40 = 80 × 0.3 = 24; revenue 300 → 60 + 40·200/400 = 80 × 0.2 = 16;
      //     growth 0 → 60 × 0.2 = 12; concentration 0.6 → 80 × 0.15 = 12;
      //     vacancy 0.175 → 60 + 40·(0.175 − 0.3)/(0.05 − 0.3) = 80 × 0.15 = 12 → 76; bonus provincial 3 → 79
      { parkCode: 'P2', parkName: '二号园', taxPerMu: 30, revenuePerMu: 300, revenuePerMuPrev: 300, concentration: 0.6, vacancyRate: 0.175, provincialRecognition: true, talentTeams: 0 },
      // P3: tax 10 → 60 → 18; revenue 100 = min → 60 → 12; growth (100−125)/125 = −0.2 → 20 → clamp 60 → 12;
      //     concentration 0.4 = min → 60 → 9; vacancy 0.4 → 60 + 40·(0.1/−0.25) = 44 → clamp 60 → 9 → 60; no bonus → 60
      { parkCode: 'P3', parkName: '三号园', taxPerMu: 10, revenuePerMu: 100, revenuePerMuPrev: 125, concentration: 0.4, vacancyRate: 0.4 },
      // P4: major accident → excluded, and its huge revenue must not move the population max
      { parkCode: 'P4', parkName: '四号园', majorAccident: true, taxPerMu: 99, revenuePerMu: 10000, revenuePerMuPrev: 1, concentration: 1, vacancyRate: 0 },
    ];
    const r = runCohortStep(step, records, { parameters });
    const m = new Map(r.records.map((x) => [x.key, x]));
    expect(m.get('P1')?.score).toBe(105);
    expect(m.get('P2')?.score).toBe(79);
    expect(m.get('P3')?.score).toBe(60);
    expect(m.get('P4')?.excluded?.reason).toBe('发生重大安全生产事故，不得参评');
    // 3 graded: A floor(0.4·3 = 1.2) = 1, B round(0.9) = 1, C remainder 1
    expect(['P1', 'P2', 'P3', 'P4'].map((k) => m.get(k)?.grade ?? '-')).toEqual(['A', 'B', 'C', '-']);
    // the only A is first → 100 万元
    expect(m.get('P1')?.reward).toBe(100);
    expect(r.rewardTotal).toBe(100);
    expect(r.distribution).toEqual({ A: 1, B: 1, C: 1, excluded: 1 });
    const text = m.get('P2')?.explanation.join('\n') ?? '';
    expect(text).toContain('指标“厂房空置率”');
    expect(text).toContain('总分 = 加权功效分 76 + 加分 3 = 79.00');
  });
});

describe('example: grades by quota per city and park type, with the high-star exemption', () => {
  const step = load('grading.cohort.json');
  const parameters = { shareA: 0.2, shareB: 0.3, shareC: 0.45 };

  it('passes the checker', () => {
    const fields = ['parkCode', 'parkName', 'participating', 'evalScore', 'taxPerMu', 'city', 'parkType', 'stars', 'staysA'];
    expect(checkCohortStep(step, fields, { parameterNames: Object.keys(parameters) })).toEqual([]);
  });

  it('grades each (city, type) cohort separately; exempt parks take no A seat', () => {
    const mk = (parkCode: string, city: string, evalScore: number, extra: Record<string, unknown> = {}) => ({
      parkCode, parkName: parkCode, participating: '是', city, parkType: '生产制造类', evalScore, taxPerMu: 10, stars: 3, ...extra,
    });
    const records = [
      // cohort 330100/生产制造类: 6 parks, h2 is 5-star and stays A → exempt; 5 compete
      // seats over 5: A floor(1) = 1, B round(1.5) = 2, C round(2.25) = 2, D 0
      // h1 95 A; h2 90 A (exempt); h3 85 B; h4 80 B; h5 75 C; h6 70 C
      mk('h1', '330100', 95), mk('h2', '330100', 90, { stars: 5, staysA: true }), mk('h3', '330100', 85),
      mk('h4', '330100', 80), mk('h5', '330100', 75), mk('h6', '330100', 70),
      // cohort 330200/生产制造类: 2 parks → A floor(0.4) = 0, B round(0.6) = 1, C round(0.9) = 1 → n1 B, n2 C
      mk('n1', '330200', 88), mk('n2', '330200', 60),
      // not participating → excluded, counted nowhere
      mk('n3', '330200', 99, { participating: '否' }),
    ];
    const r = runCohortStep(step, records, { parameters, orgUnits: [{ code: '330100', name: '杭州市' }, { code: '330200', name: '宁波市' }] });
    expect(r.records.map((x) => x.grade ?? '-').join('')).toBe('AABBCCBC-');
    expect(r.records[1]?.exempt?.id).toBe('highStarStaysA');
    expect(r.groups.map((g) => [g.group, g.base, g.counts])).toEqual([
      ['杭州市 / 生产制造类', 5, { A: 2, B: 2, C: 2, D: 0 }],
      ['宁波市 / 生产制造类', 2, { A: 0, B: 1, C: 1, D: 0 }],
    ]);
    expect(r.records[0]?.explanation.join('\n')).toContain('“杭州市 / 生产制造类”组');
  });
});

describe('example: recommendation caps', () => {
  it('passes the checker', () => {
    const step = load('recommend.cohort.json');
    expect(checkCohortStep(step, ['parkCode', 'parkName', 'reviewScore', 'selfScore', 'county', 'grade'], { parameterNames: ['capDefault', 'capHangzhou'] })).toEqual([]);
  });
});
