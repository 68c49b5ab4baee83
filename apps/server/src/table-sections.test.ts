import { describe, expect, it } from 'vitest';
import { exportXlsx, readXlsx, type TableForm } from '@yuanping/tables';
import { PG_URL } from './testing/harness.js';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';

const row = (extra: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', title: '名称', maxLength: 100 }, mu: { type: 'number', title: '用地（亩）', minimum: 0 }, ...extra },
});

/** A table form with three sections and a required top-level field, and one with one section and a required top-level field. */
function packFiles(): Record<string, unknown> {
  const files = testPackFiles();
  const manifestKey = `schemas/${TEST_PACK_ID}/pack.json`;
  const manifest = files[manifestKey] as { forms: unknown[] };
  files[manifestKey] = {
    ...manifest,
    cohortSteps: [
      ...((manifest as { cohortSteps?: unknown[] }).cohortSteps ?? []),
      { id: 'rank-started', file: 'rank-started.cohort.json', records: { form: 'plan', path: 'started' } },
    ],
    forms: [
      ...manifest.forms,
      { id: 'plan', title: '计划表', kind: 'table', scope: 'county', schema: 'forms/plan.schema.json' },
      { id: 'summary', title: '汇总表二', kind: 'table', scope: 'county', schema: 'forms/summary.schema.json' },
    ],
  };
  files[`rules/${TEST_PACK_ID}/rank-started.cohort.json`] = { id: 'rank-started', title: '开工项目按用地排序', key: 'name', label: 'name', rank: { field: 'mu', title: '用地', order: 'desc' } };
  files[`schemas/${TEST_PACK_ID}/forms/plan.schema.json`] = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: '计划表',
    type: 'object',
    additionalProperties: false,
    required: ['area'],
    'x-table': {
      title: '计划表',
      preamble: [{ label: '地区', field: 'area' }],
      sections: [
        { field: 'built', title: '可建成', columns: ['name', 'mu'] },
        { field: 'upgraded', title: '改造提升', columns: ['name', 'mu', 'content'] },
        { field: 'started', title: '开工', columns: ['name', 'mu'] },
      ],
    },
    properties: {
      area: { type: 'string', title: '地区', maxLength: 50 },
      built: { type: 'array', items: row() },
      upgraded: { type: 'array', items: row({ content: { type: 'string', title: '内容', maxLength: 200 } }) },
      started: { type: 'array', items: row() },
    },
  };
  files[`schemas/${TEST_PACK_ID}/forms/summary.schema.json`] = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: '汇总表二',
    type: 'object',
    additionalProperties: false,
    required: ['region', 'rows'],
    'x-table': { preamble: [{ label: '填报地区', field: 'region' }], columns: ['name', 'mu'] },
    properties: { region: { type: 'string', title: '填报地区', minLength: 1, maxLength: 50 }, rows: { type: 'array', items: row() } },
  };
  return files;
}

const PLAN = {
  area: '西湖区',
  built: [{ name: '甲园', mu: 10 }, { name: '乙园', mu: 5 }],
  upgraded: [{ name: '丙园', content: '改造厂房' }],
  started: [{ name: '丁园', mu: 30 }],
};

