/**
 * The web app's performance figures (issue 5), in headless Chromium, for `pnpm bench:web`
 * and `pnpm bench`. Figures are measured and printed, never asserted.
 *
 * What is measured, exactly (all times on the page's own clock, `performance.now()`):
 *
 * The subject (bench.subject.json): an application form of a published pack, as a draft made
 * from a fixture of its rule set, and a number field of it that moves criteria.
 *
 * - **JS before the form shows**: every script the browser fetched on a cold visit to the
 *   application until its first editable field was in the DOM, gzipped here from apps/web/dist
 *   (what a gzip-serving server would send).
 * - **star form interactive**: from the navigation's start (`performance.timeOrigin`: the HTML
 *   request included) to the first frame (requestAnimationFrame) in which a character, typed into
 *   the form's first editable field the moment that field appears in the DOM, shows as the
 *   field's value with React's update done. The keystroke is an `input` event (what React's
 *   onChange listens to) dispatched by a task queued when the field appears, so it waits for
 *   whatever the page is busy with then, as a person's would (see `probe`). `shown`: the field
 *   appears; `real key`: the same with a real keystroke sent by the automation once it has seen
 *   the field (its round trips to the driver included — on a loaded machine hundreds of ms). Cold:
 *   a new browser profile each run (empty HTTP and code cache); warm: the same profile, a new
 *   page load after a first visit. Median (and min/max) of several runs.
 * - **live evaluation**: real keystrokes into the subject's number field, typing its values
 *   (each digit a keystroke) so that criteria of the outcome move. For each
 *   keystroke: from its `input` event (timeStamp) to the moment the evaluation panel's DOM holds
 *   its final content for that keystroke (MutationObserver; the panel's text once it has
 *   settled), and to the first animation frame that starts with that content (`frame`: the
 *   frame that paints it). p50 / p95 / max.
 * - **1,200-row table**: the county's 演示汇总表 with 1,200 pasted rows; per typed character,
 *   from the keydown event to the first frame whose DOM shows the character in the cell editor;
 *   per Enter, to the first frame whose cell shows the committed value. p50 / p95 / max.
 *
 * - **first visit's transferred bytes**: the sign-in page, and the applicant's home signed in, each
 *   in a new browser context (empty cache) until the network is idle: compressed bodies plus headers
 *   as received (CDP, apps/web/e2e/transfer.ts — the same code headers.e2e asserts the budget with).
 *
 * Builds the web app into a temporary directory and serves that build; BENCH_WEB_RUNS (default 7) runs
 * each for the cold and warm figures; BENCH_WEB_KEYS (default 60) keystrokes for the live
 * evaluation; `--json` also prints the figures as JSON; `--trace` prints a cold visit's
 * requests and long tasks.
 *
 *   pnpm bench:web
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launch, signIn, type Browser, type Page } from './browser.js';
import { buildWebInto, call, ROOT, startServer, uptime } from './served.js';
import { describeTransfer, firstVisit, FIRST_VISIT_BUDGET_KB } from './transfer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// its own build of the web app: apps/web/dist may be rebuilt (emptied first) by another run meanwhile
const DIST = mkdtempSync(join(tmpdir(), 'yuanping-bench-web-'));
const RUNS = Math.max(1, Number(process.env.BENCH_WEB_RUNS ?? 7));
const KEYS = Math.max(4, Number(process.env.BENCH_WEB_KEYS ?? 60));
const JSON_OUT = process.argv.includes('--json');
const TRACE = process.argv.includes('--trace');
const SUBJECT = JSON.parse(readFileSync(join(HERE, 'bench.subject.json'), 'utf8')) as { pack: string; form: string; draftFixture: string; field: string; values: string[] };
const VIEWPORT = { width: 1400, height: 1000 };

// tsx (esbuild) names functions with a `__name` helper that does not exist in the page
const NAME_HELPER = { content: 'window.__name = (f) => f;' };
const PROBE = { content: `window.__name = (f) => f;(${probe.toString()})();` };

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) => {
  const s = sorted(xs);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number) : NaN;
};
const median = (xs: number[]) => pct(xs, 50);
const r1 = (x: number) => Math.round(x * 10) / 10;
const stats = (xs: number[]) => ({ n: xs.length, p50: r1(pct(xs, 50)), p95: r1(pct(xs, 95)), max: r1(Math.max(...xs)) });
/**
 * Installed before any page script. When the form's first editable field appears (`shown`), a
 * keystroke is typed into it by a task queued at that moment — it waits for whatever the page
 * is doing then, as a person's keystroke would (input is handled before queued tasks, so this is
 * if anything late) — through the `input` event React listens to; `interactive` is the first
 * frame in which the typed character shows in the field, React's update done. Then a real
 * keystroke from the automation (through the browser's input pipeline, round trips to the
 * driver included) is timed the same way: `real`.
 */
