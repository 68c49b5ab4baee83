import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packFromFiles, hashFiles } from './build.js';
import { checkPack } from './check.js';
import { compileRuleSet } from '../rules/evaluate.js';
import { computeFields } from '../form/compute.js';
import { validateSubmission } from '../form/validate.js';

/** The clean base of the scorecard broken-pack cases: a maximum moved there is the mistake. */
const root = join(import.meta.dirname, '..', '..', '..', '..', 'test', 'broken-packs', 'scorecard-maxima-sum');
function readTree(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.json') && n !== 'expected.json') out[relative(root, p)] = JSON.parse(readFileSync(p, 'utf8'));
    }
  };
  walk(join(root, 'schemas'));
  walk(join(root, 'rules'));
  return out;
}
type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test data
const base = (): Record<string, J> => {
  const files = readTree() as Record<string, J>;
  // the case's mistake undone: i2 is worth 3 again, as the group's stated 5 = 2 + 3 says
  const form = files['schemas/bp/forms/card.schema.json']!;
  form.properties.scores.properties.i2['x-score'].max = 3;
  const fx = files['rules/bp/fixtures/full.json']!;
  fx.input.scores.i2.self = 3;
  fx.expect.outcome = { score: 7, groups: { base: 5, bonus: 2 } };
  return files;
};

describe('the expanded pack: each number of a notice written once', () => {
  it('a clean scorecard pack passes check, fixtures included', () => {
    expect(checkPack(packFromFiles(base(), 'bp'))).toEqual([]);
  });

  it('derives each item column maximum, the titles with "（N分）", required items and the total as x-compute', () => {
    const pack = packFromFiles(base(), 'bp');
    const s = pack.forms.get('card')!.schema as J;
    const i2 = s.properties.scores.properties.i2;
    expect(i2.title).toBe('序号2 组织（3分）');
    expect(i2.properties.self.maximum).toBe(3);
    expect(i2.properties.expert.maximum).toBe(3);
    expect(i2.properties.expert['x-role']).toBe('province');
    expect(i2.properties.page.maximum).toBeUndefined();
    expect(s.properties.scores.required).toEqual(['i1', 'i2', 'b1']);
    expect(s.properties.totalSelf['x-compute']).toBeDefined();
  });

  it('the score outcome takes items, groups and cap from the form; the total field computes what the outcome scores', () => {
    const pack = packFromFiles(base(), 'bp');
    const rs = pack.ruleSets.get('score')!.ruleSet;
    expect(rs.outcome.kind).toBe('score');
    if (rs.outcome.kind !== 'score') return;
    expect(rs.outcome.items.map((i) => [i.id, i.max, i.group, i.fact, i.reviewerFact])).toEqual([
      ['i1', 2, 'base', 'scores.i1.self', 'scores.i1.expert'],
      ['i2', 3, 'base', 'scores.i2.self', 'scores.i2.expert'],
      ['b1', 2, 'bonus', 'scores.b1.self', 'scores.b1.expert'],
    ]);
    expect(rs.outcome.groups).toEqual([
      { id: 'base', label: '基本项（5分）', cap: 5 },
      { id: 'bonus', label: '加分项（2分）', cap: 2 },
    ]);
    expect(rs.outcome.cap).toBe(7);
    const data = { scores: { i1: { self: 1.5 }, i2: { self: 2, page: '3' }, b1: { self: 0 } } };
    const computed = computeFields(pack.forms.get('card')!.schema, data) as J;
    expect(computed.totalSelf).toBe(3.5);
    const ev = compileRuleSet(pack, 'score').evaluate(data);
    expect(ev.outcome).toMatchObject({ kind: 'score', score: 3.5 });
    // i1 has a score and no page: the generated count says 1 and the warning fires
    expect(ev.derived.withoutPage?.value).toBe(1);
    expect(ev.warnings.map((w) => w.rule)).toEqual(['w.page']);
    // the generated maximum is enforced by the form
    expect(validateSubmission(pack.forms.get('card')!, { scores: { i1: { self: 2.5 } } }).errors.map((e) => e.path)).toContain('scores.i1.self');
  });

  it('resolves parameter and quota references and {{param.x}} texts; the hash stays over the files as written', () => {
    const files = base();
    files['schemas/bp/forms/card.schema.json']!.title = '{{pack.year}} 年度评分表';
    files['schemas/bp/forms/card.schema.json']!.properties.rows = { type: 'array', title: '推荐园区（不超过 {{param.capHangzhou}} 家）', maxItems: { quota: 'recommend' }, items: { type: 'string', title: '园区', maxLength: 50 } };
    const pack = packFromFiles(files, 'bp');
    expect(pack.manifest.quotas?.[0]).toMatchObject({ default: 5, overrides: { '330100': 8 } });
    const rows = (pack.forms.get('card')!.schema as J).properties.rows;
    expect(rows.maxItems).toBe(8);
    expect(rows.title).toBe('推荐园区（不超过 8 家）');
    expect((pack.forms.get('card')!.schema as J).title).toBe('2022 年度评分表');
    expect(pack.hash).toBe(hashFiles(files));
    expect(pack.files['schemas/bp/pack.json']).toEqual(files['schemas/bp/pack.json']);
    expect(checkPack(pack)).toEqual([]);
  });

  it('a derived fact declared by quota reads the limit for the unit (overridable as a parameter)', () => {
    const files = base();
    files['schemas/bp/forms/card.schema.json']!.properties.city = { type: 'string', title: '设区市', maxLength: 6 };
    files['rules/bp/score.rules.json']!.derived.push({ id: 'myCap', label: '本市名额', unit: '家', precision: 0, quota: { id: 'recommend', unit: 'city' } });
    const pack = packFromFiles(files, 'bp');
    const rs = compileRuleSet(pack, 'score');
    expect(rs.evaluate({ city: '330100' }).derived.myCap?.value).toBe(8);
    expect(rs.evaluate({ city: '330200' }).derived.myCap?.value).toBe(5);
    expect(rs.evaluate({ city: '330100' }, { parameters: { capHangzhou: 10 } }).derived.myCap?.value).toBe(10);
    expect(checkPack(pack)).toEqual([]);
  });
});
