/**
 * The deadline morning (issue 18): a notice's window opens for every park on the same morning.
 * 1,200 applicants (each its own park, over the 90 counties; `morning-seed.ts`) arrive within 60 s,
 * each signs in, opens its first page (me, its list, the pack version, its application) and autosaves
 * a growing star application every ~10 s with If-Match (`Prefer: return=minimal`, as the web app); one
 * in ten completes it and submits; 90 county reviewers poll their queue and pass what arrives
 * (confirming the applicant's ticks first where the pack asks for it). Two server processes
 * (YUANPING_WORKERS=2) on PostgreSQL — behind PgBouncer in transaction mode when DATABASE_URL_POOLED
 * is set. Reported: acknowledged / failed saves, p50/p95/p99 per kind of request, sheds (503), CPU and
 * memory of each server process, of PgBouncer and of PostgreSQL (the whole shared server). Afterwards
 * every acknowledged save is read back from the database and must be equal. Timings are reported,
 * never asserted (the machine is shared).
 *
 * Knobs: REL_MORNING_APPLICANTS (1200), REL_MORNING_ARRIVAL_SECONDS (60), REL_MORNING_SECONDS (300:
 * how long each applicant keeps saving), REL_MORNING_SAVE_SECONDS (10), REL_MORNING_OUT (a file for
 * the JSON summary).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '@yuanping/storage';
import { envInt, sleep } from './helpers.js';
import { killAll, pgDatabase, REPO, startServer, type Database, type ServerProcess } from './server-process.js';
import { MORNING_PASSWORD, seedMorning } from './morning-seed.js';

const DIRECT = process.env.DATABASE_URL || undefined;
const POOLED = process.env.DATABASE_URL_POOLED || undefined;
const APPLICANTS = envInt('REL_MORNING_APPLICANTS', 1200);
const ARRIVAL_S = envInt('REL_MORNING_ARRIVAL_SECONDS', 60);
const RUN_S = envInt('REL_MORNING_SECONDS', 300);
const SAVE_S = envInt('REL_MORNING_SAVE_SECONDS', 10);
const PACK = 'zj-2021-evaluation-star';
const FORM = 'star-application';
const REQUEST_TIMEOUT_MS = 30_000;

// ── the application a park fills in: a hand-worked fixture of the pack, revealed leaf by leaf ──
type Json = Record<string, unknown>;
function fixtureInput(): Json {
  const dir = join(REPO, 'rules', PACK, 'fixtures');
  const file = readdirSync(dir).sort().find((f) => f.endsWith('.json'));
  if (!file) throw new Error(`no fixture in ${dir}`);
  return (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { input: Json }).input;
}
function leaves(o: unknown, prefix: string[] = []): Array<[string[], unknown]> {
  if (o !== null && typeof o === 'object' && !Array.isArray(o)) return Object.entries(o as Json).flatMap(([k, v]) => leaves(v, [...prefix, k]));
  return [[prefix, o]];
}
function build(parts: Array<[string[], unknown]>): Json {
  const out: Json = {};
  for (const [path, v] of parts) {
    let cur = out;
    path.forEach((k, i) => {
      if (i === path.length - 1) cur[k] = v;
      else cur = (cur[k] ??= {}) as Json;
    });
  }
  return out;
}

// ── figures ──
class Latencies {
  private readonly byKind = new Map<string, number[]>();
  add(kind: string, ms: number) {
    let a = this.byKind.get(kind);
    if (!a) this.byKind.set(kind, (a = []));
    a.push(ms);
  }
  summary(): Record<string, { n: number; p50: number; p95: number; p99: number; max: number }> {
    const out: Record<string, { n: number; p50: number; p95: number; p99: number; max: number }> = {};
    for (const [k, a] of [...this.byKind].sort()) {
      const s = [...a].sort((x, y) => x - y);
      const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
      out[k] = { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: Math.round(s[s.length - 1] ?? 0) };
    }
    return out;
  }
}

/** CPU seconds and resident memory of processes, from /proc (Linux). */
function procStat(pid: number): { cpu: number; rssMiB: number; ppid: number; comm: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    const tck = 100; // USER_HZ
    const rssPages = Number(f[21]);
    return { cpu: (Number(f[11]) + Number(f[12])) / tck, rssMiB: (rssPages * 4096) / 1048576, ppid: Number(f[1]), comm };
  } catch {
    return null;
  }
}
function allPids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}
interface Sampled {
  name: string;
  cpu0: number;
  cpu1: number;
  rssMax: number;
}
/** Samples the server processes (primary + workers), PgBouncer and PostgreSQL every second. */
function startSampling(primary: number): { stop(): Record<string, { cpuSeconds: number; cpuPercentOfOneCore: number; rssMaxMiB: number }> } {
  const groups = new Map<string, Map<number, Sampled>>();
  const t0 = Date.now();
  const sample = () => {
    const pids = allPids();
    const stats = new Map<number, NonNullable<ReturnType<typeof procStat>>>();
    for (const p of pids) {
      const s = procStat(p);
      if (s) stats.set(p, s);
    }
    const put = (group: string, pid: number, s: NonNullable<ReturnType<typeof procStat>>) => {
      let g = groups.get(group);
      if (!g) groups.set(group, (g = new Map()));
      const cur = g.get(pid);
      if (cur) {
        cur.cpu1 = s.cpu;
        cur.rssMax = Math.max(cur.rssMax, s.rssMiB);
      } else g.set(pid, { name: group, cpu0: s.cpu, cpu1: s.cpu, rssMax: s.rssMiB });
    };
    const ps = stats.get(primary);
    if (ps) put('server primary', primary, ps);
    // this process: the load generator (the applicants' and reviewers' clients) shares the machine
    const me = stats.get(process.pid);
    if (me) put('load generator (the test process)', process.pid, me);
    let w = 0;
    for (const [pid, s] of [...stats].sort((a, b) => a[0] - b[0])) {
      if (s.ppid === primary) put(`server worker ${++w}`, pid, s);
      else if (s.comm === 'postgres') put('PostgreSQL (all backends; shared server)', pid, s);
      else if (s.comm === 'pgbouncer') put('PgBouncer (all instances)', pid, s);
    }
  };
  sample();
  const timer = setInterval(sample, 1000);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const secs = (Date.now() - t0) / 1000;
      const out: Record<string, { cpuSeconds: number; cpuPercentOfOneCore: number; rssMaxMiB: number }> = {};
      for (const [name, g] of groups) {
        let cpu = 0;
        let rss = 0;
        for (const s of g.values()) {
          cpu += s.cpu1 - s.cpu0;
          rss = name.startsWith('server') ? Math.max(rss, s.rssMax) : rss + s.rssMax;
        }
        out[name] = { cpuSeconds: Math.round(cpu * 10) / 10, cpuPercentOfOneCore: Math.round((cpu / secs) * 100), rssMaxMiB: Math.round(rss) };
      }
      return out;
    },
  };
}