function probe(): void {
  const w = window as unknown as { yp: Record<string, unknown> };
  const yp: { shown?: number; interactive?: number; realTypedAt?: number; real?: number; longTasks: Array<[number, number]> } = { longTasks: [] };
  w.yp = yp as unknown as Record<string, unknown>;
  const SEL = '.yp-form input:not([type="file"]):not([readonly]):not([disabled]), .yp-form textarea:not([readonly]):not([disabled])';
  const echo = (el: HTMLInputElement, ch: string, done: (t: number) => void) => {
    const check = () => {
      if (el.isConnected && el.value.includes(ch)) done(performance.now());
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  };
  const mo = new MutationObserver(() => {
    const el = document.querySelector(SEL) as HTMLInputElement | null;
    if (yp.shown !== undefined || !el) return;
    yp.shown = performance.now();
    mo.disconnect();
    setTimeout(() => {
      el.focus();
      const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, `${el.value}甲`);
      el.dispatchEvent(new InputEvent('input', { bubbles: true, data: '甲', inputType: 'insertText' }));
      echo(el, '甲', (t) => (yp.interactive = t));
    }, 0);
  });
  document.addEventListener('DOMContentLoaded', () => mo.observe(document.body, { childList: true, subtree: true }));
  try {
    new PerformanceObserver((l) => l.getEntries().forEach((e) => yp.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]))).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no long task timing */
  }
  document.addEventListener(
    'input',
    (e) => {
      const el = e.target as HTMLInputElement;
      if (!e.isTrusted || yp.realTypedAt !== undefined || !el.closest?.('.yp-form')) return;
      yp.realTypedAt = e.timeStamp;
      echo(el, '园', (t) => (yp.real = t));
    },
    true,
  );
}

interface Visit {
  /** antd <style> elements made at run time (the rest come from the extracted CSS file) */
  antdStyles: number;
  shownMs: number;
  interactiveMs: number;
  realMs: number;
  realTypedMs: number;
  scripts: string[];
  longTasks: Array<[number, number]>;
  requests: Array<{ name: string; start: number; end: number; size: number }>;
}

/** One visit to `url` in `page`: until both keystrokes show in the form's first editable field. */
async function visit(page: Page, url: string): Promise<Visit> {
  const scripts: string[] = [];
  const onResp = (r: { request(): { resourceType(): string }; url(): string }) => {
    if (r.request().resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  };
  page.on('response', onResp);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`页面错误：${e.message}`));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`${r.status()} ${new URL(r.url()).pathname}`)));
  await page.goto(url, { waitUntil: 'commit' });
  const field = page.locator('.yp-form input:not([type="file"]):not([readonly]):not([disabled]), .yp-form textarea:not([readonly]):not([disabled])').first();
  await field.waitFor({ state: 'attached', timeout: 60_000 }).catch((e: Error) => {
    throw new Error(`表单未出现：${e.message.split('\n')[0]}；${problems.join('；') || '无页面错误'}`);
  });
  await field.focus();
  await page.keyboard.insertText('园');
  await page.waitForFunction(() => {
    const yp = (window as unknown as { yp: { interactive?: number; real?: number } }).yp;
    return yp.interactive !== undefined && yp.real !== undefined;
  }, undefined, { timeout: 30_000 });
  const r = await page.evaluate(() => {
    const yp = (window as unknown as { yp: { shown: number; interactive: number; realTypedAt: number; real: number; longTasks: Array<[number, number]> } }).yp;
    const requests = performance.getEntriesByType('resource').map((e) => {
      const t = e as PerformanceResourceTiming;
      return { name: new URL(t.name).pathname, start: Math.round(t.startTime), end: Math.round(t.responseEnd), size: t.encodedBodySize };
    });
    return { antdStyles: document.querySelectorAll('style[data-css-hash]').length, shownMs: yp.shown, interactiveMs: yp.interactive, realTypedMs: yp.realTypedAt, realMs: yp.real, longTasks: yp.longTasks, requests };
  });
  page.off('response', onResp);
  // scripts before the form showed: those whose responses ended before it
  const before = new Set(r.requests.filter((q) => q.end <= r.shownMs).map((q) => q.name));
  return { ...r, scripts: scripts.filter((s) => before.has(s)) };
}

