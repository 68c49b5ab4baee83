/**
 * Bench: the 2021 star rule set over a batch of submissions, measured in one run:
 *  - the runtime (rules compiled to closures, full explanation of every criterion),
 *  - plain json-rules-engine 7 (one Engine, reused sequentially; derived facts as dynamic facts),
 *  - a hand-written TypeScript function of the same standard (no explanation).
 * Prints submissions per second and the ratios. Timings are noisy: compare ratios.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { compileRuleSet, loadPack, OPERATOR_FNS, referenceRules, evaluateReference } from '@yuanping/core';
import { nearFixturesArbitrary } from '../differential/generate.js';
import { starLevelByHand } from './star-handwritten.js';

const repo = join(import.meta.dirname, '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

async function measure(name: string, batch: unknown[], fn: (x: unknown) => unknown | Promise<unknown>): Promise<number> {
  // warm up
  for (const x of batch.slice(0, 200)) await fn(x);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    for (const x of batch) {
      const r = fn(x);
      if (r instanceof Promise) await r;
      n++;
    }
  }
  const rate = n / ((performance.now() - t0) / 1000);
  console.log(`  ${name.padEnd(46)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} 份/秒`);
  return rate;
}

export async function benchRules(): Promise<void> {
  const pack = await loadPack('zj-2021-evaluation-star', { root: repo });
  const rs = compileRuleSet(pack, 'star-rating');
  const avg = rs.paramValues().provincialAvgTaxPerMu as number;
  const batch = fc.sample(nearFixturesArbitrary(pack, 'star-rating'), { numRuns: 2000, seed: 7 });
  console.log(`星级评定规则集（${rs.rules.length} 条规则），${batch.length} 份申报循环 ${SECONDS} 秒，node ${process.version}`);

  // plain json-rules-engine: one engine, sequential runs (a shared engine is only wrong when run concurrently)
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const op of ['containsAll', 'dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter'] as const) engine.addOperator(op, OPERATOR_FNS[op]);
  for (const r of referenceRules(rs)) engine.addRule(r);
  const params = rs.paramValues();
  const jre = async (x: unknown) => {
    const derived = rs.derive(x, params);
    const facts: Record<string, unknown> = { ...derived };
    for (const [k, v] of Object.entries(params)) facts[`param.${k}`] = v;
    const flat = (o: unknown, p: string) => {
      if (o && typeof o === 'object' && !Array.isArray(o)) for (const [k, v] of Object.entries(o)) flat(v, p ? `${p}.${k}` : k);
      else facts[p] = o;
    };
    flat(x, '');
    return engine.run(facts);
  };

  const runtime = await measure('园评运行时（逐条解释）', batch, (x) => rs.evaluate(x));
  const quick = await measure('园评运行时（结果；解释按需生成）', batch, (x) => rs.quick(x));
  const plain = await measure('json-rules-engine 7（同一引擎顺序运行）', batch, jre);
  const fresh = await measure('json-rules-engine 7（每份新建引擎，可并发）', batch.slice(0, 500), (x) => evaluateReference(rs, x));
  const hand = await measure('手写函数（无解释）', batch, (x) => starLevelByHand(x as never, avg));
  console.log(`  比值：运行时（按需解释）/ json-rules-engine = ${(quick / plain).toFixed(1)}×；运行时 / json-rules-engine = ${(runtime / plain).toFixed(1)}×；运行时 / 每份新建引擎 = ${(runtime / fresh).toFixed(1)}×；手写 / 运行时 = ${(hand / runtime).toFixed(1)}×`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRules();
