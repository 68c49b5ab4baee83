/**
 * The restore drill of docs/deploy.md, run for real: a server's PostgreSQL schema with data made
 * through the API (sign-ins, a draft saved three times, a submission passed by the county), dumped
 * with `pg_dump -Fc`, dropped, restored with `pg_restore`, and served again by a fresh server
 * process: every row count is the same, the submission answers with the same data, version and
 * status, its audit trail is whole, and the append-only triggers still refuse changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPg, type Db } from '@yuanping/storage';
import { HttpClient, killAll, pgDatabase, startServer, type Database } from './server-process.js';
import { publishTestPack, TEST_PACK_ID, VALID_DATA } from './helpers.js';

const URL_ = process.env.DATABASE_URL || undefined;
const have = (cmd: string) => {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!URL_ || !have('pg_dump') || !have('pg_restore'))('restore drill: pg_dump / pg_restore of a real database', () => {
  let db: Database | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'yp-drill-'));
  afterAll(async () => {
    await killAll();
    await db?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function counts(c: Db, schema: string): Promise<Record<string, number>> {
    const tables = await c.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1", [schema]);
    const out: Record<string, number> = {};
    for (const t of tables) out[t.table_name] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.${t.table_name}`))[0]?.n);
    return out;
  }

  it('a dump restores into a database a new server serves unchanged', async () => {
    db = pgDatabase(URL_ as string);
    const schema = db.env.YUANPING_DB_SCHEMA as string;
    let server = await startServer(db);
    await publishTestPack(server.base);
    const a = await HttpClient.login(server.base, 'applicant-hz');
    const created = await a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    const s = created.body as { id: string; version: number };
    let version = s.version;
    for (let i = 1; i <= 3; i++) {
      const r = await a.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: 12 + i } }, { 'if-match': `"${version}"` });
      expect(r.status).toBe(200);
      version = (r.body as { version: number }).version;
    }
    expect((await a.post(`/api/submissions/${s.id}/submit`)).status).toBe(200);
    const county = await HttpClient.login(server.base, 'county-xihu');
    expect((await county.post(`/api/submissions/${s.id}/review`, { action: 'pass' })).status).toBe(200);
    const before = (await a.get(`/api/submissions/${s.id}`)).body as { data: unknown; version: number; status: string };
    const auditBefore = (await a.get(`/api/submissions/${s.id}/audit`)).body as unknown[];
    await server.kill('SIGTERM');

    const c = await openPg({ connectionString: URL_ as string, max: 1 });
    try {
      const countsBefore = await counts(c, schema);
      expect(countsBefore.submissions).toBeGreaterThan(0);
      const file = join(dir, 'yuanping.dump');
      execFileSync('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${file}`, URL_ as string]);
      expect(statSync(file).size).toBeGreaterThan(0);
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      expect(await c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).toEqual([]);
      execFileSync('pg_restore', ['--exit-on-error', `--dbname=${URL_ as string}`, file]);
      expect(await counts(c, schema)).toEqual(countsBefore);
      // append-only still enforced after the restore (the triggers came back)
      await expect(c.query(`UPDATE ${schema}.audit_log SET action = 'x'`)).rejects.toThrow();
    } finally {
      await c.close();
    }

    server = await startServer(db);
    const again = await HttpClient.login(server.base, 'applicant-hz');
    const after = (await again.get(`/api/submissions/${s.id}`)).body as { data: unknown; version: number; status: string };
    expect({ data: after.data, version: after.version, status: after.status }).toEqual({ data: before.data, version: before.version, status: before.status });
    expect((await again.get(`/api/submissions/${s.id}/audit`)).body).toEqual(auditBefore);
    await server.kill('SIGTERM');
  });
});
