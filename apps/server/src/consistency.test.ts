/**
 * Consistency across forms: a park's form pre-filled from, and checked against, its row of the
 * county's saved table; a blocking mismatch refuses submission until a reviewer of the area
 * accepts it with a reason.
 */
import { describe, expect, it } from 'vitest';
import { PG_URL, VALID_DATA } from './testing/harness.js';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';

interface PackJson {
  forms: Array<Record<string, unknown>>;
}
interface SumSchema {
  properties: { rows: { items: { properties: Record<string, unknown> } } };
}

/** The test pack with `app.firms` pre-filled from, and checked against, the park's row of `sum` (by `code`). */
function prefillPackFiles(): Record<string, unknown> {
  const files = structuredClone(testPackFiles());
  const manifest = files[`schemas/${TEST_PACK_ID}/pack.json`] as PackJson;
  const app = manifest.forms.find((f) => f.id === 'app');
  if (!app) throw new Error('no app form');
  app.prefill = [{ from: 'sum', match: 'code', fields: { firms: 'firms' }, blocking: true }];
  const sum = files[`schemas/${TEST_PACK_ID}/forms/sum.schema.json`] as SumSchema;
  sum.properties.rows.items.properties.code = { type: 'string', title: '园区编码', maxLength: 50 };
  sum.properties.rows.items.properties.firms = { type: 'integer', title: '企业数', minimum: 0 };
  return files;
}

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];

