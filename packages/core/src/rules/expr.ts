import { LogicEngine } from 'json-logic-engine';
import { isObject } from '../util/json.js';
import { compileExpr, type HeadResolver } from './expr-compile.js';

/**
 * Declarative expressions (derived facts, computed columns) are json-logic. They are
 * compiled to closures by our own compiler (expr-compile.ts: no source text, no eval),
 * which mirrors json-logic-engine's interpreter; an expression outside its subset runs on
 * the interpreter (`run`, whose optimiser builds closures). json-logic-engine's own
 * compiler (`build`) turns the expression into JavaScript source and passes it to the
 * global `eval`, so it is never used: pack text is data, never code.
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

/** The value an expression yields: a throw (e.g. division by zero) or a non-finite number is none. */
function safely(f: (data: unknown) => unknown): ExprFn {
  return (data) => {
    try {
      const v = f(data);
      if (typeof v === 'number' && !Number.isFinite(v)) return undefined;
      return v;
    } catch {
      return undefined;
    }
  };
}

function checkOperators(expr: unknown): void {
  const bad = unknownOperators(expr);
  if (bad.length) throw new Error(`未知的运算：${bad.join('、')}`);
}

/**
 * The expression run by json-logic-engine's interpreter (the reference the compiled closures
 * are tested against). `logic` engine: a fresh one keeps the tests apart from the shared one.
 */
export function interpretExpr(expr: unknown, logicEngine: LogicEngine = engine): ExprFn {
  checkOperators(expr);
  // one frozen copy per distinct expression: the interpreter caches its optimised form by identity
  const logic = Object.freeze(structuredClone(expr)) as never;
  return safely((data) => logicEngine.run(logic, data as never));
}

/**
 * Build an expression once: compiled to closures, or on the interpreter when it uses
 * something the compiler does not cover. A throw inside (e.g. division by zero) yields undefined.
 */
export function buildExpr(expr: unknown): ExprFn {
  const key = JSON.stringify(expr);
  const hit = cache.get(key);
  if (hit) return hit;
  checkOperators(expr);
  const frozen = Object.freeze(structuredClone(expr));
  const compiled = compileExpr(frozen, { nanAsThrow: true });
  const fn = compiled ? safely(compiled) : interpretExpr(frozen);
  cache.set(key, fn);
  return fn;
}

/**
 * The expression compiled against a root record whose top-level keys `head` resolves
 * (see CompileOptions.head), or undefined when the compiler does not cover it.
 */
export function buildScopedExpr(expr: unknown, head: HeadResolver): ExprFn | undefined {
  checkOperators(expr);
  const compiled = compileExpr(Object.freeze(structuredClone(expr)), { head, nanAsThrow: true });
  return compiled ? safely(compiled) : undefined;
}
