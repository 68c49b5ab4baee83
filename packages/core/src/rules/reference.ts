import { Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import type { Condition } from '../meta/index.js';
import { isObject } from '../util/json.js';
import { roundHalfUp } from '../util/numbers.js';
import { interpretExpr, varsOf, type ExprFn } from './expr.js';
import type { CompiledRuleSet } from './evaluate.js';
import { CUSTOM_OPERATORS, OPERATOR_FNS } from './operators.js';
import type { EvalOptions } from './types.js';

/**
 * The reference semantics: the same rule set run by plain json-rules-engine 7.
 * Used by the differential tests and the benchmark. A fresh Engine per evaluation:
 * a shared Engine run concurrently with priorities returns wrong results.
 * Only the operators json-rules-engine lacks are added; its built-in ones are untouched.
 * Derived facts are json-rules-engine dynamic facts computed with the same json-logic, run
 * by json-logic-engine's interpreter (not the runtime's compiled closures: the reference is
 * independent of them).
 */
export interface ReferenceResult {
  /** rule name → whether its conditions hold */
  passed: Record<string, boolean>;
  /** rule name → whether its `applies` condition holds (true when it has none) */
  applicable: Record<string, boolean>;
}

function strip(c: Condition): Record<string, unknown> {
  if (isObject(c) && 'fact' in c) {
    const { clause: _c, name: _n, ...rest } = c as Record<string, unknown>;
    return rest;
  }
  if ('all' in c) return { all: c.all.map(strip) };
  if ('any' in c) return { any: c.any.map(strip) };
  return { not: strip((c as { not: Condition }).not) };
}

function topLevel(c: Condition): TopLevelCondition {
  const s = strip(c);
  return (('all' in s || 'any' in s || 'not' in s) ? s : { all: [s] }) as unknown as TopLevelCondition;
}

function collectFacts(c: Condition, out: Set<string>) {
  if (isObject(c) && 'fact' in c) {
    out.add((c as { fact: string }).fact);
    const v = (c as { value: unknown }).value;
    if (isObject(v) && typeof v.fact === 'string') out.add(v.fact);
    return;
  }
  if ('all' in c) c.all.forEach((k) => collectFacts(k, out));
  else if ('any' in c) c.any.forEach((k) => collectFacts(k, out));
  else collectFacts((c as { not: Condition }).not, out);
}

export function referenceRules(rs: CompiledRuleSet): RuleProperties[] {
  const out: RuleProperties[] = [];
  for (const { rule } of rs.rules) {
    out.push({
      name: rule.name,
      conditions: topLevel(rule.conditions),
      // json-rules-engine emits each event type on an EventEmitter, where an unheard
      // 'error' event throws: our types are namespaced before they reach it
      event: { type: `yuanping.${rule.event.type}`, params: { rule: rule.name } },
      ...(rule.priority ? { priority: rule.priority } : {}),
    });
    if (rule.applies) {
      out.push({
        name: `${rule.name}::applies`,
        conditions: topLevel(rule.applies),
        event: { type: 'yuanping.applies', params: { rule: rule.name } },
      });
    }
  }
  return out;
}

const interpreted = new WeakMap<CompiledRuleSet, ExprFn[]>();

/** The derived facts' expressions on json-logic-engine's interpreter (built once per rule set). */
function interpretedDerived(rs: CompiledRuleSet): ExprFn[] {
  let fns = interpreted.get(rs);
  if (!fns) {
    fns = rs.derived.map((d) => interpretExpr(rs.facts.derived.find((x) => x.id === d.id)!.expr));
    interpreted.set(rs, fns);
  }
  return fns;
}

/**
 * The derived facts of the data computed the plain way: json-logic-engine's interpreter on
 * the merged object { ...data, param, <derived so far> } (the reference for rs.derive()).
 */
export function referenceDerive(rs: CompiledRuleSet, data: unknown, params: Record<string, unknown>): Record<string, unknown> {
  const fns = interpretedDerived(rs);
  const ctx: Record<string, unknown> = { ...(isObject(data) ? data : {}), param: params };
  const values: Record<string, unknown> = {};
  rs.derived.forEach((d, j) => {
    if (d.deps.some((k) => !(rs.derived[k]!.id in values))) return;
    let v = fns[j]!(ctx);
    if (typeof v === 'number' && d.precision !== undefined) v = roundHalfUp(v, d.precision);
    if (v !== undefined && v !== null) {
      values[d.id] = v;
      ctx[d.id] = v;
    }
  });
  return values;
}

export async function evaluateReference(rs: CompiledRuleSet, data: unknown, opts: EvalOptions = {}): Promise<ReferenceResult> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const op of CUSTOM_OPERATORS) engine.addOperator(op, OPERATOR_FNS[op]);
  for (const r of referenceRules(rs)) engine.addRule(r);
  const params = rs.paramValues(opts);
  const derivedIds = new Set(rs.derived.map((d) => d.id));
  const needed = new Set<string>();
  for (const { rule } of rs.rules) {
    collectFacts(rule.conditions, needed);
    if (rule.applies) collectFacts(rule.applies, needed);
  }
  const root = isObject(data) ? data : {};
  // plain facts: field values by dotted path, and parameters
  const dataFacts: Record<string, unknown> = {};
  for (const id of needed) {
    if (derivedIds.has(id)) continue;
    if (id.startsWith('param.')) dataFacts[id] = params[id.slice(6)];
    else {
      let cur: unknown = root;
      for (const k of id.split('.')) cur = isObject(cur) ? cur[k] : undefined;
      dataFacts[id] = cur;
    }
  }
  // derived facts as json-rules-engine dynamic facts
  const fns = interpretedDerived(rs);
  for (const [j, d] of rs.derived.entries()) {
    const decl = rs.facts.derived.find((x) => x.id === d.id)!;
    const vars = varsOf(decl.expr);
    engine.addFact(d.id, async (_p, almanac) => {
      const ctx: Record<string, unknown> = { ...root, param: params };
      for (const v of vars) {
        const head = v.split('.')[0]!;
        if (derivedIds.has(head)) ctx[head] = await almanac.factValue(head);
      }
      const v = fns[j]!(ctx);
      return typeof v === 'number' && d.precision !== undefined ? roundHalfUp(v, d.precision) : v;
    });
  }
  const { results, failureResults } = await engine.run(dataFacts);
  const passed: Record<string, boolean> = {};
  const applicable: Record<string, boolean> = {};
  for (const { rule } of rs.rules) applicable[rule.name] = true;
  const record = (name: string, ok: boolean) => {
    if (name.endsWith('::applies')) applicable[name.slice(0, -'::applies'.length)] = ok;
    else passed[name] = ok;
  };
  for (const r of results) record(String(r.name), true);
  for (const r of failureResults) record(String(r.name), false);
  return { passed, applicable };
}
