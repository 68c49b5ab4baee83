import { LogicEngine } from 'json-logic-engine';
import { isObject } from '../util/json.js';

/**
 * Declarative expressions (derived facts, computed columns) are json-logic, run by
 * json-logic-engine's interpreter (`run`, whose optimiser builds closures). Its compiler
 * (`build`) turns the expression into JavaScript source and passes it to the global
 * `eval`, so it is never used: pack text is data, never code.
 */
const engine = new LogicEngine();
const KNOWN = new Set(Object.keys(engine.methods));
const cache = new Map<string, (data: unknown) => unknown>();

export type ExprFn = (data: unknown) => unknown;

/** The operators an expression uses that json-logic-engine does not know. */
export function unknownOperators(expr: unknown): string[] {
  const bad = new Set<string>();
  const walk = (e: unknown) => {
    if (Array.isArray(e)) return e.forEach(walk);
    if (!isObject(e)) return;
    const keys = Object.keys(e);
    if (keys.length === 1) {
      const op = keys[0]!;
      if (!KNOWN.has(op)) bad.add(op);
      walk(e[op]);
    } else {
      bad.add(keys.join('+') || '{}');
    }
  };
  walk(expr);
  return [...bad];
}

/** Every `var` an expression reads (dotted paths). */
export function varsOf(expr: unknown): string[] {
  const out = new Set<string>();
  const walk = (e: unknown) => {
    if (Array.isArray(e)) return e.forEach(walk);
    if (!isObject(e)) return;
    for (const [op, arg] of Object.entries(e)) {
      if (op === 'var' || op === 'val') {
        const name = Array.isArray(arg) ? arg[0] : arg;
        if (typeof name === 'string' && name !== '') out.add(name);
        if (Array.isArray(arg)) arg.slice(1).forEach(walk);
      } else walk(arg);
    }
  };
  walk(expr);
  return [...out];
}

/** Build an expression once; a throw inside (e.g. division by zero) yields undefined. */
export function buildExpr(expr: unknown): ExprFn {
  const key = JSON.stringify(expr);
  const hit = cache.get(key);
  if (hit) return hit;
  const bad = unknownOperators(expr);
  if (bad.length) throw new Error(`未知的运算：${bad.join('、')}`);
  // one frozen copy per distinct expression: the interpreter caches its optimised form by identity
  const logic = Object.freeze(structuredClone(expr)) as never;
  const safe: ExprFn = (data) => {
    try {
      const v = engine.run(logic, data as never);
      if (typeof v === 'number' && !Number.isFinite(v)) return undefined;
      return v;
    } catch {
      return undefined;
    }
  };
  cache.set(key, safe);
  return safe;
}
