/**
 * Derived facts over a batch, columnar: each expression node is evaluated for every
 * submission in one loop into a column, instead of a closure tree run per submission.
 * Covers what derived facts mostly are — field reads (`var`, with or without a default),
 * literal numbers, two-argument arithmetic, `length` of a read — with the semantics of the
 * closures of expr-compile.ts (themselves json-logic-engine's): the same `var` steps, the same
 * coercions, NaN where they yield no value. A rule set with any other derived expression is
 * derived per submission (CompiledRuleSet.deriveSlots). The batch differential test checks
 * the result against json-logic-engine's interpreter.
 */
import type { DerivedFact } from '../meta/index.js';
import { isObject } from '../util/json.js';
import { roundHalfUp } from '../util/numbers.js';
import { BINARY_NAN, splitPath } from './expr-compile.js';
import type { CompiledDerived } from './facts.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- values of any JSON type

interface Batch {
  n: number;
  subs: readonly unknown[];
  params: Record<string, unknown>;
  /** the derived columns so far (index in the order) */
  derived: unknown[][];
}

/** A column, or a constant (a literal). */
type Col = { c: unknown[] } | { k: unknown };
type ColFn = (b: Batch) => Col;

const EMPTY: Record<string, unknown> = {};

class Unsupported extends Error {}

/** Compile one derived fact's expression (it is fact `j` of the order). */
function compile(expr: unknown, j: number, index: Map<string, number>): (b: Batch) => unknown[] {
  /** The top-level key `h` of the merged object { ...data, param, <derived before j> }. */
  const head = (h: string): ((b: Batch) => unknown[]) => {
    const k = index.get(h);
    return (b) => {
      const out = new Array<unknown>(b.n);
      if (h === 'param') return out.fill(b.params);
      const prev = k !== undefined && k < j ? b.derived[k]! : undefined;
      const subs = b.subs;
      for (let i = 0; i < b.n; i++) {
        const v = prev ? prev[i] : undefined;
        if (v !== undefined) out[i] = v;
        else {
          const d = subs[i];
          out[i] = isObject(d) ? d[h] : EMPTY[h];
        }
      }
      return out;
    };
  };
  const fin = (v: unknown) => (v === undefined || typeof v === 'function' ? null : v);

  const varNode = (args: unknown): ColFn => {
    let key = args;
    if (Array.isArray(key) && key.length === 1 && !Array.isArray(key[0])) key = key[0];
    let notFound: unknown = null;
    let walk = false;
    if (Array.isArray(key)) {
      // [path, default]: the method (stops at null / undefined), the default a literal
      if (key.length !== 2) throw new Unsupported();
      const [k, d] = key as [unknown, unknown];
      if (d !== null && typeof d === 'object' && !(Array.isArray(d) && d.length === 0)) throw new Unsupported();
      notFound = Array.isArray(d) ? [] : d === undefined ? null : d;
      key = k;
      walk = true;
    }
    if ((typeof key !== 'string' && typeof key !== 'number') || key === '' || key === 0) throw new Unsupported();
    const text = String(key);
    if (text.startsWith('../')) throw new Unsupported();
    // as the closures read it: one plain key; a path of two or three keys; otherwise the method
    const simple = !walk && (typeof key === 'number' || (!text.includes('.') && !text.includes('\\')));
    const path = simple ? [text] : splitPath(text);
    if (!simple && path.length !== 2 && path.length !== 3) walk = true;
    const h = head(path[0]!);
    const rest = path.slice(1);
    if (walk) {
      return (b) => {
        const c = h(b);
        for (let i = 0; i < b.n; i++) {
          let v = c[i] as Any;
          if (v === undefined) {
            c[i] = notFound;
            continue;
          }
          let s = 0;
          for (; s < rest.length; s++) {
            if (v === null || v === undefined) break;
            v = v[rest[s]!];
            if (v === undefined) break;
          }
          c[i] = s < rest.length || v === undefined ? notFound : typeof v === 'function' ? null : v;
        }
        return { c };
      };
    }
    // one key (null when absent), or a chain of two or three (a falsy step is the value)
    return (b) => {
      const c = h(b);
      for (let i = 0; i < b.n; i++) {
        let v = c[i] as Any;
        for (let s = 0; s < rest.length && v; s++) v = v[rest[s]!];
        c[i] = fin(v);
      }
      return { c };
    };
  };

  const node = (e: unknown, top: boolean): ColFn => {
    if (e === null || typeof e !== 'object') {
      if (top) throw new Unsupported();
      return () => ({ k: e });
    }
    if (Array.isArray(e)) throw new Unsupported();
    const keys = Object.keys(e);
    if (keys.length !== 1) throw new Unsupported();
    const op = keys[0]!;
    const args = (e as Record<string, unknown>)[op];
    if (op === 'var') return varNode(args);
    if (op === 'length') {
      if (!isObject(args) || !('var' in args)) throw new Unsupported();
      const inner = varNode(args.var);
      return (b) => {
        const c = (inner(b) as { c: unknown[] }).c;
        for (let i = 0; i < b.n; i++) {
          const x = c[i] as Any;
          c[i] = typeof x === 'string' || Array.isArray(x) ? x.length : x && typeof x === 'object' ? Object.keys(x).length : NaN;
        }
        return { c };
      };
    }
    const f = BINARY_NAN[op];
    if (f && Array.isArray(args) && args.length === 2) {
      const x = node(args[0], false);
      const y = node(args[1], false);
      // two literals: folded by the interpreter while building; left to the closures
      if (args.every((a) => a === null || typeof a !== 'object')) throw new Unsupported();
      return (b) => {
        const A = x(b);
        const B = y(b);
        const out = 'c' in A ? A.c : new Array<unknown>(b.n);
        const n = b.n;
        if ('c' in A && 'c' in B) {
          const a = A.c;
          const bb = B.c;
          for (let i = 0; i < n; i++) out[i] = f(a[i], bb[i]);
        } else if ('c' in A) {
          const a = A.c;
          const k = (B as { k: unknown }).k;
          for (let i = 0; i < n; i++) out[i] = f(a[i], k);
        } else {
          const k = (A as { k: unknown }).k;
          const bb = (B as { c: unknown[] }).c;
          for (let i = 0; i < n; i++) out[i] = f(k, bb[i]);
        }
        return { c: out };
      };
    }
    throw new Unsupported();
  };

  const root = node(expr, true);
  return (b) => (root(b) as { c: unknown[] }).c;
}

