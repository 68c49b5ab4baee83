// The README's `pnpm start`, as written (own port and data directory so that it can run beside
// another server): it answers, serves the web app, and says it is in demo mode. In pnpm test:full
// only (a first start on a fresh data directory takes a while on a busy machine).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickStartCommands, REPO } from './quick-start.js';
import { startCommand } from '../support/server-start.js';

describe('README 快速上手: pnpm start', () => {
  it('answers on its port with the web app, in demo mode', async () => {
    const cmd = quickStartCommands().find((c) => c === 'pnpm start');
    expect(cmd).toBe('pnpm start');
    const data = mkdtempSync(join(tmpdir(), 'yp-start-'));
    try {
      const started = await startCommand(cmd!, REPO, { YUANPING_DATA_DIR: data });
      try {
        const page = await fetch(started.base + '/');
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<div id="root">');
        expect(await (await fetch(started.base + '/api/demo')).json()).toMatchObject({ demo: true });
      } finally {
        await started.stop();
      }
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 900_000);
});
