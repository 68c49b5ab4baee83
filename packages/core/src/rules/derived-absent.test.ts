import { describe, expect, it } from 'vitest';
import { packFromFiles } from '../pack/build.js';
import { evaluate } from './evaluate.js';

/**
 * A derived fact that reads another derived fact which is absent (e.g. a division by
 * zero) is absent too. json-logic would otherwise read the absent value as null and
 * treat it as 0: a growth rate (perMu − perMuPrev) / perMuPrev with perMu absent
 * came out as −1 (−100 %) instead of "cannot be computed".
 */
const files = {
  'schemas/da/pack.json': {
    id: 'da', title: '测试', issuer: '测试办', issueDate: '2023-08-23', year: 2023, dataCutoff: '2023-12-31',
    jurisdiction: { level: 'city', code: '3301', name: '测试市' },
    forms: [{ id: 'f', title: '表', kind: 'record', schema: 'forms/f.schema.json' }],
    ruleSets: [{ id: 'rs', file: 'rs.rules.json' }],
  },
  'schemas/da/forms/f.schema.json': {
    type: 'object',
    properties: {
      tax: { type: 'number', title: '税收' }, land: { type: 'number', title: '用地' },
      taxPrev: { type: 'number', title: '上年税收' }, landPrev: { type: 'number', title: '上年用地' },
    },
  },
  'rules/da/rs.rules.json': {
    id: 'rs', title: '派生', form: 'f', outcome: { kind: 'eligibility' },
    derived: [
      { id: 'perMu', label: '亩均', precision: 2, expr: { '/': [{ var: 'tax' }, { var: 'land' }] } },
      { id: 'perMuPrev', label: '上年亩均', precision: 2, expr: { '/': [{ var: 'taxPrev' }, { var: 'landPrev' }] } },
      { id: 'growth', label: '增速', precision: 4, expr: { '/': [{ '-': [{ var: 'perMu' }, { var: 'perMuPrev' }] }, { var: 'perMuPrev' }] } },
      { id: 'twice', label: '两倍增速', expr: { '*': [{ var: 'growth' }, 2] } },
    ],
    rules: [{ name: 'g', conditions: { all: [{ fact: 'growth', operator: 'greaterThanInclusive', value: 0 }] }, event: { type: 'criterion' } }],
  },
};

describe('derived facts that read an absent derived fact', () => {
  const pack = packFromFiles(files, 'da');

  it('computes the chain when every input is there', () => {
    const e = evaluate(pack, 'rs', { tax: 30, land: 1, taxPrev: 25, landPrev: 1 });
    expect(e.derived.growth?.value).toBe(0.2);
    expect(e.derived.twice?.value).toBe(0.4);
  });

  it('leaves the dependents absent when a division by zero makes one absent', () => {
    const e = evaluate(pack, 'rs', { tax: 30, land: 0, taxPrev: 25, landPrev: 1 });
    expect(e.derived.perMu?.value).toBeNull();
    expect(e.derived.perMuPrev?.value).toBe(25);
    expect(e.derived.growth?.value).toBeNull();
    expect(e.derived.twice?.value).toBeNull();
    expect(e.criteria.find((c) => c.rule === 'g')?.passed).toBe(false);
  });
});
