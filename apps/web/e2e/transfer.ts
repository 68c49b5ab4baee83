/**
 * What a page's first visit transfers, as the browser received it: over the Chrome DevTools
 * Protocol, the sum of `Network.loadingFinished.encodedDataLength` (compressed bodies plus
 * response headers) of every request of the visit — the document, scripts, styles, fonts and the
 * API calls the page makes — in a browser context with an empty cache. Used by `pnpm bench`
 * (apps/web/e2e/bench.ts prints it) and test/e2e/headers.e2e.ts (asserts the budget): one place.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

/** The first visit's budget (issue 13): transferred bytes, compressed, headers included. */
export const FIRST_VISIT_BUDGET_KB = 300;

export interface Transfer {
  /** bytes received: compressed bodies plus headers */
  transferred: number;
  /** bodies once decompressed */
  decoded: number;
  /** requests finished */
  files: number;
}

/** Starts counting what `page` receives (a first visit when its context is new: empty cache); the function returned reads the totals so far. */
export async function countTransfer(page: Page): Promise<() => Transfer> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let transferred = 0;
  let decoded = 0;
  let files = 0;
  cdp.on('Network.dataReceived', (e) => {
    decoded += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    transferred += e.encodedDataLength;
    files++;
  });
  return () => ({ transferred, decoded, files });
}

/**
 * The first visit of `url` in a new browser context (`options`: e.g. a signed-in storage state):
 * loads it, waits for `ready` and for the network to be idle, and answers what was transferred.
 * `page` is handed to `ready` and closed after.
 */
export async function firstVisit(browser: Browser, url: string, ready: (page: Page) => Promise<void>, options: BrowserContextOptions = {}): Promise<Transfer> {
  const ctx = await browser.newContext(options);
  try {
    const page = await ctx.newPage();
    const read = await countTransfer(page);
    await page.goto(url);
    await ready(page);
    await page.waitForLoadState('networkidle');
    return read();
  } finally {
    await ctx.close();
  }
}

/** `243.6 KB（24 个请求，解压后 1,076.2 KB）` */
export function describeTransfer(t: Transfer): string {
  const kb = (b: number) => (b / 1024).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${kb(t.transferred)} KB（${t.files} 个请求，解压后 ${kb(t.decoded)} KB）`;
}
