/**
 * Results and dashboards (issue 16, items 6 and 7): the province publishes a result list for 公示
 * with a period, audited, which every signed-in user sees while the period runs; a decided
 * application's result document; the province's and a city's dashboard aggregated in the database.
 */
import { describe, expect, it } from 'vitest';
import { PG_URL, VALID_DATA, type Client } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];

interface Row {
  submissionId: string;
  parkName: string;
  cityLabel: string;
  countyLabel: string;
  result: string;
}
interface Publication {
  id: number;
  title: string;
  startsOn: string;
  endsOn: string;
  showing: boolean;
  rows: Row[];
}
interface Results {
  today: string;
  showing: Publication | null;
  candidates?: Row[];
  publications?: Publication[];
}

describe.each(backends)('result lists and dashboards on %s', { timeout: 600_000 }, (backend) => {
  let subId = '';

  const srv = serverFor({ backend }, { applicant: 'applicant-hz', other: 'applicant-nb', county: 'county-xihu', city: 'city-hz', province: 'province' });

  const results = async (c: Client) => {
    const r = await c.get(`/api/results/${TEST_PACK_ID}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Results;
  };

  it('nothing to publish before a decision; the province publishes the approved applications with a period, audited', async () => {
    expect((await srv.province.post(`/api/results/${TEST_PACK_ID}/publish`, { startsOn: '2021-08-22', endsOn: '2021-08-28' })).json()).toMatchObject({ code: 'RESULTS_NOTHING_DECIDED' });
    const c = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    expect(c.statusCode, c.body).toBe(201);
    subId = (c.json() as { id: string }).id;
    expect((await srv.applicant.post(`/api/submissions/${subId}/submit`)).statusCode).toBe(200);
    // not decided yet: no result document
    expect((await srv.applicant.get(`/api/submissions/${subId}/result-document`)).statusCode).toBe(404);
    expect((await srv.county.post(`/api/submissions/${subId}/review`, { action: 'pass' })).statusCode).toBe(200);
    expect((await srv.city.post(`/api/submissions/${subId}/review`, { action: 'recommend' })).statusCode).toBe(200);
    expect((await srv.province.post(`/api/submissions/${subId}/review`, { action: 'approve', comment: '同意' })).statusCode).toBe(200);

    const before = await results(srv.province);
    expect(before.showing).toBeNull();
    expect(before.candidates).toEqual([expect.objectContaining({ submissionId: subId, cityLabel: '杭州市', countyLabel: '西湖区' })]);
    const result = before.candidates?.[0]?.result ?? '';
    expect(result).toMatch(/一级|二级|未达到等级/);
    // the applicant sees no candidates, only what is published
    expect(await results(srv.applicant)).toEqual(expect.not.objectContaining({ candidates: expect.anything() }));

    // only the province publishes; the period must run forward
    expect((await srv.city.post(`/api/results/${TEST_PACK_ID}/publish`, { startsOn: '2021-08-22', endsOn: '2021-08-28' })).statusCode).toBe(403);
    expect((await srv.province.post(`/api/results/${TEST_PACK_ID}/publish`, { startsOn: '2021-08-28', endsOn: '2021-08-22' })).json()).toMatchObject({ code: 'RESULTS_PERIOD_INVALID' });
    expect((await srv.province.post(`/api/results/${TEST_PACK_ID}/publish`, { startsOn: '8月22日', endsOn: '2021-08-22' })).statusCode).toBe(400);
    const pub = await srv.province.post(`/api/results/${TEST_PACK_ID}/publish`, { startsOn: '2021-08-23', endsOn: '2021-08-29' });
    expect(pub.statusCode, pub.body).toBe(201);
    expect(pub.json()).toMatchObject({ startsOn: '2021-08-23', endsOn: '2021-08-29', showing: false, title: expect.stringContaining('评定结果公示') });
    const audit = await srv.h.storage.queryAudit({ action: 'results', packId: TEST_PACK_ID });
    expect(audit.entries.map((e) => e.action)).toEqual(['results.publish']);
    expect(audit.entries[0]?.after).toMatchObject({ startsOn: '2021-08-23', endsOn: '2021-08-29', parks: 1 });
    // the park on the list is told in its bell: its result and the period; a park not on the list is not
    type Bell = { unread: number; items: Array<{ kind: string; title: string; body: string | null; link: string | null }> };
    const bell = (await srv.applicant.get('/api/notifications')).json() as Bell;
    const told = bell.items.filter((n) => n.kind === 'results.published');
    expect(told).toEqual([expect.objectContaining({ title: expect.stringContaining(`评定结果已公示：${result}`), body: expect.stringContaining('公示期 2021-08-23 至 2021-08-29'), link: `/results/${TEST_PACK_ID}` })]);
    expect(((await srv.other.get('/api/notifications')).json() as Bell).items.filter((n) => n.kind === 'results.published')).toEqual([]);
  });

  it('every signed-in user sees the list while the period runs (CST dates, both ends included), not before or after', async () => {
    // the harness clock: 2021-08-22 10:00 in China, the day before the period
    expect((await results(srv.applicant)).showing).toBeNull();
    srv.h.setNow('2021-08-22T16:00:00Z'); // 08-23 00:00 CST
    for (const c of [srv.applicant, srv.other, srv.county, srv.city, srv.province]) {
      const r = await results(c);
      expect(r.showing?.rows.map((x) => x.submissionId)).toEqual([subId]);
    }
    srv.h.setNow('2021-08-29T15:59:00Z'); // 08-29 23:59 CST
    expect((await results(srv.other)).showing).not.toBeNull();
    srv.h.setNow('2021-08-29T16:00:00Z'); // 08-30
    expect((await results(srv.other)).showing).toBeNull();
    expect((await results(srv.province)).publications?.[0]).toMatchObject({ showing: false });
    srv.h.setNow('2021-08-25T02:00:00Z');
  });

  it('a withdrawn publication is no longer shown, once; withdrawal is audited', async () => {
    const again = await srv.province.post(`/api/results/${TEST_PACK_ID}/publish`, { startsOn: '2021-08-25', endsOn: '2021-08-31', title: '第二次公示' });
    expect(again.statusCode).toBe(201);
    const id = (again.json() as Publication).id;
    expect((await results(srv.applicant)).showing?.title).toBe('第二次公示');
    expect((await srv.county.post(`/api/results/${TEST_PACK_ID}/${id}/withdraw`)).statusCode).toBe(403);
    expect((await srv.province.post(`/api/results/${TEST_PACK_ID}/${id}/withdraw`)).statusCode).toBe(200);
    expect((await srv.province.post(`/api/results/${TEST_PACK_ID}/${id}/withdraw`)).json()).toMatchObject({ code: 'RESULTS_ALREADY_WITHDRAWN' });
    // the first one is in its period again
    expect((await results(srv.applicant)).showing?.title).not.toBe('第二次公示');
    expect((await srv.h.storage.queryAudit({ action: 'results.withdraw', packId: TEST_PACK_ID })).total).toBe(1);
  });

  it('the result document of a decided application: its park, the result, the decision date and the 公示; not for another park', async () => {
    const r = await srv.applicant.get(`/api/submissions/${subId}/result-document`);
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json() as { park: { name: string }; result: { text: string }; decidedAt: string; decisionComment: string; publication: { startsOn: string } | null; countyLabel: string };
    expect(d.result.text).toMatch(/^评定结果：/);
    expect(d).toMatchObject({ decidedAt: '2021-08-22', decisionComment: '同意', countyLabel: '西湖区', publication: { startsOn: '2021-08-23' } });
    expect((await srv.other.get(`/api/submissions/${subId}/result-document`)).statusCode).toBe(404);
  });

  it('dashboards: the province by srv.city, a city by county — progress, funnel, levels, indicators; not for applicants or counties', async () => {
    expect((await srv.applicant.get('/api/dashboard')).statusCode).toBe(403);
    expect((await srv.county.get('/api/dashboard')).statusCode).toBe(403);
    // a draft of another park is not counted
    expect((await srv.other.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: { ...VALID_DATA, firms: 500 } })).statusCode).toBe(201);
    type Dash = {
      packId: string;
      units: Array<{ code: string }>;
      progress: Array<{ code: string; parks: number; reported: number }>;
      funnel: Array<{ id: string; count: number }>;
      levels: Array<{ id: string; byUnit: Array<{ code: string; counts: Record<string, number> }> }>;
      indicators: Array<{ id: string; total: { n: number; median: number } | null; byUnit: Array<{ code: string; n: number; median: number | null }>; histogram: Array<{ count: number }> }>;
      years: unknown[];
    };
    const p = (await srv.province.get(`/api/dashboard?packId=${TEST_PACK_ID}`)).json() as Dash;
    expect(p.units).toHaveLength(11);
    expect(p.progress.find((x) => x.code === '330100')).toMatchObject({ reported: 1 });
    expect(p.progress.find((x) => x.code === '330200')).toMatchObject({ reported: 0 });
    expect(p.funnel.map((f) => f.count)).toEqual([1, 1, 1, 1]);
    const level = p.levels.find((l) => l.id === 'level');
    expect(Object.values(level?.byUnit.find((x) => x.code === '330100')?.counts ?? {})).toEqual([1]);
    const firms = p.indicators.find((i) => i.id === 'firms');
    expect(firms?.total).toMatchObject({ n: 1, median: 12 });
    expect(firms?.byUnit.find((x) => x.code === '330100')).toMatchObject({ n: 1, median: 12 });
    expect(firms?.histogram.reduce((a, b) => a + b.count, 0)).toBe(1);
    expect(p.indicators.find((i) => i.id === 'firmsPerPoint')?.total).toMatchObject({ n: 1, median: 1.5 });
    expect(p.years).toEqual([]);

    const c = (await srv.city.get('/api/dashboard')).json() as Dash;
    expect(c.packId).toBe(TEST_PACK_ID);
    expect(c.units.every((x) => x.code.startsWith('3301'))).toBe(true);
    expect(c.progress.find((x) => x.code === '330106')).toMatchObject({ reported: 1 });
    expect((await srv.city.get('/api/dashboard?packId=nope')).statusCode).toBe(404);
  });

  it('a cohort run on an empty input is refused with the units below that have not reported (not a run over 0 records)', async () => {
    const r = await srv.city.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', formId: 'sum' });
    expect(r.statusCode).toBe(409);
    const body = r.json() as { code: string; message: string; details: { pending: Array<{ code: string; name: string }> } };
    expect(body.code).toBe('COHORT_INPUT_EMPTY');
    // Hangzhou's 13 counties, none has reported the table
    expect(body.details.pending).toHaveLength(13);
    expect(body.message).toContain('13 个下级单位尚未报送');
    expect(body.message).toContain('西湖区');
    expect((await srv.h.storage.listCohortRuns()).length).toBe(0);
    expect((await srv.city.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', records: [] })).json()).toMatchObject({ code: 'COHORT_INPUT_EMPTY' });
  });

  it('dashboards: the grades of each cohort step\'s latest run by group, counted in the database; a city sees only its own runs', async () => {
    type Grades = { grades: Array<{ stepId: string; runId: string; grades: Array<{ id: string; label: string }>; byGroup: Array<{ name: string; counts: Record<string, number> }> }> };
    const first = await srv.city.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', records: [{ park: '甲', area: 1 }] });
    expect(first.statusCode, first.body).toBe(201);
    // the latest run counts: two ranked, one without the rank figure left out (不参评)
    const run = await srv.city.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', records: [{ park: '甲', area: 3 }, { park: '乙', area: 9 }, { park: '丙' }] });
    const runId = (run.json() as { id: string }).id;
    const p = (await srv.province.get(`/api/dashboard?packId=${TEST_PACK_ID}`)).json() as Grades;
    expect(p.grades).toEqual([
      {
        stepId: 'rank',
        label: '按面积排序',
        runId,
        runAt: expect.any(String),
        grades: [{ id: '', label: '未分档' }, { id: 'excluded', label: '不参评' }],
        byGroup: [{ name: '全部', counts: { '': 2, excluded: 1 } }],
      },
    ]);
    expect(((await srv.city.get('/api/dashboard')).json() as Grades).grades.map((g) => g.runId)).toEqual([runId]);
    expect(((await (await srv.h.login('city-nb')).get(`/api/dashboard?packId=${TEST_PACK_ID}`)).json() as Grades).grades).toEqual([]);
  });
});
