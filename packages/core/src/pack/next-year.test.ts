import { describe, expect, it } from 'vitest';
import { isIsoDate, listPackDates, planNextYear, shiftDate } from './next-year.js';

const files = (): Record<string, unknown> => ({
  'schemas/a/pack.json': {
    id: 'a',
    title: '关于开展2022年度评价的通知',
    year: 2022,
    issueDate: '2022-08-18',
    dataCutoff: '2021-12-31',
    dates: [{ id: 'due', label: '报送截止', date: '2022-09-20' }],
    workflow: { stages: [{ id: 'fill', label: '填报', role: 'applicant', window: { opens: '2022-08-18', closes: '2022-09-20' } }] },
  },
  'rules/a/r.rules.json': { rules: [{ name: 'x', label: '建成时间', conditions: { all: [{ fact: 'built', operator: 'dateOnOrBefore', value: '2020-02-29' }] } }] },
  'rules/a/fixtures/f.json': { title: 't', ruleSet: 'r', input: { built: '2019-01-01' }, expect: { outcome: {} } },
  'rules/a/cohort-fixtures/c.json': { title: 'c', records: [] },
});

describe('next year from last year', () => {
  it('shifts a date by whole years; 29 February becomes 28 February in a common year', () => {
    expect(shiftDate('2022-09-20', 1)).toBe('2023-09-20');
    expect(shiftDate('2020-02-29', 1)).toBe('2021-02-28');
    expect(shiftDate('2020-02-29', 4)).toBe('2024-02-29');
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
  });

  it('lists every date of the pack with a Chinese label, fixtures aside', () => {
    expect(listPackDates(files(), 'a').map((d) => [d.id, d.label, d.date])).toEqual([
      ['issueDate', '发文日期', '2022-08-18'],
      ['dataCutoff', '数据截止日期', '2021-12-31'],
      ['date:due', '时间节点“报送截止”', '2022-09-20'],
      ['window:fill:opens', '流程环节“填报”开始', '2022-08-18'],
      ['window:fill:closes', '流程环节“填报”截止', '2022-09-20'],
      ['rules/a/r.rules.json#/rules/0/conditions/all/0/value', '“建成时间”中的日期', '2020-02-29'],
    ]);
  });

  it('applies the given dates, shifts the others, renames, marks every copied fixture for review, and lists titles naming last year', () => {
    const before = files();
    const plan = planNextYear(before, { fromId: 'a', newId: 'b', dates: { issueDate: '2023-08-10', 'window:fill:closes': '2023-09-15' } });
    expect(plan.year).toBe(2023);
    const m = plan.files['schemas/b/pack.json'] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test data
    expect(m).toMatchObject({ id: 'b', succeeds: 'a', year: 2023, issueDate: '2023-08-10', dataCutoff: '2022-12-31' });
    expect(m.dates[0].date).toBe('2023-09-20');
    expect(m.workflow.stages[0].window).toEqual({ opens: '2023-08-18', closes: '2023-09-15' });
    expect(plan.dates.filter((d) => d.how === 'given').map((d) => d.id)).toEqual(['issueDate', 'window:fill:closes']);
    expect((plan.files['rules/b/r.rules.json'] as any).rules[0].conditions.all[0].value).toBe('2021-02-28'); // eslint-disable-line @typescript-eslint/no-explicit-any -- test data
    expect(plan.fixtures).toEqual(['rules/b/cohort-fixtures/c.json', 'rules/b/fixtures/f.json']);
    expect((plan.files['rules/b/fixtures/f.json'] as { review: string }).review).toContain('复制自 2022 年度的通知包，尚未按 2023 年的通知核对');
    expect((plan.files['rules/b/fixtures/f.json'] as { input: unknown }).input).toEqual({ built: '2019-01-01' });
    expect(plan.yearMentions).toEqual([{ file: 'schemas/b/pack.json', pointer: '/title', text: '关于开展2022年度评价的通知' }]);
    expect(plan.changed).toEqual(['rules/b/cohort-fixtures/c.json', 'rules/b/fixtures/f.json', 'rules/b/r.rules.json', 'schemas/b/pack.json']);
    // last year's files are untouched
    expect(before).toEqual(files());
  });

  it('refuses an unknown date or one that is not a real date', () => {
    expect(() => planNextYear(files(), { fromId: 'a', newId: 'b', dates: { 'date:nope': '2023-01-01' } })).toThrow(/没有日期“date:nope”/);
    expect(() => planNextYear(files(), { fromId: 'a', newId: 'b', dates: { issueDate: '2023-13-01' } })).toThrow(/YYYY-MM-DD/);
  });
});
