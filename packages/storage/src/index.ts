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
  onPoolError?: (err: Error) => void;
  /** PostgreSQL `application_name` (default `yuanping`). */
  applicationName?: string;
}

/** Opens the configured database and runs the migrations. */
export async function openStorage(opts: OpenStorageOptions = {}): Promise<Storage> {
  const db = opts.databaseUrl
    ? await openPg({
        connectionString: opts.databaseUrl,
        ...(opts.schema ? { schema: opts.schema } : {}),
        ...(opts.onPoolError ? { onError: opts.onPoolError } : {}),
        ...(opts.applicationName ? { applicationName: opts.applicationName } : {}),
      })
    : await openPglite(opts.dataDir ? { dataDir: opts.dataDir } : {});
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
