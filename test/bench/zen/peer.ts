/**
 * @gorules/zen-engine on a compiled rule set, in its two modes, from one ZenEngine:
 *  - per call: one decision created once from the translated JDM, `await decision.evaluate(input)`
 *    per submission (one JS ↔ Rust crossing per submission);
 *  - loop mode: a second decision from the same JDM with `executionMode: "loop"` on its nodes
 *    (translate.ts, `loop: true`): one `evaluate({ submissions: [...] })` per batch runs every
 *    submission inside the engine and returns `outcomes`, one per submission, in order.
 * The input is built like the json-rules-engine peer's facts (test/bench/jre-peer.ts):
 * derived facts computed by `rs.derive` (not by zen), parameters, and the form data — here
 * nested as submitted, which the ZEN paths (`economy.tax`, `param.x`) read directly.
 */
import { ZenEngine, type ZenDecision, type ZenEngineResponse } from '@gorules/zen-engine';
import { referenceRules, type CompiledRuleSet } from '@yuanping/core';
import { decodeResult, LOOP_INPUT, loopResults, rulesToJdm, zenSafe, type JdmOptions, type JdmShape, type TranslatedRules } from './translate.js';

export interface ZenPeer {
  engine: ZenEngine;
  decision: ZenDecision;
  /** the same graph in loop mode */
  loopDecision: ZenDecision;
  translated: TranslatedRules;
  shape: JdmShape;
  /** the zen input of one submission: form data, derived facts, `param` */
  input(x: unknown): Record<string, unknown>;
  /** what the benchmark times: build the input, evaluate */
  run(x: unknown, trace?: boolean): Promise<ZenEngineResponse>;
  /** rule name (as in referenceRules, `::applies` included) → whether it passed */
  passed(x: unknown, trace?: boolean): Promise<Record<string, boolean>>;
  /** loop mode, what the benchmark times: build the inputs, one evaluate for the whole batch */
  runLoop(xs: readonly unknown[], trace?: boolean): Promise<ZenEngineResponse>;
  /** loop mode: per submission, rule name → whether it passed */
  passedLoop(xs: readonly unknown[], trace?: boolean): Promise<Array<Record<string, boolean>>>;
}

export function zenPeer(rs: CompiledRuleSet, opts: Omit<JdmOptions, 'title'> & { engine?: ZenEngine } = {}): ZenPeer {
  const shape = opts.shape ?? 'table';
  const engine = opts.engine ?? new ZenEngine();
  const translated = rulesToJdm(referenceRules(rs), { shape, title: rs.id, ...(opts.dateChecks ? { dateChecks: opts.dateChecks } : {}) });
  const decision = engine.createDecision(translated.jdm);
  const translatedLoop = rulesToJdm(referenceRules(rs), { shape, title: rs.id, loop: true, ...(opts.dateChecks ? { dateChecks: opts.dateChecks } : {}) });
  const loopDecision = engine.createDecision(translatedLoop.jdm);
  const params = zenSafe(rs.paramValues());
  const input = (x: unknown) => {
    // derived facts win over a form field of the same id, as in the runtime and evaluateReference
    const data = x && typeof x === 'object' && !Array.isArray(x) ? x : {};
    return zenSafe({ ...data, ...rs.derive(x, rs.paramValues()), param: params });
  };
  const traceOpts = { trace: true } as const;
  const run = (x: unknown, trace = false) => decision.evaluate(input(x), trace ? traceOpts : undefined);
  const runLoop = (xs: readonly unknown[], trace = false) => loopDecision.evaluate({ [LOOP_INPUT]: xs.map(input) }, trace ? traceOpts : undefined);
  return {
    engine,
    decision,
    loopDecision,
    translated,
    shape,
    input,
    run,
    passed: async (x, trace = false) => decodeResult(translated, shape, (await run(x, trace)).result),
    runLoop,
    passedLoop: async (xs, trace = false) => {
      const out = loopResults((await runLoop(xs, trace)).result);
      if (out.length !== xs.length) throw new Error(`zen loop mode: ${out.length} outcomes for ${xs.length} submissions`);
      return out.map((r) => decodeResult(translatedLoop, shape, r));
    },
  };
}
