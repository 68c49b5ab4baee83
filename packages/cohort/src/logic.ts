import { LogicEngine } from 'json-logic-engine';

/**
 * One shared engine. Conditions are run with `engine.run`, whose optimiser turns an expression
 * into closures (cached per expression object). We never call `engine.build`: that path compiles
 * the expression to JavaScript source and evaluates it with the global `eval`.
 */
const engine = new LogicEngine();

/**
 * Computed values (`$.score`, `$.bonus`) of the record being tested. Conditions run synchronously,
 * so the runtime sets this just before a test; the record itself is never copied or mutated.
 */
let computed: Record<string, unknown> | undefined;
export function setComputed(values: Record<string, unknown> | undefined): void {
  computed = values;
}
engine.addMethod(
  '$computed',
  {
    method: (args: unknown) => {
      const name = Array.isArray(args) ? args[0] : args;
      return typeof name === 'string' ? (computed?.[name] ?? null) : null;
    },
    deterministic: false,
  },
  { deterministic: false },
);

export type Condition = ((data: unknown) => boolean) & { usesComputed?: boolean };

/**
 * Build a json-logic condition. `{"var": "param.x"}` is replaced by the parameter's value at
 * build time (so records need no copy); `usesComputed` tells whether the condition reads `$.…`.
 */
export function buildCondition(logic: unknown, parameters?: Record<string, unknown>): Condition {
  if (typeof logic === 'boolean') return () => logic;
  const usesComputed = scanLogic(logic).vars.some((v) => v === '$' || v.startsWith('$.'));
  const rewritten = inlineParams(logic, parameters ?? {});
  const cond: Condition = (data) => Boolean(engine.truthy(engine.run(rewritten, data)));
  cond.usesComputed = usesComputed;
  return cond;
}

function inlineParams(logic: unknown, parameters: Record<string, unknown>): unknown {
  if (Array.isArray(logic)) return logic.map((x) => inlineParams(x, parameters));
  if (logic === null || typeof logic !== 'object') return logic;
  const entries = Object.entries(logic as Record<string, unknown>);
  if (entries.length === 1 && entries[0]?.[0] === 'var') {
    const arg = entries[0][1];
    const path = Array.isArray(arg) ? arg[0] : arg;
    if (typeof path === 'string' && path.startsWith('$.')) return { $computed: [path.slice(2)] };
    if (typeof path === 'string' && path.startsWith('param.')) {
      let cur: unknown = parameters;
      for (const part of path.slice('param.'.length).split('.')) {
        cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
      }
      if (cur === undefined && Array.isArray(arg) && arg.length > 1) cur = arg[1];
      // keep the value literal: arrays must not be read as operator arguments
      return { preserve: cur === undefined ? null : cur };
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, inlineParams(v, parameters)]));
}

export function knownOperators(): Set<string> {
  return new Set(Object.keys(engine.methods as Record<string, unknown>));
}

/** Walk a json-logic expression and collect every `var` path and every operator name. */
export function scanLogic(logic: unknown, vars: string[] = [], ops: string[] = []): { vars: string[]; ops: string[] } {
  if (Array.isArray(logic)) {
    for (const x of logic) scanLogic(x, vars, ops);
  } else if (logic !== null && typeof logic === 'object') {
    for (const [op, arg] of Object.entries(logic as Record<string, unknown>)) {
      ops.push(op);
      if (op === 'var') {
        const path = Array.isArray(arg) ? arg[0] : arg;
        if (typeof path === 'string' && path !== '') vars.push(path);
        else if (Array.isArray(arg)) scanLogic(arg.slice(1), vars, ops);
      } else {
        scanLogic(arg, vars, ops);
      }
    }
  }
  return { vars, ops };
}
