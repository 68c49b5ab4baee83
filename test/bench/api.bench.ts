/**
 * Bench: the API under autocannon, against a real server process (`node --import tsx
 * apps/server/src/main.ts`, what `pnpm start` runs, with `pnpm start`'s defaults unless the
 * BENCH_API_* variables below say otherwise — the output prints the settings used) on PostgreSQL
 * when DATABASE_URL is set (a fresh schema, dropped afterwards), else on PGlite in a temporary
 * directory. autocannon runs in a child process of its own, so it does not share an event loop
 * with this process (which reads the server's log output).
 *  - evaluation: POST /api/packs/:packId/evaluate, the star rule set over one application,
 *    as an applicant signed in (session + CSRF checked per request); with
 *    `Prefer: return=minimal` (each rule set's outcome and the names of failed rules: what batch
 *    clients ask for; the target is checked on this line) and with the full explanation (the
 *    default answer, ~165 KB of JSON for this rule set: shown for reference);
 *  - draft save: PUT /api/submissions/:id with If-Match (validation, evaluation, optimistic
 *    update and audit entry in one statement); a pool of drafts shared by the connections, each
 *    request taking a draft with its current version; with `Prefer: return=minimal` (id, version,
 *    status — what the web app's autosave reads), with the full answer (data + explanation), and
 *    with return=minimal on the small test form (3 fields).
 * For every run it prints the CPU time per request of the server process(es), of the PostgreSQL
 * backends serving it, and of autocannon — on a shared 2-core machine these move less than the
 * requests per second do — and the load average before and after.
 * Env: BENCH_API_SECONDS (default 10 per run), BENCH_API_CONNECTIONS (default 16),
 * BENCH_API_WORKERS (the server's YUANPING_WORKERS; default: unset, as `pnpm start`),
 * BENCH_API_LOG_LEVEL (the server's YUANPING_LOG_LEVEL; default: unset = info, as `pnpm start`:
 * a line per refused, failed or slow request, none for a successful one; `debug`: a line per
 * request, the default before 2026-12-08), BENCH_API_ONLY (`evaluate` or `save`: only those lines),
 * BENCH_API_NODE_ARGS (node options of the server process, e.g. `--cpu-prof --cpu-prof-dir=DIR`).
 * Figures are printed, never asserted.
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { openPg } from '@yuanping/storage';
import { HttpClient, PG_URL, REPO, pgDatabase, pgliteDatabase, startServer } from '../reliability/server-process.js';
import { publishTestPack, TEST_PACK_ID, VALID_DATA } from '../reliability/helpers.js';

const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_API_CONNECTIONS ?? 16);
const WORKERS = process.env.BENCH_API_WORKERS || undefined;
const LOG_LEVEL = process.env.BENCH_API_LOG_LEVEL || undefined;
/** Extra node options of the server process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (a profile of the run, written when the server exits). */
const NODE_ARGS = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** `evaluate` or `save`: run only those lines (default: all). */
const ONLY = process.env.BENCH_API_ONLY || undefined;
const PACK = 'zj-2021-evaluation-star';
const FORM = 'star-application';
const RULESET = 'star-rating';

/** What the autocannon child runs: one fixed request, or draft saves over a pool of drafts. */
type LoadSpec =
  | { kind: 'fixed'; url: string; method: string; headers: Record<string, string>; body: string; connections: number; duration: number }
  | { kind: 'saves'; base: string; headers: Record<string, string>; body: string; pool: Array<{ id: string; version: number }>; connections: number; duration: number };

interface LoadResult {
  result: Result;
  cpuMs: number;
}

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const t0 = process.cpuUsage();
  let result: Result;
  if (spec.kind === 'fixed') {
    result = await autocannon({ url: spec.url, method: spec.method, headers: spec.headers, body: spec.body, connections: spec.connections, duration: spec.duration });
  } else {
    const pool = [...spec.pool];
    result = await autocannon({
      url: spec.base,
      connections: spec.connections,
      duration: spec.duration,
      requests: [
        {
          method: 'PUT',
          setupRequest: (req, context) => {
            const d = pool.shift() as { id: string; version: number };
            context.draft = d;
            return { ...req, method: 'PUT', path: `/api/submissions/${d.id}`, headers: { ...spec.headers, 'if-match': `"${d.version}"` }, body: spec.body };
          },
          onResponse: (status, _body, context, headers) => {
            const d = context.draft as { id: string; version: number };
            const etag = /"(\d+)"/.exec(headers.etag ?? '');
            pool.push({ id: d.id, version: status === 200 && etag ? Number(etag[1]) : d.version });
          },
        },
      ],
    });
  }
  const cpu = process.cpuUsage(t0);
  return { result, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Runs the load in a child process (its own event loop and CPU accounting). */
function loadInChild(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_API_LOAD: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let got: LoadResult | null = null;
    child.once('message', (m) => {
      got = m as LoadResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => (got ? resolve(got) : reject(new Error(`autocannon process exited with ${code}`))));
    child.send(spec);
  });
}

