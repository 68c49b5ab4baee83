import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { dropSchema, openStorage, randomSchemaName, type Storage } from '@yuanping/storage';
import { buildServer } from '../app.js';
import { CSRF_HEADER } from '../session.js';
import { TEST_SCRYPT_N } from '../auth.js';
import type { ServerOptions } from '../options.js';
import { coreEngine } from '../engine.js';
import { publishRepoPacks, seedDemo, seedOrgUnits } from '../seed.js';
import { testPackFiles, TEST_PACK_ID } from './fixture-pack.js';
import { assertProblemDetails } from './error-details.js';

export const PASSWORD = 'test-password';

/** A job as GET /api/jobs/:id answers it (the fields the tests read). */
export interface JobView {
  id: string;
  kind: string;
  status: string;
  done: number;
  total: number | null;
  resultId: string | null;
  errorCode: string | null;
  cancelRequested: boolean;
  startedAt: string | null;
  finishedAt: string | null;
}


export interface Harness {
  app: FastifyInstance;
  storage: Storage;
  /** PostgreSQL schema of this harness (pg backend only). */
  schema: string | undefined;
  setNow(d: Date | string): void;
  login(username: string, password?: string): Promise<Client>;
  anon(): Client;
  close(): Promise<void>;
}

export class Client {
  constructor(
    private readonly app: FastifyInstance,
    readonly cookie: string | null,
    readonly csrf: string | null,
  ) {}
  async req(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h[CSRF_HEADER] = this.csrf;
    const opts: InjectOptions = { method, url, headers: h };
    if (body !== undefined) {
      if (Buffer.isBuffer(body)) {
        opts.payload = body;
        h['content-type'] = h['content-type'] ?? 'application/octet-stream';
      } else if (typeof body === 'string') {
        opts.payload = body;
        h['content-type'] = h['content-type'] ?? 'application/json';
      } else {
        opts.payload = JSON.stringify(body);
        h['content-type'] = 'application/json';
      }
    }
    const res = await this.app.inject(opts);
    // every error answer with details is checked against its code's schema (errors.ts ERROR_DETAILS)
    assertProblemDetails(res);
    return res;
  }
  get(url: string, headers?: Record<string, string>) {
    return this.req('GET', url, undefined, headers);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.req('POST', url, body ?? {}, headers);
  }
  put(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.req('PUT', url, body ?? {}, headers);
  }
}

export interface HarnessOptions extends Partial<ServerOptions> {
  backend?: 'pglite' | 'pg';
  packFiles?: Record<string, unknown> | null;
  now?: () => Date;
  /** Also publish the repository's packs (schemas/*). */
  repoPacks?: boolean;
  /** The PostgreSQL (or pooler) URL of the pg backend; default DATABASE_URL. */
  databaseUrl?: string;
}

export const PG_URL = process.env.DATABASE_URL;
/** PgBouncer in transaction mode in front of the same PostgreSQL (set by .ci/run, scripts/pgbouncer.sh). */
export const PG_POOLED_URL = process.env.DATABASE_URL_POOLED;
/** The PostgreSQL targets of the tests that run on several: direct, and through the pooler when set. */
export const PG_TARGETS: Array<[string, string]> = [
  ['PostgreSQL', PG_URL],
  ['PgBouncer（事务模式）', PG_POOLED_URL],
].filter((t): t is [string, string] => Boolean(t[1]));

/** What every harness's database holds before its test: org units and the demo users (password PASSWORD, cheap hash). */
async function seedHarness(storage: Storage): Promise<void> {
  await seedOrgUnits(storage);
  await seedDemo(storage, PASSWORD, TEST_SCRYPT_N);
}

let seeded: Promise<Blob> | undefined;
/**
 * The seeded PGlite database every PGlite harness starts from, as an image: made once per test run
 * (in YUANPING_TEST_CACHE_DIR, set by test/support/cache-dir.setup.ts) or, outside vitest's main
 * config, once per process. A copy opens in a third of the time a fresh PGlite takes (no initdb).
 */
function seededImage(): Promise<Blob> {
  seeded ??= (async () => {
    const dir = process.env.YUANPING_TEST_CACHE_DIR;
    const file = dir ? join(dir, 'harness-pglite.tar') : null;
    if (file && existsSync(file)) return new Blob([readFileSync(file)]);
    const storage = await openStorage();
    try {
      await seedHarness(storage);
      const image = await storage.dumpImage();
      if (file) {
        // two workers may both make it at the start of a run: each writes its own, the rename is atomic
        const tmp = `${file}.${process.pid}`;
        writeFileSync(tmp, Buffer.from(await image.arrayBuffer()));
        renameSync(tmp, file);
      }
      return image;
    } finally {
      await storage.close();
    }
  })();
  return seeded;
}

/** A server on a fresh database with org units, demo users (password PASSWORD) and the inline test pack. */
export async function makeHarness(o: HarnessOptions = {}): Promise<Harness> {
  const backend = o.backend ?? 'pglite';
  const schema = backend === 'pg' ? randomSchemaName('yp_srv') : undefined;
  const pgUrl = o.databaseUrl ?? PG_URL;
  let storage: Storage;
  if (backend === 'pg') {
    storage = await openStorage({ databaseUrl: pgUrl as string, schema: schema as string, applicationName: schema as string });
    await seedHarness(storage);
  } else {
    storage = await openStorage({ image: await seededImage() });
  }
  let now = new Date('2021-08-22T02:00:00Z');
  const { backend: _b, packFiles, repoPacks, databaseUrl: _u, ...serverOpts } = o;
  const app = await buildServer({ storage, engine: coreEngine, now: () => now, sessionTtlMs: 400 * 86_400_000, webDir: null, ...serverOpts });
  if (packFiles !== null) {
    const pack = coreEngine.packFromFiles(packFiles ?? testPackFiles(), TEST_PACK_ID);
    await storage.publishPackVersion({ packId: pack.id, hash: pack.hash, title: pack.manifest.title, manifest: pack.manifest, files: pack.files, publishedBy: null });
  }
  if (repoPacks) await publishRepoPacks(storage, coreEngine, serverOpts.packRoot ?? (await import('../app.js')).REPO_ROOT);
  const h: Harness = {
    app,
    storage,
    schema,
    setNow(d) {
      now = typeof d === 'string' ? new Date(d) : d;
    },
    async login(username, password = PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'yp_sid');
      return new Client(app, cookie ? `yp_sid=${cookie.value}` : null, (res.json() as { csrfToken: string }).csrfToken);
    },
    anon() {
      return new Client(app, null, null);
    },
    async close() {
      await app.close();
      await storage.close();
      if (schema) await dropSchema(pgUrl as string, schema);
    },
  };
  return h;
}

export const VALID_DATA = { name: '测试园区', firms: 12, score: 8 };
