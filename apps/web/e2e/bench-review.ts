/**
 * The review page's figures (issue 16), in headless Chromium, for `pnpm bench`: a county
 * reviewer on a submitted application (bench-review.subject.json: the star application, from a fixture), the
 * page as it is and as it was before it was made lighter (`?compare=before`: one request after
 * another, and a review action that answers the full evaluation and then reads the submission
 * again), measured alternately in the same run. Figures are printed, never asserted.
 *
 * - **interactive**: from the navigation's start (`performance.timeOrigin`) to the first frame in
 *   which the pass button is in the DOM and enabled and the evaluation panel is shown (the star
 *   application's rules give levels, not a score: it has no scorecard; the page renders the
 *   scorecard, when there is one, in the same frame as the rest). A new browser
 *   context each visit (signed in; empty HTTP cache).
 * - **pass round trip**: from the pass button's click event (its timeStamp) to the first frame in
 *   which the status tag shows 县级审核通过.
 *
 * Each run uses a new submitted application (the county has confirmed the applicant's ticks
 * through the API first). BENCH_REVIEW_RUNS (default 5) runs of each.
 *
 *   tsx apps/web/e2e/bench-review.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, shot, signIn, type Browser, type Page } from './browser.js';
import { buildWebInto, call, load, ROOT, startServer, uptime } from './served.js';

const DIST = mkdtempSync(join(tmpdir(), 'yuanping-bench-review-'));
const RUNS = Math.max(1, Number(process.env.BENCH_REVIEW_RUNS ?? 5));
const SUBJECT = JSON.parse(readFileSync(join(import.meta.dirname, 'bench-review.subject.json'), 'utf8')) as { pack: string; form: string; fixture: string; parkIdAt: [string, string]; set: Array<[[string, string], unknown]> };
const PACK = SUBJECT.pack;
const VIEWPORT = { width: 1440, height: 900 };
const PASSED = '县级审核通过';
type State = Awaited<ReturnType<Awaited<ReturnType<Browser['newContext']>>['storageState']>>;

/** Installed before any page script: the frame the page becomes interactive in, and the pass's round trip. */
function probe(passed: string): void {
  const w = window as unknown as { ypr: { interactive?: number; clickAt?: number; shown?: number } };
  const r: { interactive?: number; clickAt?: number; shown?: number } = {};
  w.ypr = r;
  const ready = () => {
    const b = document.querySelector<HTMLButtonElement>('[data-action="pass"]');
    return !!b && !b.disabled && !!document.querySelector('.yp-evaluation');
  };
  const status = () => document.querySelector('[data-testid="status"]')?.textContent ?? '';
  const tick = () => {
    if (r.interactive === undefined && ready()) r.interactive = performance.now();
    if (r.clickAt !== undefined && r.shown === undefined && status().includes(passed)) r.shown = performance.now();
    if (r.interactive === undefined || r.shown === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  document.addEventListener(
    'click',
    (e) => {
      if (r.clickAt === undefined && (e.target as Element | null)?.closest?.('[data-action="pass"]')) r.clickAt = e.timeStamp;
    },
    true,
  );
}
const PROBE = { content: `window.__name = (f) => f;(${probe.toString()})(${JSON.stringify(PASSED)});` };

/** A submitted star application of applicant-hz, its ticks confirmed by the county. */
async function submitted(applicant: Page, county: Page, input: Record<string, Record<string, unknown>>, n: number): Promise<string> {
  const c = await call<{ id?: string; message?: string }>(applicant, 'POST', '/api/submissions', { packId: PACK, formId: SUBJECT.form, data: input });
  if (!c.body.id) throw new Error(`申请未能创建：${c.status} ${c.body.message ?? ''}`);
  const s = await call<{ message?: string }>(applicant, 'POST', `/api/submissions/${c.body.id}/submit`, {}, { 'idempotency-key': `bench-review-${n}-${c.body.id}` });
  if (s.status !== 200) throw new Error(`申请未能提交：${s.status} ${s.body.message ?? ''}`);
  const st = await call<{ fields: Array<{ field: string; items: Array<{ item: unknown }> }> }>(county, 'GET', `/api/submissions/${c.body.id}/confirmations`);
  const items = st.body.fields.flatMap((f) => f.items.map((i) => ({ field: f.field, item: i.item, verdict: 'confirmed' })));
  if (items.length) {
    const k = await call(county, 'POST', `/api/submissions/${c.body.id}/confirmations`, { items });
    if (k.status !== 201) throw new Error(`县级确认未成功：${k.status}`);
  }
  return c.body.id;
}

/** One visit to the review page (a new context) and a pass. */
type Traffic = { requests: number; bytes: number };
type Run = { interactive: number; pass: number; load: Traffic; action: Traffic };

async function visit(browser: Browser, base: string, state: State, id: string, before: boolean): Promise<Run> {
  const ctx = await browser.newContext({ viewport: VIEWPORT, storageState: state });
  await ctx.addInitScript(PROBE);
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`页面错误：${e.message}`));
  await page.goto(`${base}/review/${id}${before ? '?compare=before' : ''}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { ypr: { interactive?: number } }).ypr.interactive !== undefined, undefined, { timeout: 120_000 }).catch(async (e: Error) => {
    throw new Error(`审核页未能就绪：${e.message.split('\n')[0]}；${problems.join('；') || '无页面错误'}；截图 ${await shot(page, 'bench-review-not-ready')}`);
  });
  await page.locator('[data-action="pass"]').click();
  await page.waitForFunction(() => (window as unknown as { ypr: { shown?: number } }).ypr.shown !== undefined, undefined, { timeout: 120_000 });
  const r = await page.evaluate(() => {
    const ypr = (window as unknown as { ypr: { interactive: number; clickAt: number; shown: number } }).ypr;
    // the API requests the page made before it was interactive, and between the click and the new status (bytes as sent)
    const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => new URL(e.name).pathname.startsWith('/api/'));
    const part = (from: number, to: number) => {
      const es = api.filter((e) => e.startTime >= from && e.startTime <= to);
      return { requests: es.length, bytes: es.reduce((a, e) => a + e.encodedBodySize, 0) };
    };
    return { ...ypr, load: part(0, ypr.interactive), action: part(ypr.clickAt, ypr.shown) };
  });
  await ctx.close();
  return { interactive: r.interactive, pass: r.shown - r.clickAt, load: r.load, action: r.action };
}

const fig = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: Math.round(s[Math.floor((s.length - 1) / 2)] as number), min: Math.round(s[0] as number), max: Math.round(s[s.length - 1] as number), runs: xs.map(Math.round) };
};
const line = (f: ReturnType<typeof fig>) => `中位数 ${f.median} ms（${f.min}–${f.max}；各次 ${f.runs.join(' ')}）`;

buildWebInto(DIST);
const startUptime = uptime();
console.log(`审核页（无头 Chromium，县级审核人，${PACK} · ${SUBJECT.form}，现在与改前各 ${RUNS} 次，交替进行）`);
console.log(`  开始时 uptime：${startUptime}`);
const server = await startServer(DIST);
const browser = await launch();
try {
  const actx = await browser.newContext({ viewport: VIEWPORT });
  const applicant = await actx.newPage();
  await signIn(applicant, server.url, 'applicant-hz');
  const cctx = await browser.newContext({ viewport: VIEWPORT });
  const county = await cctx.newPage();
  await signIn(county, server.url, 'county-xihu');
  if ((await call(county, 'GET', `/api/packs/${PACK}`)).status !== 200) throw new Error(`${PACK} 未发布`);
  const fixture = JSON.parse(readFileSync(join(ROOT, SUBJECT.fixture), 'utf8')) as { input: Record<string, Record<string, unknown>> };
  const me = await call<{ user: { parkId: string } }>(applicant, 'GET', '/api/auth/me');
  const code = (await call<{ creditCode: string }>(applicant, 'GET', `/api/parks/${me.body.user.parkId}`)).body.creditCode;
  const input = structuredClone(fixture.input);
  for (const [[group, key], value] of [[SUBJECT.parkIdAt, code] as [[string, string], unknown], ...SUBJECT.set]) input[group] = { ...input[group], [key]: value };
  const state = await cctx.storageState();
  const ids: string[] = [];
  for (let i = 0; i < 2 * RUNS + 2; i++) ids.push(await submitted(applicant, county, input, i));
  // one of each first, not counted: the server's and the browser's first time through
  await visit(browser, server.url, state, ids.pop() as string, true);
  await visit(browser, server.url, state, ids.pop() as string, false);
  const now: Run[] = [];
  const before: Run[] = [];
  const loads: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    before.push(await visit(browser, server.url, state, ids.pop() as string, true));
    now.push(await visit(browser, server.url, state, ids.pop() as string, false));
    loads.push(load().split(' ')[0] as string);
  }
  const ni = fig(now.map((r) => r.interactive));
  const bi = fig(before.map((r) => r.interactive));
  const np = fig(now.map((r) => r.pass));
  const bp = fig(before.map((r) => r.pass));
  console.log(`  每轮后 1 分钟平均负载：${loads.join(' ')}`);
  console.log(`\n  审核页可交互（导航开始 → “审核通过”按钮可用且评价结果显示）：`);
  console.log(`    现在：${line(ni)}`);
  console.log(`    改前：${line(bi)}`);
  console.log(`    改前 / 现在（中位数）：${(bi.median / ni.median).toFixed(2)}`);
  console.log(`\n  审核通过往返（点击 → 页面显示“${PASSED}”）：`);
  console.log(`    现在：${line(np)}`);
  console.log(`    改前：${line(bp)}`);
  console.log(`    改前 / 现在（中位数）：${(bp.median / np.median).toFixed(2)}`);
  const kb = (t: Traffic) => `${t.requests} 个 API 请求，${(t.bytes / 1024).toFixed(1)} KB`;
  console.log(`\n  API 流量（末次运行；字节为传输大小）：`);
  console.log(`    可交互前：现在 ${kb((now.at(-1) as Run).load)}；改前 ${kb((before.at(-1) as Run).load)}`);
  console.log(`    审核通过：现在 ${kb((now.at(-1) as Run).action)}；改前 ${kb((before.at(-1) as Run).action)}`);
} finally {
  await browser.close();
  server.child.kill();
  rmSync(DIST, { recursive: true, force: true });
}
console.log(`\n  结束时 uptime：${uptime()}`);