async function starForm(browser: Browser, base: string, state: Awaited<ReturnType<Awaited<ReturnType<Browser['newContext']>>['storageState']>>, id: string) {
  const url = `${base}/submissions/${id}`;
  const cold: Visit[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ viewport: VIEWPORT, storageState: state });
    await ctx.addInitScript(PROBE);
    const page = await ctx.newPage();
    cold.push(await visit(page, url));
    await ctx.close();
  }
  const warm: Visit[] = [];
  const ctx = await browser.newContext({ viewport: VIEWPORT, storageState: state });
  await ctx.addInitScript(PROBE);
  const page = await ctx.newPage();
  await visit(page, url);
  for (let i = 0; i < RUNS; i++) warm.push(await visit(page, url));
  await ctx.close();
  return { cold, warm };
}

async function liveEvaluation(browser: Browser, base: string, state: Awaited<ReturnType<Awaited<ReturnType<Browser['newContext']>>['storageState']>>, id: string) {
  const ctx = await browser.newContext({ viewport: VIEWPORT, storageState: state });
  await ctx.addInitScript(NAME_HELPER);
  const page = await ctx.newPage();
  await page.goto(`${base}/submissions/${id}`);
  const field = page.locator(`[id="root.${SUBJECT.field}"]`);
  await field.waitFor();
  await page.locator('.yp-evaluation [data-outcome-level]').waitFor();
  // the whole form mounted (its groups mount one by one when the browser is idle)
  await page.waitForFunction(() => document.querySelectorAll('.yp-pending').length === 0);
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    type Rec = { t0: number; before: string; muts: Array<[number, string]>; frame: Array<[number, string]> };
    const w = window as unknown as { ypKeys: Rec[] };
    w.ypKeys = [];
    const panel = () => document.querySelector('.yp-evaluation');
    let cur: Rec | null = null;
    new MutationObserver(() => {
      const p = panel();
      if (cur && p) cur.muts.push([performance.now(), p.textContent ?? '']);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    // a capture listener on the document runs before React's (on the root): the panel still
    // shows the previous keystroke's result, which is that keystroke's settled content
    document.addEventListener(
      'input',
      (e) => {
        const rec: Rec = { t0: e.timeStamp, before: panel()?.textContent ?? '', muts: [], frame: [] };
        cur = rec;
        w.ypKeys.push(rec);
        // the panel's text at the start of each following frame, until the next keystroke
        let n = 0;
        const tick = () => {
          if (cur !== rec) return;
          rec.frame.push([performance.now(), panel()?.textContent ?? '']);
          if (++n < 30) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      },
      true,
    );
  });
  const values = SUBJECT.values;
  let typed = 0;
  let i = 0;
  while (typed < KEYS) {
    const v = values[i++ % values.length] as string;
    await field.focus();
    await page.keyboard.press('ControlOrMeta+A');
    for (const ch of v) {
      await page.keyboard.type(ch);
      typed++;
      await page.waitForTimeout(300);
    }
  }
  await page.waitForTimeout(300);
  const finalText = await page.evaluate(() => document.querySelector('.yp-evaluation')?.textContent ?? '');
  const recs = await page.evaluate(() => (window as unknown as { ypKeys: Array<{ t0: number; before: string; muts: Array<[number, string]>; frame: Array<[number, string]> }> }).ypKeys);
  await ctx.close();
  const dom: number[] = [];
  const frame: number[] = [];
  let missing = 0;
  let unchanged = 0;
  recs.forEach((r, k) => {
    // the settled content for this keystroke: what the panel showed when the next one came
    const settled = k + 1 < recs.length ? (recs[k + 1]?.before ?? '') : finalText;
    const m = r.muts.find(([, txt]) => txt === settled);
    const f = r.frame.find(([, txt]) => txt === settled);
    if (settled === r.before) unchanged++;
    else if (m) dom.push(m[0] - r.t0);
    else missing++;
    if (f && settled !== r.before) frame.push(f[0] - r.t0);
    if (process.env.BENCH_WEB_DEBUG) console.log(`    按键 ${k + 1}：DOM ${m ? (m[0] - r.t0).toFixed(1) : '—'} ms，帧 ${f ? (f[0] - r.t0).toFixed(1) : '—'} ms，变动 ${r.muts.length} 次`);
  });
  return { dom, frame, keystrokes: recs.length, missing, unchanged };
}

async function tableTyping(browser: Browser, base: string) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  await ctx.addInitScript(NAME_HELPER);
  const page = await ctx.newPage();
  await signIn(page, base, 'county-xihu');
  await page.goto(`${base}/tables/demo-level/summary`);
  const grid = page.getByTestId('grid');
  await grid.waitFor();
  await grid.click();
  const lines = Array.from({ length: 1200 }, (_, i) => [i + 1, `园区${i + 1}`, 10 + (i % 90), 5 + (i % 60), i % 500, '', 'B', '是'].join('\t')).join('\n');
  const tp = Date.now();
  await grid.evaluate((el, text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, lines);
  await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '1200');
  const pasteMs = Date.now() - tp;
  await page.waitForTimeout(300);
  await page.locator('.yp-grid-row[data-row="0"] [data-col="area"]').click();
  await page.evaluate(() => {
    const w = window as unknown as { ypType: Array<{ key: string; ms: number | null }> };
    w.ypType = [];
    document.addEventListener(
      'keydown',
      (e) => {
        const t0 = e.timeStamp;
        const rec = { key: e.key, ms: null as number | null };
        w.ypType.push(rec);
        const row = document.querySelector('.yp-grid-row [data-col="area"].yp-active, .yp-grid-row .yp-cell-input')?.closest('.yp-grid-row')?.getAttribute('data-row');
        const wantEditor = e.key.length === 1;
        const before = wantEditor ? '' : ((document.querySelector('.yp-cell-input') as HTMLInputElement | null)?.value ?? '');
        let n = 0;
        const check = () => {
          const ts = performance.now();
          const input = document.querySelector('.yp-cell-input') as HTMLInputElement | null;
          const ok = wantEditor ? !!input && input.value.endsWith(e.key) : !input && document.querySelector(`.yp-grid-row[data-row="${row}"] [data-col="area"]`)?.textContent === before;
          if (ok) rec.ms = ts - t0;
          else if (++n < 120) requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      },
      true,
    );
  });
  for (let i = 0; i < 12; i++) {
    const v = String(200 + i);
    for (const ch of v) {
      await page.keyboard.press(ch);
      await page.waitForTimeout(60);
    }
    await page.keyboard.press('Enter');
    await page.waitForFunction(([row, val]) => document.querySelector(`.yp-grid-row[data-row="${row}"] [data-col="area"]`)?.textContent === val, [String(i), v] as const);
    await page.waitForTimeout(60);
  }
  const recs = await page.evaluate(() => (window as unknown as { ypType: Array<{ key: string; ms: number | null }> }).ypType);
  const rowsInDom = await page.locator('.yp-grid-row').count();
  await page.context().close();
  const chars = recs.filter((r) => r.key.length === 1 && r.ms !== null).map((r) => r.ms as number);
  const commits = recs.filter((r) => r.key === 'Enter' && r.ms !== null).map((r) => r.ms as number);
  return { pasteMs, chars, commits, rowsInDom, missing: recs.filter((r) => r.ms === null).length };
}

// ---------------------------------------------------------------------------------------------

buildWebInto(DIST);
const startUptime = uptime();
console.log(`网页性能（无头 Chromium ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}，${RUNS} 次冷/热访问，${KEYS} 次按键）`);
console.log(`  开始时 uptime：${startUptime}`);
const server = await startServer(DIST);
const browser = await launch();
const out: Record<string, unknown> = { uptimeStart: startUptime };
try {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  const page = await ctx.newPage();
  await signIn(page, server.url, 'applicant-hz');
  const fixture = JSON.parse(readFileSync(join(ROOT, SUBJECT.draftFixture), 'utf8')) as { input: Record<string, unknown> };
  const created = await call<{ id?: string; message?: string }>(page, 'POST', '/api/submissions', { packId: SUBJECT.pack, formId: SUBJECT.form, data: fixture.input });
  if (!created.body.id) throw new Error(`申请草稿未能创建：${created.status} ${created.body.message ?? ''}`);
  const detail = await call<{ title: string; forms: Array<{ id: string; title: string; attachment?: string | null }> }>(page, 'GET', `/api/packs/${SUBJECT.pack}`);
  const formTitle = detail.body.forms.find((f) => f.id === SUBJECT.form)?.title ?? SUBJECT.form;
  console.log(`  对象：${detail.body.title} · ${formTitle}（草稿取自 ${SUBJECT.draftFixture}；即时评价键入字段 ${SUBJECT.field}：${SUBJECT.values.join('、')}）`);
  const state = await ctx.storageState();

  // what a first visit transfers (compressed, headers included; empty cache): the sign-in page, and the applicant's home signed in
  const signInVisit = await firstVisit(browser, `${server.url}/`, (p) => p.locator('#username').waitFor(), { viewport: VIEWPORT });
  // the home shown with its content (its page chunk and its answer), not only the frame: a wait for the frame alone let the network look idle before the page's own chunk loaded
  const homeVisit = await firstVisit(browser, `${server.url}/home`, (p) => p.getByTestId('applications').waitFor(), { viewport: VIEWPORT, storageState: state });
  console.log(`\n  首次访问传输的字节（CDP encodedDataLength：压缩后的响应体与响应头，空缓存），预算 ≤ ${FIRST_VISIT_BUDGET_KB} KB：`);
  console.log(`    登录页：${describeTransfer(signInVisit)}`);
  console.log(`    申报单位首页（已登录）：${describeTransfer(homeVisit)}`);
  out.firstVisit = { budgetKB: FIRST_VISIT_BUDGET_KB, signIn: signInVisit, applicantHome: homeVisit };

  const { cold, warm } = await starForm(browser, server.url, state, created.body.id);
  const first = cold[0] as Visit;
  // the built app's scripts (the form's validators module comes from the API: /api/pack-versions/…/validators.js, not in the build)
  const gz = first.scripts
    .filter((s) => !s.startsWith('/api/'))
    .map((s) => ({ file: s, gz: gzipSync(readFileSync(join(DIST, s))).length }))
    .sort((a, b) => b.gz - a.gz);
  const fromApi = first.scripts.filter((s) => s.startsWith('/api/'));
  const gzKB = r1(gz.reduce((a, b) => a + b.gz, 0) / 1024);
  console.log(`\n  表单出现前加载的 JavaScript（gzip）：${gzKB} KB，${gz.length} 个文件（目标 ≤ 400 KB）`);
  console.log(`    ${gz.map((g) => `${g.file.replace('/assets/', '')} ${r1(g.gz / 1024)}`).join('，')}`);
  if (fromApi.length) console.log(`    另有服务器编译的表单校验模块（不计入上述合计）：${fromApi.join('，')}`);
  console.log(`    页面运行时生成的 antd <style>：${first.antdStyles} 个（其余来自构建时导出的 CSS 文件）`);
  const fig = (vs: Visit[], k: 'shownMs' | 'interactiveMs' | 'realMs') => {
    const xs = vs.map((v) => v[k]);
    return { median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)), runs: xs.map(Math.round) };
  };
  const coldI = fig(cold, 'interactiveMs');
  const warmI = fig(warm, 'interactiveMs');
  console.log(`\n  申请表可交互（导航开始 → 首个可填字段出现时键入的字在字段中显示），目标 ≤ 1000 ms：`);
  console.log(`    冷（新浏览器配置）：中位数 ${coldI.median} ms（${coldI.min}–${coldI.max}；各次 ${coldI.runs.join(' ')}）；字段出现 中位数 ${fig(cold, 'shownMs').median} ms；自动化真实按键 中位数 ${fig(cold, 'realMs').median} ms`);
  console.log(`    热（再次访问）：    中位数 ${warmI.median} ms（${warmI.min}–${warmI.max}；各次 ${warmI.runs.join(' ')}）；字段出现 中位数 ${fig(warm, 'shownMs').median} ms；自动化真实按键 中位数 ${fig(warm, 'realMs').median} ms`);
  out.jsGzipKBBeforeForm = gzKB;
  out.antdRuntimeStyles = first.antdStyles;
  out.jsFilesBeforeForm = gz.map((g) => [g.file, g.gz]);
  out.starFormInteractiveMs = { cold: coldI, warm: warmI, shownCold: fig(cold, 'shownMs'), shownWarm: fig(warm, 'shownMs'), realKeyCold: fig(cold, 'realMs'), realKeyWarm: fig(warm, 'realMs') };
  if (TRACE) {
    for (const [label, v] of [['冷', first], ['热', warm[0] as Visit]] as const) {
      console.log(`\n  一次${label}访问的请求（开始–结束 ms，大小 B）与长任务：`);
      for (const q of v.requests) console.log(`    ${String(q.start).padStart(5)}–${String(q.end).padStart(5)}  ${String(q.size).padStart(8)}  ${q.name}`);
      console.log(`    长任务：${v.longTasks.map(([s, d]) => `${s}+${d}`).join('，') || '无'}；字段出现 ${Math.round(v.shownMs)}，可交互 ${Math.round(v.interactiveMs)}；自动化按键事件 ${Math.round(v.realTypedMs)}，显示 ${Math.round(v.realMs)}`);
    }
  }

  const live = await liveEvaluation(browser, server.url, state, created.body.id);
  const dom = stats(live.dom);
  const frame = stats(live.frame);
  console.log(`\n  即时评价（input 事件 → 评价面板 DOM 显示新结果），目标 ≤ 16 ms：${live.keystrokes} 次按键`);
  console.log(`    DOM：p50 ${dom.p50} ms，p95 ${dom.p95} ms，最大 ${dom.max} ms${live.missing ? `（${live.missing} 次在下一次按键前未见结果）` : ''}${live.unchanged ? `（${live.unchanged} 次面板不变，不计）` : ''}`);
  console.log(`    到显示该结果的下一帧开始：p50 ${frame.p50} ms，p95 ${frame.p95} ms，最大 ${frame.max} ms`);
  out.liveEvaluationMs = { dom, frame, keystrokes: live.keystrokes, missing: live.missing, unchanged: live.unchanged };

  const t = await tableTyping(browser, server.url);
  const chars = stats(t.chars);
  const commits = stats(t.commits);
  console.log(`\n  1,200 行表格（按键 → 显示该键的下一帧），目标 ≤ 50 ms：粘贴 1,200 行 ${t.pasteMs} ms，DOM 中 ${t.rowsInDom} 行`);
  console.log(`    键入字符：p50 ${chars.p50} ms，p95 ${chars.p95} ms，最大 ${chars.max} ms（${chars.n} 次）`);
  console.log(`    回车提交：p50 ${commits.p50} ms，p95 ${commits.p95} ms，最大 ${commits.max} ms（${commits.n} 次）${t.missing ? `；${t.missing} 次未见显示` : ''}`);
  out.table1200 = { pasteMs: t.pasteMs, rowsInDom: t.rowsInDom, typeCharMs: chars, commitMs: commits, missing: t.missing };
} finally {
  await browser.close();
  server.child.kill();
  rmSync(DIST, { recursive: true, force: true });
}
const endUptime = uptime();
out.uptimeEnd = endUptime;
console.log(`\n  结束时 uptime：${endUptime}`);
if (JSON_OUT) console.log(JSON.stringify(out, null, 2));
