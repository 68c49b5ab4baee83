// The README's `pnpm start`, as written (own port and data directory so that it can run beside
// another server): it answers, serves the web app, and says it is in demo mode. In pnpm test:full
// only (a first start on a fresh data directory takes a while on a busy machine).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickStartCommands, REPO } from './quick-start.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

describe('README 快速上手: pnpm start', () => {
  it('answers on its port with the web app, in demo mode', async () => {
    const cmd = quickStartCommands().find((c) => c === 'pnpm start');
    expect(cmd).toBe('pnpm start');
    const port = await freePort();
    const data = mkdtempSync(join(tmpdir(), 'yp-start-'));
    const child = spawn('sh', ['-c', cmd!], { cwd: REPO, detached: true, stdio: 'ignore', env: { ...process.env, PORT: String(port), YUANPING_DATA_DIR: data } });
    try {
      const base = `http://127.0.0.1:${port}`;
      let health: Response | undefined;
      while (!health) {
        if (child.exitCode !== null) throw new Error(`pnpm start 退出了（${child.exitCode}）`);
        health = await fetch(base + '/api/health').catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 500));
      }
      expect(health.status).toBe(200);
      const page = await fetch(base + '/');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(await (await fetch(base + '/api/demo')).json()).toMatchObject({ demo: true });
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 2000));
      rmSync(data, { recursive: true, force: true });
    }
  }, 900_000);
});
