/**
 * Bench: every rule-engine peer on the 2021 star rule set, each in the mode named on its
 * line, measured in one run (load average before and after), on the same batch of 2,000
 * submissions generated near the fixtures and parsed from JSON:
 *  - the runtime per submission (`evaluate`, full explanation) and in batch (`evaluateBatch`
 *    on the 2,000, explanations kept as data);
 *  - json-rules-engine 7 (test/bench/jre-peer.ts): best configuration (one engine reused,
 *    flat facts, no path), nested facts with JSONPath through its default resolver, and the
 *    same with a custom path resolver;
 *  - @gorules/zen-engine, the JDM translated from `referenceRules(rs)` (test/bench/zen/), in
 *    loop mode (`executionMode: "loop"`: one `evaluate` per batch of 2,000, the inputs built
 *    like json-rules-engine's facts) and per call (one `evaluate` per submission), as one
 *    decision table (hit policy collect) and as one expression node; per call with
 *    `{ trace: true }` too.
 * Before timing, every peer's outcomes on the batch are checked equal to json-rules-engine's
 * best configuration (the differential test checks them on more). Prints submissions per
 * second and the ratios of this run. Timings are noisy: compare ratios.
 * Alone: `node --import tsx test/bench/zen.bench.ts`.
 */
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ZenEngine } from '@gorules/zen-engine';
import { compileRuleSet, loadPack } from '@yuanping/core';
import { nearFixturesArbitrary } from '../differential/generate.js';
import { jrePeer } from './jre-peer.js';
import { zenPeer } from './zen/peer.js';
import { measure, report } from './rules.bench.js';

