/**
 * A small compiler from json-logic to closures — no source text, no eval, no `new Function`:
 * each node becomes a JavaScript closure over the closures of its arguments. It covers the
 * operators our packs and docs use and mirrors json-logic-engine 5's interpreter (its
 * optimised `run` path) exactly, quirks included:
 *  - `var` with a one-key path reads `data[key]` (null when absent), with a two- or three-key
 *    path it short-circuits on a falsy step (`{var: "a.b"}` on `{a: 0}` is 0), with a longer
 *    path or a default it stops at null/undefined;
 *  - arithmetic coerces with unary `+` and throws on NaN, objects and division by zero;
 *  - loose comparisons coerce to numbers unless both sides are strings or null;
 *  - `!`, `+`, `-`, `cat` take a one-element argument list as their single argument;
 *  - what the interpreter folds while building (a constant sub-expression, both branches of a
 *    three-argument `if`, a two-argument `filter`'s test) throws at build time when it throws,
 *    i.e. the whole expression then yields no value even where that branch is not taken.
 * Anything outside the subset (reduce, val with a scope climb, `../` paths, all/none, try,
 * dynamic keys …) is reported as unsupported and runs on the interpreter instead.
 * test: expr-compile.test.ts compares the closures with the interpreter on generated
 * expressions and data.
 */

/** The compiled form of one node: a constant, a closure over the data, or "throws when built". */
type Node = { k: 'const'; v: unknown } | { k: 'fn'; f: Fn } | { k: 'throws' };
type Fn = (data: unknown) => unknown;

class Unsupported extends Error {}

const INVALID_ARGUMENTS = { type: 'Invalid Arguments' };

/** Resolves the head of a top-level path (`economy` of `economy.tax`) against a root record. */
export type HeadResolver = (head: string) => (root: unknown) => unknown;

export interface CompileOptions {
  /**
   * When given, the top-level data is a record the resolver reads, not an object with the
   * keys themselves (derived facts read form data, `param` and earlier derived facts without
   * building one merged object). Top-level reads of the whole data (`{var: ""}`) are then
   * unsupported.
   */
  head?: HeadResolver;
  /**
   * The caller takes a NaN result as it takes a throw (as buildExpr does: either is "no
   * value"): arithmetic then yields NaN instead of throwing where nothing but arithmetic
   * consumes it — a throw and its catch cost far more than a NaN.
   */
  nanAsThrow?: boolean;
}

// ---------------------------------------------------------------- json-logic-engine helpers

/** json-logic-engine's truthiness. */
export function truthy(value: unknown): unknown {
  if (!value) return value;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') {
    const o = value as Record<string | symbol, unknown>;
    if (o[Symbol.iterator]) {
      if ('length' in o && o.length === 0) return false;
      if ('size' in o && o.size === 0) return false;
    }
    if ((o.constructor as { name?: string }).name === 'Object') return Object.keys(o).length > 0;
  }
  return value;
}

function precoerceNumber(item: unknown): unknown {
  if (Number.isNaN(item)) throw NaN;
  if (!item) return item;
  if (typeof item === 'object') throw NaN;
  return item;
}

