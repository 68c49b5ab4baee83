import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import pg from 'pg';

/** Anything that runs one SQL statement with positional parameters. */
export interface Queryable {
  /**
   * `prepared`: on PostgreSQL, a named prepared statement (parsed and planned once per pooled
   * connection, not on every call) — for the hot statements, whose text never changes and whose
   * result columns are listed (never `*`, which a later migration could change under a cached plan).
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], opts?: { prepared?: boolean }): Promise<T[]>;
}

/** A database: PGlite (embedded) or PostgreSQL through `pg`, same SQL on both. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'pg';
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements (no parameters), used by migrations. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

function normalizeParam(v: unknown): unknown {
  if (v instanceof Uint8Array) return v;
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) return JSON.stringify(v);
  return v;
}

function normalizeRow<T>(row: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return row as T;
}

export interface PgliteOptions {
  /** Data directory; omitted → in memory. */
  dataDir?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second process opening the same directory would
 * corrupt it. A lock file holding the owner's pid refuses that (a stale lock is taken over).
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, 'yuanping.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new Error(`数据目录 ${dir} 正被进程 ${pid} 使用。PGlite 只能由一个进程打开；多个服务进程请使用 PostgreSQL（设置 DATABASE_URL）；如确认没有其他进程在用，可删除 ${file}。`);
      }
      unlinkSync(file);
    }
  }
  throw new Error(`无法锁定数据目录 ${dir}`);
}

export async function openPglite(opts: PgliteOptions = {}): Promise<Db> {
  let unlock = () => {};
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    unlock = lockDataDir(opts.dataDir);
  }
  let db: PGlite;
  try {
    db = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {});
  } catch (e) {
    unlock();
    throw e;
  }
  const run = async <T>(q: PGlite | Transaction, sql: string, params?: unknown[]): Promise<T[]> => {
    const r = await q.query<Record<string, unknown>>(sql, (params ?? []).map(normalizeParam));
    return r.rows.map((row) => normalizeRow<T>(row));
  };
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) })),
    exec: async (sql) => {
      await db.exec(sql);
    },
    close: async () => {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}

export interface PgOptions {
  connectionString: string;
  /** Schema to use (created if missing); every pooled connection gets `search_path` set to it. */
  schema?: string;
  max?: number;
  /** `application_name` of the pool's connections (visible in pg_stat_activity; default: PGAPPNAME, else yuanping). */
  applicationName?: string;
  /** Called when an idle client errors (e.g. the database restarted); the pool replaces it. */
  onError?: (err: Error) => void;
}

export async function openPg(opts: PgOptions): Promise<Db> {
  if (opts.schema && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error(`invalid schema name: ${opts.schema}`);
  if (opts.schema) {
    const c = new pg.Client({ connectionString: opts.connectionString });
    await c.connect();
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
    } finally {
      await c.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    // fail fast (→ 503) instead of hanging while the database is unreachable
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: opts.applicationName ?? (process.env.PGAPPNAME || 'yuanping'),
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // Without this handler an idle client's error (database restart, network drop) crashes the process.
  pool.on('error', (err) => opts.onError?.(err));
  const names = new Map<string, string>();
  const run = async <T>(c: pg.Pool | pg.PoolClient, sql: string, params?: unknown[], opts?: { prepared?: boolean }): Promise<T[]> => {
    const values = (params ?? []).map(normalizeParam);
    let name: string | undefined;
    if (opts?.prepared) {
      name = names.get(sql);
      if (!name) names.set(sql, (name = `yp_${names.size + 1}`));
    }
    const r = await c.query(name ? { name, text: sql, values } : { text: sql, values });
    return r.rows.map((row: Record<string, unknown>) => normalizeRow<T>(row));
  };
  return {
    kind: 'pg',
    query: (sql, params, opts) => run(pool, sql, params, opts),
    transaction: async (fn) => {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const out = await fn({ query: (sql, params, opts) => run(client, sql, params, opts) });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw e;
      } finally {
        client.release(broken);
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
