/**
 * json-rules-engine rules → a GoRules JDM decision graph (zen-engine's JSON Decision Model).
 *
 * The input is what plain json-rules-engine runs: `referenceRules(rs)` of a compiled rule
 * set (conditions stripped of our labels, one extra rule `<name>::applies` per `applies`
 * condition). Each rule's condition tree (all / any / not, every operator of
 * packages/core/src/rules/operators.ts) becomes one boolean ZEN expression with
 * json-rules-engine's semantics, as run by the bench's jre peer: its built-in operators
 * (equal, in, contains, lessThan …, fact-value validators included) and our custom ones
 * (containsAll, dateBefore … as OPERATOR_FNS defines them).
 *
 * Derived facts are NOT computed in zen: like the json-rules-engine peer, the zen peer
 * computes them with `rs.derive()` and passes them in the input (see peer.ts), so both
 * engines are measured on rule evaluation alone.
 *
 * Two graph shapes, both `input → [dates] → rules → output`, where the optional `dates`
 * expression node (pass-through) checks each date operand's format once per evaluation,
 * because zen compiles the regex of `matches()` on every call (about 30 µs each):
 *  - 'table': one decision table, hit policy "collect", one row per rule; the row's only
 *    input cell is the rule's condition, its output cell the rule name. The result is the
 *    list of rules that fired (json-rules-engine's success events); the others failed.
 *  - 'expression': one expression node, key `r<i>` = the i-th rule's condition; the result
 *    is every rule's pass / fail.
 *
 * What zen's expression language cannot do is handled here, not left to fail at run time:
 *  - comparing a number with a non-number is a VM error in zen (false in jre): every
 *    numeric comparison is guarded by `type(x) == "number"`;
 *  - `x in [..]` is a VM error when x is an array or object (false in jre): guarded;
 *  - strings do not compare with `<` in zen: ISO dates (already checked against
 *    ^\d{4}-\d{2}-\d{2}$, as OPERATOR_FNS does) compare as the integer yyyymmdd, which
 *    orders exactly as the strings do (date() would reject 2021-02-30, which jre compares);
 *  - string literals have no escapes: a string holding both quote characters is built
 *    by concatenation;
 *  - fact path segments that are not identifiers or are keywords (`in`, `not` …) are read
 *    with `$root["…"]` / `["…"]`.
 * Known differences that no expression can remove (zen has no `undefined`, and jre relies
 * on JavaScript's coercions) are listed in ZEN_KNOWN_DIFFERENCES; none occurs in our packs.
 */
import type { RuleProperties } from 'json-rules-engine';

export class ZenUnsupported extends Error {
  constructor(
    readonly rule: string,
    readonly detail: string,
  ) {
    super(`zen translation of ${rule}: ${detail}`);
  }
}

/** Where zen cannot give json-rules-engine's answer, whatever the expression. */
export const ZEN_KNOWN_DIFFERENCES = [
  'zen has no undefined: a missing fact reads as null, so `equal null` / `notEqual null` / `in [.., null]` hold for a missing fact in zen and not in jre (undefined !== null)',
  'numeric operators on values JavaScript coerces: jre\'s validator is parseFloat, so a numeric string ("12" < 20), a one-number array ([2] > 1), two date strings (lessThan compares them as strings), or a boolean / null / [] on the right (5 > null is 5 > 0) give answers that the zen expression, which compares numbers only, does not',
  'in / notIn against a fact reference that is a string (jre: substring test) or not an array (jre throws and the run rejects): zen treats it as not in',
  'containsAll on numbers: OPERATOR_FNS compares numbers at 15 significant digits, zen exactly',
  'NaN (0 / 0 in a derived fact) reaches zen as null: it fails every check as in jre, but equals null and another NaN',
  'numbers zen cannot hold (its decimals stop at about 7.9e28 and 28 decimal places, and values past 1.8e19 crash the process on the way back to JavaScript) are clamped to ±1e18 and ±1e-28 (see zenSafe), so two such numbers compare equal; rule constants beyond ±1e18 are refused',
] as const;

type Leaf = { fact: string; operator: string; value: unknown; path?: string };
type Cond = Leaf | { all: Cond[] } | { any: Cond[] } | { not: Cond };

/** Numbers beyond this are clamped in the input; constants beyond it are refused. */
export const ZEN_NUMBER_LIMIT = 1e18;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A ZEN string literal (no escape sequences exist in ZEN: pick a quote, or concatenate). */
export function zenString(s: string): string {
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return `(${s
    .split('"')
    .map((p) => `"${p}"`)
    .join(` + '"' + `)})`;
}

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function zenLiteral(v: unknown, rule: string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return zenString(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Math.abs(v) >= ZEN_NUMBER_LIMIT) throw new ZenUnsupported(rule, `number constant ${v} outside zen's range`);
    // String() gives the shortest decimal that round-trips the double; zen parses it as that
    // decimal, so constants and input numbers (converted the same way) order as doubles do
    return String(v);
  }
  throw new ZenUnsupported(rule, `constant ${JSON.stringify(v)} is not a scalar`);
}

