import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
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
  /** The connection pool's use (PostgreSQL); null on PGlite (one connection in process). */
  poolStats(): PoolStats | null;
  /** PGlite only: the whole database as a tarball, to open copies of it (`PgliteOptions.image`). */
  dumpImage?(): Promise<Blob>;
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
  /**
   * A database to start from (a `dumpImage()` of another, migrated one) instead of an empty
   * cluster: skips initdb, the costly part of a PGlite start (tests open many copies of one).
   */
  image?: Blob;
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
    db = await PGlite.create({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), ...(opts.image ? { loadDataDir: opts.image } : {}) });
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
    poolStats: () => null,
    dumpImage: () => db.dumpDataDir('none'),
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
  /**
   * Schema to use (created if missing). Set with `SET LOCAL search_path` at the start of every
   * transaction (a standalone statement runs in one), never as a startup parameter or session
   * setting: so it survives a pooler in transaction mode (PgBouncer), which refuses `options` and
   * hands each transaction whichever server connection is free.
   */
  schema?: string;
  /** Connections of this process's pool (`YUANPING_DB_POOL`, default 10). */
  max?: number;
  /** `statement_timeout` of every statement, in ms (`YUANPING_DB_STATEMENT_TIMEOUT_MS`, default 30 000; 0: none). */
  statementTimeoutMs?: number;
  /** A pooled connection idle this long is closed, in ms (`YUANPING_DB_IDLE_TIMEOUT_MS`, default 30 000). */
  idleTimeoutMs?: number;
  /**
   * `unnamed` (default): every statement is parsed by the server each time (the extended protocol's
   * unnamed statement) — safe behind any pooler. `prepared`: the hot statements become named prepared
   * statements whose name is the hash of their SQL text (so every process agrees on what a name means);
   * only for a direct connection or a pooler that tracks prepared statements (PgBouncer ≥ 1.21 with
   * `max_prepared_statements`). `YUANPING_DB_STATEMENTS`.
   */
  statements?: 'unnamed' | 'prepared';
  /** `application_name` of the pool's connections (visible in pg_stat_activity; default: PGAPPNAME, else yuanping). */
  applicationName?: string;
  /** Called when an idle client errors (e.g. the database restarted); the pool replaces it. */
  onError?: (err: Error) => void;
}

/** The pool's use, for metrics: connections open, idle, and requests waiting for one. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export const PG_DEFAULTS = { max: 10, statementTimeoutMs: 30_000, idleTimeoutMs: 30_000, statements: 'unnamed' } as const;

/** A PostgreSQL `Db`, with its pool's figures. */
export interface PgDb extends Db {
  readonly kind: 'pg';
  poolStats(): PoolStats;
}

/** Statement name derived from the SQL text: the same in every process, whichever order they use it in. */
export function statementName(sql: string): string {
  return `yp_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
}

/**
 * A database (or a pooler in front of it) refusing a connection's startup parameters gets a clear
 * Chinese message: PgBouncer refuses `options` (e.g. from PGOPTIONS) and anything it does not track.
 */
export function explainConnectError(e: unknown): unknown {
  const err = e as { code?: string; message?: string };
  const m = typeof err?.message === 'string' ? /unsupported startup parameter:?\s*(\S+)?/i.exec(err.message) : null;
  if (!m) return e;
  return Object.assign(
    new Error(
      `数据库（或其前面的连接池，如 PgBouncer）拒绝了连接的启动参数 ${m[1] ?? ''}：${err.message}。` +
        '园评不在启动参数中设置任何东西（模式用 YUANPING_DB_SCHEMA，在每个事务内设置）；请检查环境变量 PGOPTIONS 及连接串中的 options 参数并去掉它们。',
    ),
    { code: 'DB_STARTUP_PARAMETER_REFUSED', cause: e },
  );
}

function nonNegativeInt(name: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} 应为不小于 0 的整数：${v}`);
  return n;
}

export async function openPg(opts: PgOptions): Promise<PgDb> {
  if (opts.schema && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error(`invalid schema name: ${opts.schema}`);
  const max = nonNegativeInt('YUANPING_DB_POOL', opts.max, PG_DEFAULTS.max);
  if (max < 1) throw new Error('YUANPING_DB_POOL 应至少为 1');
  const statementTimeoutMs = nonNegativeInt('YUANPING_DB_STATEMENT_TIMEOUT_MS', opts.statementTimeoutMs, PG_DEFAULTS.statementTimeoutMs);
  const idleTimeoutMs = nonNegativeInt('YUANPING_DB_IDLE_TIMEOUT_MS', opts.idleTimeoutMs, PG_DEFAULTS.idleTimeoutMs);
  const prepared = (opts.statements ?? PG_DEFAULTS.statements) === 'prepared';
  if (opts.schema) {
    const c = new pg.Client({ connectionString: opts.connectionString });
    try {
      await c.connect();
    } catch (e) {
      await c.end().catch(() => {});
      throw explainConnectError(e);
    }
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
    } finally {
      await c.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max,
    // fail fast (→ 503) instead of hanging while the database is unreachable
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: idleTimeoutMs,
    // application_name is the one startup parameter sent (PgBouncer passes it on); nothing else
    application_name: opts.applicationName ?? (process.env.PGAPPNAME || 'yuanping'),
  });
  // Without this handler an idle client's error (database restart, network drop) crashes the process.
  pool.on('error', (err) => opts.onError?.(err));

  // What every transaction starts with: the session is the pooler's, so nothing is set on it.
  const settings = [
    ...(opts.schema ? [`SET LOCAL search_path TO ${opts.schema}`] : []),
    ...(statementTimeoutMs ? [`SET LOCAL statement_timeout = ${statementTimeoutMs}`] : []),
  ];
  const begin = ['BEGIN', ...settings].join('; ');

  const connect = async (): Promise<pg.PoolClient> => {
    try {
      return await pool.connect();
    } catch (e) {
      throw explainConnectError(e);
    }
  };
  const run = async <T>(c: pg.PoolClient, sql: string, params?: unknown[], o?: { prepared?: boolean }): Promise<T[]> => {
    const values = (params ?? []).map(normalizeParam);
    const r = await c.query(prepared && o?.prepared ? { name: statementName(sql), text: sql, values } : { text: sql, values });
    return r.rows.map((row: Record<string, unknown>) => normalizeRow<T>(row));
  };
  const transaction = async <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
    const client = await connect();
    let broken = false;
    try {
      await client.query(begin);
      const out = await fn({ query: (sql, params, o) => run(client, sql, params, o) });
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
  };
  return {
    kind: 'pg',
    // a standalone statement: in a transaction of its own when there is something to set, else as is
    query: (sql, params, o) =>
      settings.length
        ? transaction((q) => q.query(sql, params, o))
        : (async () => {
            const client = await connect();
            try {
              return await run(client, sql, params, o);
            } finally {
              client.release();
            }
          })(),
    transaction,
    exec: (sql) => transaction(async (q) => void (await q.query(sql))),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    close: () => pool.end(),
  };
}
