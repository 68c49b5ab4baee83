/**
 * Plain json-rules-engine 7 as the rule benchmark runs it: one Engine reused sequentially
 * (a shared engine is only wrong when run concurrently), the rules of `referenceRules(rs)`,
 * only the operators json-rules-engine lacks added, and per submission the facts of a flat
 * object: derived facts from `rs.derive`, `param.<name>`, and the form data by dotted path.
 * The same code as test/bench/rules.bench.ts, for peers that compare themselves with it.
 */
import { Engine, type EngineResult } from 'json-rules-engine';
import { OPERATOR_FNS, referenceRules, type CompiledRuleSet } from '@yuanping/core';

export interface JrePeer {
  engine: Engine;
  /** the facts of one submission */
  facts(x: unknown): Record<string, unknown>;
  run(x: unknown): Promise<EngineResult>;
  /** rule name (as in referenceRules, `::applies` included) → whether it passed */
  passed(x: unknown): Promise<Record<string, boolean>>;
}

export function jrePeer(rs: CompiledRuleSet): JrePeer {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const op of ['containsAll', 'dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter'] as const) engine.addOperator(op, OPERATOR_FNS[op]);
  for (const r of referenceRules(rs)) engine.addRule(r);
  const params = rs.paramValues();
  const facts = (x: unknown) => {
    const derived = rs.derive(x, params);
    const out: Record<string, unknown> = { ...derived };
    for (const [k, v] of Object.entries(params)) out[`param.${k}`] = v;
    const flat = (o: unknown, p: string) => {
      if (o && typeof o === 'object' && !Array.isArray(o)) for (const [k, v] of Object.entries(o)) flat(v, p ? `${p}.${k}` : k);
      else out[p] = o;
    };
    flat(x, '');
    return out;
  };
  const run = (x: unknown) => engine.run(facts(x));
  return {
    engine,
    facts,
    run,
    passed: async (x) => passedOf(await run(x)),
  };
}

/** json-rules-engine's results → rule name → passed. */
export function passedOf(r: EngineResult): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const x of r.results) out[String(x.name)] = true;
  for (const x of r.failureResults) out[String(x.name)] = false;
  return out;
}
