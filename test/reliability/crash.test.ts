/**
 * The server killed with SIGKILL under 200 concurrent saves, restarted on the same data: every
 * acknowledged save is there, and nothing is half-written — each draft holds exactly the data of
 * its last acknowledged save or of the one save in flight when the process died, its stored
 * evaluation is the evaluation of that data, and its audit trail has one entry per version.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { databases, HttpClient, killAll, startServer, type Database } from './server-process.js';
import { envInt, mapLimit, publishTestPack, sleep, TEST_PACK_ID, VALID_DATA } from './helpers.js';

const DRAFTS = 200;
const ROUNDS = envInt('REL_CRASH_ROUNDS', 2);

interface Draft {
  id: string;
  acked: { version: number; data: unknown };
  inFlight: unknown | null;
}

afterAll(async () => {
  await killAll();
});

describe.each(databases())('SIGKILL under 200 concurrent saves ($name)', ({ make }) => {
  let db: Database;
  afterAll(async () => {
    await killAll();
    await db?.dispose();
  });

  it(`every acknowledged save survives ${ROUNDS} kills, nothing half-written`, async () => {
    db = make();
    let server = await startServer(db);
    await publishTestPack(server.base);
    let applicant = await HttpClient.login(server.base, 'applicant-hz');
    const drafts: Draft[] = await mapLimit(Array.from({ length: DRAFTS }), 20, async () => {
      const r = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
      expect(r.status).toBe(201);
      const s = r.body as { id: string; version: number; data: unknown };
      return { id: s.id, acked: { version: s.version, data: s.data }, inFlight: null };
    });

    for (let round = 0; round < ROUNDS; round++) {
      let stop = false;
      let acks = 0;
      let seq = 0;
      const workers = drafts.map(async (d, w) => {
        // bounded: at most 10,000 saves per worker, and the process dies long before
        for (let k = 0; k < 10_000 && !stop; k++) {
          const data = { name: `r${round}-w${w}-k${k}`, firms: (seq++ % 30) + 1, score: k % 11 };
          d.inFlight = data;
          let r: { status: number; headers: Headers };
          try {
            r = await applicant.put(`/api/submissions/${d.id}`, { data }, { 'if-match': `"${d.acked.version}"`, prefer: 'return=minimal' });
          } catch {
            return; // the server is gone
          }
          if (r.status !== 200) throw new Error(`save answered ${r.status}`);
          const v = Number(/"(\d+)"/.exec(r.headers.get('etag') ?? '')?.[1]);
          d.acked = { version: v, data };
          d.inFlight = null;
          acks++;
        }
      });
      // let every worker get going, then kill at a moment the saves are in full flow
      const t0 = Date.now();
      while (acks < DRAFTS * 2 && Date.now() - t0 < 60_000) await sleep(20);
      await sleep(Math.floor(Math.random() * 200));
      await server.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      expect(acks).toBeGreaterThan(0);

      server = await startServer(db);
      applicant = await HttpClient.login(server.base, 'applicant-hz');
      let inFlightCommitted = 0;
      await mapLimit(drafts, 10, async (d) => {
        const r = await applicant.get(`/api/submissions/${d.id}?evaluation=full`);
        expect(r.status).toBe(200);
        const s = r.body as { version: number; data: unknown; evaluation: unknown; status: string };
        expect(s.status).toBe('draft');
        // the acknowledged save is there; at most the one in flight came after it
        expect(s.version === d.acked.version || (s.version === d.acked.version + 1 && d.inFlight !== null)).toBe(true);
        if (s.version === d.acked.version) expect(s.data).toEqual(d.acked.data);
        else {
          expect(s.data).toEqual(d.inFlight);
          inFlightCommitted++;
        }
        // the stored evaluation is the evaluation of the stored data (written in the same statement)
        const ev = await applicant.post(`/api/packs/${TEST_PACK_ID}/evaluate`, { formId: 'app', data: s.data });
        expect(s.evaluation).toEqual(ev.body);
        // one audit entry per version, the last one naming this version and data
        const audit = (await applicant.get(`/api/submissions/${d.id}/audit`)).body as Array<{ action: string; after: { version?: number; data?: unknown } }>;
        const saves = audit.filter((a) => a.action === 'submission.save');
        expect(saves.length).toBe(s.version - 1);
        if (saves.length) expect(saves[saves.length - 1]?.after).toEqual({ version: s.version, data: s.data });
        d.acked = { version: s.version, data: s.data };
        d.inFlight = null;
      });
      console.log(`[crash ${db.kind}] round ${round + 1}: ${acks} saves acknowledged before SIGKILL, all there; ${inFlightCommitted} unacknowledged in-flight saves had committed`);
    }
    await server.kill('SIGKILL');
  });
});