/**
 * A fact read, with json-rules-engine's optional JSONPath (packs allow only `$.a.b`): jre
 * resolves the path in an object or array value and returns any other value unchanged.
 */
export function zenAccess(fact: string, path?: string): string {
  const plain = (k: string) => IDENT.test(k) && !KEYWORDS.has(k);
  const read = (segs: string[], from?: string) => {
    let out = from ?? (plain(segs[0]!) ? segs[0]! : `$root[${zenString(segs[0]!)}]`);
    for (const k of from === undefined ? segs.slice(1) : segs) out += plain(k) ? `.${k}` : `[${zenString(k)}]`;
    return out;
  };
  const base = read(fact.split('.'));
  const rest = path ? path.replace(/^\$\.?/, '').split('.').filter(Boolean) : [];
  if (!rest.length) return base;
  return `((type(${base}) == "object" or type(${base}) == "array") ? ${read(rest, base)} : ${base})`;
}

function isRef(v: unknown): v is { fact: string; path?: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, 'fact');
}

const NUMERIC: Record<string, string> = { lessThan: '<', lessThanInclusive: '<=', greaterThan: '>', greaterThanInclusive: '>=' };
const DATES: Record<string, string> = { dateBefore: '<', dateOnOrBefore: '<=', dateAfter: '>', dateOnOrAfter: '>=' };

const num = (x: string) => `type(${x}) == "number"`;
const arr = (x: string) => `type(${x}) == "array"`;
/** Not an array or object: what zen's `in` accepts on its left. */
const flat = (x: string) => `type(${x}) != "array" and type(${x}) != "object"`;
const isoDate = (x: string) => `type(${x}) == "string" and matches(${x}, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")`;
/** Where the shared date-format checks go in the rules node's input (see rulesToJdm). */
export const ISO_PATH = '_iso';
/** How a leaf reads "x is an ISO date": inline, or from a node that checks each operand once. */
type IsoCheck = (x: string) => string;
/** yyyy-mm-dd → yyyymmdd (zen slices are inclusive at both ends). */
const ymd = (x: string) => `number(${x}[0:3] + ${x}[5:6] + ${x}[8:9])`;

function leafExpr(c: Leaf, rule: string, isoDate: IsoCheck): string {
  if (typeof c.fact !== 'string') throw new ZenUnsupported(rule, 'condition without a fact');
  const a = zenAccess(c.fact, c.path);
  const v = c.value;
  const ref = isRef(v) ? zenAccess(v.fact, v.path) : undefined;
  const op = c.operator;
  switch (op) {
    case 'equal':
    case 'notEqual': {
      // jre: a === b; a rule constant that is an array / object is never === a fact value
      if (!ref && !isScalar(v)) return op === 'equal' ? 'false' : 'true';
      return `(${a} ${op === 'equal' ? '==' : '!='} ${ref ?? zenLiteral(v, rule)})`;
    }
    case 'in':
    case 'notIn': {
      // jre: b.indexOf(a) > -1 (strict equality)
      let test: string;
      if (ref) test = `(${arr(ref)} and ${flat(a)} and ${a} in ${ref})`;
      else {
        if (!Array.isArray(v)) throw new ZenUnsupported(rule, `${op} needs an array, got ${JSON.stringify(v)}`);
        const items = v.filter(isScalar);
        if (items.length !== v.length) throw new ZenUnsupported(rule, `${op} with non-scalar items`);
        test = items.length ? `(${flat(a)} and ${a} in [${items.map((x) => zenLiteral(x, rule)).join(', ')}])` : 'false';
      }
      return op === 'in' ? test : `not (${test})`;
    }
    case 'contains':
    case 'doesNotContain': {
      // jre: Array.isArray(a) && a.indexOf(b) > -1 (resp. === -1)
      let member: string;
      if (ref) member = `(${flat(ref)} and ${ref} in ${a})`;
      else member = isScalar(v) ? `${zenLiteral(v, rule)} in ${a}` : 'false';
      return op === 'contains' ? `(${arr(a)} and ${member})` : `(${arr(a)} and not (${member}))`;
    }
    case 'containsAll': {
      // OPERATOR_FNS: both arrays, every item of b in a
      if (ref) return `(${arr(a)} and ${arr(ref)} and all(${ref}, ${flat('#')} and # in ${a}))`;
      if (!Array.isArray(v)) return 'false';
      if (!v.every(isScalar)) return 'false';
      // all() reads the fact once: cheaper in zen than one `c in a` per item
      return v.length ? `(${arr(a)} and all([${v.map((x) => zenLiteral(x, rule)).join(', ')}], # in ${a}))` : `(${arr(a)})`;
    }
    default:
      break;
  }
  if (op in NUMERIC) {
    // jre: numberValidator(a) && a < b
    if (ref) return `(${num(a)} and ${num(ref)} and ${a} ${NUMERIC[op]} ${ref})`;
    if (typeof v !== 'number') throw new ZenUnsupported(rule, `${op} against the non-number ${JSON.stringify(v)} (JavaScript coercion)`);
    return `(${num(a)} and ${a} ${NUMERIC[op]} ${zenLiteral(v, rule)})`;
  }
  if (op in DATES) {
    // OPERATOR_FNS: both ISO date strings, compared as strings
    if (ref) return `(${isoDate(a)} and ${isoDate(ref)} and ${ymd(a)} ${DATES[op]} ${ymd(ref)})`;
    if (typeof v !== 'string' || !ISO_DATE.test(v)) return 'false';
    return `(${isoDate(a)} and ${ymd(a)} ${DATES[op]} ${v.replaceAll('-', '')})`;
  }
  throw new ZenUnsupported(rule, `operator ${op}`);
}

