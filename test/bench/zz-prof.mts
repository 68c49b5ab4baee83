import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { HttpClient, REPO, pgDatabase, startServer } from '/work/main/test/reliability/server-process.ts';
const db = pgDatabase(process.env.DATABASE_URL as string);
const server = await startServer(db, {}, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir=/tmp/ypprof'] });
const fixture = JSON.parse(readFileSync(join(REPO, 'rules/zj-2021-evaluation-star/fixtures/14-m4-at-boundaries.json'), 'utf8'));
const a = await HttpClient.login(server.base, 'applicant-hz');
const mode = process.argv[2];
if (mode === 'eval') {
  const r = await autocannon({ url: `${server.base}/api/packs/zj-2021-evaluation-star/evaluate`, method: 'POST', headers: a.headers(), body: JSON.stringify({ ruleSetId: 'star-rating', data: fixture.input }), connections: 16, duration: 8 });
  console.log('eval', r.requests.average, r.latency.p99, r.non2xx);
} else {
  const s = (await a.post('/api/submissions', { packId: 'zj-2021-evaluation-star', formId: 'star-application', data: fixture.input })).body as { id: string; version: number };
  let v = s.version; const t0 = Date.now(); let n = 0;
  while (Date.now() - t0 < 8000) { const r = await a.put(`/api/submissions/${s.id}`, { data: fixture.input }, { 'if-match': `"${v}"` }); v++; n++; if (r.status !== 200) throw new Error(String(r.status)); }
  console.log('saves/s sequential', n / 8);
}
await server.kill('SIGINT');
await db.dispose();
