/**
 * What the web benches share: a production build of the web app in a directory of their own, the
 * e2e server (harness.ts) serving it in its own process, and the machine's load as `uptime` prints it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from './browser.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..', '..');

/** A production build of the web app into `dir` (apps/web/dist may be rebuilt, emptied first, by another run meanwhile). */
export function buildWebInto(dir: string): void {
  execFileSync('pnpm', ['--filter', '@yuanping/web', 'exec', 'vite', 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
}

/** The e2e server (harness.ts) in its own process, as the browser's server would be: not sharing this driver's event loop. */
export async function startServer(dist: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'harness.ts')], { cwd: ROOT, env: { ...process.env, PORT: '0', YUANPING_WEB_DIST: dist }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/[\d.]+:\d+)/.exec(out);
      if (m?.[1]) ok(m[1]);
    });
    child.on('exit', (code) => fail(new Error(`e2e 服务未能启动（退出码 ${code}）`)));
  });
  return { url, child };
}

export const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
export const uptime = () => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${load()}`;
  }
};

/** An API call from the signed-in page (its session and CSRF token). */
export async function call<T>(page: Page, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, url, body, headers }) => {
      const me = (await fetch('/api/auth/me').then((r) => r.json())) as { csrfToken: string };
      const r = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken, ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: r.status, body: (await r.json()) as T };
    },
    { method, url, body, headers },
  );
}