/** json-logic-engine's path splitting ('a.b', with `\.` escaping a dot). */
export function splitPath(str: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < str.length; i++) {
    const char = str[i]!;
    if (char === '\\') {
      if (str[i + 1] === '.' || str[i + 1] === '/') {
        current += str[i + 1];
        i++;
      } else if (str[i + 1] === '\\') {
        current += '\\';
        i++;
      } else current += '\\';
    } else if (char === '.') {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (parts.length !== str.length) parts.push(current);
  return parts;
}

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- ports of untyped JavaScript

// the non-lazy methods, as the interpreter calls them (`data` is the evaluated argument)
const METHODS: Record<string, { unary: boolean; fn: (data: Any) => unknown }> = {
  '+': {
    unary: true,
    fn: (data) => {
      if (!data) return 0;
      if (typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean') return precoerceNumber(+data);
      if (typeof data === 'object' && !Array.isArray(data)) throw NaN;
      let res = 0;
      for (let i = 0; i < data.length; i++) {
        if (data[i] && typeof data[i] === 'object') throw NaN;
        res += +data[i];
      }
      if (Number.isNaN(res)) throw NaN;
      return res;
    },
  },
  '*': {
    unary: false,
    fn: (data) => {
      if (data.length === 0) return 1;
      let res = 1;
      for (let i = 0; i < data.length; i++) {
        if (data[i] && typeof data[i] === 'object') throw NaN;
        res *= +data[i];
      }
      if (Number.isNaN(res)) throw NaN;
      return res;
    },
  },
  '/': {
    unary: false,
    fn: (data) => {
      if (data[0] && typeof data[0] === 'object') throw NaN;
      if (data.length === 0) throw INVALID_ARGUMENTS;
      if (data.length === 1) {
        if (!+data[0]) throw NaN;
        return 1 / +data[0];
      }
      let res = +data[0];
      for (let i = 1; i < data.length; i++) {
        if ((data[i] && typeof data[i] === 'object') || !data[i]) throw NaN;
        res /= +data[i];
      }
      if (Number.isNaN(res) || res === Infinity) throw NaN;
      return res;
    },
  },
  '-': {
    unary: true,
    fn: (data) => {
      if (!data) return 0;
      if (typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean') return precoerceNumber(-data);
      if (typeof data === 'object' && !Array.isArray(data)) throw NaN;
      if (data[0] && typeof data[0] === 'object') throw NaN;
      if (data.length === 0) throw INVALID_ARGUMENTS;
      if (data.length === 1) return -data[0];
      let res = data[0];
      for (let i = 1; i < data.length; i++) {
        if (data[i] && typeof data[i] === 'object') throw NaN;
        res -= +data[i];
      }
      if (Number.isNaN(res)) throw NaN;
      return res;
    },
  },
  '%': {
    unary: false,
    fn: (data) => {
      if (data[0] && typeof data[0] === 'object') throw NaN;
      if (data.length < 2) throw INVALID_ARGUMENTS;
      let res = +data[0];
      for (let i = 1; i < data.length; i++) {
        if (data[i] && typeof data[i] === 'object') throw NaN;
        res %= +data[i];
      }
      if (Number.isNaN(res)) throw NaN;
      return res;
    },
  },
  max: {
    unary: false,
    fn: (data) => {
      if (!data.length || typeof data[0] !== 'number') throw INVALID_ARGUMENTS;
      let max = data[0];
      for (let i = 1; i < data.length; i++) {
        if (typeof data[i] !== 'number') throw INVALID_ARGUMENTS;
        if (data[i] > max) max = data[i];
      }
      return max;
    },
  },
  min: {
    unary: false,
    fn: (data) => {
      if (!data.length || typeof data[0] !== 'number') throw INVALID_ARGUMENTS;
      let min = data[0];
      for (let i = 1; i < data.length; i++) {
        if (typeof data[i] !== 'number') throw INVALID_ARGUMENTS;
        if (data[i] < min) min = data[i];
      }
      return min;
    },
  },
  in: { unary: false, fn: ([item, array]) => (array || []).includes(item) },
  substr: {
    unary: false,
    fn: ([string, from, end]) => {
      if (end < 0) {
        const result = string.substr(from);
        return result.substr(0, result.length + end);
      }
      return string.substr(from, end);
    },
  },
  merge: {
    unary: false,
    fn: (args) => {
      if (!Array.isArray(args)) return [args];
      const result: unknown[] = [];
      for (let i = 0; i < args.length; i++) {
        if (Array.isArray(args[i])) for (let j = 0; j < args[i].length; j++) result.push(args[i][j]);
        else result.push(args[i]);
      }
      return result;
    },
  },
  '!': { unary: true, fn: (value) => (Array.isArray(value) ? !truthy(value[0]) : !truthy(value)) },
  '!!': { unary: true, fn: (value) => Boolean(Array.isArray(value) ? truthy(value[0]) : truthy(value)) },
  cat: {
    unary: true,
    fn: (arr) => {
      if (typeof arr === 'string') return arr;
      if (!Array.isArray(arr)) return arr.toString();
      let res = '';
      for (let i = 0; i < arr.length; i++) {
        if (arr[i] === null || arr[i] === undefined) continue;
        res += arr[i];
      }
      return res;
    },
  },
};
METHODS.not = METHODS['!']!;

const isObj = (v: unknown) => !!v && typeof v === 'object';

/** The two-argument arithmetic, without the argument array (the same steps as METHODS). */
const BINARY: Record<string, (a: Any, b: Any) => unknown> = {
  '+': (a, b) => {
    if (isObj(a) || isObj(b)) throw NaN;
    let res = 0;
    res += +a;
    res += +b;
    if (Number.isNaN(res)) throw NaN;
    return res;
  },
  '*': (a, b) => {
    if (isObj(a) || isObj(b)) throw NaN;
    let res = 1;
    res *= +a;
    res *= +b;
    if (Number.isNaN(res)) throw NaN;
    return res;
  },
  '/': (a, b) => {
    if (isObj(a) || isObj(b) || !b) throw NaN;
    const res = +a / +b;
    if (Number.isNaN(res) || res === Infinity) throw NaN;
    return res;
  },
  '-': (a, b) => {
    if (isObj(a) || isObj(b)) throw NaN;
    const res = a - +b;
    if (Number.isNaN(res)) throw NaN;
    return res;
  },
};

/** BINARY, answering NaN where it throws (for a consumer that takes NaN as a throw). */
export const BINARY_NAN: Record<string, (a: Any, b: Any) => unknown> = {
  '+': (a, b) => (isObj(a) || isObj(b) ? NaN : 0 + +a + +b),
  '*': (a, b) => (isObj(a) || isObj(b) ? NaN : 1 * +a * +b),
  '/': (a, b) => {
    if (isObj(a) || isObj(b) || !b) return NaN;
    const res = +a / +b;
    return res === Infinity ? NaN : res;
  },
  '-': (a, b) => (isObj(a) || isObj(b) ? NaN : a - +b),
};

const LOOSE: Record<string, (a: Any, b: Any) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a == b,
  '!=': (a, b) => a != b,
};
const STRICT: Record<string, (a: unknown, b: unknown) => boolean> = {
  '===': (a, b) => a === b,
  '!==': (a, b) => a !== b,
};

function comparator(op: string): (a: unknown, b: unknown) => boolean {
  const strict = STRICT[op];
  if (strict) return strict;
  const f = LOOSE[op]!;
  return (a, b) => {
    if ((typeof a === 'string' || a === null) && (typeof b === 'string' || b === null)) return f(a, b);
    if (Number.isNaN(+(precoerceNumber(a) as number))) throw NaN;
    if (Number.isNaN(+(precoerceNumber(b) as number)) && a !== null) throw NaN;
    return f(+(a as number), +(b as number));
  };
}

const LAZY = new Set(['if', '?:', 'and', 'or', 'length', 'map', 'filter', 'some', '<', '<=', '>', '>=', '==', '===', '!=', '!==']);

/** json-logic-engine's isDeterministic, for the operators compiled here. */
function deterministic(node: unknown, insideIterator: boolean): boolean {
  if (Array.isArray(node)) return node.every((n) => deterministic(n, insideIterator));
  if (!node || typeof node !== 'object') return true;
  const op = Object.keys(node)[0];
  if (op === undefined) return true;
  const args = (node as Record<string, unknown>)[op];
  if (op === 'var') return insideIterator && !String(args).includes('../../');
  if (op === 'val') {
    if (!insideIterator) return false;
    return !(Array.isArray(args) && Array.isArray(args[0]) && Math.abs(args[0][0]) >= 2);
  }
  if (op === 'map' || op === 'filter' || op === 'some') {
    const a = args as unknown[];
    return deterministic(a[0], insideIterator) && deterministic(a[1], true);
  }
  if (LAZY.has(op)) return deterministic(args, insideIterator);
  if (op === 'get' || op in METHODS) return deterministic(args, insideIterator);
  throw new Unsupported(op);
}

// ---------------------------------------------------------------- the compiler

const run = (n: Node): Fn => {
  if (n.k === 'fn') return n.f;
  if (n.k === 'const') {
    const v = n.v;
    return () => v;
  }
  return () => {
    throw NaN;
  };
};

/** Fold a node the interpreter evaluates while building (data undefined). */
function fold(f: Fn): Node {
  try {
    return { k: 'const', v: f(undefined) };
  } catch {
    return { k: 'throws' };
  }
}

/** Compile the arguments the interpreter optimises eagerly: a build-time throw propagates. */
function eager(n: Node): Node {
  return n;
}

/** `data[key]` on a path, as the interpreter's `var` reads it. */
type Step = (data: unknown) => unknown;

class Compiler {
  constructor(private readonly head: HeadResolver | undefined) {}

  /** depth: 0 at the top level (the data is the root), > 0 inside an iterator (the data is an element). */
  node(e: unknown, depth: number, nanOk = false): Node {
    if (Array.isArray(e)) {
      const kids = e.map((k) => this.node(k, depth));
      if (kids.some((k) => k.k === 'throws')) return { k: 'throws' };
      if (kids.every((k) => k.k === 'const')) return { k: 'const', v: kids.map((k) => (k as { v: unknown }).v) };
      const fns = kids.map(run);
      const n = fns.length;
      return {
        k: 'fn',
        f: (d) => {
          const out = new Array<unknown>(n);
          for (let i = 0; i < n; i++) out[i] = fns[i]!(d);
          return out;
        },
      };
    }
    if (!e || typeof e !== 'object') return { k: 'const', v: e };
    const keys = Object.keys(e);
    if (keys.length === 0) return { k: 'const', v: e };
    if (keys.length > 1) throw new Unsupported(keys.join('+'));
    const op = keys[0]!;
    const args = (e as Record<string, unknown>)[op];

    // the interpreter's idioms come first
    if (op === 'val' && Array.isArray(args) && args.length >= 1 && args.length <= 3 && args.every((a) => typeof a !== 'object')) {
      return { k: 'fn', f: this.chain(args as Array<string | number>, depth) };
    }
    if ((op === 'if' || op === '?:') && Array.isArray(args) && args.length === 3) {
      const [c, t, f] = args.map((a) => eager(this.node(a, depth)));
      if (c!.k === 'throws' || t!.k === 'throws' || f!.k === 'throws') return { k: 'throws' };
      if (c!.k === 'const') return truthy(c!.v) ? t! : f!;
      const C = run(c!);
      const T = run(t!);
      const F = run(f!);
      return { k: 'fn', f: (d) => (truthy(C(d)) ? T(d) : F(d)) };
    }
    if (op === 'filter' && Array.isArray(args) && args.length === 2) {
      const test = eager(this.node(args[1], depth + 1));
      if (test.k === 'throws') return test;
      if (test.k === 'const') return truthy(test.v) ? eager(this.node(args[0], depth)) : { k: 'const', v: [] };
    }
    if ((op in LOOSE || op in STRICT) && Array.isArray(args) && (args.length === 2 || args.length === 3)) {
      const cmp = comparator(op);
      const parts = args.map((a) => eager(this.node(a, depth)));
      if (parts.some((p) => p.k === 'throws')) return { k: 'throws' };
      const [A, B, C] = parts.map(run) as [Fn, Fn, Fn | undefined];
      const f: Fn = C ? (d) => {
        const b = B(d);
        return cmp(A(d), b) && cmp(b, C(d));
      } : (d) => cmp(A(d), B(d));
      return parts.every((p) => p.k === 'const') ? fold(f) : { k: 'fn', f };
    }

    const det = deterministic(e, false);
    // folded while building: a throw there is a build-time throw, never a NaN
    const built = this.method(op, args, depth, det ? false : nanOk);
    if (built.k !== 'fn' || !det) return built;
    return fold(built.f);
  }

  /** A lazily optimised argument: the interpreter builds it when it first runs it. */
  private lazy(e: unknown, depth: number): Fn {
    return run(this.node(e, depth));
  }

  private method(op: string, args: unknown, depth: number, nanOk = false): Node {
    switch (op) {
      case 'var':
        return this.varNode(args, depth);
      case 'val':
        if (typeof args === 'string' || typeof args === 'number') return { k: 'fn', f: this.single(args, depth) };
        throw new Unsupported('val');
      case 'get':
        return this.getNode(args, depth);
      case 'and':
      case 'or': {
        if (!Array.isArray(args)) return { k: 'fn', f: thrower };
        if (!args.length) return { k: 'fn', f: () => null };
        const kids = args.map((a) => this.lazy(a, depth));
        const isAnd = op === 'and';
        return {
          k: 'fn',
          f: (d) => {
            let item: unknown;
            for (let i = 0; i < kids.length; i++) {
              item = kids[i]!(d);
              if (isAnd ? !truthy(item) : truthy(item)) return item;
            }
            return item;
          },
        };
      }
      case 'if':
      case '?:': {
        if (!Array.isArray(args)) return { k: 'fn', f: thrower };
        if (args.length === 1) return { k: 'fn', f: this.lazy(args[0], depth) };
        if (args.length < 2) return { k: 'fn', f: () => null };
        const list = args.length % 2 !== 1 ? [...args, null] : args;
        const kids = list.map((a) => this.lazy(a, depth));
        const last = kids.length - 1;
        return {
          k: 'fn',
          f: (d) => {
            for (let i = 0; i < last; i += 2) if (truthy(kids[i]!(d))) return kids[i + 1]!(d);
            return kids[last]!(d);
          },
        };
      }
      case 'length': {
        if (!args) return { k: 'fn', f: thrower };
        const inner = this.lazy(args, depth);
        const first = Array.isArray(args);
        return {
          k: 'fn',
          f: (d) => {
            const parsed = inner(d) as Any;
            const i = first ? parsed[0] : parsed;
            if (typeof i === 'string' || Array.isArray(i)) return i.length;
            if (i && typeof i === 'object') return Object.keys(i).length;
            throw INVALID_ARGUMENTS;
          },
        };
      }
      case 'map':
      case 'filter':
      case 'some':
        return this.iterator(op, args, depth);
    }
    const m = METHODS[op];
    if (!m) throw new Unsupported(op);
    const call = m.fn;
    let a = args;
    if ((!a || typeof a !== 'object') && !m.unary) a = [a];
    if (Array.isArray(a) && a.length === 1 && m.unary && !Array.isArray(a[0])) a = a[0];
    if (Array.isArray(a)) {
      // arithmetic of two takes a NaN argument as it takes a throw (NaN → throws): its arguments may yield NaN
      const arith = a.length === 2 && op in BINARY;
      const kids = a.map((x) => eager(this.node(x, depth, arith)));
      if (kids.some((k) => k.k === 'throws')) return { k: 'throws' };
      if (kids.every((k) => k.k === 'const')) {
        const v = kids.map((k) => (k as { v: unknown }).v);
        return { k: 'fn', f: () => call(v) };
      }
      const fns = kids.map(run);
      if (fns.length === 1) {
        const [x] = fns as [Fn];
        return { k: 'fn', f: (d) => call([x(d)]) };
      }
      if (fns.length === 2) {
        const [x, y] = fns as [Fn, Fn];
        const two = (nanOk ? BINARY_NAN : BINARY)[op];
        if (two) return { k: 'fn', f: (d) => two(x(d), y(d)) };
        return { k: 'fn', f: (d) => call([x(d), y(d)]) };
      }
      return { k: 'fn', f: (d) => call(fns.map((g) => g(d))) };
    }
    const inner = eager(this.node(a, depth));
    if (inner.k === 'throws') return inner;
    if (m.unary) {
      if (inner.k === 'const') {
        const v = inner.v;
        return { k: 'fn', f: () => call(v) };
      }
      const g = inner.f;
      return { k: 'fn', f: (d) => call(g(d)) };
    }
    if (inner.k === 'const') {
      const v = Array.isArray(inner.v) ? inner.v : [inner.v];
      return { k: 'fn', f: () => call(v) };
    }
    const g = inner.f;
    return {
      k: 'fn',
      f: (d) => {
        const v = g(d);
        return call(Array.isArray(v) ? v : [v]);
      },
    };
  }

  private iterator(op: 'map' | 'filter' | 'some', args: unknown, depth: number): Node {
    if (!Array.isArray(args)) return { k: 'fn', f: thrower };
    const selector = this.lazy(args[0], depth);
    const mapper = args[1];
    if (op === 'some') {
      const m = this.lazy(mapper, depth + 1);
      return {
        k: 'fn',
        f: (d) => {
          const s = (selector(d) || []) as Any;
          for (let i = 0; i < s.length; i++) if (truthy(m(s[i]))) return true;
          return false;
        },
      };
    }
    if (!mapper || typeof mapper !== 'object') {
      const v = op === 'filter' ? truthy(mapper) : mapper;
      return {
        k: 'fn',
        f: (d) => {
          const s = (selector(d) || []) as Any;
          return s[op](() => v);
        },
      };
    }
    const m = this.lazy(mapper, depth + 1);
    if (op === 'map') {
      return {
        k: 'fn',
        f: (d) => {
          const s = (selector(d) || []) as Any;
          if (!Array.isArray(s)) throw new TypeError('not an array');
          const out = new Array<unknown>(s.length);
          for (let i = 0; i < s.length; i++) out[i] = m(s[i]);
          return out;
        },
      };
    }
    return {
      k: 'fn',
      f: (d) => {
        const s = (selector(d) || []) as Any;
        if (!Array.isArray(s)) throw new TypeError('not an array');
        const out: unknown[] = [];
        for (let i = 0; i < s.length; i++) if (truthy(m(s[i]))) out.push(s[i]);
        return out;
      },
    };
  }

  private varNode(args: unknown, depth: number): Node {
    let key = args;
    if (Array.isArray(key) && key.length === 1 && !Array.isArray(key[0])) key = key[0];
    if (Array.isArray(key)) {
      // [path, default]: the method, stopping at null / undefined
      if (key.length !== 2) throw new Unsupported('var');
      const [k, dflt] = key as [unknown, unknown];
      if (typeof k !== 'string' && typeof k !== 'number') throw new Unsupported('var');
      if (typeof k === 'string' && k.startsWith('../')) throw new Unsupported('var ../');
      const dn = eager(this.node(dflt, depth));
      if (dn.k === 'throws') return dn;
      const D = run(dn);
      if (k === '') {
        if (depth === 0 && this.head) throw new Unsupported('var ""');
        return { k: 'fn', f: (d) => (D(d), typeof d === 'function' ? null : d) };
      }
      const walk = this.walk(splitPath(String(k)), depth);
      return {
        k: 'fn',
        f: (d) => {
          const nf = D(d);
          return walk(d, nf === undefined ? null : nf);
        },
      };
    }
    if (!key) {
      if (typeof key !== 'string' && typeof key !== 'number' && key !== null && key !== undefined && key !== false) throw new Unsupported('var');
      if (depth === 0 && this.head) throw new Unsupported('var ""');
      return { k: 'fn', f: (d) => (d === null || d === undefined || typeof d === 'function' ? null : d) };
    }
    if (typeof key === 'number') return { k: 'fn', f: this.single(key, depth) };
    if (typeof key !== 'string') throw new Unsupported('var');
    if (key.startsWith('../')) throw new Unsupported('var ../');
    if (!key.includes('.') && !key.includes('\\')) return { k: 'fn', f: this.single(key, depth) };
    const path = splitPath(key);
    if (path.length === 2 || path.length === 3) return { k: 'fn', f: this.chain(path, depth) };
    const walk = this.walk(path, depth);
    return { k: 'fn', f: (d) => walk(d, null) };
  }

  /** One key: null when the data is falsy or lacks it. */
  private single(key: string | number, depth: number): Fn {
    if (depth === 0 && this.head) {
      const h = this.head(String(key));
      return (d) => {
        const v = h(d);
        return v === undefined || typeof v === 'function' ? null : v;
      };
    }
    return (d) => {
      if (!d) return null;
      const v = (d as Any)[key];
      return v === undefined || typeof v === 'function' ? null : v;
    };
  }

  /** `data && data[a] && data[a][b] …`: a falsy step is the value. */
  private chain(path: Array<string | number>, depth: number): Fn {
    const rooted = depth === 0 && this.head;
    const first: Step = rooted ? this.head!(String(path[0])) : (d) => d && (d as Any)[path[0]!];
    const rest = path.slice(1);
    const fin = (v: unknown) => (typeof v !== 'function' && v !== undefined ? v : null);
    if (rest.length === 0) return (d) => fin(first(d));
    if (rest.length === 1) {
      const b = rest[0]!;
      return (d) => {
        const v = first(d) as Any;
        return fin(v && v[b]);
      };
    }
    const [b, c] = rest as [string | number, string | number];
    return (d) => {
      const v = first(d) as Any;
      return fin(v && v[b] && v[b][c]);
    };
  }

  /** var's method: stops with notFound at null / undefined. */
  private walk(path: string[], depth: number): (d: unknown, notFound: unknown) => unknown {
    const rooted = depth === 0 && this.head;
    const h = rooted ? this.head!(path[0]!) : undefined;
    const n = path.length;
    return (d, notFound) => {
      let c = d as Any;
      let i = 0;
      if (h) {
        c = h(d);
        if (c === undefined) return notFound;
        i = 1;
      }
      for (; i < n; i++) {
        if (c === null || c === undefined) return notFound;
        c = c[path[i]!];
        if (c === undefined) return notFound;
      }
      return typeof c === 'function' ? null : c;
    };
  }

  private getNode(args: unknown, depth: number): Node {
    if (!Array.isArray(args) || args.length < 2 || args.length > 3) throw new Unsupported('get');
    const key = args[1];
    if (typeof key !== 'string' && typeof key !== 'number') throw new Unsupported('get');
    const objN = eager(this.node(args[0], depth));
    const dfltN = eager(this.node(args[2], depth));
    if (objN.k === 'throws' || dfltN.k === 'throws') return { k: 'throws' };
    const O = run(objN);
    const D = run(dfltN);
    const path = splitPath(String(key));
    const n = path.length;
    return {
      k: 'fn',
      f: (d) => {
        let data = O(d) as Any;
        const dflt = D(d);
        const notFound = dflt === undefined ? null : dflt;
        for (let i = 0; i < n; i++) {
          if (data === null || data === undefined) return notFound;
          data = data[path[i]!];
          if (data === undefined) return notFound;
        }
        if (typeof data[key] !== 'function') return data;
        return null;
      },
    };
  }
}

function thrower(): never {
  throw INVALID_ARGUMENTS;
}

/**
 * Compile a json-logic expression to a closure equal to the interpreter's `run`
 * (a throw is a throw, a value the same value), or undefined when it uses something outside
 * the compiled subset.
 */
export function compileExpr(expr: unknown, opts: CompileOptions = {}): Fn | undefined {
  try {
    const n = new Compiler(opts.head).node(expr, 0, opts.nanAsThrow === true);
    return run(n);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
