/**
 * The impact preview counts a scorecard by the applicant's own scores or by the reviewers': the
 * digital-demonstration pack with item i02's maximum lowered 3 → 2; a park scored i02 3 by itself
 * and 1 by the reviewer loses a point by its own scores and nothing by the reviewer's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locatePack, readPackFiles } from '../node/files.js';
import { packFromFiles } from './build.js';
import { impactOf } from './impact.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const CARD = 'schemas/zj-2022-digital-demo/forms/scorecard.schema.json';
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test data

describe('影响预览按自评分或审核人评分', () => {
  it('同一份申报，两种口径的结果不同', async () => {
    const loc = await locatePack('zj-2022-digital-demo', ROOT);
    const { files } = await readPackFiles(loc!);
    const before = packFromFiles(files, 'zj-2022-digital-demo');
    const card = structuredClone(files[CARD]) as Obj;
    card.properties.scores.properties.i02['x-score'].max = 2;
    const after = packFromFiles({ ...files, [CARD]: card }, 'zj-2022-digital-demo');
    const subs = [{ id: 's1', label: '一号园', forms: { scorecard: { scores: { i02: { self: 3, expert: 1, page: '3' } } } } }];
    const self = impactOf(before, after, subs);
    expect(self.changes.map((c) => [c.label, c.before, c.after])).toEqual([['一号园', '3 分', '2 分']]);
    const reviewer = impactOf(before, after, subs, { scoreBasis: 'reviewer' });
    expect(reviewer.failures).toEqual([]);
    expect(reviewer.changes).toEqual([]);
    expect(reviewer.ruleSets.find((r) => r.changed === 0 && r.evaluated === 1)).toBeTruthy();
  });
});
