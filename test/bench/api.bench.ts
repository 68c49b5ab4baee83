/**
 * Bench: the API under autocannon, against a real server process (`node --import tsx
 * apps/server/src/main.ts`, what `pnpm start` runs) on PostgreSQL when DATABASE_URL is set
 * (a fresh schema, dropped afterwards), else on PGlite in a temporary directory.
 *  - evaluation: POST /api/packs/:packId/evaluate, the star rule set over one application,
 *    as an applicant signed in (session + CSRF checked per request); once with the full
 *    explanation (the default: ~165 KB of JSON for this rule set) and once with
 *    `Prefer: return=minimal` (the outcome and the names of failed rules only);
 *  - draft save: PUT /api/submissions/:id with If-Match (validation, evaluation, optimistic
 *    update and audit entry in one transaction); each connection writes its own drafts; once with
 *    the full response (data + explanation, as before) and once with `Prefer: return=minimal`
 *    (only id, version, status — what the web app's autosave reads).
 * Env: BENCH_API_SECONDS (default 10 per run), BENCH_API_CONNECTIONS (default 16).
 * Figures are printed, never asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import autocannon, { type Result } from 'autocannon';
import { HttpClient, PG_URL, REPO, pgDatabase, pgliteDatabase, startServer } from '../reliability/server-process.js';
import { publishTestPack, TEST_PACK_ID, VALID_DATA } from '../reliability/helpers.js';

const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_API_CONNECTIONS ?? 16);
const PACK = 'zj-2021-evaluation-star';
const FORM = 'star-application';
const RULESET = 'star-rating';

function line(name: string, r: Result, target: { rps: number; p99: number }): void {
  const rps = r.requests.average;
  const ok = r['2xx'];
  const errors = r.errors + r.timeouts + r.non2xx;
  const met = rps >= target.rps && r.latency.p99 < target.p99 && errors === 0;
  console.log(
    `  ${name.padEnd(26)} ${Math.round(rps).toLocaleString('en-US').padStart(7)} 次/秒  p50 ${String(r.latency.p50).padStart(3)} ms  p99 ${String(r.latency.p99).padStart(3)} ms  ` +
      `2xx ${ok}  错误 ${errors}（非 2xx ${r.non2xx}，超时 ${r.timeouts}）  目标 ≥ ${target.rps.toLocaleString('en-US')} 次/秒、p99 < ${target.p99} ms：${met ? '达到' : '未达到'}`,
  );
}

export async function benchApi(): Promise<void> {
  const db = PG_URL ? pgDatabase(PG_URL) : pgliteDatabase();
  console.log(`数据库：${db.label}${PG_URL ? '' : '（未设置 DATABASE_URL，用 PGlite；PostgreSQL 的数字请设置 DATABASE_URL 后再运行）'}`);
  console.log(`autocannon ${CONNECTIONS} 个连接，每项 ${SECONDS} 秒；负载 ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const server = await startServer(db);
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
    const evalOpts = { url: `${server.base}/api/packs/${PACK}/evaluate`, method: 'POST', headers: applicant.headers(), body: evalBody, connections: CONNECTIONS };
    await autocannon({ ...evalOpts, duration: 2 }); // warm-up
    const ev = await autocannon({ ...evalOpts, duration: SECONDS });
    const evMin = await autocannon({ ...evalOpts, headers: applicant.headers({ prefer: 'return=minimal' }), duration: SECONDS });

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
    const saveHeaders = applicant.headers();
    const saves = async (ids: string[], data: unknown, minimal: boolean, seconds: number) => {
      // requests cut off at the end of a run never report back, and may still commit after it:
      // let them finish, then take the versions afresh (a stale version would 412 every time)
      await new Promise((r) => setTimeout(r, 2000));
      const pool: Array<{ id: string; version: number }> = [];
      for (const id of ids) {
        const r = await applicant.get(`/api/submissions/${id}`);
        pool.push({ id, version: (r.body as { version: number }).version });
      }
      const body = JSON.stringify({ data });
      return autocannon({
        url: server.base,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'PUT',
            setupRequest: (req, context) => {
              const d = pool.shift() as { id: string; version: number };
              context.draft = d;
              const headers = { ...saveHeaders, ...(minimal ? { prefer: 'return=minimal' } : {}), 'if-match': `"${d.version}"` };
              return { ...req, method: 'PUT', path: `/api/submissions/${d.id}`, headers, body };
            },
            onResponse: (status, _body, context, headers) => {
              const d = context.draft as { id: string; version: number };
              const etag = /"(\d+)"/.exec(headers.etag ?? '');
              pool.push({ id: d.id, version: status === 200 && etag ? Number(etag[1]) : d.version });
            },
          },
        ],
      });
    };
    const starDrafts = await draftPool(PACK, FORM, fixture.input);
    await saves(starDrafts, fixture.input, false, 2); // warm-up
    const sv = await saves(starDrafts, fixture.input, false, SECONDS);
    const svMin = await saves(starDrafts, fixture.input, true, SECONDS);
    // the same route on a small form (3 fields, 2 small rule sets): what the server costs without
    // the star form's ~170 KB evaluation stored with every save
    await publishTestPack(server.base);
    const smallDrafts = await draftPool(TEST_PACK_ID, 'app', VALID_DATA);
    const svSmall = await saves(smallDrafts, VALID_DATA, true, SECONDS);

    line('即时评价（完整解释）', ev, { rps: 5000, p99: 20 });
    line('即时评价（return=minimal）', evMin, { rps: 5000, p99: 20 });
    line('保存草稿（If-Match）', sv, { rps: 2000, p99: 30 });
    line('保存草稿（return=minimal）', svMin, { rps: 2000, p99: 30 });
    line('保存草稿（小表单，minimal）', svSmall, { rps: 2000, p99: 30 });
    console.log(`  负载（结束时）${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    await server.kill();
    await db.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchApi();
}