describe.each(backends)('cross-form consistency (%s)', (backend) => {
  const srv = serverFor({ backend, packFiles: prefillPackFiles() });

  it('pre-fills from the county table, refuses a mismatch with both values, and submits once the county reviewer accepts it', async () => {
    const applicant = await srv.h.login('applicant-hz');
    const xihu = await srv.h.login('county-xihu');
    const haishu = await srv.h.login('county-haishu');
    const cityNb = await srv.h.login('city-nb');

    const created = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    const park = (await applicant.get(`/api/submissions/${id}`)).json() as { park: { creditCode: string } };
    const code = park.park.creditCode;

    // no table saved yet: nothing to pre-fill, nothing to check
    expect((await applicant.get(`/api/submissions/${id}/prefill`)).json()).toMatchObject({ sources: { app: {} } });

    const put = await xihu.put(`/api/tables/${TEST_PACK_ID}/sum`, { rows: [{ park: '别的园区', area: 1, code: 'OTHER', firms: 1 }, { park: '本园区', area: 3, code, firms: 15 }] });
    expect(put.statusCode, put.body).toBe(200);
    expect((await xihu.post(`/api/tables/${TEST_PACK_ID}/sum/submit`)).statusCode).toBe(200);

    const pre = await applicant.get(`/api/submissions/${id}/prefill`);
    expect(pre.statusCode, pre.body).toBe(200);
    expect(pre.json()).toMatchObject({ sources: { app: { sum: { code, firms: 15 } } }, data: { firms: VALID_DATA.firms } });

    const refused = await applicant.post(`/api/submissions/${id}/submit`);
    expect(refused.statusCode, refused.body).toBe(409);
    const body = refused.json() as { code: string; message: string; details: { mismatches: Array<Record<string, unknown>> } };
    expect(body.code).toBe('CONSISTENCY_MISMATCH');
    expect(body.message).toContain('汇总表');
    expect(body.details.mismatches).toEqual([expect.objectContaining({ form: 'app', field: 'firms', value: 12, sourceValue: 15, sourceForm: 'sum', blocking: true, accepted: false })]);
    expect(String(body.details.mismatches[0]?.message)).toContain('本表填写 12');
    expect((await applicant.get(`/api/submissions/${id}`)).json()).toMatchObject({ status: 'draft', version: 1 });

    // the applicant cannot accept; reviewers elsewhere do not see it
    expect((await applicant.post(`/api/submissions/${id}/consistency/accept`, { reason: '以统计为准' })).statusCode).toBe(403);
    expect((await haishu.post(`/api/submissions/${id}/consistency/accept`, { reason: '以统计为准' })).statusCode).toBe(404);
    expect((await cityNb.post(`/api/submissions/${id}/consistency/accept`, { reason: '以统计为准' })).statusCode).toBe(404);
    expect((await haishu.get(`/api/submissions/${id}/consistency`)).statusCode).toBe(404);
    // a reason is required
    expect((await xihu.post(`/api/submissions/${id}/consistency/accept`, {})).statusCode).toBe(400);
    expect((await xihu.post(`/api/submissions/${id}/consistency/accept`, { reason: ' 好 ' })).statusCode).toBe(400);

    // the county's (and the city's) list of drafts waiting for an acceptance; not another county's
    expect((await xihu.get('/api/consistency/pending')).json()).toEqual([expect.objectContaining({ id, blocking: 1, parkName: expect.any(String), mismatches: [expect.objectContaining({ field: 'firms' })] })]);
    expect((await srv.h.login('city-hz').then((c) => c.get('/api/consistency/pending'))).json()).toMatchObject([{ id }]);
    expect((await haishu.get('/api/consistency/pending')).json()).toEqual([]);
    expect((await applicant.get('/api/consistency/pending')).statusCode).toBe(403);

    const before = (await xihu.get(`/api/submissions/${id}/consistency`)).json() as { blocking: number; mismatches: unknown[] };
    expect(before).toMatchObject({ blocking: 1, mismatches: [{ field: 'firms', valueText: '12', sourceText: '15', accepted: false }] });

    const ok = await xihu.post(`/api/submissions/${id}/consistency/accept`, { reason: '企业数以园区最新统计为准' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ level: 'county', reason: '企业数以园区最新统计为准', mismatches: [{ field: 'firms', value: 12, sourceValue: 15 }] });
    expect((await xihu.post(`/api/submissions/${id}/consistency/accept`, { reason: '再接受一次' })).json()).toMatchObject({ code: 'CONSISTENCY_NOTHING_TO_ACCEPT' });

    expect((await xihu.get('/api/consistency/pending')).json()).toEqual([]);
    const after = (await applicant.get(`/api/submissions/${id}/consistency`)).json() as Record<string, unknown>;
    expect(after).toMatchObject({ blocking: 0, mismatches: [{ field: 'firms', accepted: true }], acceptances: [{ reason: '企业数以园区最新统计为准', reviewerName: expect.any(String) }] });

    // the submission's detail carries the same
    expect((await applicant.get(`/api/submissions/${id}`)).json()).toMatchObject({ consistency: { blocking: 0, mismatches: [{ field: 'firms', accepted: true }], acceptances: [{ reason: '企业数以园区最新统计为准' }] } });

    // other values than the accepted ones: not covered any more
    const v2 = await applicant.put(`/api/submissions/${id}`, { data: { ...VALID_DATA, firms: 13 } }, { 'if-match': '"1"' });
    expect(v2.statusCode, v2.body).toBe(200);
    expect((await applicant.get(`/api/submissions/${id}/consistency`)).json()).toMatchObject({ blocking: 1, mismatches: [{ value: 13, accepted: false }] });
    expect((await applicant.post(`/api/submissions/${id}/submit`)).statusCode).toBe(409);
    const v3 = await applicant.put(`/api/submissions/${id}`, { data: VALID_DATA }, { 'if-match': '"2"' });
    expect(v3.statusCode, v3.body).toBe(200);

    const submitted = await applicant.post(`/api/submissions/${id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted' });

    const audit = (await applicant.get(`/api/submissions/${id}/audit`)).json() as Array<{ action: string; after: { reason?: string; mismatches?: unknown[] } }>;
    const acc = audit.find((e) => e.action === 'submission.consistency.accept');
    expect(acc?.after).toMatchObject({ reason: '企业数以园区最新统计为准', mismatches: [{ field: 'firms', value: 12, sourceValue: 15 }] });
    expect(audit.map((e) => e.action)).toContain('submission.submit');
    // submitted: nothing left to accept
    expect((await xihu.post(`/api/submissions/${id}/consistency/accept`, { reason: '再接受一次' })).statusCode).toBe(409);
  });

  it('submits straight away when the park has no row in a saved table', async () => {
    const applicant = await srv.h.login('applicant-nb');
    const created = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    const id = (created.json() as { id: string }).id;
    expect((await applicant.get(`/api/submissions/${id}/consistency`)).json()).toMatchObject({ blocking: 0, mismatches: [] });
    expect((await applicant.post(`/api/submissions/${id}/submit`)).statusCode).toBe(200);
  });
});
