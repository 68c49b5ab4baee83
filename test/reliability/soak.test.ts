/**
 * Soak: REL_SOAK_SECONDS (default 300) of mixed traffic against one server process (PostgreSQL
 * when DATABASE_URL is set, else PGlite): applicants evaluate, create, autosave and submit; a county
 * reviewer lists and passes; a city reviewer and the province list; a county saves its table;
 * everyone reads packs and who they are. No errors (no 5xx, no network error, no unexpected
 * status), and memory flat: the heap after a full GC at the end is within 25 % + 16 MiB of the heap
 * after warm-up (RSS is reported, not asserted: the database's buffers live there under PGlite).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HttpClient, killAll, memoryOf, PG_URL, pgDatabase, pgliteDatabase, startServer, type Database } from './server-process.js';
import { envInt, publishTestPack, sleep, TEST_PACK_ID, VALID_DATA } from './helpers.js';

const SECONDS = envInt('REL_SOAK_SECONDS', 300);
const MiB = 1024 * 1024;

describe('soak of mixed traffic', () => {
  let db: Database;
  afterAll(async () => {
    await killAll();
    await db?.dispose();
  });

  it(`${SECONDS} s: no errors, memory flat`, async () => {
    db = PG_URL ? pgDatabase(PG_URL) : pgliteDatabase();
    const server = await startServer(db, { YUANPING_MEMORY_REPORT: '1' }, { nodeArgs: ['--expose-gc'] });
    await publishTestPack(server.base);
    const login = (u: string) => HttpClient.login(server.base, u);
    const [appHz, appNb, county, city, province] = await Promise.all([login('applicant-hz'), login('applicant-nb'), login('county-xihu'), login('city-hz'), login('province')]);
    const statuses: Record<string, number> = {};
    const errors: string[] = [];
    let requests = 0;
    const check = async (what: string, p: Promise<{ status: number; body: unknown }>, ok: number[] = [200, 201]) => {
      try {
        const r = await p;
        requests++;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (!ok.includes(r.status)) errors.push(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        return r;
      } catch (e) {
        errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      }
    };

    let deadline = Date.now() + Math.min(30, Math.max(5, Math.floor(SECONDS / 10))) * 1000; // warm-up first
    const applicantLoop = async (c: HttpClient, n: number) => {
      for (let i = 0; i < 1_000_000 && Date.now() < deadline && errors.length < 20; i++) {
        await check('evaluate', c.post(`/api/packs/${TEST_PACK_ID}/evaluate`, { formId: 'app', data: { ...VALID_DATA, firms: i % 20 } }));
        const created = await check('create', c.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA }));
        const s = created?.body as { id: string; version: number } | undefined;
        if (s?.id) {
          let v = s.version;
          for (let k = 0; k < 3; k++) {
            const r = await check('save', c.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: k + n } }, { 'if-match': `"${v}"`, ...(k % 2 ? { prefer: 'return=minimal' } : {}) }));
            v = (r?.body as { version?: number } | undefined)?.version ?? v;
          }
          if (i % 2 === 0) await check('submit', c.post(`/api/submissions/${s.id}/submit`, {}, { 'idempotency-key': `soak-${s.id}` }));
        }
        await check('list', c.get('/api/submissions'));
        await check('me', c.get('/api/auth/me'));
      }
    };
    const reviewerLoop = async () => {
      let tableVersion: number | null = null;
      for (let i = 0; i < 1_000_000 && Date.now() < deadline && errors.length < 20; i++) {
        const list = await check('county list', county.get('/api/submissions?status=submitted'));
        const first = (list?.body as Array<{ id: string }> | undefined)?.[0];
        if (first) await check('county pass', county.post(`/api/submissions/${first.id}/review`, { action: 'pass', comment: '通过' }));
        const t = await check('table save', county.put(`/api/tables/${TEST_PACK_ID}/sum`, { rows: [{ park: '园区', area: i }] }, tableVersion === null ? {} : { 'if-match': `"${tableVersion}"` }));
        tableVersion = (t?.body as { version?: number } | undefined)?.version ?? tableVersion;
        await check('city list', city.get('/api/submissions'));
        await check('province list', province.get('/api/submissions?status=county_passed'));
        await check('packs', province.get('/api/packs'));
        await check('pack', city.get(`/api/packs/${TEST_PACK_ID}`));
        await sleep(5);
      }
    };
    const run = () => Promise.all([applicantLoop(appHz, 1), applicantLoop(appHz, 2), applicantLoop(appNb, 3), applicantLoop(appNb, 4), reviewerLoop()]);

    await run(); // warm-up: caches, compiled schemas, pools
    const start = await memoryOf(server);
    const t0 = Date.now();
    deadline = t0 + SECONDS * 1000;
    const samples = [start];
    const sampler = (async () => {
      while (Date.now() < deadline - 1000 && errors.length < 20) {
        await sleep(Math.min(30_000, deadline - Date.now() - 1000));
        if (Date.now() < deadline - 1000) samples.push(await memoryOf(server));
      }
    })();
    await run();
    await sampler;
    const seconds = (Date.now() - t0) / 1000;
    const end = await memoryOf(server);
    samples.push(end);
    await server.kill();
    const fmt = (m: { heapUsed: number; rss: number }) => `heap ${(m.heapUsed / MiB).toFixed(1)} MiB / RSS ${(m.rss / MiB).toFixed(0)} MiB`;
    console.log(
      `[soak ${db.kind}] ${requests} requests in ${seconds.toFixed(0)} s (${(requests / seconds).toFixed(0)}/s), statuses ${JSON.stringify(statuses)}, errors ${errors.length}; ` +
        `after GC: start ${fmt(start)}, end ${fmt(end)}; samples (heap MiB): ${samples.map((m) => (m.heapUsed / MiB).toFixed(1)).join(' ')}`,
    );
    expect(errors).toEqual([]);
    expect(start.gc && end.gc).toBe(true);
    expect(end.heapUsed).toBeLessThan(start.heapUsed * 1.25 + 16 * MiB);
  });
});
