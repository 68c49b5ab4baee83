/**
 * Bench: the 2021 star rule set over a batch of submissions, measured in one run:
 *  - the runtime (rules compiled to closures, full explanation of every criterion),
 *  - plain json-rules-engine 7 (one Engine, reused sequentially; derived facts as dynamic facts),
 *  - a hand-written TypeScript function of the same standard (no explanation),
 *  - the runtime's batch path (`evaluateBatch`, columnar): the outcome of every submission with
 *    its explanation kept as data (pass bitsets of every condition, fact columns), and the same
 *    with every explanation materialised (`explain(i)` for each: what `evaluate()` returns).
 * The submissions are generated near the hand-worked fixtures and parsed from JSON, as a
 * server holds them. Prints submissions per second (wall clock, and per CPU-second of the
 * process: steadier when other work shares the machine) and the ratios of the wall-clock
 * rates. Timings are noisy: compare ratios.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { compileRuleSet, loadPack, evaluateReference } from '@yuanping/core';
import { nearFixturesArbitrary } from '../differential/generate.js';
import { starLevelByHand } from './star-handwritten.js';
import { jrePeer } from './jre-peer.js';

const repo = join(import.meta.dirname, '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

/** A rate as printed: wall-clock, and per CPU-second of this process (steadier on a shared machine). */
export function report(name: string, n: number, ms: number, cpu: NodeJS.CpuUsage): number {
  const rate = n / (ms / 1000);
  const cpuRate = n / ((cpu.user + cpu.system) / 1e6);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(12);
  console.log(`  ${name.padEnd(46)} ${fmt(rate)} 份/秒（按 CPU 时间 ${fmt(cpuRate).trim()} 份/秒）`);
  cpuRates.set(name, cpuRate);
  return rate;
}

/** name → rate per CPU-second, of the lines printed */
const cpuRates = new Map<string, number>();

/** Loops `fn` over the batch for BENCH_SECONDS after a warm-up; prints and returns submissions per second. */
export async function measure(name: string, batch: unknown[], fn: (x: unknown) => unknown | Promise<unknown>): Promise<number> {
  // warm up
  for (const x of batch.slice(0, 200)) await fn(x);
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    for (const x of batch) {
      const r = fn(x);
      if (r instanceof Promise) await r;
      n++;
    }
  }
  return report(name, n, performance.now() - t0, process.cpuUsage(c0));
}

/** A batch measure: fn evaluates the whole batch; submissions per second. */
function measureBatch(name: string, batch: unknown[], fn: (b: unknown[]) => unknown): number {
  for (let k = 0; k < 3; k++) fn(batch); // warm up
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    fn(batch);
    n += batch.length;
  }
  return report(name, n, performance.now() - t0, process.cpuUsage(c0));
}

export async function benchRules(): Promise<Record<string, number>> {
  const pack = await loadPack('zj-2021-evaluation-star', { root: repo });
  const rs = compileRuleSet(pack, 'star-rating');
  const avg = rs.paramValues().provincialAvgTaxPerMu as number;
  // the submissions as a server holds them: parsed from JSON (as read from the database or a request)
  const batch = JSON.parse(JSON.stringify(fc.sample(nearFixturesArbitrary(pack, 'star-rating'), { numRuns: 2000, seed: 7 }))) as unknown[];
  console.log(`星级评定规则集（${rs.rules.length} 条规则），${batch.length} 份申报循环 ${SECONDS} 秒，node ${process.version}`);

  // plain json-rules-engine: one engine, sequential runs (a shared engine is only wrong when run concurrently)
  const jre = jrePeer(rs).run;

  const runtime = await measure('园评运行时（逐条解释）', batch, (x) => rs.evaluate(x));
  const quick = await measure('园评运行时（结果；解释按需生成）', batch, (x) => rs.quick(x));
  const plain = await measure('json-rules-engine 7 最佳配置（一引擎复用、扁平事实）', batch, jre);
  const fresh = await measure('json-rules-engine 7（每份新建引擎，可并发）', batch.slice(0, 500), (x) => evaluateReference(rs, x));
  const hand = await measure('手写函数（无解释）', batch, (x) => starLevelByHand(x as never, avg));
  const compactName = `批量（evaluateBatch，${batch.length} 份一批；解释以数据保存）`;
  const batchCompact = measureBatch(compactName, batch, (b) => rs.evaluateBatch(b));
  const batchCompactCpu = cpuRates.get(compactName)!;
  const batchFull = measureBatch('批量（同上，并为每份生成完整解释 explain(i)）', batch, (b) => {
    const r = rs.evaluateBatch(b);
    for (let i = 0; i < r.size; i++) r.explain(i);
    return r;
  });
  console.log(`  比值：运行时（按需解释）/ json-rules-engine = ${(quick / plain).toFixed(1)}×；运行时 / json-rules-engine = ${(runtime / plain).toFixed(1)}×；运行时 / 每份新建引擎 = ${(runtime / fresh).toFixed(1)}×；手写 / 运行时 = ${(hand / runtime).toFixed(1)}×`);
  console.log(
    `  批量比值：批量（解释为数据）/ json-rules-engine = ${(batchCompact / plain).toFixed(1)}×，/ 手写 = ${(batchCompact / hand).toFixed(2)}×；` +
      `批量（全部解释生成）/ json-rules-engine = ${(batchFull / plain).toFixed(1)}×，/ 手写 = ${(batchFull / hand).toFixed(2)}×`,
  );
  console.log(
    `  目标（单核 1,000,000 份/秒，约为 json-rules-engine 的 50×）：按比值 ${(batchCompact / plain).toFixed(0)}× / 50×；` +
      `按绝对值（CPU 时间）${Math.round(batchCompactCpu).toLocaleString('en-US')} 份/秒，达 ${((100 * batchCompactCpu) / 1e6).toFixed(0)}%`,
  );
  return { runtime, quick, plain, fresh, hand, batchCompact, batchFull, batchCompactCpu };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRules();
