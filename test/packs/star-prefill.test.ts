/**
 * zj-2021-evaluation-star: the star application is pre-filled from, and checked against, the
 * park's row of 附件1 (通知 四（一）：星级评定在绩效评价基础上开展，相关数据必须保持一致).
 * Expectations worked out by hand from fixture 01 (a 3-star manufacturing park).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConsistency, findSourceRecord, loadPack, prefillData } from '@yuanping/core';

const root = join(import.meta.dirname, '..', '..');
const PACK = 'zj-2021-evaluation-star';
const fixture = JSON.parse(readFileSync(join(root, 'rules', PACK, 'fixtures', '01-m3-at-boundaries.json'), 'utf8')) as { input: Record<string, unknown> };

/** The park's row of 附件1 with the same numbers as fixture 01. */
const row = {
  city: '杭州市', county: '西湖区', parkCode: 'P330100001', name: '某小微企业园', parkType: '生产制造类',
  land: 50, floorArea: 30000, firms: 20, employees: 400, leadingRelated: 12, revenue: 50000, tax: 500,
  aboveScale: 2, newAboveScale: 0, highTech: 1, hiddenChampions: 0, littleGiants: 0,
  grade: 'B', participating: '是', evalScore: 80, currentStar: 2,
};
const summary = { region: '杭州市', rows: [{ ...row, parkCode: 'OTHER', name: '另一园区' }, row] };

describe(`${PACK}: star application against 附件1`, () => {
  it('finds the park row by 园区编码 and finds nothing to correct when the numbers agree', async () => {
    const pack = await loadPack(PACK, { root });
    const src = findSourceRecord(summary, 'parkCode', 'P330100001');
    expect(src?.name).toBe('某小微企业园');
    expect(checkConsistency(pack, 'star-application', fixture.input, { 'performance-summary': src })).toEqual([]);
  });

  it('shows both values and blocks when 税收总额 differs', async () => {
    const pack = await loadPack(PACK, { root });
    const src = { ...row, tax: 520 };
    const m = checkConsistency(pack, 'star-application', fixture.input, { 'performance-summary': src });
    expect(m.map((x) => [x.field, x.value, x.sourceValue, x.blocking])).toEqual([['economy.tax', 500, 520, true]]);
  });

  it('pre-fills an empty application from the row', async () => {
    const pack = await loadPack(PACK, { root });
    const filled = prefillData(pack, 'star-application', {}, { 'performance-summary': row }) as Record<string, Record<string, unknown>>;
    expect(filled.basic).toMatchObject({ parkCode: 'P330100001', name: '某小微企业园', parkType: '生产制造类', performanceGrade: 'B', currentStar: 2 });
    expect(filled.area).toEqual({ land: 50, built: 30000 });
    expect(filled.enterprises).toEqual({ total: 20, employees: 400, leadingRelated: 12 });
    expect(filled.economy).toEqual({ revenue: 50000, tax: 500 });
  });
});
