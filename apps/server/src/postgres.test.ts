import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openStorage, type Storage } from '@yuanping/storage';
import { buildServer } from './app.js';
import { coreEngine } from './engine.js';
import { Client, makeHarness, PASSWORD, PG_TARGETS, PG_URL, VALID_DATA, type Harness } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';

/** Two server instances on one PostgreSQL database: nothing lives in process memory. */
// without DATABASE_URL one skipped suite (an empty .each registers none, and vitest fails a file without suites)
const targets: Array<[string, string]> = PG_TARGETS.length > 0 ? PG_TARGETS : [['未设置 DATABASE_URL', '']];
describe.skipIf(PG_TARGETS.length === 0).each(targets)('several server processes share one PostgreSQL (%s)', (_name, url) => {
  let h: Harness;
  let storage2: Storage;
  let app2: FastifyInstance;
  beforeAll(async () => {
    h = await makeHarness({ backend: 'pg', databaseUrl: url });
    storage2 = await openStorage({ databaseUrl: url, schema: h.schema as string, applicationName: h.schema as string });
    app2 = await buildServer({ storage: storage2, engine: coreEngine, now: () => new Date('2021-08-22T02:00:00Z') });
  });
  afterAll(async () => {
    await app2.close();
    await storage2.close();
    await h.close();
  });

  async function loginOn(app: FastifyInstance, username: string): Promise<Client> {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'yp_sid');
    return new Client(app, `yp_sid=${cookie?.value}`, (res.json() as { csrfToken: string }).csrfToken);
  }

  it('a session made on one instance works on the other', async () => {
    const a = await loginOn(h.app, 'applicant-hz');
    const onB = new Client(app2, a.cookie, a.csrf);
    expect((await onB.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('If-Match, idempotency keys and quota seats hold across instances', async () => {
    const a = await loginOn(h.app, 'applicant-nb');
    const b = new Client(app2, a.cookie, a.csrf);
    const s = (await a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string };
    const saves = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: i } }, { 'if-match': '"1"' })),
    );
    expect(saves.filter((r) => r.statusCode === 200).length).toBe(1);
    const submits = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).post(`/api/submissions/${s.id}/submit`, {}, { 'idempotency-key': 'k-multi' })));
    expect(submits.every((r) => r.statusCode === 200)).toBe(true);
    const audit = (await a.get(`/api/submissions/${s.id}/audit`)).json() as Array<{ action: string }>;
    expect(audit.filter((x) => x.action === 'submission.submit').length).toBe(1);

    // quota (Ningbo: 1) across instances
    const county = await loginOn(h.app, 'county-haishu');
    const ids = [s.id];
    for (let i = 0; i < 3; i++) {
      const x = (await a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string };
      await a.post(`/api/submissions/${x.id}/submit`);
      ids.push(x.id);
    }
    for (const id of ids) expect((await county.post(`/api/submissions/${id}/review`, { action: 'pass' })).statusCode).toBe(200);
    const cityA = await loginOn(h.app, 'city-nb');
    const cityB = new Client(app2, cityA.cookie, cityA.csrf);
    const recs = await Promise.all(ids.map((id, i) => (i % 2 ? cityA : cityB).post(`/api/submissions/${id}/review`, { action: 'recommend' })));
    expect(recs.filter((r) => r.statusCode === 200).length).toBe(1);
    expect(await h.storage.quotaUsed(TEST_PACK_ID, 'rec', '330200')).toBe(1);
  });

  it('survives the database dropping its connections (pool error handler)', async () => {
    const a = await loginOn(h.app, 'province');
    expect((await a.get('/api/submissions')).statusCode).toBe(200);
    // terminate this test's server connections (only ours: tagged with the schema name), as a restart
    // would — directly on PostgreSQL (behind the pooler: the pooler's connections that carry our name)
    const admin = await openStorage({ databaseUrl: (PG_URL ?? url) as string, schema: h.schema as string, applicationName: 'yp_test_killer' });
    const killed = await admin.transaction(async (t) =>
      (t as unknown as { q: { query: (s: string, p: unknown[]) => Promise<unknown[]> } }).q.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
        [h.schema],
      ),
    );
    expect(killed.length).toBeGreaterThan(0);
    await admin.close();
    await new Promise((r) => setTimeout(r, 200));
    // the process is alive; requests recover (at worst one 503 while the pool reconnects)
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await a.get('/api/submissions')).statusCode);
    expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
    expect(codes[codes.length - 1]).toBe(200);
  });
});
