/** What every journey needs: the server on a fresh in-memory database, Chromium, a signed-in page. */
import { writeFileSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startE2EServer, type E2EServer } from '../../apps/web/e2e/harness.js';
import { launch, shot, signIn, RESULTS, type Browser, type Page } from '../../apps/web/e2e/browser.js';

export { shot, signIn, RESULTS };
export type { Browser, Page };

/** The e2e clock: inside the demo pack's submission window. */
export const NOW = '2021-08-21T10:00:00+08:00';

export interface Env {
  server: E2EServer;
  browser: Browser;
  base: string;
}

export async function startEnv(): Promise<Env> {
  const server = await startE2EServer({ now: NOW });
  const browser = await launch();
  return { server, browser, base: server.url };
}

export async function stopEnv(env: Env | undefined): Promise<void> {
  await env?.browser.close();
  await env?.server.close();
}

export async function newPage(env: Env, width = 1400, height = 1000, opts: { clock?: boolean } = {}): Promise<Page> {
  const ctx = await env.browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // a wait for what the page shows is a guard against a hang, not a judgement of speed: a workbench
  // check (every fixture of a pack) after a save took over Playwright's default 30 s on a busy machine
  ctx.setDefaultTimeout(120_000);
  const page = await ctx.newPage();
  // the browser's calendar agrees with the server's (windows shown as open); timings are measured on pages without it
  if (opts.clock !== false) await page.clock.install({ time: new Date(NOW) });
  page.on('pageerror', (e) => console.error('页面错误：', e.message));
  return page;
}

/** Calls the API with the page's session (cookie + CSRF token). */
export async function apiCall<T>(page: Page, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, url, body, headers }) => {
      const me = await fetch('/api/auth/me').then((r) => r.json() as Promise<{ csrfToken: string }>);
      const r = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken, ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: r.status, body: (await r.json()) as T };
    },
    { method, url, body, headers },
  );
}

/** Figures the journeys measure, merged into test-results/metrics.json (reported, never asserted). */
export function recordMetric(name: string, value: unknown): void {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, 'metrics.json');
  const cur = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  cur[name] = value;
  writeFileSync(file, JSON.stringify(cur, null, 2));
}
