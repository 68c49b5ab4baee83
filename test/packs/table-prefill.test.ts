/**
 * Every pack table that declares `x-table.prefill`, fed the pack's own application fixtures: each
 * declared column is carried over (none refused), the rows only from the applications its `where`
 * admits — for the 2021 附件3 (4/5★ recommendations) no 1–3★ application — and the values are the
 * application's (a few spot-checked by hand from the fixture files).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prefillQualifies, prefillRow, prefillTop, tablePrefillOf, valueAtPath, type TableForm } from '@yuanping/tables';

const repo = join(import.meta.dirname, '..', '..');
const json = (p: string): unknown => JSON.parse(readFileSync(join(repo, p), 'utf8'));
const fixtures = (pack: string): Array<{ file: string; input: Record<string, unknown> }> =>
  readdirSync(join(repo, 'rules', pack, 'fixtures'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: f, input: (json(`rules/${pack}/fixtures/${f}`) as { input: Record<string, unknown> }).input }));
const park = { name: '平台登记的园区', creditCode: '91330100MA0000000X', county: '西湖区', city: '杭州市' };

const cases = [
  { pack: 'zj-2021-evaluation-star', table: 'recommendation', app: 'star-application' },
  { pack: 'zj-2022-digital-demo', table: 'recommendation', app: 'application' },
  { pack: 'city-2023-guidance', table: 'evaluation-summary', app: 'evaluation' },
];

describe('x-table.prefill of the packs, from their application fixtures', () => {
  for (const c of cases) {
    it(`${c.pack} ${c.table} ← ${c.app}`, () => {
      const form = json(`schemas/${c.pack}/forms/${c.table}.schema.json`) as TableForm;
      const appSchema = json(`schemas/${c.pack}/forms/${c.app}.schema.json`);
      const spec = tablePrefillOf(form);
      if (!spec) throw new Error('no prefill');
      expect(spec.from).toBe(c.app);
      let offered = 0;
      for (const f of fixtures(c.pack)) {
        if (!prefillQualifies(spec, f.input)) continue;
        offered++;
        const { row, problems } = prefillRow(form, spec, f.input, park, appSchema);
        expect(problems, f.file).toEqual([]);
        // every column whose source the application fills is carried over
        for (const [key, src] of Object.entries(spec.columns)) {
          const v = typeof src === 'string' ? valueAtPath(f.input, src) : park[src.park];
          if (v !== undefined && v !== null && v !== '') expect(row[key], `${f.file} ${key}`).toBeDefined();
        }
      }
      expect(offered).toBeGreaterThan(0);
    });
  }

  it('2021 附件3 is for 4/5★: the 1–3★ applications are not offered, the 4★ one is, with its level by its label', () => {
    const form = json('schemas/zj-2021-evaluation-star/forms/recommendation.schema.json') as TableForm;
    const spec = tablePrefillOf(form);
    if (!spec) throw new Error('no prefill');
    const all = fixtures('zj-2021-evaluation-star');
    const levels = (ok: boolean) => new Set(all.filter((f) => prefillQualifies(spec, f.input) === ok).map((f) => valueAtPath(f.input, 'request.requestedLevel')));
    expect([...levels(true)].sort()).toEqual(['4', '5']);
    // not offered: the 1–3★ applications, and the fixtures that name no level (incomplete applications)
    expect([...levels(false)].map(String).sort()).toEqual(['1', '2', '3', 'undefined']);
    // 14-m4-at-boundaries: a 4★ application of 某小微企业园
    const m4 = all.find((f) => f.file === '14-m4-at-boundaries.json');
    if (!m4) throw new Error('fixture 14 missing');
    const { row } = prefillRow(form, spec, m4.input, park, json('schemas/zj-2021-evaluation-star/forms/star-application.schema.json'));
    expect(row).toMatchObject({ name: '某小微企业园', recommendedLevel: '四星级' });
    // the city recommends what its counties passed (`status`): not a submission the county has not reviewed, nor one returned
    expect(prefillQualifies(spec, m4.input, 'submitted')).toBe(false);
    expect(prefillQualifies(spec, m4.input, 'returned')).toBe(false);
    expect(prefillQualifies(spec, m4.input, 'county_passed')).toBe(true);
    expect(prefillQualifies(spec, m4.input, 'not_recommended')).toBe(false);
  });

  it('the city tables take what the counties passed; the county’s own 附件1 takes every submitted application', () => {
    const spec = (pack: string, table: string) => {
      const s = tablePrefillOf(json(`schemas/${pack}/forms/${table}.schema.json`) as TableForm);
      if (!s) throw new Error(`no prefill in ${pack}/${table}`);
      return s;
    };
    expect(spec('zj-2022-digital-demo', 'recommendation').status).toEqual(['county_passed', 'city_recommended', 'approved', 'rejected']);
    expect(spec('city-2023-guidance', 'evaluation-summary').status).toContain('county_passed');
    expect(spec('city-2023-guidance', 'evaluation-summary').status).not.toContain('submitted');
    expect(spec('zj-2021-evaluation-star', 'performance-summary').status).toBeUndefined();
    expect(prefillQualifies(spec('zj-2021-evaluation-star', 'performance-summary'), {}, 'submitted')).toBe(true);
  });

  it('city-2023 summary: the fixture p01 brings its code, name, this and last year’s figures', () => {
    const form = json('schemas/city-2023-guidance/forms/evaluation-summary.schema.json') as TableForm;
    const spec = tablePrefillOf(form);
    if (!spec) throw new Error('no prefill');
    const p01 = fixtures('city-2023-guidance').find((f) => f.file === 'p01-eligible.json');
    if (!p01) throw new Error('fixture p01 missing');
    const { row } = prefillRow(form, spec, p01.input, park, json('schemas/city-2023-guidance/forms/evaluation.schema.json'));
    expect(row).toMatchObject({
      parkCode: valueAtPath(p01.input, 'basic.code'),
      name: valueAtPath(p01.input, 'basic.name'),
      landMu: valueAtPath(p01.input, 'economy.landMu.thisYear'),
      landMuPrev: valueAtPath(p01.input, 'economy.landMu.lastYear'),
      rdSpendPrev: valueAtPath(p01.input, 'cultivation.rdSpend.lastYear'),
    });
    expect(row.taxPerMu).toBeUndefined(); // computed in the table, not carried
  });

  it('2022 附件4: 设区市 (choices by code, titled by name) is filled from the account’s city with its code', () => {
    const form = json('schemas/zj-2022-digital-demo/forms/recommendation.schema.json') as TableForm;
    const spec = tablePrefillOf(form);
    if (!spec) throw new Error('no prefill');
    expect(prefillTop(form, spec, { self: '杭州市', city: '杭州市' })).toEqual({ city: '330100' });
    expect(prefillTop(form, spec, { self: '宁波市', city: '宁波市' })).toEqual({ city: '330200' });
    // a name that titles no choice is not filled (the user picks the city)
    expect(prefillTop(form, spec, { self: '某市', city: '某市' })).toEqual({});
  });

  it('2021 附件1: 填报地区（设区市） (free text) takes the city’s name', () => {
    const form = json('schemas/zj-2021-evaluation-star/forms/performance-summary.schema.json') as TableForm;
    const spec = tablePrefillOf(form);
    if (!spec) throw new Error('no prefill');
    expect(prefillTop(form, spec, { self: '西湖区', county: '西湖区', city: '杭州市' })).toEqual({ region: '杭州市' });
  });
});