// ── a user agent with its cookie ──
class Agent {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async req(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (body !== undefined) h['content-type'] = 'application/json';
    const r = await fetch(this.base + path, { method, headers: h, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: r.status, body: parsed, headers: r.headers };
  }
}

interface Counters {
  savesAcknowledged: number;
  savesFailed: number;
  shed: Record<string, number>;
  errors: Record<string, number>;
  timeouts: number;
  /** requests a person would simply repeat (a sign-in, a page read, a create or submit with its Idempotency-Key), repeated after no answer within REQUEST_TIMEOUT_MS */
  repeatedAfterTimeout: Record<string, number>;
  submitted: number;
  passed: number;
  confirmed: number;
}

describe.skipIf(!DIRECT && !POOLED)('the deadline morning', () => {
  let db: Database | null = null;
  let server: ServerProcess | null = null;
  let storage: Storage | null = null;
  afterAll(async () => {
    await killAll();
    await storage?.close();
    await db?.dispose();
  });

  it(`${APPLICANTS} applicants within ${ARRIVAL_S} s, autosaving for ${RUN_S} s, 90 county reviewers, 2 processes${POOLED ? ' behind PgBouncer' : ''}: nothing acknowledged is lost`, async () => {
    const url = (POOLED ?? DIRECT) as string;
    db = pgDatabase(url);
    const metricsPort = 20000 + Math.floor(Math.random() * 20000);
    server = await startServer(db, { YUANPING_WORKERS: '2', YUANPING_LOG_REQUESTS: '0', YUANPING_METRICS_PORT: String(metricsPort) }, { timeoutMs: 600_000 });
    const schema = db.env.YUANPING_DB_SCHEMA as string;
    storage = await openStorage({ databaseUrl: url, schema });
    const t0seed = Date.now();
    const accounts = await seedMorning(storage, APPLICANTS);
    console.log(`播种：${accounts.applicants.length} 个申报单位、${accounts.reviewers.length} 个县级审核人，${((Date.now() - t0seed) / 1000).toFixed(1)} s`);

    const full = fixtureInput();
    const parts = leaves(full);
    const lat = new Latencies();
    const c: Counters = { savesAcknowledged: 0, savesFailed: 0, shed: {}, errors: {}, timeouts: 0, repeatedAfterTimeout: {}, submitted: 0, passed: 0, confirmed: 0 };
    /** Each applicant's submission id and its last acknowledged save (version and data). */
    const acked = new Map<string, { id: string; version: number; data: Json; submitted: boolean }>();
    const base = server.base;

    // one request, timed; a 503 with Retry-After is waited out and retried (counted as shed). No
    // answer within REQUEST_TIMEOUT_MS (a CPU-starved machine: CI beside other work): what a person
    // repeats without risk — signing in again, reloading a page, a create or submit carrying its
    // Idempotency-Key — is repeated up to twice (counted, printed); anything else, a save above all
    // (its If-Match may already have moved), is an error
    const repeatable = (method: string, kind: string, headers?: Record<string, string>) =>
      method === 'GET' || kind.endsWith('sign-in') || headers?.['idempotency-key'] !== undefined;
    const call = async (a: Agent, kind: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      for (let attempt = 1; ; attempt++) {
        const t = performance.now();
        let r: Awaited<ReturnType<Agent['req']>>;
        try {
          r = await a.req(method, path, body, headers);
        } catch {
          c.timeouts++;
          if (attempt < 3 && repeatable(method, kind, headers)) {
            c.repeatedAfterTimeout[kind] = (c.repeatedAfterTimeout[kind] ?? 0) + 1;
            continue;
          }
          c.errors[`${kind} network/timeout`] = (c.errors[`${kind} network/timeout`] ?? 0) + 1;
          return null;
        }
        lat.add(kind, performance.now() - t);
        if (r.status === 503 && r.headers.get('retry-after')) {
          c.shed[kind] = (c.shed[kind] ?? 0) + 1;
          await sleep(Number(r.headers.get('retry-after')) * 1000 * (0.5 + Math.random()));
          continue;
        }
        return r;
      }
    };
    const fail = (what: string, status: number, body?: unknown) => {
      const code = (body as { code?: unknown } | null)?.code;
      const k = `${what} ${status}${typeof code === 'string' ? ` ${code}` : ''}`;
      c.errors[k] = (c.errors[k] ?? 0) + 1;
    };

    const deadline = { stop: false };
    const sampler = startSampling(server.pid);
    const tStart = Date.now();

    const applicant = async (i: number, username: string) => {
      await sleep((ARRIVAL_S * 1000 * i) / APPLICANTS);
      const a = new Agent(base);
      const t = performance.now();
      const login = await call(a, 'sign-in', 'POST', '/api/auth/login', { username, password: MORNING_PASSWORD });
      if (!login) return;
      if (login.status !== 200) return fail('sign-in', login.status, login.body);
      a.cookie = (login.headers.getSetCookie().find((x) => x.startsWith('yp_sid=')) ?? '').split(';')[0] ?? '';
      a.csrf = (login.body as { csrfToken: string }).csrfToken;
      // the first page: who am I, my applications, the pack, the application (created on first visit)
      const tPage = performance.now();
      const [me, list, pack] = await Promise.all([
        call(a, 'first page: me', 'GET', '/api/auth/me'),
        call(a, 'first page: my list', 'GET', `/api/submissions?packId=${PACK}`),
        call(a, 'first page: pack', 'GET', `/api/packs/${PACK}`),
      ]);
      if (!me || !list || !pack) return;
      if (me.status !== 200 || list.status !== 200 || pack.status !== 200) return fail('first page', [me, list, pack].find((x) => x.status !== 200)?.status ?? 0);
      const created = await call(a, 'create', 'POST', '/api/submissions', { packId: PACK, formId: FORM, data: {} }, { 'idempotency-key': `morning-${username}` });
      if (!created) return;
      if (created.status !== 201 && created.status !== 200) return fail('create', created.status, created.body);
      const sub = created.body as { id: string; version: number; packVersionId: number };
      const [pv, detail] = await Promise.all([
        call(a, 'first page: pack version', 'GET', `/api/pack-versions/${sub.packVersionId}`),
        call(a, 'first page: application', 'GET', `/api/submissions/${sub.id}`),
      ]);
      if (!pv || !detail) return;
      if (pv.status !== 200 || detail.status !== 200) return fail('first page', pv.status !== 200 ? pv.status : detail.status);
      lat.add('first page (all, after sign-in)', performance.now() - tPage);
      lat.add('arrival: sign-in to first page', performance.now() - t);
      const state = { id: sub.id, version: (detail.body as { version: number }).version, data: {} as Json, submitted: false };
      acked.set(username, state);
      const submitter = i % 10 === 0;
      const step = Math.max(1, Math.ceil(parts.length / (submitter ? 3 : Math.max(3, Math.floor(RUN_S / SAVE_S) - 1))));
      let k = 0;
      const until = Date.now() + RUN_S * 1000;
      while (!deadline.stop && Date.now() < until) {
        await sleep(SAVE_S * 1000 * (0.8 + 0.4 * Math.random()));
        k++;
        const shown = Math.min(parts.length, k * step);
        const data = build(parts.slice(0, shown));
        const r = await call(a, 'save', 'PUT', `/api/submissions/${state.id}`, { data }, { 'if-match': `"${state.version}"`, prefer: 'return=minimal' });
        if (!r) {
          c.savesFailed++;
          continue;
        }
        if (r.status === 200) {
          c.savesAcknowledged++;
          state.version = (r.body as { version: number }).version;
          state.data = data;
        } else {
          c.savesFailed++;
          fail('save', r.status, r.body);
          // the version moved (it should not: one writer): take the server's and go on
          if (r.status === 412) state.version = ((r.body as { details?: { current?: number } }).details?.current ?? state.version);
        }
        if (submitter && shown === parts.length && r.status === 200) {
          const s = await call(a, 'submit', 'POST', `/api/submissions/${state.id}/submit`, {}, { 'idempotency-key': `morning-submit-${username}` });
          if (s?.status === 200) {
            c.submitted++;
            state.submitted = true;
          } else if (s) fail('submit', s.status, s.body);
          return;
        }
      }
    };

    const reviewer = async (username: string) => {
      await sleep(Math.random() * ARRIVAL_S * 1000);
      const a = new Agent(base);
      const login = await call(a, 'reviewer sign-in', 'POST', '/api/auth/login', { username, password: MORNING_PASSWORD });
      if (!login) return;
      if (login.status !== 200) return fail('reviewer sign-in', login.status, login.body);
      a.cookie = (login.headers.getSetCookie().find((x) => x.startsWith('yp_sid=')) ?? '').split(';')[0] ?? '';
      a.csrf = (login.body as { csrfToken: string }).csrfToken;
      while (!deadline.stop) {
        const q = await call(a, 'reviewer queue', 'GET', `/api/submissions?status=submitted&packId=${PACK}`);
        if (q?.status === 200) {
          for (const s of q.body as Array<{ id: string }>) {
            let r = await call(a, 'review pass', 'POST', `/api/submissions/${s.id}/review`, { action: 'pass' });
            if (r?.status === 409 && (r.body as { code?: string }).code === 'CONFIRMATION_INCOMPLETE') {
              const open = ((r.body as { details?: { open?: Array<{ field: string; item: unknown }> } }).details?.open ?? []).map((o) => ({ field: o.field, item: o.item, verdict: 'confirmed' }));
              const cf = await call(a, 'review confirm', 'POST', `/api/submissions/${s.id}/confirmations`, { items: open });
              if (cf?.status === 200 || cf?.status === 201) c.confirmed++;
              else if (cf) fail('review confirm', cf.status);
              r = await call(a, 'review pass', 'POST', `/api/submissions/${s.id}/review`, { action: 'pass' });
            }
            if (r?.status === 200) c.passed++;
            else if (r) fail('review pass', r.status, r.body);
          }
        } else if (q) fail('reviewer queue', q.status, q.body);
        await sleep(5000 * (0.8 + 0.4 * Math.random()));
      }
    };

    const reviewers = accounts.reviewers.map((r) => reviewer(r.username));
    await Promise.all(accounts.applicants.map((x, i) => applicant(i, x.username)));
    // the reviewers go on until every submission is passed (or a minute has gone by)
    for (let waited = 0; c.passed < c.submitted && waited < 60_000; waited += 500) await sleep(500);
    deadline.stop = true;
    await Promise.all(reviewers);
    const elapsed = (Date.now() - tStart) / 1000;
    const resources = sampler.stop();
    const metricsText = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text()).catch((e: unknown) => `(no metrics: ${String(e)})`);

    // every acknowledged save, read back from the database
    let lost = 0;
    let checked = 0;
    for (const [username, st] of acked) {
      const row = await storage.getSubmission(st.id, { evaluation: false });
      checked++;
      const same = row !== null && isDeepStrictEqual(row.data, st.data) && (st.submitted ? row.status !== 'draft' : row.version === st.version);
      if (!same) {
        lost++;
        if (lost <= 5) console.log(`读回不一致：${username} ${st.id} 确认版本 ${st.version}，库中 ${row?.version} ${row?.status}`);
      }
    }
    const summary = {
      when: new Date(tStart).toISOString(),
      database: POOLED ? 'PostgreSQL behind PgBouncer (transaction mode)' : 'PostgreSQL (direct)',
      applicants: APPLICANTS,
      arrivalSeconds: ARRIVAL_S,
      savingSeconds: RUN_S,
      saveEverySeconds: SAVE_S,
      elapsedSeconds: Math.round(elapsed),
      load: readFileSync('/proc/loadavg', 'utf8').trim(),
      ...c,
      readBack: { checked, lost },
      latenciesMs: lat.summary(),
      resources,
      queueMetrics: metricsText.split('\n').filter((l) => /^yuanping_(queue_outcomes|db_pool_connections)/.test(l)),
    };
    console.log(`YUANPING_MORNING ${JSON.stringify(summary, null, 2)}`);
    if (process.env.REL_MORNING_OUT) writeFileSync(process.env.REL_MORNING_OUT, JSON.stringify(summary, null, 2));

    // what must hold whatever the load: every applicant got in and was answered, every acknowledged
    // save is there as acknowledged, and no request failed other than by being told to come back (503)
    expect(acked.size).toBe(APPLICANTS);
    expect(checked).toBe(APPLICANTS);
    expect(lost).toBe(0);
    expect(c.errors).toEqual({});
    expect(c.savesAcknowledged).toBeGreaterThan(0);
    expect(c.submitted).toBe(Math.ceil(APPLICANTS / 10));
    expect(c.passed).toBe(c.submitted);
  });
});
