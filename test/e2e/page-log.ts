/**
 * What a page did, for a journey that fails: its last requests (method, path, status, time
 * taken), console messages, dialogs and page errors, and what it shows at the failure (modals,
 * messages, the save state). `waitOrExplain` waits for what confirms a step and, when it does not
 * come, fails with this log instead of a bare timeout.
 */
import type { Page } from '../../apps/web/e2e/browser.js';

type Locator = ReturnType<Page['locator']>;

export interface PageLog {
  lines(): string[];
}

const KEEP = 80;

export function recordPage(page: Page): PageLog {
  const lines: string[] = [];
  const t0 = Date.now();
  const add = (s: string) => {
    lines.push(`${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s  ${s}`);
    if (lines.length > KEEP) lines.shift();
  };
  const started = new WeakMap<object, number>();
  const pathOf = (url: string) => {
    try {
      const u = new URL(url);
      return u.pathname + u.search;
    } catch {
      return url;
    }
  };
  const api = (url: string) => pathOf(url).startsWith('/api/');
  page.on('request', (r) => {
    if (!api(r.url())) return;
    started.set(r, Date.now());
    add(`→ ${r.method()} ${pathOf(r.url())}`);
  });
  page.on('response', (r) => {
    const req = r.request();
    if (!api(req.url())) return;
    const ms = Date.now() - (started.get(req) ?? Date.now());
    add(`← ${r.status()} ${req.method()} ${pathOf(req.url())} (${ms} ms)`);
  });
  page.on('requestfailed', (r) => {
    if (api(r.url())) add(`✗ ${r.method()} ${pathOf(r.url())}：${r.failure()?.errorText ?? ''}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') add(`console.${m.type()}: ${m.text().slice(0, 300)}`);
  });
  page.on('dialog', (d) => add(`dialog ${d.type()}: ${d.message()}`));
  page.on('pageerror', (e) => add(`pageerror: ${e.message}`));
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) add(`navigated ${pathOf(f.url())}`);
  });
  return { lines: () => [...lines] };
}

/** What the page shows that may explain a step not confirmed: open modals, messages, alerts, the save state. */
async function onScreen(page: Page): Promise<string[]> {
  return page
    .evaluate(() => {
      const text = (sel: string) => [...document.querySelectorAll(sel)].map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()).filter(Boolean);
      return [
        ...text('.ant-modal-wrap:not([style*="display: none"]) .ant-modal').map((t) => `对话框：${t}`),
        ...text('.ant-message-notice').map((t) => `提示：${t}`),
        ...text('.ant-alert').map((t) => `横幅：${t.slice(0, 200)}`),
        ...[...document.querySelectorAll('[data-save-state]')].map((e) => `保存状态：${e.getAttribute('data-save-state')}（${(e as HTMLElement).innerText}）`),
        ...text('[data-testid="status"], [data-testid="table-status"]').map((t) => `状态：${t}`),
      ];
    })
    .catch((e: unknown) => [`（读不到页面：${String(e)}）`]);
}

/** Waits for `what` (a step's confirmation); when it does not come, fails with the page's log and what it shows. */
export async function waitOrExplain(page: Page, log: PageLog, what: Locator, step: string, timeout = 120_000): Promise<void> {
  try {
    await what.waitFor({ timeout });
  } catch (e) {
    const shown = await onScreen(page);
    throw new Error(`${step}：${timeout / 1000} s 内未确认（${(e as Error).message.split('\n')[0]}）\n页面显示：\n  ${shown.join('\n  ')}\n页面记录（最近 ${KEEP} 条）：\n  ${log.lines().join('\n  ')}`);
  }
}
