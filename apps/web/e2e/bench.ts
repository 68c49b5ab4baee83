/**
 * The web app's performance figures, for `pnpm bench`:
 *   - gzipped JavaScript a direct visit to an application loads before the form shows;
 *   - time until the form is shown (median of warm visits), for every published park form;
 *   - live evaluation time after a change (median), and from the input event to the panel's update;
 *   - typing into a 1,200-row table (median, including automation round trips).
 * Needs apps/web/dist (pnpm --filter @yuanping/web build). Prints JSON; asserts nothing.
 *
 *   tsx apps/web/e2e/bench.ts
 */
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startE2EServer } from './harness.js';
import { launch, signIn, type Page } from './browser.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] as number) : NaN;
};

async function call<T>(page: Page, method: string, url: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = (await fetch('/api/auth/me').then((r) => r.json())) as { csrfToken: string };
      const r = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return (await r.json()) as T;
    },
    { method, url, body },
  );
}

const server = await startE2EServer();
const browser = await launch();
const out: Record<string, unknown> = {};
try {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, server.url, 'applicant-hz');
  const packs = await call<Array<{ packId: string; manifest: { forms: Array<{ id: string; scope?: string; kind: string }> } }>>(page, 'GET', '/api/packs');
  for (const p of packs) {
    for (const f of p.manifest.forms.filter((x) => (!x.scope || x.scope === 'park') && x.kind !== 'table')) {
      const s = await call<{ id?: string }>(page, 'POST', '/api/submissions', { packId: p.packId, formId: f.id, data: {} });
      if (!s.id) continue;
      const url = `${server.url}/submissions/${s.id}`;
      const times: number[] = [];
      let gz = 0;
      for (let i = 0; i < 4; i++) {
        const fresh = await browser.newContext({ viewport: { width: 1400, height: 1000 }, storageState: await ctx.storageState() });
        const fp = await fresh.newPage();
        const scripts = new Set<string>();
        fp.on('response', (r) => {
          if (r.request().resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
        });
        if (i > 0) {
          // warm: the code is cached as it would be on a second visit
          await fp.goto(url);
          await fp.locator('.yp-form').waitFor();
        }
        const t = Date.now();
        await fp.goto(url);
        await fp.locator('.yp-form input:not([type="file"]), .yp-form textarea, .yp-form button').first().waitFor();
        if (i === 0) gz = [...scripts].reduce((sum, x) => sum + gzipSync(readFileSync(join(DIST, x))).length, 0);
        else times.push(Date.now() - t);
        if (i === 3) {
          const num = fp.locator('.yp-form .ant-input-number-input:not([readonly])');
          const evals: number[] = [];
          const updates: number[] = [];
          if ((await num.count()) > 0) {
            await fp.locator('[data-eval-ms]').waitFor();
            // from the input event to the evaluation panel's DOM reflecting it (React render included)
            await fp.evaluate(() => {
              const w = window as unknown as { ypT0: number; ypDone: number[] };
              w.ypDone = [];
              document.addEventListener('input', () => (w.ypT0 = performance.now()), true);
              const panel = document.querySelector('.yp-evaluation');
              if (panel) new MutationObserver(() => w.ypT0 && (w.ypDone.push(performance.now() - w.ypT0), (w.ypT0 = 0))).observe(panel, { subtree: true, childList: true, characterData: true, attributes: true });
            });
            for (const v of ['1', '12', '123', '7', '70']) {
              await num.first().fill(v);
              await fp.waitForTimeout(60);
              evals.push(Number(await fp.locator('[data-eval-ms]').getAttribute('data-eval-ms')));
            }
            updates.push(...(await fp.evaluate(() => (window as unknown as { ypDone: number[] }).ypDone)));
          }
          out[`${p.packId}/${f.id}`] = {
            jsGzipKBBeforeForm: Math.round(gz / 102.4) / 10,
            formShownMsMedianWarm: median(times),
            liveEvaluationMsMedian: evals.length ? median(evals) : null,
            inputToPanelUpdateMsMedian: updates.length ? Math.round(median(updates) * 10) / 10 : null,
          };
        }
        await fresh.close();
      }
    }
  }

  // the 1,200-row table
  const county = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await signIn(county, server.url, 'county-xihu');
  await county.goto(`${server.url}/tables/demo-level/summary`);
  const grid = county.getByTestId('grid');
  await grid.waitFor();
  await grid.click();
  const lines = Array.from({ length: 1200 }, (_, i) => [i + 1, `园区${i + 1}`, 10 + (i % 90), 5 + (i % 60), i % 500, '', 'B', '是'].join('\t')).join('\n');
  const tp = Date.now();
  await grid.evaluate((el, text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, lines);
  await county.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('aria-rowcount') === '1200');
  const pasteMs = Date.now() - tp;
  await county.locator('.yp-grid-row[data-row="0"] [data-col="area"]').click();
  const typing: number[] = [];
  for (let i = 0; i < 9; i++) {
    const v = String(200 + i);
    const t = Date.now();
    await county.keyboard.type(v);
    await county.keyboard.press('Enter');
    await county.waitForFunction(([row, val]) => document.querySelector(`.yp-grid-row[data-row="${row}"] [data-col="area"]`)?.textContent === val, [String(i), v] as const);
    typing.push(Date.now() - t);
  }
  out['table(1,200 rows)'] = { pasteMs, typeAndCommitMsMedian: median(typing), rowsInDom: await county.locator('.yp-grid-row').count() };
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(out, null, 2));
