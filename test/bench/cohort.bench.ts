/**
 * Bench: score (5 efficacy indicators + 2 bonus items) and grade by quota (grouped by
 * 11 cities, with an exemption and an exclusion) a cohort of 100,000 records.
 * Run: pnpm exec tsx test/bench/cohort.bench.ts   (prints the measured time; no assertion)
 */
import { runCohortStep } from '@yuanping/cohort';
import { cohortBenchRecords, cohortBenchStep } from './cohort-data.js';

const N = Number(process.argv[2] ?? 100_000);
const records = cohortBenchRecords(N);
const step = cohortBenchStep;

runCohortStep(step, records.slice(0, 2000)); // warm-up
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = runCohortStep(step, records);
const cpu = process.cpuUsage(c0);
const ms = performance.now() - t0;
console.log(
  `cohort: ${N} 条记录计分并分档用时 ${ms.toFixed(0)} ms（CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms，含 GC 线程）；分布 ${JSON.stringify(r.distribution)}`,
);
const t1 = performance.now();
const sample = r.records.slice(0, 1000).map((x) => x.explanation.length);
console.log(`前 1000 条的说明按需生成用时 ${(performance.now() - t1).toFixed(0)} ms（共 ${sample.reduce((a, b) => a + b, 0)} 句）`);
