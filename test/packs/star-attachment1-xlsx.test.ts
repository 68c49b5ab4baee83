/**
 * zj-2021-evaluation-star 附件1 through the official xlsx: the rows of cohort fixture c04
 * (hand-worked grades) are exported, imported back (computed 集聚度 and 亩均税收 filled),
 * graded by the pack's grading step, and the graded table exported and imported again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '@yuanping/core';
import { runCohortStep, type CohortStep } from '@yuanping/cohort';
import { checkTableForm, exportXlsx, importXlsx, tableLayout, type Row, type TableForm } from '@yuanping/tables';

const root = join(import.meta.dirname, '..', '..');
const PACK = 'zj-2021-evaluation-star';
const c04 = JSON.parse(readFileSync(join(root, 'rules', PACK, 'cohort-fixtures', 'c04-star-exemption.json'), 'utf8')) as {
  records: Row[];
  expect: { records: Record<string, { grade: string | null }> };
};

describe(`${PACK}: 附件1 xlsx → grading → xlsx`, () => {
  it('round-trips and grades as worked out by hand', async () => {
    const pack = await loadPack(PACK, { root });
    const form = pack.forms.get('performance-summary')!.schema as TableForm;
    expect(checkTableForm(form)).toEqual([]);
    const layout = tableLayout(form);
    expect(layout.sections[0]!.depth).toBe(3); // 评价指标基础数据值 › 入园企业情况 › 入园企业数
    const step = pack.cohortSteps.get('grading')!.step as CohortStep;
    const params = { shareA: 0.2, shareB: 0.3, shareC: 0.45 };

    const file = await exportXlsx(form, c04.records, { values: { region: '杭州市' } });
    const imported = await importXlsx(form, file);
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors.slice(0, 5)));
    expect(imported.rows).toHaveLength(10);
    // 30 / 50 firms = 60 %; 3000 万元 / 100 亩 = 30 万元/亩
    expect(imported.rows[0]).toMatchObject({ concentration: 60, taxPerMu: 30 });

    const result = runCohortStep(step, imported.rows, { parameters: params });
    const got = Object.fromEntries(result.records.map((r) => [r.key, r.grade ?? null]));
    expect(got).toEqual(Object.fromEntries(Object.entries(c04.expect.records).map(([k, v]) => [k, v.grade])));

    const graded = imported.rows.map((r, i) => ({ ...r, grade: result.records[i]?.grade }));
    const again = await importXlsx(form, await exportXlsx(form, graded, { values: imported.data }));
    if (!again.ok) throw new Error(JSON.stringify(again.errors.slice(0, 5)));
    expect(again.rows.map((r) => r.grade ?? null)).toEqual(result.records.map((r) => r.grade ?? null));
  });
});
