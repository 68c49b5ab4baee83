/**
 * Bench: a cohort run over 100,000 parks as a job (POST /api/cohort-jobs → progress → saved run),
 * through the server (in-process, fastify inject) and the database (PGlite in memory, or
 * PostgreSQL when DATABASE_URL is set): the time to the end, records per second, the progress
 * reports seen while polling, the process's peak memory, the load. Each record is written as a row
 * of its own, in batches (migration 13). Prints; asserts nothing.
 * Run: pnpm exec tsx test/bench/cohort-job.bench.ts [records]
 */
import { loadavg } from 'node:os';
import { makeHarness } from '../../apps/server/src/testing/harness.js';
import { testPackFiles, TEST_PACK_ID } from '../../apps/server/src/testing/fixture-pack.js';
import { cohortBenchRecords, cohortBenchStep } from './cohort-data.js';

const N = Number(process.argv[2] ?? 100_000);
const records = cohortBenchRecords(N);
// the fixture pack's step `rank` replaced by the bench's scoring and grading step
const packFiles = { ...testPackFiles(), [`rules/${TEST_PACK_ID}/rank.cohort.json`]: { ...cohortBenchStep, id: 'rank' } };
const h = await makeHarness({ packFiles, bodyLimit: 64 * 1024 * 1024, ...(process.env.DATABASE_URL ? { backend: 'pg' as const } : {}) });
try {
  const city = await h.login('city-hz');
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  let peakRss = process.memoryUsage().rss;
  const rss0 = peakRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const res = await city.post('/api/cohort-jobs', { packId: TEST_PACK_ID, stepId: 'rank', records });
  if (res.statusCode !== 202) throw new Error(`POST /api/cohort-jobs: ${res.statusCode} ${res.body.slice(0, 300)}`);
  const accepted = performance.now() - t0;
  const id = (res.json() as { id: string }).id;
  const seen = new Set<string>();
  let job: { status: string; done: number; total: number; phase: string | null; resultId: string | null; errorMessage: string | null };
  for (;;) {
    job = (await city.get(`/api/jobs/${id}`)).json() as typeof job;
    const step = `${job.phase ?? job.status}:${job.done}`;
    // each new progress report as it is seen (stderr), so a run that is stopped still shows how far it got
    if (!seen.has(step)) process.stderr.write(`  ${((performance.now() - t0) / 1000).toFixed(1)} s ${step} RSS ${mb(process.memoryUsage().rss)} MB\n`);
    seen.add(step);
    if (job.status !== 'queued' && job.status !== 'running') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const ms = performance.now() - t0;
  clearInterval(sampler);
  if (job.status !== 'succeeded') {
    // the limit measured, printed as the figure (each record is a row written in batches since
    // migration 13; before it, a run's result was one jsonb value, which at 100,000 records exceeded
    // PostgreSQL's 256 MB jsonb array limit)
    console.log(
      `群体评价任务（${h.storage.kind === 'pg' ? 'PostgreSQL' : 'PGlite'}）：${N.toLocaleString('en')} 条记录 —— 未能完成（${job.status}：${job.errorMessage ?? ''}），` +
        `用时 ${(ms / 1000).toFixed(1)} s，轮询看到 ${seen.size} 个不同进度，进程内存 RSS 峰值 ${mb(peakRss)} MB；负载 ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
    );
    process.exitCode = 1;
  } else {
    // the saved result counted in the database (not read back whole)
    const counts = await h.storage.cohortGradeCounts(job.resultId ?? '');
    const dist: Record<string, number> = {};
    for (const c of counts) dist[c.grade] = (dist[c.grade] ?? 0) + c.count;
    console.log(
      `群体评价任务（${h.storage.kind === 'pg' ? 'PostgreSQL' : 'PGlite'}）：${N.toLocaleString('en')} 条记录，请求答复 ${accepted.toFixed(0)} ms，至保存完成 ${(ms / 1000).toFixed(1)} s，` +
        `${Math.round(N / (ms / 1000)).toLocaleString('en')} 条/秒；轮询看到 ${seen.size} 个不同进度；进程内存 RSS 起始 ${mb(rss0)} MB、峰值 ${mb(peakRss)} MB；` +
        `结果 ${counts.reduce((a, c) => a + c.count, 0).toLocaleString('en')} 条，分布 ${JSON.stringify(dist)}；负载 ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
    );
  }
} finally {
  await h.close();
}