/**
 * The derived facts of a rule set over a batch, or undefined when one of its expressions is
 * outside the columnar subset (or a derived fact is named `param`).
 */
export function columnarDerived(order: DerivedFact[], compiled: CompiledDerived[]): ((subs: readonly unknown[], params: Record<string, unknown>) => unknown[][]) | undefined {
  const index = new Map(order.map((d, i) => [d.id, i]));
  if (index.has('param')) return undefined;
  let fns: Array<(b: Batch) => unknown[]>;
  try {
    fns = order.map((d, j) => compile(d.expr, j, index));
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return (subs, params) => {
    const b: Batch = { n: subs.length, subs, params, derived: [] };
    for (let j = 0; j < fns.length; j++) {
      const col = fns[j]!(b);
      const { deps, precision } = compiled[j]!;
      for (let i = 0; i < b.n; i++) {
        let v = col[i];
        // a derived fact it reads is absent: so is this one
        for (let d = 0; d < deps.length; d++) {
          if (b.derived[deps[d]!]![i] === undefined) {
            v = undefined;
            break;
          }
        }
        if (typeof v === 'number') {
          if (!Number.isFinite(v)) v = undefined;
          else if (precision !== undefined) v = roundHalfUp(v, precision);
        }
        col[i] = v === null ? undefined : v;
      }
      b.derived.push(col);
    }
    return b.derived;
  };
}
