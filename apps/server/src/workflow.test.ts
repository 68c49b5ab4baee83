import { describe, expect, it } from 'vitest';
import { makeHarness, PG_URL, VALID_DATA } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];

interface Sub {
  id: string;
  status: string;
  version: number;
}

describe.each(backends)('review workflow on %s', (backend) => {
  const srv = serverFor({ backend }, { applicant: 'applicant-hz', county: 'county-xihu', city: 'city-hz', province: 'province', admin: 'admin' });

  async function newDraft(data: Record<string, unknown> = VALID_DATA, who = srv.applicant): Promise<Sub> {
    const res = await who.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Sub;
  }

  it('draft → submit → county pass → city recommend → province decision, with the audit log of each step', async () => {
    const created = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: { name: '园' } });
    expect(created.statusCode, created.body).toBe(201);
    const sub = created.json() as Sub & { evaluation: unknown };
    expect(created.headers.etag).toBe('"1"');

    const saved = await srv.applicant.put(`/api/submissions/${sub.id}`, { data: VALID_DATA }, { 'if-match': '"1"' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.headers.etag).toBe('"2"');
    const ev = (saved.json() as { evaluation: Record<string, { outcome: { level: string } }> }).evaluation;
    expect(ev.level?.outcome.level).toBe('two');

    const submitted = await srv.applicant.post(`/api/submissions/${sub.id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((submitted.json() as Sub).status).toBe('submitted');

    // county re-scores with a reason; the self score stays visible
    const rescored = await srv.county.post(`/api/submissions/${sub.id}/scores`, { item: 'score', score: 6, reason: '佐证材料不足' });
    expect(rescored.statusCode, rescored.body).toBe(201);
    expect(rescored.json()).toMatchObject({ selfScore: 8, score: 6, level: 'county' });

    const passed = await srv.county.post(`/api/submissions/${sub.id}/review`, { action: 'pass', comment: '同意' });
    expect(passed.statusCode, passed.body).toBe(200);
    expect((passed.json() as Sub).status).toBe('county_passed');

    const rec = await srv.city.post(`/api/submissions/${sub.id}/review`, { action: 'recommend', comment: '推荐' });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json()).toMatchObject({ status: 'city_recommended', quota: { id: 'rec', limit: 2, used: 1 } });

    const queue = (await srv.city.get('/api/submissions?status=city_recommended')).json() as Array<{ id: string; parkName: string; outcomes: Record<string, { level: string }>; data?: unknown }>;
    expect(queue.map((q) => q.id)).toContain(sub.id);
    const mine = queue.find((q) => q.id === sub.id);
    expect(mine?.parkName).toContain('西湖');
    expect(mine?.outcomes.level?.level).toBe('two');
    expect(mine?.data).toBeUndefined();
    const quotas = await srv.city.get(`/api/quotas/${TEST_PACK_ID}`);
    expect(quotas.json()).toEqual([{ quotaId: 'rec', label: '推荐名额', orgCode: '330100', limit: 2, used: 1 }]);

    const decided = await srv.province.post(`/api/submissions/${sub.id}/review`, { action: 'approve', comment: '评定通过' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'approved', decision: 'approve' });

    const detail = (await srv.applicant.get(`/api/submissions/${sub.id}`)).json() as {
      reviews: Array<{ action: string; reviewerName: string }>;
      rescores: Array<{ selfScore: number; score: number }>;
      data: { score: number };
      park: { name: string };
    };
    expect(detail.park.name).toContain('西湖');
    expect(detail.reviews[1]?.reviewerName).toContain('西湖区');
    expect(detail.reviews.map((r) => r.action)).toEqual(['submit', 'pass', 'recommend', 'approve']);
    expect(detail.rescores[0]).toMatchObject({ selfScore: 8, score: 6 });
    expect(detail.data.score).toBe(8);

    const audit = await srv.applicant.get(`/api/submissions/${sub.id}/audit`);
    const actions = (audit.json() as Array<{ action: string; actorId: string; before: unknown; after: unknown; at: string }>).map((a) => a.action);
    expect(actions).toEqual([
      'submission.create',
      'submission.save',
      'submission.submit',
      'submission.rescore',
      'submission.pass',
      'submission.recommend',
      'submission.approve',
    ]);
    const adminAudit = await srv.admin.get(`/api/audit?entity=submission&entityId=${sub.id}`);
    expect((adminAudit.json() as unknown[]).length).toBe(7);
    expect((adminAudit.json() as Array<{ actorName: string; actorRole: string }>).map((a) => a.actorRole)).toEqual([
      'applicant',
      'applicant',
      'applicant',
      'county',
      'county',
      'city',
      'province',
    ]);
    const save = (audit.json() as Array<{ action: string; before: { version: number }; after: { version: number } }>).find((a) => a.action === 'submission.save');
    expect(save).toMatchObject({ before: { version: 1 }, after: { version: 2 } });
  });

  it('returns with a comment at any level, then resubmits; withdraw only before review', async () => {
    const sub = await newDraft();
    expect((await srv.applicant.post(`/api/submissions/${sub.id}/submit`)).statusCode).toBe(200);
    const noComment = await srv.county.post(`/api/submissions/${sub.id}/review`, { action: 'return' });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ path: 'comment' }] });
    const ret = await srv.county.post(`/api/submissions/${sub.id}/review`, { action: 'return', comment: '请补充材料' });
    expect(ret.json()).toMatchObject({ status: 'returned' });
    const again = await srv.applicant.post(`/api/submissions/${sub.id}/submit`);
    expect(again.json()).toMatchObject({ status: 'submitted' });
    const wd = await srv.applicant.post(`/api/submissions/${sub.id}/withdraw`, { comment: '撤回修改' });
    expect(wd.json()).toMatchObject({ status: 'draft' });
    expect((await srv.applicant.post(`/api/submissions/${sub.id}/submit`)).statusCode).toBe(200);
    expect((await srv.county.post(`/api/submissions/${sub.id}/review`, { action: 'pass' })).statusCode).toBe(200);
    const late = await srv.applicant.post(`/api/submissions/${sub.id}/withdraw`);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'INVALID_STATE' });
    // city returns; province can also return
    const cityRet = await srv.city.post(`/api/submissions/${sub.id}/review`, { action: 'return', comment: '数据有误' });
    expect(cityRet.json()).toMatchObject({ status: 'returned' });
    const detail = (await srv.applicant.get(`/api/submissions/${sub.id}`)).json() as { reviews: Array<{ action: string; comment: string | null; level: string }> };
    expect(detail.reviews.filter((r) => r.action === 'return').map((r) => [r.level, r.comment])).toEqual([
      ['county', '请补充材料'],
      ['city', '数据有误'],
    ]);
  });

  it('city recommendations stop at the quota, concurrently, and a province return frees the seat', async () => {
    // Ningbo: default quota 1
    const nbApplicant = await srv.h.login('applicant-nb');
    const nbCounty = await srv.h.login('county-haishu');
    const nbCity = await srv.h.login('city-nb');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await newDraft(VALID_DATA, nbApplicant);
      expect((await nbApplicant.post(`/api/submissions/${s.id}/submit`)).statusCode).toBe(200);
      expect((await nbCounty.post(`/api/submissions/${s.id}/review`, { action: 'pass' })).statusCode).toBe(200);
      ids.push(s.id);
    }
    const results = await Promise.all(ids.map((id) => nbCity.post(`/api/submissions/${id}/review`, { action: 'recommend' })));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409]);
    const refused = results.find((r) => r.statusCode === 409);
    expect(refused?.json()).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect((refused?.json() as { message: string }).message).toContain('宁波市');
    const winner = ids[results.findIndex((r) => r.statusCode === 200)] as string;
    expect((await srv.province.post(`/api/submissions/${winner}/review`, { action: 'return', comment: '退回复核' })).statusCode).toBe(200);
    const loser = ids[results.findIndex((r) => r.statusCode === 409)] as string;
    expect((await nbCity.post(`/api/submissions/${loser}/review`, { action: 'recommend' })).statusCode).toBe(200);
    expect(await srv.h.storage.quotaUsed(TEST_PACK_ID, 'rec', '330200')).toBe(1);
  });

  it('20 concurrent saves with one If-Match: exactly one succeeds, the rest get 412', async () => {
    const sub = await newDraft();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => srv.applicant.put(`/api/submissions/${sub.id}`, { data: { ...VALID_DATA, firms: i } }, { 'if-match': '"1"' })),
    );
    expect(results.filter((r) => r.statusCode === 200).length).toBe(1);
    expect(results.filter((r) => r.statusCode === 412).length).toBe(19);
    expect(results.find((r) => r.statusCode === 412)?.json()).toMatchObject({ code: 'PRECONDITION_FAILED' });
    const stored = (await srv.applicant.get(`/api/submissions/${sub.id}`)).json() as { version: number };
    expect(stored.version).toBe(2);
    const missing = await srv.applicant.put(`/api/submissions/${sub.id}`, { data: VALID_DATA });
    expect(missing.statusCode).toBe(428);
  });

  it('20 concurrent submits with one idempotency key: one submission, same answer to all', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA }, { 'idempotency-key': `create-${backend}` })),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const ids = new Set(results.map((r) => (r.json() as Sub).id));
    expect(ids.size).toBe(1);
    const id = [...ids][0] as string;
    const submits = await Promise.all(
      Array.from({ length: 20 }, () => srv.applicant.post(`/api/submissions/${id}/submit`, {}, { 'idempotency-key': `submit-${backend}` })),
    );
    expect(submits.every((r) => r.statusCode === 200)).toBe(true);
    expect(submits.filter((r) => r.headers['idempotent-replay'] === 'true').length).toBe(19);
    const audit = (await srv.applicant.get(`/api/submissions/${id}/audit`)).json() as Array<{ action: string }>;
    expect(audit.filter((a) => a.action === 'submission.create').length).toBe(1);
    expect(audit.filter((a) => a.action === 'submission.submit').length).toBe(1);
    // the key is bound to its operation
    const reuse = await srv.applicant.post(`/api/submissions/${id}/withdraw`, {}, { 'idempotency-key': `submit-${backend}` });
    expect(reuse.statusCode).toBe(200); // withdraw takes no key; the key header is ignored there
    const wrongScope = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA }, { 'idempotency-key': `submit-${backend}` });
    expect(wrongScope.statusCode).toBe(422);
    expect(wrongScope.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('a passed deadline is refused with its message; reviewers have their own window', async () => {
    const sub = await newDraft();
    srv.h.setNow('2021-08-25T15:59:00Z'); // 23:59 in Zhejiang: still open
    const lastMinute = await newDraft();
    srv.h.setNow('2021-08-25T16:00:01Z'); // 00:00:01 on 08-26 in Zhejiang
    try {
      const res = await srv.applicant.post(`/api/submissions/${sub.id}/submit`);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'WINDOW_CLOSED', message: '“园区填报”已截止，截止日期为 2021-08-25' });
      expect((await srv.applicant.get(`/api/submissions/${sub.id}`)).json()).toMatchObject({ status: 'draft' });
      const save = await srv.applicant.put(`/api/submissions/${lastMinute.id}`, { data: VALID_DATA }, { 'if-match': '"1"' });
      expect(save.json()).toMatchObject({ code: 'WINDOW_CLOSED' });
      srv.h.setNow('2021-08-10T00:00:00Z');
      const early = await srv.applicant.post(`/api/submissions/${sub.id}/submit`);
      expect(early.json()).toMatchObject({ code: 'WINDOW_NOT_OPEN', message: '“园区填报”尚未开始，开始日期为 2021-08-20' });
    } finally {
      srv.h.setNow('2021-08-22T02:00:00Z');
    }
    // city window closes 2021-08-31
    expect((await srv.applicant.post(`/api/submissions/${sub.id}/submit`)).statusCode).toBe(200);
    expect((await srv.county.post(`/api/submissions/${sub.id}/review`, { action: 'pass' })).statusCode).toBe(200);
    srv.h.setNow('2021-09-01T01:00:00Z');
    try {
      const res = await srv.city.post(`/api/submissions/${sub.id}/review`, { action: 'recommend' });
      expect(res.json()).toMatchObject({ code: 'WINDOW_CLOSED', message: '“市级审核推荐”已截止，截止日期为 2021-08-31' });
    } finally {
      srv.h.setNow('2021-08-22T02:00:00Z');
    }
  });

  it('deadlines never eat an application: no withdrawal after the deadline; a return is corrected and resubmitted until the correction deadline (default 7 days)', async () => {
    const sub = await newDraft();
    expect((await srv.applicant.post(`/api/submissions/${sub.id}/submit`)).statusCode).toBe(200);
    srv.h.setNow('2021-08-26T02:00:00Z'); // 08-26 10:00 in Zhejiang: the applicants' window (to 08-25) has closed
    try {
      const w = await srv.applicant.post(`/api/submissions/${sub.id}/withdraw`, {});
      expect(w.statusCode).toBe(409);
      expect(w.json()).toMatchObject({ code: 'WITHDRAW_AFTER_DEADLINE' });
      expect((await srv.applicant.get(`/api/submissions/${sub.id}`)).json()).toMatchObject({ status: 'submitted', correctionDeadline: null });
      // the county returns it on 08-26: it may be corrected until 09-02 (7 days after the return)
      expect((await srv.county.post(`/api/submissions/${sub.id}/review`, { action: 'return', comment: '请补充' })).statusCode).toBe(200);
      const got = (await srv.applicant.get(`/api/submissions/${sub.id}`)).json() as Sub & { correctionDeadline: string };
      expect(got).toMatchObject({ status: 'returned', correctionDeadline: '2021-09-02' });
      srv.h.setNow('2021-09-02T15:00:00Z'); // 09-02 23:00
      const saved = await srv.applicant.put(`/api/submissions/${sub.id}`, { data: { ...VALID_DATA, firms: 9 } }, { 'if-match': `"${got.version}"`, prefer: 'return=minimal' });
      expect(saved.statusCode, saved.body).toBe(200);
      expect((await srv.applicant.post(`/api/submissions/${sub.id}/submit`)).statusCode).toBe(200);
      // returned again, but corrected too late
      srv.h.setNow('2021-09-03T01:00:00Z');
      expect((await srv.county.post(`/api/submissions/${sub.id}/review`, { action: 'return', comment: '再补充' })).statusCode).toBe(200);
      srv.h.setNow('2021-09-10T16:00:01Z'); // 09-11 00:00:01, the day after 09-03 + 7
      const late = await srv.applicant.post(`/api/submissions/${sub.id}/submit`);
      expect(late.json()).toMatchObject({ code: 'WINDOW_CLOSED', message: '“园区填报”已截止，截止日期为 2021-09-10' });
    } finally {
      srv.h.setNow('2021-08-22T02:00:00Z');
    }
  });

  it('windows can be switched off (demo of past notices)', async () => {
    const h2 = await makeHarness({ enforceWindows: false });
    try {
      h2.setNow('2030-01-01T00:00:00Z');
      const a = await h2.login('applicant-hz');
      const s = (await a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as Sub;
      expect((await a.post(`/api/submissions/${s.id}/submit`)).statusCode).toBe(200);
    } finally {
      await h2.close();
    }
  });

  it('a draft is stored exactly as typed, its errors answered with paths (no coercion); submit refuses it; a malformed envelope stores nothing', async () => {
    type Body = { code: string; errors: Array<{ path: string; code: string; message: string }> };
    const typed = { name: '园', score: true, firms: '3', extra: 1 };
    const bad = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: typed });
    expect(bad.statusCode).toBe(201);
    const created = bad.json() as Sub & { errors: Body['errors'] };
    expect(created.errors.map((e) => e.path).sort()).toEqual(['extra', 'firms', 'score']);
    expect(created.errors.find((e) => e.path === 'score')?.message).toMatch(/数字/);
    expect((await srv.applicant.get(`/api/submissions/${created.id}`)).json()).toMatchObject({ version: 1, data: typed });
    const refused = await srv.applicant.post(`/api/submissions/${created.id}/submit`);
    expect(refused.statusCode).toBe(400);
    expect((refused.json() as Body).code).toBe('SUBMISSION_INVALID');

    const sub = await newDraft();
    const badSave = await srv.applicant.put(`/api/submissions/${sub.id}`, { data: { ...VALID_DATA, score: true } }, { 'if-match': '"1"', prefer: 'return=minimal' });
    expect(badSave.statusCode).toBe(200);
    expect((badSave.json() as Body).errors.map((e) => e.path)).toEqual(['score']);
    expect((await srv.applicant.get(`/api/submissions/${sub.id}`)).json()).toMatchObject({ version: 2, data: { ...VALID_DATA, score: true } });
    const good = await srv.applicant.put(`/api/submissions/${sub.id}`, { data: VALID_DATA }, { 'if-match': '"2"', prefer: 'return=minimal' });
    expect((good.json() as Body).errors).toEqual([]);

    const envelope = await srv.applicant.post('/api/submissions', { packId: 7, formId: 'app', extra: true });
    expect(envelope.statusCode).toBe(400);
    expect((envelope.json() as Body).errors.map((e) => e.path).sort()).toEqual(['extra', 'packId']);

    const nul = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: { name: 'a\u0000b' } });
    expect(nul.statusCode).toBe(400);
    const nulQuery = await srv.applicant.get('/api/submissions?packId=a%00b');
    expect(nulQuery.statusCode).toBeLessThan(500);
    const bigVersion = await srv.applicant.post(`/api/packs/${TEST_PACK_ID}/evaluate`, { versionId: 1e20, data: {} });
    expect(bigVersion.statusCode).toBe(400);

    const notJson = await srv.applicant.req('POST', '/api/submissions', '{"packId":', {});
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ code: 'BAD_JSON' });

    // submit requires the whole form
    const partial = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: { name: '园' } });
    const partialSubmit = await srv.applicant.post(`/api/submissions/${(partial.json() as Sub).id}/submit`);
    expect(partialSubmit.statusCode).toBe(400);
    expect((partialSubmit.json() as Body).errors.map((e) => e.path).sort()).toEqual(['firms', 'score']);

    const hidden = await srv.county.post(`/api/submissions/${sub.id}/scores`, { item: 'score', score: 5, reason: 'x' });
    expect(hidden.statusCode).toBe(404); // a draft is not visible to reviewers
  });

  it('an oversized body is refused with 413 and nothing is stored', async () => {
    const before = ((await srv.applicant.get('/api/submissions')).json() as unknown[]).length;
    const huge = { packId: TEST_PACK_ID, formId: 'app', data: { ...VALID_DATA, name: 'x'.repeat(2 * 1024 * 1024) } };
    const res = await srv.applicant.post('/api/submissions', huge);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(((await srv.applicant.get('/api/submissions')).json() as unknown[]).length).toBe(before);
  });

  it('reviewer re-scores are checked against the form', async () => {
    const sub = await newDraft();
    await srv.applicant.post(`/api/submissions/${sub.id}/submit`);
    const over = await srv.county.post(`/api/submissions/${sub.id}/scores`, { item: 'score', score: 11, reason: '超出' });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ errors: [{ path: 'score' }] });
    const str = await srv.county.post(`/api/submissions/${sub.id}/scores`, { item: 'score', score: '5', reason: 'x' });
    expect(str.statusCode).toBe(400);
    expect(str.json()).toMatchObject({ errors: [{ path: 'score', code: 'type' }] });
    const unknown = await srv.county.post(`/api/submissions/${sub.id}/scores`, { item: 'nope', score: 1, reason: 'x' });
    expect(unknown.json()).toMatchObject({ errors: [{ path: 'item' }] });
    const noReason = await srv.county.post(`/api/submissions/${sub.id}/scores`, { item: 'score', score: 1 });
    expect(noReason.json()).toMatchObject({ errors: [{ path: 'reason', code: 'required' }] });
    const wrongLevel = await srv.city.post(`/api/submissions/${sub.id}/scores`, { item: 'score', score: 1, reason: 'x' });
    expect(wrongLevel.json()).toMatchObject({ code: 'INVALID_STATE' });
    // the reviewer's own column (x-role county) is written into the data; the self score stays
    const own = await srv.county.post(`/api/submissions/${sub.id}/scores`, { item: 'countyScore', score: 6.5, reason: '核减 1.5 分' });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ selfScore: 8, score: 6.5 });
    const after = (await srv.county.get(`/api/submissions/${sub.id}?evaluation=full`)).json() as {
      data: { score: number; countyScore: number };
      evaluation: Record<string, { outcome: { score: number } }>;
      rescores: unknown[];
    };
    expect(after.data).toMatchObject({ score: 8, countyScore: 6.5 });
    expect(after.evaluation.points?.outcome.score).toBe(8);
    expect(after.evaluation['points:reviewer']?.outcome.score).toBe(6.5);
    expect(after.rescores.length).toBe(1);
    // the applicant cannot fill the reviewer's column
    const sneaky = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: { ...VALID_DATA, countyScore: 10 } });
    expect(sneaky.statusCode).toBe(400);
    expect(sneaky.json()).toMatchObject({ errors: [{ path: 'countyScore', code: 'x-role' }] });
  });
});
