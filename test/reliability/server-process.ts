/**
 * Real server processes for the reliability tests and the API benchmark: `node --import tsx
 * apps/server/src/main.ts` (what `pnpm start` runs, without the tsx wrapper process, so the PID we
 * hold is the server itself and SIGKILL hits it), on a free loopback port, with a temporary PGlite
 * data directory or a fresh PostgreSQL schema. Every process started here is killed by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dropSchema, randomSchemaName } from '@yuanping/storage';
import { freePort, HOST, waitUntilAnswers } from '../support/server-start.js';

export { freePort, HOST };

export const REPO = resolve(import.meta.dirname, '..', '..');
export const DEMO_PASSWORD = 'yuanping-demo';
export const PG_URL = process.env.DATABASE_URL || undefined;

/** Where one server's data lives: a PGlite directory or a PostgreSQL schema, removed by `dispose`. */
export interface Database {
  kind: 'pglite' | 'pg';
  env: Record<string, string>;
  label: string;
  dispose(): Promise<void>;
}

export function pgliteDatabase(): Database {
  const dir = mkdtempSync(join(tmpdir(), 'yp-rel-'));
  return {
    kind: 'pglite',
    env: { YUANPING_DATA_DIR: dir },
    label: `PGlite（${dir}）`,
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function pgDatabase(url: string): Database {
  const schema = randomSchemaName('yp_rel');
  return {
    kind: 'pg',
    env: { DATABASE_URL: url, YUANPING_DB_SCHEMA: schema },
    label: `PostgreSQL（schema ${schema}）`,
    async dispose() {
      await dropSchema(url, schema);
    },
  };
}

/** The databases a test runs on: PGlite always, PostgreSQL too when DATABASE_URL is set. */
export function databases(): Array<{ name: 'pglite' | 'pg'; make: () => Database }> {
  const out: Array<{ name: 'pglite' | 'pg'; make: () => Database }> = [{ name: 'pglite', make: pgliteDatabase }];
  if (PG_URL) out.push({ name: 'pg', make: () => pgDatabase(PG_URL) });
  return out;
}

export interface ServerProcess {
  pid: number;
  port: number;
  base: string;
  child: ChildProcess;
  /** stdout + stderr so far (for failure messages). */
  output(): string;
  /** The memory reports the server printed (see `memoryOf`). */
  memoryReports: MemorySample[];
  /** SIGKILL, then wait for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  exited: Promise<number | null>;
}

const live = new Set<ServerProcess>();

/** Starts the server and waits until /api/health answers. */
export async function startServer(
  db: Database,
  extraEnv: Record<string, string> = {},
  opts: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<ServerProcess> {
  // a guard against a hang, not a judgement of speed: PGlite start-up, tsx and demo seeding took over
  // 60 s on a machine at load 20–28 (the concurrency, pack-safety and crash suites failed there)
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    YUANPING_DEMO: '1',
    NODE_ENV: 'development',
    ...db.env,
    ...extraEnv,
  };
  if (db.kind === 'pglite') delete env.DATABASE_URL;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', join(REPO, 'apps', 'server', 'src', 'main.ts')], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('server did not start');
  let out = '';
  let partial = '';
  const memory: MemorySample[] = [];
  const keep = (b: Buffer) => {
    const text = b.toString();
    out += text;
    if (out.length > 200_000) out = out.slice(-100_000);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      const m = /YUANPING_MEMORY (\{.*\})/.exec(l);
      if (m?.[1]) memory.push(JSON.parse(m[1]) as MemorySample);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const sp: ServerProcess = {
    pid: child.pid,
    port,
    base: `http://${HOST}:${port}`,
    child,
    output: () => out,
    memoryReports: memory,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) process.kill(sp.pid, signal);
      await exited;
      live.delete(sp);
    },
  };
  live.add(sp);
  void exited.then(() => live.delete(sp));
  try {
    await waitUntilAnswers(sp.base, child, { timeoutMs, output: () => out });
  } catch (e) {
    await sp.kill();
    throw e;
  }
  return sp;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  gc: boolean;
}

/**
 * The server's memory after a full GC: needs the server started with `YUANPING_MEMORY_REPORT=1`
 * and node's `--expose-gc`; it answers SIGUSR2 with one `YUANPING_MEMORY {…}` line.
 */
export async function memoryOf(sp: ServerProcess, timeoutMs = 10_000): Promise<MemorySample> {
  const n = sp.memoryReports.length;
  process.kill(sp.pid, 'SIGUSR2');
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const m = sp.memoryReports[n];
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no memory report from the server');
}

/** Kills (by PID) every server this module started that is still running. */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((s) => s.kill()));
}

process.once('exit', () => {
  for (const s of live) {
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

/** A signed-in HTTP client (cookie + CSRF token) over fetch. */
export class HttpClient {
  constructor(
    readonly base: string,
    readonly cookie: string | null = null,
    readonly csrf: string | null = null,
  ) {}

  static async login(base: string, username: string, password = DEMO_PASSWORD): Promise<HttpClient> {
    const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
    const set = r.headers.getSetCookie().find((c) => c.startsWith('yp_sid='));
    const cookie = set ? set.split(';')[0] ?? null : null;
    const body = (await r.json()) as { csrfToken: string };
    return new HttpClient(base, cookie, body.csrfToken);
  }

  /** Headers for autocannon / raw requests. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.cookie ? { cookie: this.cookie } : {}), ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}), 'content-type': 'application/json', ...extra };
  }

  async req(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] = h['content-type'] ?? 'application/json';
    }
    const r = await fetch(this.base + path, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: r.status, body: parsed, headers: r.headers };
  }
  get(path: string, headers?: Record<string, string>) {
    return this.req('GET', path, undefined, headers);
  }
  post(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.req('POST', path, body, headers);
  }
  put(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.req('PUT', path, body, headers);
  }
}