/** One condition tree → one boolean ZEN expression. */
export function conditionToZen(c: Cond, rule: string, iso: IsoCheck = isoDate): string {
  if ('all' in c) return c.all.length ? `(${c.all.map((k) => conditionToZen(k, rule, iso)).join(' and ')})` : 'true';
  // json-rules-engine: an empty `any` holds
  if ('any' in c) return c.any.length ? `(${c.any.map((k) => conditionToZen(k, rule, iso)).join(' or ')})` : 'true';
  if ('not' in c) return `not (${conditionToZen(c.not, rule, iso)})`;
  return leafExpr(c, rule, iso);
}

export type JdmShape = 'table' | 'expression';

export interface JdmNode {
  id: string;
  type: 'inputNode' | 'outputNode' | 'decisionTableNode' | 'expressionNode';
  name: string;
  position: { x: number; y: number };
  content?: Record<string, unknown>;
}

export interface Jdm {
  contentType: 'application/vnd.gorules.decision';
  nodes: JdmNode[];
  edges: Array<{ id: string; type: 'edge'; sourceId: string; targetId: string }>;
}

export interface TranslatedRules {
  jdm: Jdm;
  /** rule names in order: row i of the table / key `r<i>` of the expression node */
  names: string[];
  /** rule name → its ZEN condition */
  expressions: Record<string, string>;
}

export interface JdmOptions {
  shape?: JdmShape;
  /** the rules node's name */
  title?: string;
  /**
   * 'shared' (default): a node before the rules checks each date operand against
   * ^\d{4}-\d{2}-\d{2}$ once per evaluation (zen compiles a `matches` regex on every call,
   * ~30 µs); 'inline': each date leaf checks its own operands.
   */
  dateChecks?: 'shared' | 'inline';
  /**
   * zen's loop mode: every node after the input runs with `executionMode: "loop"` over the
   * array at `LOOP_INPUT` of the input (one submission per element), so one `evaluate` runs
   * a whole batch inside the engine; the per-submission results are the array at
   * `LOOP_OUTPUT` of the result, in input order (decode each with decodeResult).
   */
  loop?: boolean;
}

/** Loop mode: the input field holding the submissions, and the result path of their outcomes. */
export const LOOP_INPUT = 'submissions';
export const LOOP_OUTPUT = 'outcomes';

