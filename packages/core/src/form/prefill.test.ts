import { describe, expect, it } from 'vitest';
import { packFromFiles } from '../pack/build.js';
import { checkPack } from '../pack/check.js';
import { checkConsistency, findSourceRecord, prefillData } from './prefill.js';

const pack = packFromFiles(
  {
    'schemas/pp/pack.json': {
      id: 'pp',
      title: '测试',
      issuer: '测试办',
      issueDate: '2021-06-22',
      year: 2021,
      dataCutoff: '2020-12-31',
      jurisdiction: { level: 'province', code: '33', name: '浙江省' },
      forms: [
        { id: 'summary', title: '汇总表', attachment: '附件1', kind: 'table', schema: 'forms/summary.schema.json' },
        {
          id: 'app',
          title: '申请表',
          kind: 'record',
          schema: 'forms/app.schema.json',
          prefill: [{ from: 'summary', match: 'code', fields: { 'basic.land': 'land', 'basic.grade': 'grade' }, blocking: true }],
        },
      ],
      ruleSets: [],
    },
    'schemas/pp/forms/summary.schema.json': {
      type: 'object',
      properties: {
        rows: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              code: { type: 'string', title: '园区编码', maxLength: 20 },
              land: { type: 'number', title: '实际用地面积(亩)' },
              grade: { type: 'string', title: '绩效评价档次', oneOf: [{ const: 'A', title: 'A 档' }, { const: 'B', title: 'B 档' }] },
            },
          },
        },
      },
    },
    'schemas/pp/forms/app.schema.json': {
      type: 'object',
      properties: {
        basic: {
          type: 'object',
          properties: {
            land: { type: 'number', title: '实际用地面积', 'x-unit': '亩' },
            grade: { type: 'string', title: '园区绩效评价档次', oneOf: [{ const: 'A', title: 'A 档' }, { const: 'B', title: 'B 档' }] },
          },
        },
      },
    },
  },
  'pp',
);

const summary = { rows: [{ code: 'P1', land: 80, grade: 'A' }, { code: 'P2', land: 55.5, grade: 'B' }] };

describe('pre-fill and consistency across forms', () => {
  it('the pack declaring it is clean', () => {
    expect(checkPack(pack)).toEqual([]);
  });
  it('finds the park’s row in the table', () => {
    expect(findSourceRecord(summary, 'code', 'P2')).toEqual({ code: 'P2', land: 55.5, grade: 'B' });
    expect(findSourceRecord(summary, 'code', 'P9')).toBeUndefined();
  });
  it('pre-fills empty fields from the source row and keeps what was typed', () => {
    const row = findSourceRecord(summary, 'code', 'P2');
    expect(prefillData(pack, 'app', { basic: { land: 60 } }, { summary: row })).toEqual({ basic: { land: 60, grade: 'B' } });
  });
  it('reports each mismatch with both values, blocking', () => {
    const row = findSourceRecord(summary, 'code', 'P2');
    const m = checkConsistency(pack, 'app', { basic: { land: 60, grade: 'B' } }, { summary: row });
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ field: 'basic.land', value: 60, sourceValue: 55.5, blocking: true, valueText: '60 亩' });
    expect(m[0]!.message).toContain('附件1');
    expect(checkConsistency(pack, 'app', { basic: { land: 55.5, grade: 'B' } }, { summary: row })).toEqual([]);
  });
});
