import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohortResultForm, cohortResultRows, runCohortStep, type CohortStep } from '@yuanping/cohort';
import { checkTableForm, exportXlsx, readXlsx, type TableForm } from '@yuanping/tables';

const step = JSON.parse(readFileSync(new URL('./examples/city-evaluation.cohort.json', import.meta.url), 'utf8')) as CohortStep;

describe('a cohort result as an xlsx sheet (what `yuanping cohort` writes)', () => {
  it('builds a valid table form and exports scores, grades, rewards and explanations', async () => {
    const parameters = {
      wTaxPerMu: 0.3, wRevenuePerMu: 0.2, wGrowth: 0.2, wConcentration: 0.15, wVacancy: 0.15,
      taxPerMuGood: 50, taxPerMuBad: 10, growthGood: 0.2, growthBad: 0, vacancyGood: 0.05, vacancyBad: 0.3,
      bonusCap: 5, bonusNational: 5, bonusProvincial: 3, bonusPerTeam: 1, bonusTeamsCap: 3,
      shareA: 0.4, shareB: 0.3, reward1: 100, reward2: 80, reward3: 70, rewardOther: 50,
    };
    const result = runCohortStep(step, [
      { parkCode: 'P1', parkName: '一号园', taxPerMu: 50, revenuePerMu: 500, revenuePerMuPrev: 400, concentration: 0.8, vacancyRate: 0.05, nationalRecognition: true, talentTeams: 2 },
      { parkCode: 'P2', parkName: '二号园', majorAccident: true, taxPerMu: 1, revenuePerMu: 1, revenuePerMuPrev: 1, concentration: 1, vacancyRate: 0 },
    ], { parameters });
    const form = cohortResultForm(step) as TableForm;
    expect(checkTableForm(form)).toEqual([]);
    const [sheet] = await readXlsx(await exportXlsx(form, cohortResultRows(result)));
    const cell = (a1: string): unknown => {
      const col = (a1.charCodeAt(0) - 65);
      return sheet?.rows[Number(a1.slice(1)) - 1]?.[col];
    };
    expect(cell('A1')).toBe(`${step.title} 结果`);
    expect(cell('C2')).toBe('功效分');
    expect(cell('C3')).toBe('亩均税收');
    // P1 is the only participant: population max = min → d 100 for the population indicators; total 100 + bonus 5
    expect(cell('I4')).toBe(105);
    // one graded park: A floor(0.4 × 1) = 0, B round(0.3) = 0 → C takes the remainder; no A, so no reward
    expect(cell('K4')).toBe('C');
    expect(cell('L4')).toBeNull();
    expect(String(cell('N4'))).toContain('指标“亩均税收”');
    expect(cell('M5')).toBe('不参评：发生重大安全生产事故，不得参评');
  });
});
