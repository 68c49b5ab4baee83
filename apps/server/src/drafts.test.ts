import { describe, expect, it } from 'vitest';
import { PG_URL, VALID_DATA } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';

/**
 * Draft saves store the data and each rule set's outcome summary, not the evaluation: every
 * answer that carries an evaluation rebuilds it from the pinned pack version and the data, and
 * gives what the stored one gave. The audit entry keeps the changed fields (before and after)
 * and is read back with the data before and after, as before.
 */
const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];

describe.each(backends)('draft saves without a stored evaluation (%s)', (backend) => {
  const srv = serverFor({ backend }, { a: 'applicant-hz' });

  const evaluationOf = async (data: unknown) => (await srv.a.post(`/api/packs/${TEST_PACK_ID}/evaluate`, { formId: 'app', data })).json();

  it('every answer with an evaluation gives the evaluation of the data', async () => {
    const created = await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    expect(created.statusCode).toBe(201);
    const s = created.json() as { id: string; version: number; evaluation: unknown };
    expect(s.evaluation).toEqual(await evaluationOf(VALID_DATA));
    expect(s).not.toHaveProperty('evaluationStored');
    const data = { ...VALID_DATA, firms: 3 };
    const full = await srv.a.put(`/api/submissions/${s.id}`, { data }, { 'if-match': `"${s.version}"` });
    expect(full.statusCode).toBe(200);
    expect((full.json() as { evaluation: unknown }).evaluation).toEqual(await evaluationOf(data));
    const got = (await srv.a.get(`/api/submissions/${s.id}?evaluation=full`)).json() as { data: unknown; evaluation: unknown; version: number };
    expect(got).toMatchObject({ data, version: s.version + 1 });
    expect(got.evaluation).toEqual(await evaluationOf(data));
    expect(got).not.toHaveProperty('evaluationStored');
    // the list shows each rule set's outcome, as from a stored evaluation
    const listed = ((await srv.a.get('/api/submissions')).json() as Array<{ id: string; outcomes: Record<string, unknown> }>).find((x) => x.id === s.id);
    const ev = got.evaluation as Record<string, { outcome: unknown }>;
    expect(listed?.outcomes).toEqual(Object.fromEntries(Object.entries(ev).map(([k, v]) => [k, v.outcome])));
    // after submitting the evaluation is stored (frozen) and the answers are the same
    const submitted = await srv.a.post(`/api/submissions/${s.id}/submit`);
    expect(submitted.statusCode).toBe(200);
    expect((submitted.json() as { evaluation: unknown }).evaluation).toEqual(got.evaluation);
    const listed2 = ((await srv.a.get('/api/submissions')).json() as Array<{ id: string; outcomes: unknown }>).find((x) => x.id === s.id);
    expect(listed2?.outcomes).toEqual(listed?.outcomes);
    const withdrawn = await srv.a.post(`/api/submissions/${s.id}/withdraw`, {});
    expect((withdrawn.json() as { evaluation: unknown }).evaluation).toEqual(got.evaluation);
  });

  it('a draft read back comes with what is still wrong in it, as its save answered (not a required field left empty); once submitted, with nothing', async () => {
    const bad = { name: '测试园区', firms: -1 };
    const created = await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: bad });
    expect(created.statusCode).toBe(201);
    const s = created.json() as { id: string; version: number; errors: Array<{ path: string; code: string }> };
    expect(s.errors.map((e) => `${e.path}:${e.code}`)).toEqual(['firms:minimum']);
    const read = (await srv.a.get(`/api/submissions/${s.id}`)).json() as { data: unknown; errors: unknown };
    expect(read.data).toEqual(bad);
    expect(read.errors).toEqual(s.errors);
    const fixed = await srv.a.put(`/api/submissions/${s.id}`, { data: VALID_DATA }, { 'if-match': `"${s.version}"`, prefer: 'return=minimal' });
    expect((fixed.json() as { errors: unknown[] }).errors).toEqual([]);
    expect(((await srv.a.get(`/api/submissions/${s.id}`)).json() as { errors: unknown[] }).errors).toEqual([]);
    expect((await srv.a.post(`/api/submissions/${s.id}/submit`)).statusCode).toBe(200);
    expect(((await srv.a.get(`/api/submissions/${s.id}`)).json() as { errors: unknown[] }).errors).toEqual([]);
  });

  it('the audit entry of a save names the changed fields and reads back with the data before and after', async () => {
    const s = (await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string; version: number };
    const data = { name: '改名园区', firms: 12 };
    expect((await srv.a.put(`/api/submissions/${s.id}`, { data }, { 'if-match': `"${s.version}"`, prefer: 'return=minimal' })).statusCode).toBe(200);
    const audit = (await srv.a.get(`/api/submissions/${s.id}/audit`)).json() as Array<{ action: string; actorId: string; at: string; before: unknown; after: unknown; changes: unknown }>;
    const save = audit.find((x) => x.action === 'submission.save');
    expect(save).toMatchObject({ before: { version: s.version, data: VALID_DATA }, after: { version: s.version + 1, data } });
    expect(save?.actorId).toBeTruthy();
    expect(save?.at).toBeTruthy();
    expect(save?.changes).toEqual([
      { path: ['name'], before: VALID_DATA.name, after: '改名园区' },
      { path: ['score'], before: VALID_DATA.score },
    ]);
  });

  it('saves in a row (each naming the version the last one answered) and stale ones answer as before', async () => {
    const s = (await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string; version: number };
    let version = s.version;
    for (let i = 1; i <= 5; i++) {
      const r = await srv.a.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: i } }, { 'if-match': `"${version}"`, prefer: 'return=minimal' });
      expect(r.statusCode).toBe(200);
      version = Number(/"(\d+)"/.exec(r.headers.etag as string)?.[1]);
    }
    expect(version).toBe(s.version + 5);
    // a stale version: 412 naming the current one, with valid or invalid data alike (a draft is saved whatever its state)
    const stale = await srv.a.put(`/api/submissions/${s.id}`, { data: VALID_DATA }, { 'if-match': `"${s.version}"` });
    expect(stale.statusCode).toBe(412);
    const staleInvalid = await srv.a.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: 'many' } }, { 'if-match': `"${version - 1}"` });
    expect(staleInvalid.statusCode).toBe(412);
    // the reviewer's own field cannot be written by the applicant, from any version
    const reviewerField = await srv.a.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, countyScore: 5 } }, { 'if-match': `"${version}"` });
    expect(reviewerField.statusCode).toBe(400);
    // submitted: a save of the current version is refused for the state
    expect((await srv.a.post(`/api/submissions/${s.id}/submit`)).statusCode).toBe(200);
    const afterSubmit = await srv.a.put(`/api/submissions/${s.id}`, { data: VALID_DATA }, { 'if-match': `"${version}"` });
    expect(afterSubmit.statusCode).toBe(409);
    const audit = (await srv.a.get(`/api/submissions/${s.id}/audit`)).json() as Array<{ action: string }>;
    expect(audit.filter((x) => x.action === 'submission.save').length).toBe(5);
  });

  it('20 concurrent saves of one version: exactly one is saved', async () => {
    const s = (await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string; version: number };
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => srv.a.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: i + 1 } }, { 'if-match': `"${s.version}"`, prefer: 'return=minimal' })));
    expect(rs.filter((r) => r.statusCode === 200).length).toBe(1);
    expect(rs.filter((r) => r.statusCode === 412).length).toBe(19);
  });

  it('signing out ends the session at once in this process (sessions are cached for a few seconds)', async () => {
    const c = await srv.h.login('applicant-nb');
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    // the CSRF check still applies with a cached session
    const d = await srv.h.login('applicant-nb');
    expect((await d.get('/api/auth/me')).statusCode).toBe(200);
    const noCsrf = await srv.h.app.inject({ method: 'POST', url: '/api/submissions', headers: { cookie: d.cookie as string }, payload: { packId: TEST_PACK_ID } });
    expect(noCsrf.statusCode).toBe(403);
  });
});
