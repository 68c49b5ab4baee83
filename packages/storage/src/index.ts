export * from './db.js';
export * from './migrations.js';
export * from './storage.js';
export * from './json-diff.js';
import { openPg, openPglite } from './db.js';
import { Storage } from './storage.js';

export interface OpenStorageOptions {
  /** postgres://… → PostgreSQL through `pg`; absent → PGlite. */
  databaseUrl?: string;
  /** PostgreSQL schema (created if missing). */
  schema?: string;
  /** PGlite data directory; absent → in memory. */
  dataDir?: string;
  /** PGlite: start from this image of a database (`Storage.dumpImage()`), see `PgliteOptions.image`. */
  image?: Blob;
  onPoolError?: (err: Error) => void;
  /** PostgreSQL `application_name` (default `yuanping`). */
  applicationName?: string;
  /** PostgreSQL pool size, statement timeout, idle timeout, statement mode: see `PgOptions`. */
  pool?: number;
  statementTimeoutMs?: number;
  idleTimeoutMs?: number;
  statements?: 'unnamed' | 'prepared';
}

/**
 * The PostgreSQL settings from the environment: YUANPING_DB_POOL, YUANPING_DB_STATEMENT_TIMEOUT_MS,
 * YUANPING_DB_IDLE_TIMEOUT_MS, YUANPING_DB_STATEMENTS (unnamed | prepared). Unset → the defaults.
 */
export function pgSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<OpenStorageOptions, 'pool' | 'statementTimeoutMs' | 'idleTimeoutMs' | 'statements'> {
  const int = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} 应为不小于 0 的整数：${v}`);
    return n;
  };
  const statements = env.YUANPING_DB_STATEMENTS;
  if (statements !== undefined && statements !== '' && statements !== 'unnamed' && statements !== 'prepared') {
    throw new Error(`YUANPING_DB_STATEMENTS 应为 unnamed 或 prepared：${statements}`);
  }
  const out: Pick<OpenStorageOptions, 'pool' | 'statementTimeoutMs' | 'idleTimeoutMs' | 'statements'> = {};
  const pool = int('YUANPING_DB_POOL');
  const st = int('YUANPING_DB_STATEMENT_TIMEOUT_MS');
  const idle = int('YUANPING_DB_IDLE_TIMEOUT_MS');
  if (pool !== undefined) out.pool = pool;
  if (st !== undefined) out.statementTimeoutMs = st;
  if (idle !== undefined) out.idleTimeoutMs = idle;
  if (statements === 'unnamed' || statements === 'prepared') out.statements = statements;
  return out;
}

/** Opens the configured database and runs the migrations. */
export async function openStorage(opts: OpenStorageOptions = {}): Promise<Storage> {
  const db = opts.databaseUrl
    ? await openPg({
        connectionString: opts.databaseUrl,
        ...(opts.schema ? { schema: opts.schema } : {}),
        ...(opts.onPoolError ? { onError: opts.onPoolError } : {}),
        ...(opts.applicationName ? { applicationName: opts.applicationName } : {}),
        ...(opts.pool !== undefined ? { max: opts.pool } : {}),
        ...(opts.statementTimeoutMs !== undefined ? { statementTimeoutMs: opts.statementTimeoutMs } : {}),
        ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
        ...(opts.statements ? { statements: opts.statements } : {}),
      })
    : await openPglite({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), ...(opts.image ? { image: opts.image } : {}) });
  try {
    return await Storage.open(db);
  } catch (e) {
    await db.close();
    throw e;
  }
}

/** A fresh random schema name for a test run. */
export function randomSchemaName(prefix = 'yp_test'): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Drops a PostgreSQL schema and everything in it (test clean-up). */
export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}
