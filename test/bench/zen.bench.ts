/**
 * Bench: @gorules/zen-engine "in loop mode" on the 2021 star rule set, measured in one run
 * with plain json-rules-engine 7 (run as test/bench/rules.bench.ts runs it) for the ratio,
 * and the runtime (full explanation) for the ratio:
 *  - zen-engine: one ZenEngine, one decision created once from the JDM translated from
 *    `referenceRules(rs)` (test/bench/zen/translate.ts), `await decision.evaluate(input)`
 *    per submission in a for loop over the batch; the input is built per submission like
 *    json-rules-engine's facts (derived facts by `rs.derive`, parameters, form data);
 *  - the same with `{ trace: true }`, zen's explanation mode (per node: input, output and
 *    the decision-table rows that matched, or each expression's value);
 *  - two graph shapes: one decision table (hit policy collect, a row per rule) and one
 *    expression node (a key per rule).
 * Prints submissions per second and the ratios. Timings are noisy: compare ratios.
 * Alone: `node --import tsx test/bench/zen.bench.ts`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { ZenEngine } from '@gorules/zen-engine';
import { compileRuleSet, loadPack } from '@yuanping/core';
import { nearFixturesArbitrary } from '../differential/generate.js';
import { jrePeer } from './jre-peer.js';
import { zenPeer } from './zen/peer.js';
import { measure } from './rules.bench.js';

const repo = join(import.meta.dirname, '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

/** zen's `performance` ("412.3µs", "1.2ms", "830ns") in microseconds. */
function micros(p: string): number {
  const v = Number.parseFloat(p);
  return p.endsWith('ms') ? v * 1000 : p.endsWith('ns') ? v / 1000 : p.endsWith('µs') || p.endsWith('us') ? v : v * 1e6;
}

export async function benchZen(): Promise<void> {
  const pack = await loadPack('zj-2021-evaluation-star', { root: repo });
  const rs = compileRuleSet(pack, 'star-rating');
  const batch = fc.sample(nearFixturesArbitrary(pack, 'star-rating'), { numRuns: 2000, seed: 7 });
  const engine = new ZenEngine();
  const table = zenPeer(rs, { shape: 'table', engine });
  const expression = zenPeer(rs, { shape: 'expression', engine });
  const jre = jrePeer(rs);
  const version = (createRequire(import.meta.url)('@gorules/zen-engine/package.json') as { version: string }).version;
  console.log(
    `zen-engine ${version} 对照：星级评定规则集（${rs.rules.length} 条规则，JDM ${table.translated.names.length} 行含适用条件），${batch.length} 份申报循环 ${SECONDS} 秒，node ${process.version}`,
  );

  const runtime = await measure('园评运行时（逐条解释）', batch, (x) => rs.evaluate(x));
  const plain = await measure('json-rules-engine 7（同一引擎顺序运行）', batch, (x) => jre.run(x));
  const zt = await measure('zen-engine 循环（决策表 collect，逐份 evaluate）', batch, (x) => table.run(x));
  const ztTrace = await measure('zen-engine 循环（决策表，trace 解释）', batch, (x) => table.run(x, true));
  const ze = await measure('zen-engine 循环（表达式节点，逐份 evaluate）', batch, (x) => expression.run(x));
  const zeTrace = await measure('zen-engine 循环（表达式节点，trace 解释）', batch, (x) => expression.run(x, true));
  // zen's own timing of each evaluation (the response's `performance`): the engine without
  // the N-API conversion of input and result and the hop to its worker thread
  const inner: number[] = [];
  for (const x of batch) inner.push(micros((await table.run(x)).performance));
  inner.sort((a, b) => a - b);
  const median = inner[inner.length >> 1]!;
  console.log(`  ${'（zen 决策表：引擎内部计时中位数，不含绑定开销）'.padEnd(46)} ${Math.round(1e6 / median).toLocaleString('en-US').padStart(12)} 份/秒（${median.toFixed(0)} µs/份）`);
  console.log(
    `  比值：zen 决策表 / json-rules-engine = ${(zt / plain).toFixed(1)}×（trace ${(ztTrace / plain).toFixed(1)}×）；zen 表达式节点 / json-rules-engine = ${(ze / plain).toFixed(1)}×（trace ${(zeTrace / plain).toFixed(1)}×）；运行时 / zen 决策表 = ${(runtime / zt).toFixed(1)}×；运行时 / zen 表达式节点 = ${(runtime / ze).toFixed(1)}×`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchZen();
