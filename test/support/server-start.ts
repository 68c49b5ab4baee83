// Starting a real server process in tests and benchmarks: a free loopback port, waiting until
// /api/health answers, and `pnpm start` (or another command line) run as a person runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const HOST = '127.0.0.1';

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Polls `${base}/api/health` until it answers 200. Throws when the process exits first, or after
 * `timeoutMs` when one is given (a guard against a hang, never a judgement of speed).
 */
export async function waitUntilAnswers(base: string, child: ChildProcess, opts: { timeoutMs?: number; output?: () => string } = {}): Promise<void> {
  const t0 = Date.now();
  const tail = () => (opts.output ? `:\n${opts.output().slice(-4000)}` : '');
  for (;;) {
    if (child.exitCode !== null) throw new Error(`服务进程退出了（${child.exitCode}）${tail()}`);
    const ok = await fetch(`${base}/api/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    if (opts.timeoutMs !== undefined && Date.now() - t0 > opts.timeoutMs) throw new Error(`服务 ${opts.timeoutMs} ms 内没有应答${tail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A command line started in its own process group, answering on `base`. */
export interface StartedCommand {
  port: number;
  base: string;
  /** From the spawn until /api/health answered. */
  ms: number;
  /** SIGTERM to the whole group (pnpm, tsx and the server), then waits for the shell to exit. */
  stop(): Promise<void>;
}

/** Runs `cmdline` (e.g. the README's `pnpm start`) in `cwd` with PORT set to a free port, until the server answers. */
export async function startCommand(cmdline: string, cwd: string, env: Record<string, string> = {}): Promise<StartedCommand> {
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const t = performance.now();
  const child = spawn('sh', ['-c', cmdline], { cwd, detached: true, stdio: 'ignore', env: { ...process.env, PORT: String(port), ...env } });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // the group has ended already
      }
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    // the server closes its database after the shell has gone: give it a moment
    await new Promise((r) => setTimeout(r, 1000));
  };
  try {
    await waitUntilAnswers(base, child);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, base, ms: performance.now() - t, stop };
}