// ---- CPU time of processes (Linux /proc), in ms ----
const TICK_MS = 10; // USER_HZ is 100 on Linux
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}
/** The server process and its children (cluster workers). */
function serverPids(pid: number): number[] {
  const out = [pid];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

interface Meter {
  start(): Promise<void>;
  /** CPU ms since start: server, PostgreSQL backends of this server (null on PGlite). */
  stop(): Promise<{ server: number; db: number | null }>;
}
function meter(serverPid: number, appName: string | null): Meter {
  let s0 = new Map<number, number>();
  let d0 = new Map<number, number>();
  const backends = async (): Promise<number[]> => {
    if (!appName || !PG_URL) return [];
    const c = await openPg({ connectionString: PG_URL, max: 1, applicationName: 'yp_bench_meter' });
    try {
      return (await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [appName])).map((r) => r.pid);
    } finally {
      await c.close();
    }
  };
  const snap = (pids: number[]) => new Map(pids.map((p) => [p, cpuMsOf(p)]));
  const delta = (before: Map<number, number>, after: Map<number, number>) => {
    let t = 0;
    for (const [p, v] of after) t += v - (before.get(p) ?? 0);
    return t;
  };
  return {
    async start() {
      s0 = snap(serverPids(serverPid));
      d0 = snap(await backends());
    },
    async stop() {
      const s1 = snap(serverPids(serverPid));
      const d1 = snap(await backends());
      return { server: delta(s0, s1), db: appName && PG_URL ? delta(d0, d1) : null };
    },
  };
}

interface Row {
  name: string;
  r: Result;
  cpu: { server: number; db: number | null; load: number };
  target: { rps: number; p99: number } | null;
  loadBefore: number[];
  loadAfter: number[];
}

function fmtUs(ms: number, n: number): string {
  return n > 0 ? `${Math.round((ms * 1000) / n).toLocaleString('en-US')} µs` : '—';
}

function line(row: Row): void {
  const { r } = row;
  const rps = r.requests.average;
  const errors = r.errors + r.timeouts + r.non2xx;
  const n = r['2xx'] + r.non2xx;
  const verdict = row.target
    ? `目标 ≥ ${row.target.rps.toLocaleString('en-US')} 次/秒、p99 < ${row.target.p99} ms：${rps >= row.target.rps && r.latency.p99 < row.target.p99 && errors === 0 ? '达到' : '未达到'}`
    : '（参考，不对照目标）';
  console.log(
    `  ${row.name.padEnd(24)} ${Math.round(rps).toLocaleString('en-US').padStart(7)} 次/秒  p50 ${String(r.latency.p50).padStart(3)} ms  p99 ${String(r.latency.p99).padStart(3)} ms  ` +
      `2xx ${r['2xx']}  错误 ${errors}（非 2xx ${r.non2xx}，超时 ${r.timeouts}）  ${verdict}`,
  );
  console.log(
    `  ${''.padEnd(24)} 每请求 CPU：服务器 ${fmtUs(row.cpu.server, n)}，PostgreSQL ${row.cpu.db === null ? '—（PGlite 在服务器进程内）' : fmtUs(row.cpu.db, n)}，autocannon ${fmtUs(row.cpu.load, n)}；` +
      `负载 ${row.loadBefore.map((x) => x.toFixed(2)).join(' ')} → ${row.loadAfter.map((x) => x.toFixed(2)).join(' ')}`,
  );
}

