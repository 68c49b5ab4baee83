/**
 * Cohort fixtures of the seed packs: `rules/<pack>/cohort-fixtures/*.json`.
 * Each file names a cohort step of its pack, the table form whose rows are the records
 * (`recordsFrom`), optional parameter overrides and org units, the records, and the
 * expected result worked out by hand (in its `description`). This test
 *  1. checks every cohort step of the pack with @yuanping/cohort's checker against the
 *     fields of that table's rows and the pack's parameter names;
 *  2. fills the computed columns of every record and validates it against the row schema;
 *  3. runs the step and compares each expected record result and summary.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeFields, createFormAjv, loadPack } from '@yuanping/core';
import { checkCohortStep, runCohortStep, type CohortStep, type OrgUnit } from '@yuanping/cohort';

const root = join(import.meta.dirname, '..', '..');
const PACKS = ['zj-2022-digital-demo', 'city-2023-guidance', 'zj-2021-evaluation-star'].filter((id) => existsSync(join(root, 'schemas', id, 'pack.json')));

interface ExpectRecord {
  selected?: boolean;
  grade?: string | null;
  score?: number;
  bonus?: number;
  rank?: number;
  reward?: number | null;
  excluded?: string | null;
}
interface CohortFixture {
  title: string;
  description?: string;
  step: string;
  recordsFrom: { form: string; path: string };
  parameters?: Record<string, unknown>;
  orgUnits?: OrgUnit[];
  records: Record<string, unknown>[];
  expect: {
    records?: Record<string, ExpectRecord>;
    distribution?: Record<string, number>;
    rewardTotal?: number;
    caps?: Array<{ unit: string; cap?: number; candidates?: number; selected: number }>;
    indicators?: Record<string, Record<string, number>>;
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

for (const id of PACKS) {
  const dir = join(root, 'rules', id, 'cohort-fixtures');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    files = [];
  }
  describe(`cohort fixtures of ${id}`, () => {
    it('has cohort fixtures', () => {
      expect(files.length).toBeGreaterThan(0);
    });
    for (const file of files) {
      const fx = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CohortFixture;
      it(`${file}: ${fx.title}`, async () => {
        const pack = await loadPack(id, { root });
        const entry = pack.cohortSteps.get(fx.step);
        expect(entry, `cohort step ${fx.step}`).toBeDefined();
        const step = entry!.step as CohortStep;
        const form = pack.forms.get(fx.recordsFrom.form);
        expect(form, `form ${fx.recordsFrom.form}`).toBeDefined();
        const table = (form!.schema.properties as Record<string, unknown>)[fx.recordsFrom.path];
        expect(isObj(table) && isObj(table.items)).toBe(true);
        const rowSchema = (table as { items: Record<string, unknown> }).items;
        const fields = Object.keys((rowSchema.properties ?? {}) as Record<string, unknown>);
        const declared = (pack.manifest.parameters ?? {}) as Record<string, { value: unknown }>;
        const problems = checkCohortStep(step, fields, { file: entry!.file, parameterNames: Object.keys(declared) });
        expect(problems).toEqual([]);

        // computed columns (x-compute) are filled as the table form would, then each row is validated
        const ajv = createFormAjv();
        const validate = ajv.compile(rowSchema);
        const records = fx.records.map((r) => computeFields(rowSchema, r) as Record<string, unknown>);
        for (const r of records) {
          const ok = validate(r);
          expect(ok, `${JSON.stringify(r)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }

        const parameters: Record<string, unknown> = {};
        for (const [k, p] of Object.entries(declared)) parameters[k] = p.value;
        Object.assign(parameters, fx.parameters ?? {});
        const result = runCohortStep(step, records, { parameters, ...(fx.orgUnits ? { orgUnits: fx.orgUnits } : {}) });
        const byKey = new Map(result.records.map((r) => [r.key, r]));
        for (const [key, want] of Object.entries(fx.expect.records ?? {})) {
          const got = byKey.get(key);
          expect(got, `record ${key}`).toBeDefined();
          const ctx = `${key}\n${got!.explanation.join('\n')}`;
          if (want.selected !== undefined) expect(got!.selected ?? false, ctx).toBe(want.selected);
          if (want.grade !== undefined) expect(got!.grade ?? null, ctx).toBe(want.grade);
          if (want.score !== undefined) expect(got!.score, ctx).toBeCloseTo(want.score, 6);
          if (want.bonus !== undefined) expect(got!.bonus, ctx).toBeCloseTo(want.bonus, 6);
          if (want.rank !== undefined) expect(got!.rank, ctx).toBe(want.rank);
          if (want.reward !== undefined) expect(got!.reward ?? null, ctx).toBe(want.reward);
          if (want.excluded !== undefined) expect(got!.excluded?.id ?? null, ctx).toBe(want.excluded);
        }
        for (const [key, inds] of Object.entries(fx.expect.indicators ?? {})) {
          const got = byKey.get(key);
          for (const [ind, d] of Object.entries(inds)) {
            const b = got?.breakdown.find((x) => x.id === ind);
            expect(b?.kind === 'bonus' ? b.contribution : b?.d, `${key}.${ind}`).toBeCloseTo(d, 4);
          }
        }
        if (fx.expect.distribution) expect(result.distribution).toEqual(fx.expect.distribution);
        if (fx.expect.rewardTotal !== undefined) expect(result.rewardTotal).toBe(fx.expect.rewardTotal);
        if (fx.expect.caps) {
          expect(result.caps?.map((c) => ({ unit: c.unit, selected: c.selected }))).toEqual(fx.expect.caps.map((c) => ({ unit: c.unit, selected: c.selected })));
        }
      });
    }
  });
}
