import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { dropSchema, openPg, randomSchemaName, statementName } from './index.js';

/**
 * What a pooler in transaction mode needs of the storage layer (PgBouncer: DATABASE_URL_POOLED;
 * the same checks directly on PostgreSQL with DATABASE_URL): nothing set on the session, statement
 * names that mean the same SQL in every process, the schema set inside each transaction.
 */
const targets = [
  ['postgres', process.env.DATABASE_URL],
  ['pgbouncer (transaction mode)', process.env.DATABASE_URL_POOLED],
].filter((t): t is [string, string] => Boolean(t[1]));

describe('statement names', () => {
  it('are derived from the SQL text, so every process agrees', () => {
    expect(statementName('SELECT 1')).toBe(statementName('SELECT 1'));
    expect(statementName('SELECT 1')).not.toBe(statementName('SELECT 2'));
    expect(statementName('SELECT 1')).toMatch(/^yp_[0-9a-f]{24}$/);
  });
});

describe.skipIf(targets.length === 0).each(targets)('pooler-safe storage on %s', (_name, url) => {
  it('two processes using their statements in different orders get their own answers', async () => {
    const schema = randomSchemaName('yp_pool');
    const a = await openPg({ connectionString: url, schema, max: 4 });
    const b = await openPg({ connectionString: url, schema, max: 4 });
    try {
      await a.exec('CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)');
      await a.query('INSERT INTO t SELECT g, $1 || g FROM generate_series(1, 50) g', ['v']);
      const byId = 'SELECT v FROM t WHERE id = $1';
      const count = 'SELECT count(*)::int AS n FROM t WHERE id <= $1';
      // a uses byId first, b uses count first (per-process numbering gave them the same name)
      const work: Array<Promise<void>> = [];
      for (let i = 1; i <= 50; i++) {
        work.push(a.query<{ v: string }>(byId, [i], { prepared: true }).then((r) => expect(r).toEqual([{ v: `v${i}` }])));
        work.push(b.query<{ n: number }>(count, [i], { prepared: true }).then((r) => expect(r).toEqual([{ n: i }])));
        work.push(b.transaction(async (q) => expect(await q.query(byId, [i], { prepared: true })).toEqual([{ v: `v${i}` }])));
      }
      await Promise.all(work);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(url, schema);
    }
  });

  it('creates its tables in its schema, never in public', async () => {
    const schema = randomSchemaName('yp_pool');
    const db = await openPg({ connectionString: url, schema, max: 2 });
    const name = `t_${schema}`;
    try {
      await db.exec(`CREATE TABLE ${name} (id int)`);
      await db.transaction(async (q) => void (await q.query(`INSERT INTO ${name} VALUES (1)`)));
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const r = await c.query<{ table_schema: string }>('SELECT table_schema FROM information_schema.tables WHERE table_name = $1', [name]);
        expect(r.rows).toEqual([{ table_schema: schema }]);
      } finally {
        await c.end();
      }
    } finally {
      await db.close();
      await dropSchema(url, schema);
    }
  });

  it('enforces the statement timeout inside each transaction', async () => {
    const db = await openPg({ connectionString: url, statementTimeoutMs: 100, max: 1 });
    try {
      await expect(db.query('SELECT pg_sleep(30)')).rejects.toMatchObject({ code: '57014' });
      // the connection is usable afterwards, and a session setting of its own does not leak out
      expect(await db.query<{ t: string }>("SELECT current_setting('statement_timeout') AS t")).toEqual([{ t: '100ms' }]);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL_POOLED)('a startup parameter the pooler refuses', () => {
  it('is named in a Chinese error', async () => {
    const url = new URL(process.env.DATABASE_URL_POOLED as string);
    url.searchParams.set('options', '-c search_path=x');
    const db = await openPg({ connectionString: url.toString(), max: 1 });
    try {
      await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'DB_STARTUP_PARAMETER_REFUSED', message: expect.stringContaining('启动参数') });
    } finally {
      await db.close();
    }
  });
});