export async function benchApi(): Promise<void> {
  const db = PG_URL ? pgDatabase(PG_URL) : pgliteDatabase();
  const appName = PG_URL ? `yp_bench_${process.pid}` : null;
  const env: Record<string, string> = {
    ...(appName ? { PGAPPNAME: appName } : {}),
    ...(WORKERS ? { YUANPING_WORKERS: WORKERS } : {}),
    ...(LOG_LEVEL ? { YUANPING_LOG_LEVEL: LOG_LEVEL } : {}),
  };
  console.log(`数据库：${db.label}${PG_URL ? '' : '（未设置 DATABASE_URL，用 PGlite；PostgreSQL 的数字请设置 DATABASE_URL 后再运行）'}`);
  console.log(
    `服务器：node --import tsx apps/server/src/main.ts（pnpm start 所运行的），YUANPING_WORKERS=${WORKERS ?? '未设置（1 个进程）'}，` +
      `YUANPING_LOG_LEVEL=${LOG_LEVEL ?? '未设置（info：成功的请求不写日志，≥ 400 与慢请求各一行）'}，其余为 pnpm start 的默认值（演示模式）`,
  );
  console.log(`autocannon（独立子进程）${CONNECTIONS} 个连接，每项 ${SECONDS} 秒；负载 ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const server = await startServer(db, env, NODE_ARGS.length > 0 ? { nodeArgs: NODE_ARGS } : {});
  const m = meter(server.pid, appName);
  const rows: Row[] = [];
  const measure = async (name: string, spec: LoadSpec, target: Row['target']) => {
    const loadBefore = loadavg();
    await m.start();
    const { result, cpuMs } = await loadInChild(spec);
    const cpu = await m.stop();
    rows.push({ name, r: result, cpu: { ...cpu, load: cpuMs }, target, loadBefore, loadAfter: loadavg() });
  };
  try {
    const fixture = JSON.parse(readFileSync(join(REPO, 'rules', PACK, 'fixtures', '14-m4-at-boundaries.json'), 'utf8')) as { input: Record<string, unknown> };
    const applicant = await HttpClient.login(server.base, 'applicant-hz');

    // evaluation
    const evalBody = JSON.stringify({ ruleSetId: RULESET, formId: FORM, data: fixture.input });
    const probe = await applicant.post(`/api/packs/${PACK}/evaluate`, evalBody);
    if (probe.status !== 200) throw new Error(`evaluate: ${probe.status} ${JSON.stringify(probe.body)}`);
    const probeMin = await applicant.post(`/api/packs/${PACK}/evaluate`, evalBody, { prefer: 'return=minimal' });
    const fullText = JSON.stringify(probe.body);
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 500) {
      JSON.stringify(probe.body);
      n++;
    }
    console.log(
      `  评价响应：完整解释 ${Buffer.byteLength(fullText).toLocaleString('en-US')} 字节，return=minimal ${Buffer.byteLength(JSON.stringify(probeMin.body)).toLocaleString('en-US')} 字节；` +
        `完整解释 JSON.stringify 一次 ${((500 / n) * 1000).toFixed(0)} µs（本进程测得）`,
    );
    const evalSpec = (minimal: boolean, duration: number): LoadSpec => ({
      kind: 'fixed',
      url: `${server.base}/api/packs/${PACK}/evaluate`,
      method: 'POST',
      headers: applicant.headers(minimal ? { prefer: 'return=minimal' } : {}),
      body: evalBody,
      connections: CONNECTIONS,
      duration,
    });
    if (ONLY !== 'save') {
      await loadInChild(evalSpec(true, 2)); // warm-up
      await measure('即时评价（return=minimal）', evalSpec(true, SECONDS), { rps: 5000, p99: 20 });
      await measure('即时评价（完整解释）', evalSpec(false, SECONDS), null);
    }

    // draft saves: a pool of drafts, each request takes one with its current version and gives it back
    const draftPool = async (packId: string, formId: string, data: unknown) => {
      const ids: string[] = [];
      for (let i = 0; i < CONNECTIONS * 2; i++) {
        const r = await applicant.post('/api/submissions', { packId, formId, data });
        if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
        ids.push((r.body as { id: string }).id);
      }
      return ids;
    };
    const saveSpec = async (ids: string[], data: unknown, minimal: boolean, duration: number): Promise<LoadSpec> => {
      // requests cut off at the end of a run never report back, and may still commit after it:
      // let them finish, then take the versions afresh (a stale version would 412 every time)
      await new Promise((r) => setTimeout(r, 2000));
      const pool: Array<{ id: string; version: number }> = [];
      for (const id of ids) {
        const r = await applicant.get(`/api/submissions/${id}`);
        pool.push({ id, version: (r.body as { version: number }).version });
      }
      return { kind: 'saves', base: server.base, headers: applicant.headers(minimal ? { prefer: 'return=minimal' } : {}), body: JSON.stringify({ data }), pool, connections: CONNECTIONS, duration };
    };
    if (ONLY !== 'evaluate') {
      const starDrafts = await draftPool(PACK, FORM, fixture.input);
      await loadInChild(await saveSpec(starDrafts, fixture.input, true, 2)); // warm-up
      await measure('保存草稿（return=minimal）', await saveSpec(starDrafts, fixture.input, true, SECONDS), { rps: 2000, p99: 30 });
      await measure('保存草稿（完整响应）', await saveSpec(starDrafts, fixture.input, false, SECONDS), null);
      // the same route on a small form (3 fields, 2 small rule sets)
      await publishTestPack(server.base);
      const smallDrafts = await draftPool(TEST_PACK_ID, 'app', VALID_DATA);
      await measure('保存草稿（小表单，minimal）', await saveSpec(smallDrafts, VALID_DATA, true, SECONDS), { rps: 2000, p99: 30 });
    }

    for (const row of rows) line(row);
    console.log(`  负载（结束时）${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    // with node options (a profile), a clean stop so that node writes what they asked for
    await server.kill(NODE_ARGS.length > 0 ? 'SIGTERM' : 'SIGKILL');
    await db.dispose();
  }
}

if (process.env.BENCH_API_LOAD === '1' && process.send) {
  // the autocannon child: one load spec in, one result out
  process.once('message', (spec) => {
    void runLoad(spec as LoadSpec).then((r) => {
      process.send?.(r, () => process.exit(0));
    });
  });
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await benchApi();
}
