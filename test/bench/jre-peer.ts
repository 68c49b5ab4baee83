/**
 * Plain json-rules-engine 7 in three configurations (`JreConfig`):
 *  - 'flat' (its best, and what the rule benchmark and the differential tests run): one Engine
 *    reused sequentially, every fact a top-level key of a flat object (`economy.tax`,
 *    `param.x`), so no condition has a `path` and no path resolver runs;
 *  - 'path' (its default way with nested data): the submission passed as it is nested, each
 *    dotted fact rewritten to the top-level fact plus a JSONPath (`{ fact: 'economy', path:
 *    '$.tax' }`), resolved by its default resolver (jsonpath-plus);
 *  - 'resolver': the same nested facts and paths, with a custom `pathResolver` (plain property
 *    access), as its docs suggest when JSONPath is not needed.
 * Details of 'flat': one Engine reused sequentially
 * (a shared engine is only wrong when run concurrently), the rules of `referenceRules(rs)`,
 * only the operators json-rules-engine lacks added, and per submission the facts of a flat
 * object: derived facts from `rs.derive`, `param.<name>`, and the form data by dotted path.
 * The same code as test/bench/rules.bench.ts, for peers that compare themselves with it.
 */
import { Engine, type EngineResult, type RuleProperties } from 'json-rules-engine';
import { OPERATOR_FNS, referenceRules, type CompiledRuleSet } from '@yuanping/core';

export interface JrePeer {
  engine: Engine;
  /** the facts of one submission */
  facts(x: unknown): Record<string, unknown>;
  run(x: unknown): Promise<EngineResult>;
  /** rule name (as in referenceRules, `::applies` included) → whether it passed */
  passed(x: unknown): Promise<Record<string, boolean>>;
}

export type JreConfig = 'flat' | 'path' | 'resolver';

/** `$.a.b` → the value at a.b (the custom resolver of the 'resolver' configuration) */
const propertyPath = (value: object, path: string): unknown => {
  let v: unknown = value;
  for (const k of path.slice(2).split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
};

/** A dotted fact (`economy.tax`) → the top-level fact and a JSONPath; others unchanged. */
function nestLeaf(c: Record<string, unknown>): Record<string, unknown> {
  const split = (f: string) => {
    const i = f.indexOf('.');
    return i < 0 ? { fact: f } : { fact: f.slice(0, i), path: `$.${f.slice(i + 1)}` };
  };
  const out: Record<string, unknown> = { ...c, ...split(String(c.fact)) };
  const v = c.value;
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { fact?: unknown }).fact === 'string') out.value = { ...v, ...split((v as { fact: string }).fact) };
  return out;
}

function nestConditions(c: unknown): unknown {
  if (!c || typeof c !== 'object') return c;
  const o = c as Record<string, unknown>;
  if (Array.isArray(o.all)) return { ...o, all: o.all.map(nestConditions) };
  if (Array.isArray(o.any)) return { ...o, any: o.any.map(nestConditions) };
  if ('not' in o) return { ...o, not: nestConditions(o.not) };
  return typeof o.fact === 'string' ? nestLeaf(o) : o;
}

export function jrePeer(rs: CompiledRuleSet, config: JreConfig = 'flat'): JrePeer {
  const engine = new Engine([], { allowUndefinedFacts: true, ...(config === 'resolver' ? { pathResolver: propertyPath } : {}) });
  for (const op of ['containsAll', 'dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter'] as const) engine.addOperator(op, OPERATOR_FNS[op]);
  for (const r of referenceRules(rs)) engine.addRule(config === 'flat' ? r : { ...r, conditions: nestConditions(r.conditions) as RuleProperties['conditions'] });
  const params = rs.paramValues();
  const nested = (x: unknown) => {
    // derived facts win over a form field of the same id, as in the runtime (and the zen peer)
    const data = x && typeof x === 'object' && !Array.isArray(x) ? x : {};
    return { ...data, ...rs.derive(x, params), param: params };
  };
  const flatFacts = (x: unknown) => {
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
  const facts = config === 'flat' ? flatFacts : nested;
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