/** json-rules-engine rules → a JDM graph. Throws ZenUnsupported for what zen cannot express. */
export function rulesToJdm(rules: RuleProperties[], opts: JdmOptions = {}): TranslatedRules {
  const shape = opts.shape ?? 'table';
  const names: string[] = [];
  const expressions: Record<string, string> = {};
  const isoKeys = new Map<string, string>(); // operand → key under ISO_PATH
  const iso: IsoCheck =
    opts.dateChecks === 'inline'
      ? isoDate
      : (x) => {
          let k = isoKeys.get(x);
          if (!k) isoKeys.set(x, (k = `d${isoKeys.size}`));
          return `${ISO_PATH}.${k}`;
        };
  for (const r of rules) {
    const name = String(r.name);
    if (name in expressions) throw new ZenUnsupported(name, 'two rules of the same name');
    names.push(name);
    expressions[name] = conditionToZen(r.conditions as unknown as Cond, name, iso);
  }
  const rulesNode: JdmNode =
    shape === 'table'
      ? {
          id: 'rules',
          type: 'decisionTableNode',
          name: opts.title ?? 'rules',
          position: { x: 550, y: 100 },
          content: {
            hitPolicy: 'collect',
            inputs: [{ id: 'cond', name: '条件' }],
            outputs: [{ id: 'rule', field: 'rule', name: '规则' }],
            rules: names.map((n, i) => ({ _id: `r${i}`, _description: n, cond: expressions[n], rule: zenString(n) })),
          },
        }
      : {
          id: 'rules',
          type: 'expressionNode',
          name: opts.title ?? 'rules',
          position: { x: 550, y: 100 },
          content: { expressions: names.map((n, i) => ({ id: `e${i}`, key: `r${i}`, value: expressions[n] })) },
        };
  if (opts.loop) rulesNode.content = { ...rulesNode.content, executionMode: 'loop', inputField: LOOP_INPUT, outputPath: LOOP_OUTPUT };
  const nodes: JdmNode[] = [{ id: 'input', type: 'inputNode', name: 'request', position: { x: 50, y: 100 } }];
  if (isoKeys.size) {
    // the input passes through, with the checks added under ISO_PATH
    nodes.push({
      id: 'dates',
      type: 'expressionNode',
      name: '日期格式',
      position: { x: 300, y: 100 },
      content: opts.loop
        ? // each submission passes through with its checks added under ISO_PATH; the array replaces the input's
          { executionMode: 'loop', inputField: LOOP_INPUT, outputPath: LOOP_INPUT, passThrough: true, expressions: [...isoKeys].map(([x, k]) => ({ id: k, key: `${ISO_PATH}.${k}`, value: isoDate(x) })) }
        : { passThrough: true, outputPath: ISO_PATH, expressions: [...isoKeys].map(([x, k]) => ({ id: k, key: k, value: isoDate(x) })) },
    });
  }
  nodes.push(rulesNode, { id: 'output', type: 'outputNode', name: 'response', position: { x: 800, y: 100 } });
  const chain = nodes.map((n) => n.id);
  return {
    jdm: {
      contentType: 'application/vnd.gorules.decision',
      nodes,
      edges: chain.slice(1).map((to, i) => ({ id: `${chain[i]}-${to}`, type: 'edge' as const, sourceId: chain[i]!, targetId: to })),
    },
    names,
    expressions,
  };
}

/** The result of a loop-mode evaluation → one result per submission, in input order. */
export function loopResults(result: unknown): unknown[] {
  const r = (result as Record<string, unknown> | null)?.[LOOP_OUTPUT];
  if (!Array.isArray(r)) throw new Error(`zen loop mode: no ${LOOP_OUTPUT} array in the result`);
  return r;
}

/** The evaluation result of a translated graph → rule name → passed. */
export function decodeResult(t: TranslatedRules, shape: JdmShape, result: unknown): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  if (shape === 'table') {
    const fired = new Set((result as Array<{ rule: string }>).map((x) => x.rule));
    for (const n of t.names) out[n] = fired.has(n);
  } else {
    const r = result as Record<string, unknown>;
    t.names.forEach((n, i) => (out[n] = r[`r${i}`] === true));
  }
  return out;
}

function safeNumber(n: number): number | null {
  if (Number.isNaN(n)) return null;
  if (n >= ZEN_NUMBER_LIMIT) return ZEN_NUMBER_LIMIT;
  if (n <= -ZEN_NUMBER_LIMIT) return -ZEN_NUMBER_LIMIT;
  if (n !== 0 && Math.abs(n) < 1e-12) {
    // at most 28 decimal places, and not rounded to 0 (which would change `> 0`)
    const r = Number(n.toFixed(28));
    return r !== 0 ? r : n > 0 ? 1e-28 : -1e-28;
  }
  return n;
}

function unsafe(v: unknown): boolean {
  if (typeof v === 'number') return safeNumber(v) !== v;
  if (Array.isArray(v)) return v.some(unsafe);
  if (typeof v === 'object' && v !== null) {
    for (const k in v) if (unsafe((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

function sanitize(v: unknown): unknown {
  if (typeof v === 'number') return safeNumber(v);
  if (Array.isArray(v)) return v.map(sanitize);
  if (typeof v === 'object' && v !== null) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = sanitize(x);
    return o;
  }
  return v;
}

/**
 * A value zen can take. zen-engine turns input numbers into rust_decimal: NaN / ±Infinity
 * are rejected, and a number past ~7.9e28 or with more than 28 decimal places (1e-29) aborts
 * the whole Node process (a Rust panic, not an exception), as does any number past ~1.8e19
 * on its way back (trace mode echoes the input). Infinity (x / 0 in a derived fact) is a
 * number to json-rules-engine's validator: it is clamped to ±1e18, which compares the same
 * with every allowed constant; NaN fails every numeric check in jre and becomes null.
 * Values are copied only when something must change.
 */
export function zenSafe<T>(v: T): T {
  return (unsafe(v) ? sanitize(v) : v) as T;
}
