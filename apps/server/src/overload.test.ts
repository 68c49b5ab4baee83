import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PASSWORD, VALID_DATA } from './testing/harness.js';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';
import { coreEngine } from './engine.js';
import { WorkQueue } from './work-queue.js';
import { ApiError } from './errors.js';
import { serverFor } from '../../../test/support/server.js';

/** A request and reply as the queue sees them: a socket that may be destroyed, a response that may close. */
function fakeClient() {
  const raw = new EventEmitter();
  const socket = { destroyed: false };
  const headers: Record<string, string> = {};
  const reply = { raw, header: (k: string, v: string) => ((headers[k] = v), reply) } as unknown as FastifyReply;
  const req = { raw: { socket }, log: { warn() {} } } as unknown as FastifyRequest;
  return { req, reply, headers, hangUp: () => ((socket.destroyed = true), raw.emit('close')) };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('a bounded work queue', () => {
  it('runs up to its concurrency, queues up to its bound, refuses the rest with 503 and Retry-After', async () => {
    const q = new WorkQueue({ name: 't', label: '测试', concurrency: 1, maxWaiting: 1, retryAfterSeconds: 3 });
    const gate = deferred();
    const ran: number[] = [];
    const a = fakeClient();
    const b = fakeClient();
    const c = fakeClient();
    const first = q.run(a.req, a.reply, async () => (await gate.promise, ran.push(1)));
    const second = q.run(b.req, b.reply, async () => ran.push(2));
    await expect(q.run(c.req, c.reply, async () => ran.push(3))).rejects.toMatchObject({ code: 'OVERLOADED', status: 503 });
    expect(c.headers['retry-after']).toBe('3');
    expect(q.snapshot()).toMatchObject({ active: 1, waiting: 1, shed: 1 });
    gate.resolve();
    await Promise.all([first, second]);
    expect(ran).toEqual([1, 2]);
    expect(q.snapshot()).toMatchObject({ active: 0, waiting: 0, shed: 1, dropped: 0, done: 2 });
  });

  it('refuses a request that has waited longer than the longest wait', async () => {
    const q = new WorkQueue({ name: 't', label: '测试', concurrency: 1, maxWaiting: 5, retryAfterSeconds: 1, maxWaitMs: 20 });
    const gate = deferred();
    const a = fakeClient();
    const b = fakeClient();
    const first = q.run(a.req, a.reply, () => gate.promise);
    await expect(q.run(b.req, b.reply, async () => 'ran')).rejects.toMatchObject({ code: 'OVERLOADED' });
    expect(b.headers['retry-after']).toBe('1');
    expect(q.snapshot()).toMatchObject({ shed: 1, waiting: 0, active: 1 });
    gate.resolve();
    await first;
  });

  it('drops work whose client has gone while it waited, and never runs it', async () => {
    const q = new WorkQueue({ name: 't', label: '测试', concurrency: 1, maxWaiting: 5, retryAfterSeconds: 1 });
    const gate = deferred();
    const ran: string[] = [];
    const a = fakeClient();
    const gone = fakeClient();
    const stays = fakeClient();
    const first = q.run(a.req, a.reply, async () => (await gate.promise, ran.push('a')));
    const dropped = q.run(gone.req, gone.reply, async () => ran.push('gone'));
    const kept = q.run(stays.req, stays.reply, async () => ran.push('stays'));
    gone.hangUp();
    await expect(dropped).rejects.toBeInstanceOf(ApiError);
    await expect(dropped).rejects.toMatchObject({ code: 'CLIENT_GONE' });
    gate.resolve();
    await Promise.all([first, kept]);
    expect(ran).toEqual(['a', 'stays']);
    expect(q.snapshot()).toMatchObject({ dropped: 1, done: 2, active: 0, waiting: 0 });
  });
});

describe('light first page, shedding and metrics on a server', () => {
  const srv = serverFor({}, { a: 'applicant-hz' });

  it('GET /api/submissions/:id leaves the evaluation out unless asked for', async () => {
    const s = (await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string };
    const light = (await srv.a.get(`/api/submissions/${s.id}`)).json() as { data: unknown; evaluation: unknown; version: number };
    expect(light).toMatchObject({ data: VALID_DATA, evaluation: null, version: 1 });
    const full = (await srv.a.get(`/api/submissions/${s.id}?evaluation=full`)).json() as { evaluation: Record<string, { outcome: { level: string } }> };
    expect(full.evaluation.level?.outcome.level).toBe('two');
  });

  it('a pack version comes without its fixtures unless asked for', async () => {
    // the test pack with a fixture file, published as a new version
    const files = { ...testPackFiles(), [`rules/${TEST_PACK_ID}/fixtures/level-two.json`]: { ruleSet: 'level', input: VALID_DATA, expect: { outcome: { level: 'two' } } } };
    const pack = coreEngine.packFromFiles(files, TEST_PACK_ID);
    expect(pack.fixtures.length).toBe(1);
    await srv.h.storage.publishPackVersion({ packId: pack.id, hash: pack.hash, title: pack.manifest.title, manifest: pack.manifest, files: pack.files, publishedBy: null });
    const pv = (await srv.a.get(`/api/packs/${TEST_PACK_ID}`)).json() as { id: number };
    const slim = (await srv.a.get(`/api/pack-versions/${pv.id}`)).json() as { files: Record<string, unknown>; fixturesIncluded: boolean };
    const all = (await srv.a.get(`/api/pack-versions/${pv.id}?fixtures=1`)).json() as { files: Record<string, unknown>; fixturesIncluded: boolean };
    const fixtureFiles = Object.keys(all.files).filter((p) => p.includes('/fixtures/'));
    expect(fixtureFiles.length).toBeGreaterThan(0);
    expect(Object.keys(slim.files).sort()).toEqual(Object.keys(all.files).filter((p) => !fixtureFiles.includes(p)).sort());
    expect([slim.fixturesIncluded, all.fixturesIncluded]).toEqual([false, true]);
  });

  it('sign-in is refused with 503 + Retry-After while its hashing queue is full, and works again after', async () => {
    const q = srv.h.app.queues.signin;
    const gate = deferred();
    const holders = Array.from({ length: q.opts.concurrency + q.opts.maxWaiting }, () => fakeClient());
    const held = holders.map((c) => q.run(c.req, c.reply, () => gate.promise));
    const res = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'applicant-nb', password: PASSWORD } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'OVERLOADED' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    gate.resolve();
    await Promise.all(held);
    const ok = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'applicant-nb', password: PASSWORD } });
    expect(ok.statusCode).toBe(200);
    const text = await srv.h.app.metrics.registry.metrics();
    expect(text).toMatch(/yuanping_queue_outcomes\{queue="signin",outcome="shed"\} 1\b/);
    expect(text).toMatch(/yuanping_errors_total\{code="OVERLOADED"\} 1\b/);
    expect(text).toMatch(/yuanping_http_requests_total\{method="POST",route="\/api\/auth\/login",status="503"\} 1\b/);
    expect(text).toMatch(/yuanping_draft_saves_total|yuanping_http_request_duration_seconds_bucket/);
  });

  it('lists page by ?limit and the X-Next-Cursor of the previous page', async () => {
    for (let i = 0; i < 3; i++) await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    const all = (await srv.a.get('/api/submissions')).json() as Array<{ id: string }>;
    // more than one page of 2 (how many exist depends on the earlier tests)
    expect(all.length).toBeGreaterThan(2);
    const seen: string[] = [];
    let url = '/api/submissions?limit=2';
    for (let pages = 0; pages < 10; pages++) {
      const r = await srv.a.get(url);
      const rows = r.json() as Array<{ id: string }>;
      expect(rows.length).toBeLessThanOrEqual(2);
      seen.push(...rows.map((x) => x.id));
      const next = r.headers['x-next-cursor'];
      if (typeof next !== 'string') break;
      url = `/api/submissions?limit=2&cursor=${next}`;
    }
    expect(seen).toEqual(all.map((x) => x.id));
    expect((await srv.a.get('/api/submissions?limit=2&cursor=%%%')).statusCode).toBe(400);
  });

  it('counts draft saves by result', async () => {
    const s = (await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string };
    expect((await srv.a.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: 5 } }, { 'if-match': '"1"' })).statusCode).toBe(200);
    expect((await srv.a.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: 6 } }, { 'if-match': '"1"' })).statusCode).toBe(412);
    const text = await srv.h.app.metrics.registry.metrics();
    expect(text).toMatch(/yuanping_draft_saves_total\{status="200"\} [1-9]/);
    expect(text).toMatch(/yuanping_draft_saves_total\{status="412"\} [1-9]/);
  });
});
