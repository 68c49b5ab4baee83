/**
 * Concurrency over real HTTP against a server process: 50 concurrent writes with one If-Match →
 * exactly one wins; 20 duplicate submits (and creates) with one Idempotency-Key → one submission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, HttpClient, killAll, startServer, type Database, type ServerProcess } from './server-process.js';
import { publishTestPack, TEST_PACK_ID, VALID_DATA } from './helpers.js';

afterAll(async () => {
  await killAll();
});

describe.each(databases())('concurrent writes ($name)', ({ make }) => {
  let db: Database;
  let server: ServerProcess;
  let applicant: HttpClient;
  beforeAll(async () => {
    db = make();
    server = await startServer(db);
    await publishTestPack(server.base);
    applicant = await HttpClient.login(server.base, 'applicant-nb');
  });
  afterAll(async () => {
    await server?.kill();
    await db?.dispose();
  });

  it('50 concurrent saves with one If-Match: exactly one wins, 49 get 412', async () => {
    const s = (await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).body as { id: string; version: number };
    const rs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => applicant.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: 100 + i } }, { 'if-match': `"${s.version}"` })),
    );
    const won = rs.filter((r) => r.status === 200);
    expect(won.length).toBe(1);
    expect(rs.filter((r) => r.status === 412).length).toBe(49);
    const after = (await applicant.get(`/api/submissions/${s.id}`)).body as { version: number; data: { firms: number } };
    expect(after.version).toBe(s.version + 1);
    expect(after.data).toEqual((won[0]?.body as { data: unknown }).data);
    const audit = (await applicant.get(`/api/submissions/${s.id}/audit`)).body as Array<{ action: string }>;
    expect(audit.filter((a) => a.action === 'submission.save').length).toBe(1);
  });

  it('20 duplicate submits with one Idempotency-Key: one submission, the same answer 20 times', async () => {
    const s = (await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).body as { id: string };
    const rs = await Promise.all(Array.from({ length: 20 }, () => applicant.post(`/api/submissions/${s.id}/submit`, {}, { 'idempotency-key': `submit-${s.id}` })));
    expect(rs.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(rs.filter((r) => r.headers.get('idempotent-replay') === 'true').length).toBe(19);
    for (const r of rs) expect(r.body).toEqual(rs[0]?.body);
    const audit = (await applicant.get(`/api/submissions/${s.id}/audit`)).body as Array<{ action: string }>;
    expect(audit.filter((a) => a.action === 'submission.submit').length).toBe(1);
    const detail = (await applicant.get(`/api/submissions/${s.id}`)).body as { status: string; reviews: Array<{ action: string }> };
    expect(detail.status).toBe('submitted');
    expect(detail.reviews.filter((r) => r.action === 'submit').length).toBe(1);
  });

  it('20 duplicate creates with one Idempotency-Key: one submission', async () => {
    const before = ((await applicant.get('/api/submissions')).body as unknown[]).length;
    const rs = await Promise.all(
      Array.from({ length: 20 }, () => applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA }, { 'idempotency-key': 'create-once' })),
    );
    expect(rs.every((r) => r.status === 201)).toBe(true);
    expect(new Set(rs.map((r) => (r.body as { id: string }).id)).size).toBe(1);
    expect(((await applicant.get('/api/submissions')).body as unknown[]).length).toBe(before + 1);
  });
});
