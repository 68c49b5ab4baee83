import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCohortStep, runCohortStep, type CohortStep } from '@yuanping/cohort';
import { exportXlsx, importXlsx, tableLayout, type Row } from '@yuanping/tables';
import { attachment1, make1200 } from './make-1200.js';

const step = JSON.parse(readFileSync(new URL('./grade-attachment1.cohort.json', import.meta.url), 'utf8')) as CohortStep;

describe('a 1,200-row 附件1 xlsx: import → grade by quota → export', () => {
  it('the grading step reads only fields of the form', () => {
    const fields = tableLayout(attachment1).sections[0]?.columns.map((c) => c.key) ?? [];
    expect(checkCohortStep(step, fields)).toEqual([]);
  });

  it('imports, grades and exports again (its time is in pnpm bench: test/bench/tables.bench.ts)', async () => {
    const file = await make1200();
    const imported = await importXlsx(attachment1, file);
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors.slice(0, 5)));
    expect(imported.rows).toHaveLength(1200);
    const result = runCohortStep(step, imported.rows);
    const graded: Row[] = imported.rows.map((r, i) => ({ ...r, grade: result.records[i]?.grade }));
    const out = await exportXlsx(attachment1, graded, { values: imported.data });

    // every participating park has a grade; the shares hold per park type
    const participating = imported.rows.filter((r) => r.participating === '是').length;
    const gradedCount = result.records.filter((r) => r.grade).length;
    expect(gradedCount).toBe(participating);
    for (const g of result.groups) {
      // A ≤ 20 % of the cohort (floor), counted over the graded parks
      expect(g.counts.A).toBeLessThanOrEqual(Math.floor(g.base * 0.2));
      expect((g.counts.A ?? 0) + (g.counts.B ?? 0) + (g.counts.C ?? 0) + (g.counts.D ?? 0)).toBe(g.base);
    }
    // the exported file imports again with the grades
    const again = await importXlsx(attachment1, out);
    if (!again.ok) throw new Error(JSON.stringify(again.errors.slice(0, 5)));
    expect(again.data.region).toBe('杭州市');
    expect(again.rows.map((r) => r.grade)).toEqual(result.records.map((r) => r.grade));
  });
});