const repo = join(import.meta.dirname, '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const BATCH = 2000;

/** zen's `performance` ("412.3µs", "1.2ms", "830ns") in microseconds. */
function micros(p: string): number {
  const v = Number.parseFloat(p);
  return p.endsWith('ms') ? v * 1000 : p.endsWith('ns') ? v / 1000 : p.endsWith('µs') || p.endsWith('us') ? v : v * 1e6;
}

/** `fn` evaluates the whole batch (one call); looped for BENCH_SECONDS after a warm-up. */
async function measureBatch(name: string, batch: unknown[], fn: (b: unknown[]) => unknown): Promise<number> {
  for (let k = 0; k < 3; k++) await fn(batch);
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    await fn(batch);
    n += batch.length;
  }
  return report(name, n, performance.now() - t0, process.cpuUsage(c0));
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

export async function benchZen(): Promise<Record<string, number>> {
  const pack = await loadPack('zj-2021-evaluation-star', { root: repo });
  const rs = compileRuleSet(pack, 'star-rating');
  const batch = JSON.parse(JSON.stringify(fc.sample(nearFixturesArbitrary(pack, 'star-rating'), { numRuns: BATCH, seed: 7 }))) as unknown[];
  const engine = new ZenEngine();
  const table = zenPeer(rs, { shape: 'table', engine });
  const expression = zenPeer(rs, { shape: 'expression', engine });
  const jre = { flat: jrePeer(rs, 'flat'), path: jrePeer(rs, 'path'), resolver: jrePeer(rs, 'resolver') };
  const version = (createRequire(import.meta.url)('@gorules/zen-engine/package.json') as { version: string }).version;
  console.log(
    `对照：星级评定规则集（${rs.rules.length} 条规则，JDM ${table.translated.names.length} 行含适用条件），${batch.length} 份申报一批，每项循环 ${SECONDS} 秒；zen-engine ${version}，node ${process.version}`,
  );

  // the same outcomes before any timing: every peer, every submission, rule by rule
  const ref: Array<Record<string, boolean>> = [];
  for (const x of batch) ref.push(await jre.flat.passed(x));
  const same = (name: string, got: Array<Record<string, boolean>>) => {
    const bad = got.findIndex((g, i) => JSON.stringify(g, Object.keys(g).sort()) !== JSON.stringify(ref[i], Object.keys(ref[i]!).sort()));
    if (got.length !== ref.length || bad >= 0) throw new Error(`${name}: 第 ${bad} 份申报的结果与 json-rules-engine 不同`);
  };
  for (const c of ['path', 'resolver'] as const) {
    const got: Array<Record<string, boolean>> = [];
    for (const x of batch) got.push(await jre[c].passed(x));
    same(`json-rules-engine ${c}`, got);
  }
  for (const [name, p] of [['zen 决策表', table], ['zen 表达式节点', expression]] as const) {
    same(`${name} 循环模式`, await p.passedLoop(batch));
    const got: Array<Record<string, boolean>> = [];
    for (const x of batch) got.push(await p.passed(x));
    same(`${name} 逐份调用`, got);
  }
  console.log(`  （计时前核对：json-rules-engine 三种配置、zen 两种模式两种图形，${batch.length} 份申报逐条规则结果全部相同）`);
  console.log(`  负载（前）：${load()}`);

  const r = {
    runtime: await measure('园评运行时：逐份 evaluate（完整解释）', batch, (x) => rs.evaluate(x)),
    batch: await measureBatch(`园评批量：evaluateBatch，${BATCH} 份一批（解释为数据）`, batch, (b) => rs.evaluateBatch(b)),
    jreBest: await measure('json-rules-engine 7 最佳配置（一引擎复用、扁平事实、无 path）', batch, (x) => jre.flat.run(x)),
    jreDefault: await measure('json-rules-engine 7 默认配置（嵌套事实 + path，默认 JSONPath 解析）', batch, (x) => jre.path.run(x)),
    jreResolver: await measure('json-rules-engine 7 嵌套事实 + path，自定义 pathResolver', batch, (x) => jre.resolver.run(x)),
    zenLoopTable: await measureBatch(`zen-engine 循环模式（executionMode loop，每 ${BATCH} 份一次 evaluate；决策表）`, batch, (b) => table.runLoop(b)),
    zenLoopExpr: await measureBatch(`zen-engine 循环模式（同上；表达式节点）`, batch, (b) => expression.runLoop(b)),
    zenCallTable: await measure('zen-engine 逐份调用（每份一次 evaluate；决策表）', batch, (x) => table.run(x)),
    zenCallExpr: await measure('zen-engine 逐份调用（每份一次 evaluate；表达式节点）', batch, (x) => expression.run(x)),
    zenCallTrace: await measure('zen-engine 逐份调用，trace 解释（决策表）', batch, (x) => table.run(x, true)),
  };
  // zen's own timing (the response's `performance`): the engine without the N-API conversion
  const loopInner = micros((await table.runLoop(batch)).performance);
  console.log(`  ${'（zen 循环模式决策表：引擎内部计时，不含绑定开销）'.padEnd(46)} ${Math.round((1e6 * batch.length) / loopInner).toLocaleString('en-US').padStart(12)} 份/秒（${(loopInner / 1000).toFixed(1)} ms/批）`);
  console.log(`  负载（后）：${load()}`);
  const zenLoop = Math.max(r.zenLoopTable, r.zenLoopExpr);
  const zenCall = Math.max(r.zenCallTable, r.zenCallExpr);
  const f = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)}×`;
  console.log(
    `  比值（同一次运行，取各库较快的图形）：zen 循环 / zen 逐份 = ${f(zenLoop / zenCall)}；zen 循环 / json-rules-engine 最佳 = ${f(zenLoop / r.jreBest)}；` +
      `json-rules-engine 最佳 / 默认 = ${f(r.jreBest / r.jreDefault)}，/ 自定义解析 = ${f(r.jreBest / r.jreResolver)}`,
  );
  console.log(
    `  园评批量 / zen 循环 = ${f(r.batch / zenLoop)}，/ zen 逐份 = ${f(r.batch / zenCall)}，/ json-rules-engine 最佳 = ${f(r.batch / r.jreBest)}；` +
      `园评逐份 / zen 循环 = ${f(r.runtime / zenLoop)}，/ zen 逐份 = ${f(r.runtime / zenCall)}，/ json-rules-engine 最佳 = ${f(r.runtime / r.jreBest)}`,
  );
  return r;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchZen();
