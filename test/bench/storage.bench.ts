/**
 * Storage statement modes (issue 18), on PostgreSQL (DATABASE_URL) and through PgBouncer in
 * transaction mode (DATABASE_URL_POOLED): what the pooler-safe choices cost per statement.
 *   - standalone read by primary key of a ≈ 2 KB jsonb row (`prepared: true`, as the hot reads);
 *   - a save: one transaction with SELECT … FOR UPDATE and an UPDATE of the row.
 * Variants: no schema and no statement timeout (nothing to set: one round trip per standalone
 * statement, the old setting without its startup options), schema + statement timeout set with
 * SET LOCAL (the default; a standalone statement runs in BEGIN/SET LOCAL…; stmt; COMMIT), the same
 * with named prepared statements (`YUANPING_DB_STATEMENTS=prepared`, direct only), and through
 * PgBouncer. Sequential (one client), BENCH_STORAGE_SECONDS (3) per measure.
 */
import { randomSchemaName, dropSchema, openPg, type PgOptions } from '@yuanping/storage';

const SECONDS = Number(process.env.BENCH_STORAGE_SECONDS ?? 3);
const direct = process.env.DATABASE_URL;
const pooled = process.env.DATABASE_URL_POOLED;

async function measure(fn: () => Promise<unknown>): Promise<{ perSecond: number; usPerOp: number }> {
  for (let i = 0; i < 50; i++) await fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    await fn();
    n++;
  }
  const ms = performance.now() - t0;
  return { perSecond: Math.round((n / ms) * 1000), usPerOp: Math.round((ms / n) * 1000) };
}

async function variant(label: string, opts: Omit<PgOptions, 'schema'> & { withSchema: boolean }, schema: string): Promise<void> {
  const { withSchema, ...o } = opts;
  const db = await openPg({ ...o, ...(withSchema ? { schema } : {}), max: 4 });
  const table = withSchema ? 'bench_rows' : `${schema}.bench_rows`;
  try {
    const id = 'row-7';
    const read = await measure(() => db.query(`SELECT id, version, data FROM ${table} WHERE id = $1`, [id], { prepared: true }));
    let v = 0;
    const save = await measure(() =>
      db.transaction(async (q) => {
        const [row] = await q.query<{ version: number }>(`SELECT version FROM ${table} WHERE id = $1 FOR UPDATE`, [id], { prepared: true });
        await q.query(`UPDATE ${table} SET data = jsonb_set(data, '{n}', to_jsonb($2::int)), version = $3 WHERE id = $1`, [id, ++v, (row?.version ?? 0) + 1], { prepared: true });
      }),
    );
    console.log(`  ${label.padEnd(46)} 读 ${String(read.perSecond).padStart(6)} 次/秒（${read.usPerOp} µs）  保存事务 ${String(save.perSecond).padStart(6)} 次/秒（${save.usPerOp} µs）`);
  } finally {
    await db.close();
  }
}

if (!direct) {
  console.log('  （未设置 DATABASE_URL：跳过）');
} else {
  const schema = randomSchemaName('yp_bench');
  const setup = await openPg({ connectionString: direct, schema, max: 1 });
  await setup.exec(`CREATE TABLE bench_rows (id text PRIMARY KEY, version int NOT NULL, data jsonb NOT NULL)`);
  await setup.query(`INSERT INTO bench_rows SELECT 'row-' || g, 1, jsonb_build_object('n', 0, 'text', repeat('园区数据', 170)) FROM generate_series(1, 100) g`);
  await setup.close();
  try {
    console.log(`  load ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim()}（机器与其他开发者共用）`);
    await variant('直连，无模式、无语句超时（无需 SET LOCAL）', { connectionString: direct, statementTimeoutMs: 0, withSchema: false }, schema);
    await variant('直连，模式 + 语句超时（SET LOCAL，默认）', { connectionString: direct, withSchema: true }, schema);
    await variant('直连，同上 + 命名预备语句（prepared）', { connectionString: direct, withSchema: true, statements: 'prepared' }, schema);
    if (pooled) {
      await variant('PgBouncer 事务模式，无模式、无语句超时', { connectionString: pooled, statementTimeoutMs: 0, withSchema: false }, schema);
      await variant('PgBouncer 事务模式，模式 + 语句超时（默认）', { connectionString: pooled, withSchema: true }, schema);
    } else console.log('  （未设置 DATABASE_URL_POOLED：不测 PgBouncer）');
  } finally {
    await dropSchema(direct, schema);
  }
}
