import { LogicEngine } from 'json-logic-engine';

/** One shared engine; conditions are built into closures (interpreted, never eval/new Function by us). */
const engine = new LogicEngine();

export type Condition = (data: unknown) => boolean;

export function buildCondition(logic: unknown): Condition {
  if (typeof logic === 'boolean') return () => logic;
  const fn = engine.build(logic) as (data: unknown) => unknown;
  return (data) => Boolean(engine.truthy(fn(data)));
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
