import { describe, expect, it } from 'vitest';
import { packFromFiles } from '../pack/build.js';
import { checkPack } from '../pack/check.js';
import { evaluate } from './evaluate.js';
import { formatEvaluationText } from './explain.js';

const manifest = (ruleSets: Array<{ id: string; file: string }>) => ({
  id: 'tp',
  title: '测试',
  issuer: '测试办',
  issueDate: '2022-08-18',
  year: 2022,
  dataCutoff: '2021-12-31',
  jurisdiction: { level: 'province', code: '33', name: '浙江省' },
  parameters: { minTeam: { label: '团队最少人数', value: 3 } },
  forms: [{ id: 'f', title: '表', kind: 'scorecard', schema: 'forms/f.schema.json' }],
  ruleSets,
});

const schema = {
  type: 'object',
  properties: {
    grade: { type: 'string', title: '绩效评价档次', oneOf: ['A', 'B', 'C', 'D'].map((g) => ({ const: g, title: `${g} 档` })) },
    team: { type: 'integer', title: '团队人数', minimum: 0, 'x-unit': '人' },
    s1: { type: 'number', title: '规划自评分', minimum: 0, maximum: 2 },
    r1: { type: 'number', title: '规划审核分', minimum: 0, maximum: 2 },
    s2: { type: 'number', title: '组织自评分', minimum: 0, maximum: 3 },
    b1: { type: 'number', title: '加分', minimum: 0, maximum: 10 },
  },
};

const eligibility = {
  id: 'elig',
  title: '申报条件',
  form: 'f',
  outcome: { kind: 'eligibility' },
  rules: [
    {
      name: 'grade',
      label: '绩效评价 B 档以上',
      clause: '一、1',
      conditions: { all: [{ fact: 'grade', operator: 'in', value: ['A', 'B'] }] },
      event: { type: 'criterion' },
    },
    {
      name: 'team',
      label: '有专门的数字化运营服务团队',
      conditions: { all: [{ fact: 'team', operator: 'greaterThanInclusive', value: { fact: 'param.minTeam' } }] },
      event: { type: 'criterion' },
    },
    {
      name: 'team-big',
      conditions: { all: [{ fact: 'team', operator: 'greaterThan', value: 100 }] },
      event: { type: 'warning', params: { message: '团队人数异常，请核实' } },
    },
    {
      name: 'team-missing',
      conditions: { not: { fact: 'team', operator: 'greaterThanInclusive', value: 0 } },
      event: { type: 'error', params: { message: '请填写团队人数' } },
    },
  ],
};

const score = {
  id: 'score',
  title: '评分',
  form: 'f',
  outcome: {
    kind: 'score',
    items: [
      { id: '1', label: '规划', max: 2, fact: 's1', reviewerFact: 'r1', group: 'a' },
      { id: '2', label: '组织', max: 3, fact: 's2', group: 'a' },
      { id: 'b', label: '加分', max: 10, fact: 'b1', group: 'bonus' },
    ],
    groups: [
      { id: 'a', label: '战略规划', cap: 4 },
      { id: 'bonus', label: '加分项', cap: 5 },
    ],
    cap: 100,
  },
  rules: [
    {
      name: 'pts',
      conditions: { all: [{ fact: 'grade', operator: 'equal', value: 'A' }] },
      event: { type: 'points', params: { points: 1, group: 'bonus' } },
    },
  ],
};

const pack = packFromFiles(
  {
    'schemas/tp/pack.json': manifest([
      { id: 'elig', file: 'elig.rules.json' },
      { id: 'score', file: 'score.rules.json' },
    ]),
    'schemas/tp/forms/f.schema.json': schema,
    'rules/tp/elig.rules.json': eligibility,
    'rules/tp/score.rules.json': score,
  },
  'tp',
);

describe('outcome kinds', () => {
  it('the inline pack is clean', () => {
    expect(checkPack(pack)).toEqual([]);
  });
  it('eligibility: all criteria must hold; failures explained with actual and required values', () => {
    const ok = evaluate(pack, 'elig', { grade: 'B', team: 3 });
    expect(ok.outcome).toMatchObject({ kind: 'eligibility', eligible: true });
    const no = evaluate(pack, 'elig', { grade: 'C', team: 2 });
    expect(no.outcome.kind === 'eligibility' && no.outcome.failed.map((f) => f.rule)).toEqual(['grade', 'team']);
    const team = no.criteria.find((c) => c.rule === 'team')!;
    expect(team.checks[0]).toMatchObject({ actual: 2, required: 3, passed: false, actualText: '2 人' });
    expect(team.checks[0]!.requiredText).toContain('团队最少人数');
    const grade = no.criteria.find((c) => c.rule === 'grade')!;
    expect(grade.checks[0]!.actualText).toBe('C 档');
    expect(grade.clause).toBe('一、1');
  });
  it('parameters can be overridden per evaluation', () => {
    const e = evaluate(pack, 'elig', { grade: 'A', team: 2 }, { parameters: { minTeam: 2 } });
    expect(e.outcome).toMatchObject({ eligible: true });
  });
  it('warnings do not block; errors are listed separately', () => {
    const e = evaluate(pack, 'elig', { grade: 'A', team: 120 });
    expect(e.outcome).toMatchObject({ eligible: true });
    expect(e.warnings.map((w) => w.rule)).toEqual(['team-big']);
    expect(e.errors).toEqual([]);
    const missing = evaluate(pack, 'elig', { grade: 'A' });
    expect(missing.errors.map((w) => w.rule)).toEqual(['team-missing']);
  });
  it('score: items capped at their maximum, groups at their cap, points rules added', () => {
    const e = evaluate(pack, 'score', { grade: 'A', s1: 2, s2: 5, b1: 7 });
    expect(e.outcome.kind).toBe('score');
    if (e.outcome.kind !== 'score') return;
    // 规划 2 + 组织 min(5,3)=3 → 5, capped at 4; bonus 7 + 1 point → 8, capped at 5
    expect(e.outcome.groups).toEqual({ a: 4, bonus: 5 });
    expect(e.outcome.score).toBe(9);
    expect(e.outcome.items.find((i) => i.id === '2')).toMatchObject({ counted: 3, capped: true });
  });
  it('score: the reviewer basis counts the reviewer score where given, the self score stays visible', () => {
    const e = evaluate(pack, 'score', { grade: 'B', s1: 2, r1: 1, s2: 1 }, { scoreBasis: 'reviewer' });
    if (e.outcome.kind !== 'score') throw new Error('kind');
    expect(e.outcome.items[0]).toMatchObject({ self: 2, reviewer: 1, counted: 1 });
    expect(e.outcome.score).toBe(2);
  });
  it('explains itself as Chinese text', () => {
    const text = formatEvaluationText(evaluate(pack, 'elig', { grade: 'C', team: 2 }));
    expect(text).toContain('不符合条件');
    expect(text).toContain('实际 C 档');
  });
});
