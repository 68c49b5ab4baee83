/**
 * The table forms of the seed packs 002, 003 and 004 work with @yuanping/tables:
 * the layout checks clean, the computed total row of 2018 附件3 equals the rule set's
 * derived totals (总计 = column sums), and the fixtures' table data survive an
 * export → import round trip through the official xlsx layout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '@yuanping/core';
import { checkTableForm, computeData, exportXlsx, importXlsx } from '@yuanping/tables';

const root = join(import.meta.dirname, '..', '..');
const fixture = (pack: string, name: string): { input: Record<string, unknown> } =>
  JSON.parse(readFileSync(join(root, 'rules', pack, 'fixtures', `${name}.json`), 'utf8')) as { input: Record<string, unknown> };

const TABLES: Array<[string, string, string | undefined]> = [
  ['zj-2022-digital-demo', 'recommendation', 'r01-hangzhou-eight'],
  ['zj-2018-construction', 'joint-meeting', 'jm01-complete'],
  ['zj-2018-construction', 'plan-2019', 'p01-plan-ok'],
  ['zj-2018-construction', 'targets', 't01-targets-total'],
  ['zj-2018-construction', 'policies', undefined],
  ['city-2023-guidance', 'evaluation-summary', undefined],
];

describe('seed table forms with @yuanping/tables', () => {
  for (const [packId, formId, fx] of TABLES) {
    it(`${packId}/${formId}: layout checks clean${fx ? ', xlsx round trip of ' + fx : ''}`, async () => {
      const pack = await loadPack(packId, { root });
      const form = pack.forms.get(formId);
      expect(form?.kind).toBe('table');
      const problems = checkTableForm(form!.schema, form!.file).filter((p) => p.severity === 'error');
      expect(problems).toEqual([]);
      if (!fx) return;
      const data = fixture(packId, fx).input;
      const buf = await exportXlsx(form!.schema, data);
      const back = await importXlsx(form!.schema, buf);
      expect(back.ok, JSON.stringify(back.ok ? '' : back.errors.slice(0, 5))).toBe(true);
      if (!back.ok) return;
      for (const [k, v] of Object.entries(data)) {
        if (Array.isArray(v)) expect(back.data[k]).toEqual(v);
      }
    });
  }

  it('2018 附件3: the 总计 row is the column sums, equal to the rule set derived totals', async () => {
    const pack = await loadPack('zj-2018-construction', { root });
    const form = pack.forms.get('targets')!;
    const data = fixture('zj-2018-construction', 't01-targets-total').input;
    const total = computeData(form.schema, data).rows?.total;
    expect(total).toMatchObject({
      county: '总计', newBuilt: 23, upgraded: 13, mfgCount: 30, mfgLandMu: 2420.75, mfgFirms: 1850,
      svcCount: 6, svcFloorWan: 24.8, svcFirms: 180, firmTarget: 2600,
    });
  });
});
