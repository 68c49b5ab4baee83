import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCohortStep, cohortFixtureSchema, cohortStepSchema } from './index.js';

describe('cohort-step.schema.json', () => {
  it('equals the TypeScript schema object (run `pnpm --filter @yuanping/cohort gen:meta` after editing it)', () => {
    const json: unknown = JSON.parse(readFileSync(new URL('../meta/cohort-step.schema.json', import.meta.url), 'utf8'));
    expect(json).toEqual(JSON.parse(JSON.stringify(cohortStepSchema)));
  });
  it('cohort-fixture.schema.json equals its TypeScript schema object', () => {
    const json: unknown = JSON.parse(readFileSync(new URL('../meta/cohort-fixture.schema.json', import.meta.url), 'utf8'));
    expect(json).toEqual(JSON.parse(JSON.stringify(cohortFixtureSchema)));
  });
});

describe('checkCohortStep', () => {
  const file = 'rules/p/grading.cohort.json';

  it('refuses a malformed step with Chinese messages and JSON pointers', () => {
    const p = checkCohortStep({ id: 'x', title: 't', key: 'k', grades: { levels: [{ grade: 'A', share: 'lots' }] }, extra: 1 }, ['k'], { file });
    expect(p.length).toBeGreaterThan(0);
    expect(p.every((x) => x.code === 'COHORT_SCHEMA' && x.file === file && x.severity === 'error')).toBe(true);
    expect(p.some((x) => x.message.includes('extra'))).toBe(true);
    expect(p.some((x) => x.pointer === '/grades/levels/0/share')).toBe(true);
  });

  it('reports unknown fields, bad shares, unknown grades, parameters and operators', () => {
    const step = {
      id: 'g',
      title: 'g',
      key: 'code',
      exclusions: [
        { id: 'a', when: { '==': [{ var: 'accidnet' }, true] }, reason: 'x' },
        { id: 'v', when: { bogusOp: [1] }, reason: 'y', action: 'grade', grade: 'E' },
      ],
      score: {
        indicators: [
          { id: 'tax', title: '税', field: 'tax', weight: 0.6, satisfactory: { param: 'nope' }, unacceptable: 0 },
          { id: 'e', title: '能耗', field: 'energy', direction: 'reverse', weight: 0.6, satisfactory: 5, unacceptable: 1 },
        ],
      },
      rank: { tieBreak: [{ field: 'missing' }] },
      grades: {
        groupBy: ['cty'],
        levels: [
          { grade: 'A', share: 0.5 },
          { grade: 'B', share: 0.4 },
          { grade: 'B', share: 0.3 },
        ],
        exemptions: [{ id: 'x', when: { '>=': [{ var: '$.score' }, { var: 'param.scoreMin' }] }, grade: 'S', reason: 'r' }],
      },
      rewards: { grades: ['A'] },
    };
    const problems = checkCohortStep(step, ['code', 'tax', 'energy', 'city'], { file, parameterNames: ['known'] });
    const codes = problems.map((p) => `${p.code} ${p.pointer}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'COHORT_UNKNOWN_FIELD /exclusions/0/when',
        'COHORT_UNKNOWN_OPERATOR /exclusions/1/when',
        'COHORT_BAD_GRADE /exclusions/1/grade',
        'COHORT_UNKNOWN_PARAM /score/indicators/0/satisfactory/param',
        'COHORT_EFFICACY_DIRECTION /score/indicators/1',
        'COHORT_WEIGHT_SUM /score/indicators',
        'COHORT_UNKNOWN_FIELD /rank/tieBreak/0/field',
        'COHORT_UNKNOWN_FIELD /grades/groupBy/0',
        'COHORT_DUPLICATE_GRADE /grades/levels/2/grade',
        'COHORT_SHARES_OVER_100 /grades/levels',
        'COHORT_UNKNOWN_PARAM /grades/exemptions/0/when',
        'COHORT_BAD_GRADE /grades/exemptions/0/grade',
        'COHORT_BAD_REWARD /rewards',
      ]),
    );
    const unknown = problems.find((p) => p.pointer === '/exclusions/0/when');
    expect(unknown?.message).toBe('条件引用的字段“accidnet”在记录（表单）中不存在');
    expect(problems.find((p) => p.code === 'COHORT_SHARES_OVER_100')?.message).toContain('120%');
    expect(problems.find((p) => p.code === 'COHORT_WEIGHT_SUM')?.severity).toBe('warning');
  });

  it('warns of a ranking field without a Chinese name (the explanation would show the field id)', () => {
    const p = checkCohortStep({ id: 'g', title: 'g', key: 'k', rank: { field: 'k', tieBreak: [{ field: 'k', title: '键' }, { field: 'k' }] } }, ['k']);
    expect(p.map((x) => `${x.code} ${x.pointer} ${x.severity}`)).toEqual(['COHORT_NO_TITLE /rank/title warning', 'COHORT_NO_TITLE /rank/tieBreak/1/title warning']);
  });

  it('a computed score cannot be used before scoring (in an exclusion)', () => {
    const p = checkCohortStep(
      { id: 'g', title: 'g', key: 'k', rank: { field: 'k', title: '键' }, exclusions: [{ id: 'x', when: { '<': [{ var: '$.score' }, 60] }, reason: 'r' }] },
      ['k'],
    );
    expect(p.map((x) => x.code)).toEqual(['COHORT_COMPUTED_TOO_EARLY']);
  });

  it('grades without a ranking basis are refused', () => {
    const p = checkCohortStep({ id: 'g', title: 'g', key: 'k', grades: { levels: [{ grade: 'A' }] } }, ['k']);
    expect(p.map((x) => x.code)).toEqual(['COHORT_NO_RANKING']);
  });
});