for (const backend of PG_URL ? (['pglite', 'pg'] as const) : (['pglite'] as const)) {
  describe(`table forms: whole data (every section and the top-level fields) — ${backend}`, () => {
    const plan = `/api/tables/${TEST_PACK_ID}/plan`;
    const summary = `/api/tables/${TEST_PACK_ID}/summary`;
    const srv = serverFor({ backend, packFiles: packFiles() });

    it('a county saves a three-section table: a draft is stored as typed and answered with its errors; what is no table is refused and nothing stored', async () => {
      const xihu = await srv.h.login('county-xihu');
      // no table: a section that is no list of rows, a row that is no object, a field the form does not have
      const shape = await xihu.put(plan, { data: { ...PLAN, upgraded: '丙园', started: [3], nope: 1 } });
      expect(shape.statusCode).toBe(400);
      expect(shape.json()).toMatchObject({ code: 'SUBMISSION_INVALID' });
      expect((shape.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort()).toEqual(['nope', 'started.0', 'upgraded']);
      expect((await xihu.get(plan)).json()).toMatchObject({ own: null });
      expect((await xihu.put(plan, { rows: [], data: PLAN })).statusCode).toBe(400);

      // wrong values are what the user typed: stored, and named in the answer
      const typed = { ...PLAN, upgraded: [{ name: '丙园', mu: '十' }], started: [{ name: 3 }] };
      const bad = await xihu.put(plan, { data: typed });
      expect(bad.statusCode, bad.body).toBe(200);
      expect(bad.json()).toMatchObject({ version: 1, status: 'draft', data: typed });
      expect((bad.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort()).toEqual(['started.0.name', 'upgraded.0.mu']);
      expect(((await xihu.get(plan)).json() as { own: { data: unknown } }).own.data).toEqual(typed);
      // a number written as text is read as the file import reads it (the one normaliser) and named as a
      // warning; a text that is no number is kept as typed, and named as an error
      const text = await xihu.put(plan, { data: { ...PLAN, built: [{ name: '甲园', mu: '10' }, { name: '乙园', mu: '十亩' }] } }, { 'if-match': '"1"' });
      expect(text.json()).toMatchObject({
        version: 2,
        data: { built: [{ name: '甲园', mu: 10 }, { name: '乙园', mu: '十亩' }] },
        errors: [{ path: 'built.1.mu', code: 'type' }],
        warnings: [{ section: 'built', index: 0, key: 'mu', title: '用地（亩）' }],
      });
      // ... and it cannot be reported
      expect((await xihu.post(`${plan}/submit`, {})).json()).toMatchObject({ code: 'SUBMISSION_INVALID' });

      const ok = await xihu.put(plan, { data: PLAN }, { 'if-match': '"2"' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ version: 3, data: PLAN, rows: PLAN.built, errors: [] });
      const got = (await xihu.get(plan)).json() as { own: { data: unknown }; combinedData: unknown };
      expect(got.own.data).toEqual(PLAN);
      expect(got.combinedData).toEqual(PLAN);
      // the old body: { rows } replaces the first section, the others and the top-level fields are kept
      const old = await xihu.put(plan, { rows: [{ name: '甲园', mu: 11 }] }, { 'if-match': '"3"' });
      expect(old.statusCode, old.body).toBe(200);
      expect(old.json()).toMatchObject({ version: 4, data: { ...PLAN, built: [{ name: '甲园', mu: 11 }] } });
      expect((await xihu.put(plan, { data: PLAN }, { 'if-match': '"4"' })).statusCode).toBe(200);
    });

    it('the city sees every section combined (with each row\'s unit), submits it with its own top-level fields, and downloads all sections', async () => {
      const xihu = await srv.h.login('county-xihu');
      const city = await srv.h.login('city-hz');
      const before = (await city.get(plan)).json() as { combinedData: Record<string, unknown[]> };
      expect(before.combinedData).toEqual({ built: [], upgraded: [], started: [] });
      expect((await xihu.post(`${plan}/submit`)).statusCode).toBe(200);
      const view = (await city.get(plan)).json() as { combinedData: unknown; origins: Record<string, string[]>; parts: Array<{ orgCode: string; data: unknown }> };
      expect(view.combinedData).toEqual({ built: PLAN.built, upgraded: PLAN.upgraded, started: PLAN.started });
      expect(view.origins).toEqual({ built: ['330106', '330106'], upgraded: ['330106'], started: ['330106'] });
      expect(view.parts.find((p) => p.orgCode === '330106')?.data).toEqual(PLAN);

      // the combined table lacks the required top-level field: the city gives it on submit
      const refused = await city.post(`${plan}/submit`);
      expect(refused.statusCode).toBe(400);
      expect((refused.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain('area');
      expect((await city.post(`${plan}/submit`, { preamble: { nope: 1 } })).statusCode).toBe(400);
      const sub = await city.post(`${plan}/submit`, { preamble: { area: '杭州市' } });
      expect(sub.statusCode, sub.body).toBe(200);
      expect(sub.json()).toMatchObject({ status: 'submitted', data: { area: '杭州市', built: PLAN.built, upgraded: PLAN.upgraded, started: PLAN.started } });

      const xlsx = await city.get(`${plan}/xlsx`);
      expect(xlsx.statusCode, xlsx.body).toBe(200);
      const cells = (await readXlsx(xlsx.rawPayload)).flatMap((s) => s.rows).flat().map(String);
      for (const name of ['甲园', '乙园', '丙园', '丁园', '改造厂房', '可建成', '改造提升', '开工']) expect(cells).toContain(name);
      const own = await xihu.get(`${plan}/xlsx`);
      const ownCells = (await readXlsx(own.rawPayload)).flatMap((s) => s.rows).flat().map(String);
      expect(ownCells.some((c) => c.includes('西湖区'))).toBe(true);
      expect(ownCells).toContain('丁园');
      // the same bytes the tables package writes for the whole object
      const direct = await readXlsx(await exportXlsx((packFiles()[`schemas/${TEST_PACK_ID}/forms/plan.schema.json`] as TableForm), PLAN));
      expect(direct.flatMap((s) => s.rows).flat().map(String)).toEqual(ownCells);
    });

    it('a table with a required top-level field: saved through the API, required on submit', async () => {
      const xihu = await srv.h.login('county-xihu');
      const draft = await xihu.put(summary, { rows: [{ name: '甲园', mu: 1 }] });
      expect(draft.statusCode, draft.body).toBe(200);
      const early = await xihu.post(`${summary}/submit`);
      expect(early.statusCode).toBe(400);
      expect((early.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(['region']);
      // a number for the text field: stored as sent, its error answered, and not reportable
      const wrongType = await xihu.put(summary, { data: { region: 330106, rows: [] } }, { 'if-match': '"1"' });
      expect(wrongType.statusCode, wrongType.body).toBe(200);
      expect((wrongType.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(['region']);
      expect((await xihu.post(`${summary}/submit`)).statusCode).toBe(400);
      const saved = await xihu.put(summary, { data: { region: '西湖区', rows: [{ name: '甲园', mu: 1 }] } }, { 'if-match': '"2"' });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ version: 3, data: { region: '西湖区', rows: [{ name: '甲园', mu: 1 }] }, errors: [] });
      expect((await xihu.post(`${summary}/submit`)).statusCode).toBe(200);
      const cityView = (await (await srv.h.login('city-hz')).get(summary)).json() as { combinedData: unknown; combined: unknown };
      expect(cityView.combinedData).toEqual({ rows: [{ name: '甲园', mu: 1 }] });
      expect(cityView.combined).toEqual([{ name: '甲园', mu: 1 }]);
    });

    it('the city keeps the combined table\'s top-level fields as a draft (validated, its rows still the counties\'), exports and submits it; the province sees the city', async () => {
      const city = await srv.h.login('city-hz');
      const province = await srv.h.login('province');
      // refused with the path, nothing stored: a section given as a top-level field, a whole data object, an unknown field
      expect((await city.put(summary, { preamble: { rows: [] } })).json()).toMatchObject({ code: 'SUBMISSION_INVALID', errors: [{ path: 'rows' }] });
      expect((await city.put(summary, { preamble: { nope: 1 } })).statusCode).toBe(400);
      expect((await city.put(summary, { data: { region: '杭州市', rows: [] } })).json()).toMatchObject({ code: 'FORBIDDEN' });
      expect((await city.put(summary, { preamble: { region: '杭州市' }, rows: [] })).statusCode).toBe(400);
      expect(((await city.get(summary)).json() as { own: unknown }).own).toBeNull();

      // a value too long is what was typed: stored as the draft, named in the answer
      const long = await city.put(summary, { preamble: { region: 'x'.repeat(51) } });
      expect(long.statusCode, long.body).toBe(200);
      expect(long.json()).toMatchObject({ version: 1, data: { region: 'x'.repeat(51) }, errors: [{ path: 'region', code: 'maxLength' }] });

      const saved = await city.put(summary, { preamble: { region: '杭州' } });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.headers.etag).toBe('"2"');
      expect(saved.json()).toMatchObject({ version: 2, status: 'draft', level: 'city', rows: [], data: { region: '杭州' }, errors: [] });
      expect((await city.put(summary, { preamble: { region: '杭州市' } }, { 'if-match': '"7"' })).json()).toMatchObject({ code: 'PRECONDITION_FAILED' });
      expect((await city.put(summary, { preamble: { region: '杭州市' } }, { 'if-match': '"2"' })).json()).toMatchObject({ version: 3, data: { region: '杭州市' } });
      const view = (await city.get(summary)).json() as { own: { status: string }; combinedData: unknown; origins: unknown; parts: Array<{ orgCode: string; status: string }> };
      expect(view.own.status).toBe('draft');
      expect(view.combinedData).toEqual({ region: '杭州市', rows: [{ name: '甲园', mu: 1 }] });
      expect(view.origins).toEqual({ rows: ['330106'] });
      expect(view.parts.find((p) => p.orgCode === '330106')?.status).toBe('submitted');
      // the combined xlsx carries the saved top-level field and the counties' rows
      const xlsx = await city.get(`${summary}/xlsx`);
      expect(xlsx.statusCode, xlsx.body).toBe(200);
      const cells = (await readXlsx(xlsx.rawPayload)).flatMap((s) => s.rows).flat().map(String);
      expect(cells.some((c) => c.includes('杭州市'))).toBe(true);
      expect(cells).toContain('甲园');

      // submitted with the saved top-level fields; no more edits after that
      const sub = await city.post(`${summary}/submit`);
      expect(sub.statusCode, sub.body).toBe(200);
      expect(sub.json()).toMatchObject({ status: 'submitted', level: 'city', data: { region: '杭州市', rows: [{ name: '甲园', mu: 1 }] } });
      expect((await city.put(summary, { preamble: { region: '杭州' } })).json()).toMatchObject({ code: 'INVALID_STATE' });
      expect((await city.post(`${summary}/submit`)).json()).toMatchObject({ code: 'INVALID_STATE' });

      // the province sees the city's report as a part, its rows combined; it neither saves nor submits
      const pv = (await province.get(summary)).json() as { parts: Array<{ orgCode: string; status: string }>; combinedData: unknown; origins: unknown };
      expect(pv.parts.find((p) => p.orgCode === '330100')?.status).toBe('submitted');
      expect(pv.parts.find((p) => p.orgCode === '330200')?.status).toBe('missing');
      expect(pv.combinedData).toEqual({ rows: [{ name: '甲园', mu: 1 }] });
      expect(pv.origins).toEqual({ rows: ['330100'] });
      expect((await province.put(summary, { preamble: { region: '浙江省' } })).statusCode).toBe(403);
      expect((await province.post(`${summary}/submit`)).statusCode).toBe(403);

      // returned by the province: the city edits its top-level fields again and resubmits
      expect((await province.post(`${summary}/return`, { orgCode: '330100', comment: '请补充联系人' })).json()).toMatchObject({ status: 'returned' });
      expect((await city.put(summary, { preamble: { region: '杭州市（补）' } })).json()).toMatchObject({ status: 'returned', data: { region: '杭州市（补）' } });
      expect((await city.post(`${summary}/submit`)).json()).toMatchObject({ status: 'submitted', data: { region: '杭州市（补）', rows: [{ name: '甲园', mu: 1 }] } });
    });

    it('a county saves only its top-level fields with { preamble }: its rows are kept', async () => {
      const haishu = await srv.h.login('county-haishu');
      expect((await haishu.put(summary, { rows: [{ name: '乙园', mu: 2 }] })).statusCode).toBe(200);
      const r = await haishu.put(summary, { preamble: { region: '海曙区' } });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ version: 2, data: { region: '海曙区', rows: [{ name: '乙园', mu: 2 }] }, rows: [{ name: '乙园', mu: 2 }] });
      // a number where text is declared: stored, named, the rows still kept
      expect((await haishu.put(summary, { preamble: { region: 7 } })).json()).toMatchObject({ version: 3, data: { region: 7, rows: [{ name: '乙园', mu: 2 }] }, errors: [{ path: 'region', code: 'type' }] });
    });

    it('a city\'s draft of the combined table does not hide the counties\' rows from its cohort grading', async () => {
      const xihu = await srv.h.login('county-xihu');
      const city = await srv.h.login('city-hz');
      const sum = `/api/tables/${TEST_PACK_ID}/sum`;
      expect((await xihu.put(sum, { rows: [{ park: '甲', area: 3 }, { park: '乙', area: 9 }] })).statusCode).toBe(200);
      expect((await xihu.post(`${sum}/submit`)).statusCode).toBe(200);
      expect((await city.put(sum, { preamble: {} })).json()).toMatchObject({ status: 'draft', rows: [] });
      const run = await city.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', formId: 'sum' });
      expect(run.statusCode, run.body).toBe(201);
      expect((run.json() as { input: unknown[] }).input).toEqual([{ park: '甲', area: 3 }, { park: '乙', area: 9 }]);
    });

    it('a cohort step whose records name a section of a table grades that section\'s rows, not the first section\'s', async () => {
      const city = await srv.h.login('city-hz');
      // 西湖区 submitted PLAN above: its 开工 section holds one row, its first section two
      const run = await city.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank-started', formId: 'plan' });
      expect(run.statusCode, run.body).toBe(201);
      expect((run.json() as { input: unknown[] }).input).toEqual(PLAN.started);
      // the same form with a step that declares no records: the first section, as before
      const first = await city.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', formId: 'plan' });
      expect(first.statusCode, first.body).toBe(201);
      expect((first.json() as { input: unknown[] }).input).toEqual(PLAN.built);
    });
  });
}
