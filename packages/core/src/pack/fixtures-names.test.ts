/**
 * A fixture's differences name what the administrator sees (rule labels, field titles, group
 * labels, derived facts' labels), never rule ids or field paths: they are shown on the workbench.
 * The digital-demonstration pack with the changes of the workbench journey (Hangzhou's cap 8 → 10,
 * eligible grades A/B → A, 信息基础设施 3 → 2, a required item added), its fixtures run.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPackFiles, locatePack } from '../node/files.js';
import { packFromFiles } from './build.js';
import { runFixtures } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test data

describe('样例差异用中文名称', () => {
  it('规则、字段、分组、派生事实都按名称写出', async () => {
    const loc = await locatePack('zj-2022-digital-demo', ROOT);
    if (!loc) throw new Error('pack not found');
    const { files } = await readPackFiles(loc);
    const m = structuredClone(files['schemas/zj-2022-digital-demo/pack.json']) as Obj;
    m.parameters.eligibleGrades.value = ['A'];
    for (const q of m.quotas) if (q.overrides && '330100' in q.overrides) q.overrides['330100'] = 10;
    const cardFile = Object.keys(files).find((f) => f.includes('/forms/') && JSON.stringify(files[f]).includes('x-scorecard'))!;
    const card = structuredClone(files[cardFile]) as Obj;
    const scores = Object.values(card.properties as Obj).find((p: Obj) => p['x-scorecard']) as Obj;
    const first = Object.entries(scores.properties as Obj).find(([, v]) => (v as Obj)['x-score']?.max === 3)!;
    (first[1] as Obj)['x-score'].max = 2;
    const pack = packFromFiles({ ...files, 'schemas/zj-2022-digital-demo/pack.json': m, [cardFile]: card }, 'zj-2022-digital-demo');
    const runs = runFixtures(pack);
    const lines = runs.flatMap((r) => [...r.differences, ...r.problems.map((p) => p.message)]);
    expect(lines.length).toBeGreaterThan(3);
    // no identifier of a rule, field, group or derived fact: no Latin word of two letters or more
    const latin = lines.filter((l) => /[A-Za-z]{2,}/.test(l));
    expect(latin).toEqual([]);
    const all = lines.join('\n');
    // the eligibility rule on the grade, by its label; a self score over the new maximum, by the item's title
    expect(all).toMatch(/规则“[^”]+”：期望满足，实际不满足/);
    expect(all).toMatch(/样例输入不符合表单：[^：；]+ · [^：；]+：自评分不能大于 2/);
    expect(all).toMatch(/分组“[^”]+”得分：期望 \d+，实际 \d+/);
  });
});
