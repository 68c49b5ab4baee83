/**
 * Batch evaluation of one rule set, columnar: every fact a rule reads is read once per
 * submission into a column (numbers also into a Float64Array, checklists into bit masks of
 * the options the rules name), every leaf is evaluated over the whole batch in one tight loop
 * into a pass bitset, the condition trees are combined 32 submissions at a time with bitwise
 * and / or / not, and the outcome is computed per submission from the rules' bitsets.
 *
 * The result keeps the explanation as data — the bitset of every condition node and the
 * fact columns (the actual values) — and `explain(i)` materialises from them exactly the
 * Evaluation that `evaluate()` returns for submission i (test/differential checks it deep-equal).
 */
import type { Condition, Operator } from '../meta/index.js';
import { getPath, isObject } from '../util/json.js';
import { compareNumbers } from '../util/numbers.js';
import { PARAM_PREFIX } from './facts.js';
import { OPERATOR_FNS, OPERATOR_TEXT } from './operators.js';
import type { CompiledRuleSet, FactContext, QuickResult } from './evaluate.js';
import type { Check, ConditionResult, CriterionResult, EvalOptions, Evaluation, RuleType } from './types.js';

type Bits = Uint32Array;
type Test = (fact: unknown, value: unknown) => boolean;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC: Partial<Record<Operator, (c: number) => boolean>> = {
  lessThan: (c) => c < 0,
  lessThanInclusive: (c) => c <= 0,
  greaterThan: (c) => c > 0,
  greaterThanInclusive: (c) => c >= 0,
};
const DATES: Partial<Record<Operator, (c: number) => boolean>> = {
  dateBefore: (c) => c < 0,
  dateOnOrBefore: (c) => c <= 0,
  dateAfter: (c) => c > 0,
  dateOnOrAfter: (c) => c >= 0,
};

// ---------------------------------------------------------------- the plan (compiled once)

/** Where a column's values come from. */
type ColumnSource =
  | { kind: 'param'; name: string }
  | { kind: 'derived'; index: number }
  /** one key of the parent column's objects (-1: the submission itself) */
  | { kind: 'key'; parent: number; key: string }
  /** a JSON path inside another column's values (a leaf's `path`) */
  | { kind: 'path'; base: number; path: string | undefined };

interface ColumnPlan {
  source: ColumnSource;
  /** also as numbers (NaN where not a number) */
  num: boolean;
  /** also as ISO-date flags */
  iso: boolean;
  /** string options named by checklist leaves → bit */
  bits?: Map<string, number>;
}

type Kernel = (st: BatchState, out: Bits) => void;

/**
 * What is evaluated over the batch: a leaf's kernel or a combination of other slots. Equal
 * conditions (the same fact, operator and value; the same combination of the same slots)
 * share one slot, computed once per batch: the star rule set's 266 condition nodes are 170 slots.
 */
type Slot = { kind: 'leaf'; kernel: Kernel } | { kind: 'all' | 'any' | 'not'; kids: number[] };

interface LeafPlan {
  kind: 'leaf';
  /** its slot */
  node: number;
  col: number;
  refCol: number; // -1: a constant value
  fact: string;
  label: string;
  operator: Operator;
  value: unknown;
  show: (v: unknown) => string;
  requiredText: (required: unknown) => string;
  clause?: string;
}

interface GroupPlan {
  kind: 'all' | 'any' | 'not';
  /** its slot */
  node: number;
  name?: string;
  children: NodePlan[];
}

type NodePlan = LeafPlan | GroupPlan;

interface RulePlan {
  applies?: NodePlan;
  conditions: NodePlan;
}

export class BatchPlan {
  readonly columns: ColumnPlan[] = [];
  private readonly byKey = new Map<string, number>();
  readonly slots: Slot[] = [];
  private readonly slotByKey = new Map<string, number>();
  readonly rules: RulePlan[];

  constructor(readonly rs: CompiledRuleSet) {
    const derivedIndex = new Map(rs.derived.map((d, i) => [d.id, i]));
    const factColumn = (id: string): number => {
      if (id.startsWith(PARAM_PREFIX)) return this.column(`p:${id}`, { kind: 'param', name: id.slice(PARAM_PREFIX.length) });
      if (rs.facts.derived.some((d) => d.id === id)) return this.column(`d:${id}`, { kind: 'derived', index: derivedIndex.get(id)! });
      let parent = -1;
      const keys = id.split('.');
      for (let k = 0; k < keys.length; k++) {
        parent = this.column(`f:${keys.slice(0, k + 1).join('.')}`, { kind: 'key', parent, key: keys[k]! });
      }
      return parent;
    };
    const withPath = (col: number, path: string | undefined) =>
      path ? this.column(`j:${col}:${path}`, { kind: 'path', base: col, path }) : col;
    const leaf = (c: Extract<Condition, { fact: string }>): NodePlan => {
      const op = c.operator as Operator;
      const test = OPERATOR_FNS[op];
      const facts = rs.facts;
      const valueRef = isObject(c.value) && typeof c.value.fact === 'string' ? (c.value as { fact: string; path?: string }) : undefined;
      const col = withPath(factColumn(c.fact), c.path);
      const refCol = valueRef ? withPath(factColumn(valueRef.fact), valueRef.path) : -1;
      const opText = OPERATOR_TEXT[op];
      const show = facts.displayer(c.fact);
      const showRef = valueRef ? facts.displayer(valueRef.fact) : show;
      const refLabel = valueRef ? (facts.info(valueRef.fact)?.label ?? valueRef.fact) : '';
      const constText = valueRef ? '' : `${opText} ${show(c.value)}`;
      const key = `L${col}|${refCol}|${op}|${valueRef ? '' : JSON.stringify(c.value)}`;
      let slot = this.slotByKey.get(key);
      if (slot === undefined) {
        slot = this.slots.length;
        const code = NUM_CODE[op];
        const kernel = !valueRef ? this.kernel(col, op, c.value, test) : code !== undefined ? numericRefKernel(col, refCol, code, test) : refKernel(col, refCol, test);
        this.slots.push({ kind: 'leaf', kernel });
        this.slotByKey.set(key, slot);
      }
      const node: LeafPlan = {
        kind: 'leaf',
        node: slot,
        col,
        refCol,
        fact: c.fact,
        label: c.name ?? facts.info(c.fact)?.label ?? c.fact,
        operator: op,
        value: c.value,
        show,
        requiredText: valueRef ? (r) => `${opText} ${refLabel}（${showRef(r)}）` : () => constText,
        ...(c.clause ? { clause: c.clause } : {}),
      };
      return node;
    };
    const tree = (c: Condition): NodePlan => {
      if (isObject(c) && typeof (c as { fact?: unknown }).fact === 'string') return leaf(c as Extract<Condition, { fact: string }>);
      const kind = 'all' in c ? 'all' : 'any' in c ? 'any' : 'not';
      const kids = kind === 'all' ? (c as { all: Condition[] }).all : kind === 'any' ? (c as { any: Condition[] }).any : [(c as { not: Condition }).not];
      const children = kids.map(tree);
      const slotKids = children.map((k) => k.node);
      const key = `${kind}(${slotKids.join(',')})`;
      let slot = this.slotByKey.get(key);
      if (slot === undefined) {
        slot = this.slots.length;
        this.slots.push({ kind, kids: slotKids });
        this.slotByKey.set(key, slot);
      }
      return { kind, node: slot, children, ...(c.name ? { name: c.name } : {}) };
    };
    this.rules = rs.rules.map((cr) => ({
      ...(cr.rule.applies ? { applies: tree(cr.rule.applies) } : {}),
      conditions: tree(cr.rule.conditions),
    }));
  }

  private column(key: string, source: ColumnSource): number {
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.columns.length;
      this.columns.push({ source, num: false, iso: false });
      this.byKey.set(key, i);
    }
    return i;
  }

  /** The leaf over the batch, specialised on the operator and the constant it compares with. */
  private kernel(col: number, op: Operator, value: unknown, test: Test): Kernel {
    const c = this.columns[col]!;
    const cmp = NUMERIC[op];
    if (typeof value === 'number' && (cmp || op === 'equal' || op === 'notEqual')) {
      c.num = true;
      return numericKernel(col, value, NUM_CODE[op]!, test);
    }
    if (op === 'equal' || op === 'notEqual') {
      // a constant that is not a number: equality is identity
      return identityKernel(col, value, op === 'equal');
    }
    if ((op === 'in' || op === 'notIn') && Array.isArray(value) && !value.some((x) => typeof x === 'number')) {
      return inKernel(col, value, op === 'in');
    }
    const strings = (op === 'contains' || op === 'doesNotContain') && typeof value === 'string' ? [value] : op === 'containsAll' && Array.isArray(value) && value.every((x) => typeof x === 'string') ? (value as string[]) : undefined;
    if (strings) {
      const bits = (c.bits ??= new Map());
      for (const s of strings) if (!bits.has(s) && bits.size < 31) bits.set(s, 1 << bits.size);
      if (strings.every((s) => bits.has(s))) {
        // bit 31: the value is an array
        let want = 0;
        for (const s of strings) want |= bits.get(s)!;
        return op === 'doesNotContain' ? maskNoneKernel(col, want) : maskAllKernel(col, want | ARRAY);
      }
    }
    const dcmp = DATES[op];
    if (dcmp && typeof value === 'string' && ISO_DATE.test(value)) {
      c.iso = true;
      return (st, out) => {
        const raw = st.cols[col]! as string[];
        const iso = st.iso[col]!;
        fill(st.n, out, (i) => {
          if (!iso[i]) return false;
          const a = raw[i]!;
          return dcmp(a < value ? -1 : a > value ? 1 : 0);
        });
      };
    }
    return (st, out) => {
      const raw = st.cols[col]!;
      fill(st.n, out, (i) => test(raw[i], value));
    };
  }
}

const ARRAY = 1 << 31;

const NUM_CODE: Partial<Record<Operator, number>> = { lessThan: 0, lessThanInclusive: 1, greaterThan: 2, greaterThanInclusive: 3, equal: 4, notEqual: 5 };

/**
 * A number compared with a constant number: compareNumbers inlined (equal at 15 significant
 * digits; see util/numbers.ts). A value that is not a number goes through the operator.
 */
function numericKernel(col: number, value: number, code: number, test: Test): Kernel {
  const av = Math.abs(value);
  return (st, out) => {
    const num = st.num[col]!;
    const raw = st.cols[col]!;
    const n = st.n;
    let w = 0;
    for (let i = 0; i < n; w++) {
      const end = i + 32 < n ? i + 32 : n;
      let word = 0;
      for (let b = 0; i < end; i++, b++) {
        const x = num[i]!;
        let ok: boolean;
        if (x === x) {
          let s: number;
          if (x === value) s = 0;
          else {
            const d = x - value;
            const ad = d < 0 ? -d : d;
            const ax = x < 0 ? -x : x;
            s = ad > 1e-13 * (ax > av ? ax : av) ? d : compareNumbers(x, value);
          }
          ok = code === 3 ? s >= 0 : code === 2 ? s > 0 : code === 1 ? s <= 0 : code === 0 ? s < 0 : code === 4 ? s === 0 : s !== 0;
        } else {
          const r = raw[i];
          // absent: not a number for the numeric operators, unequal to a number
          ok = r === undefined || r === null ? code === 5 : test(r, value);
        }
        if (ok) word |= 1 << b;
      }
      out[w] = word;
    }
  };
}

/** equal / notEqual with a constant that is not a number: identity. */
function identityKernel(col: number, value: unknown, want: boolean): Kernel {
  return (st, out) => {
    const raw = st.cols[col]!;
    const n = st.n;
    let w = 0;
    for (let i = 0; i < n; w++) {
      const end = i + 32 < n ? i + 32 : n;
      let word = 0;
      for (let b = 0; i < end; i++, b++) if ((raw[i] === value) === want) word |= 1 << b;
      out[w] = word;
    }
  };
}

/** in / notIn a constant list without numbers: identity with one of them. */
function inKernel(col: number, list: unknown[], want: boolean): Kernel {
  const m = list.length;
  return (st, out) => {
    const raw = st.cols[col]!;
    const n = st.n;
    let w = 0;
    for (let i = 0; i < n; w++) {
      const end = i + 32 < n ? i + 32 : n;
      let word = 0;
      for (let b = 0; i < end; i++, b++) {
        const x = raw[i];
        let found = false;
        for (let k = 0; k < m; k++) {
          if (list[k] === x) {
            found = true;
            break;
          }
        }
        if (found === want) word |= 1 << b;
      }
      out[w] = word;
    }
  };
}

/** contains / containsAll: every wanted bit (and the array bit) set. */
function maskAllKernel(col: number, need: number): Kernel {
  return (st, out) => {
    const m = st.masks[col]!;
    const n = st.n;
    let w = 0;
    for (let i = 0; i < n; w++) {
      const end = i + 32 < n ? i + 32 : n;
      let word = 0;
      for (let b = 0; i < end; i++, b++) if ((m[i]! & need) === need) word |= 1 << b;
      out[w] = word;
    }
  };
}

/** doesNotContain: an array without the bit. */
function maskNoneKernel(col: number, want: number): Kernel {
  return (st, out) => {
    const m = st.masks[col]!;
    const n = st.n;
    let w = 0;
    for (let i = 0; i < n; w++) {
      const end = i + 32 < n ? i + 32 : n;
      let word = 0;
      for (let b = 0; i < end; i++, b++) {
        const x = m[i]!;
        if ((x & ARRAY) !== 0 && (x & want) === 0) word |= 1 << b;
      }
      out[w] = word;
    }
  };
}

function refKernel(col: number, refCol: number, test: Test): Kernel {
  return (st, out) => {
    const a = st.cols[col]!;
    const b = st.cols[refCol]!;
    fill(st.n, out, (i) => test(a[i], b[i]));
  };
}

/** A number compared with another fact's number (compareNumbers inlined); else the operator. */
function numericRefKernel(col: number, refCol: number, code: number, test: Test): Kernel {
  return (st, out) => {
    const a = st.cols[col]!;
    const b = st.cols[refCol]!;
    const n = st.n;
    let w = 0;
    for (let i = 0; i < n; w++) {
      const end = i + 32 < n ? i + 32 : n;
      let word = 0;
      for (let bit = 0; i < end; i++, bit++) {
        const x = a[i];
        const y = b[i];
        let ok: boolean;
        if (typeof x === 'number' && typeof y === 'number' && x === x && y === y) {
          const s = compareNumbers(x, y);
          ok = code === 3 ? s >= 0 : code === 2 ? s > 0 : code === 1 ? s <= 0 : code === 0 ? s < 0 : code === 4 ? s === 0 : s !== 0;
        } else ok = test(x, y);
        if (ok) word |= 1 << bit;
      }
      out[w] = word;
    }
  };
}

/** out := the bitset of pass(i) over 0..n-1. */
function fill(n: number, out: Bits, pass: (i: number) => boolean): void {
  let w = 0;
  for (let i = 0; i < n; w++) {
    const end = i + 32 < n ? i + 32 : n;
    let word = 0;
    for (let b = 0; i < end; i++, b++) if (pass(i)) word |= 1 << b;
    out[w] = word;
  }
}

// ---------------------------------------------------------------- one batch

/** The state of one batch: fact columns and the bitset of every condition node. */
interface BatchState {
  n: number;
  words: number;
  cols: unknown[][];
  num: Array<Float64Array | undefined>;
  iso: Array<Uint8Array | undefined>;
  masks: Array<Int32Array | undefined>;
  /** per slot: the submissions where it holds */
  bits: Bits[];
  derived: unknown[][];
}

/** Submissions read at a time: their objects stay in cache while every column reads them. */
const CHUNK = 256;

function readColumns(plan: BatchPlan, subs: readonly unknown[], params: Record<string, unknown>, derived: unknown[][], n: number, st: BatchState): void {
  const C = plan.columns.length;
  for (let c = 0; c < C; c++) {
    const cp = plan.columns[c]!;
    const s = cp.source;
    st.cols[c] = s.kind === 'param' ? new Array<unknown>(n).fill(params[s.name]) : s.kind === 'derived' ? derived[s.index]! : new Array<unknown>(n);
    if (cp.num) st.num[c] = new Float64Array(n);
    if (cp.iso) st.iso[c] = new Uint8Array(n);
    if (cp.bits) st.masks[c] = new Int32Array(n);
  }
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = lo + CHUNK < n ? lo + CHUNK : n;
    for (let c = 0; c < C; c++) {
      const cp = plan.columns[c]!;
      const s = cp.source;
      const col = st.cols[c]!;
      if (s.kind === 'key') {
        const parent = s.parent < 0 ? subs : st.cols[s.parent]!;
        const key = s.key;
        for (let i = lo; i < hi; i++) {
          const o = parent[i];
          col[i] = typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>)[key] : undefined;
        }
      } else if (s.kind === 'path') {
        const base = st.cols[s.base]!;
        const path = s.path!.replace(/^\$\.?/, '');
        for (let i = lo; i < hi; i++) col[i] = getPath(base[i], path);
      }
      const num = st.num[c];
      if (num) {
        for (let i = lo; i < hi; i++) {
          const v = col[i];
          num[i] = typeof v === 'number' ? v : NaN;
        }
      }
      const iso = st.iso[c];
      if (iso) {
        for (let i = lo; i < hi; i++) {
          const v = col[i];
          iso[i] = typeof v === 'string' && ISO_DATE.test(v) ? 1 : 0;
        }
      }
      const masks = st.masks[c];
      if (masks) {
        const bits = cp.bits!;
        for (let i = lo; i < hi; i++) {
          const v = col[i];
          if (!Array.isArray(v)) continue;
          let m = ARRAY;
          for (let k = 0; k < v.length; k++) {
            const x = v[k];
            if (typeof x === 'string') m |= bits.get(x) ?? 0;
          }
          masks[i] = m;
        }
      }
    }
  }
}

/** Every slot over the batch, children before parents (the order they were made in). */
function combine(st: BatchState, slots: readonly Slot[]): void {
  const W = st.words;
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k]!;
    const out = st.bits[k]!;
    if (slot.kind === 'leaf') {
      slot.kernel(st, out);
      continue;
    }
    const kids = slot.kids;
    if (slot.kind === 'not') {
      const a = st.bits[kids[0]!]!;
      for (let w = 0; w < W; w++) out[w] = ~a[w]!;
    } else if (slot.kind === 'all' || kids.length === 0) {
      // an empty `any` holds (json-rules-engine)
      out.fill(0xffffffff);
      for (const k2 of kids) {
        const a = st.bits[k2]!;
        for (let w = 0; w < W; w++) out[w]! &= a[w]!;
      }
    } else {
      const a0 = st.bits[kids[0]!]!;
      out.set(a0);
      for (let j = 1; j < kids.length; j++) {
        const a = st.bits[kids[j]!]!;
        for (let w = 0; w < W; w++) out[w]! |= a[w]!;
      }
    }
    tail(st, out);
  }
}

/** Clear the bits past the last submission. */
function tail(st: BatchState, out: Bits): void {
  const r = st.n & 31;
  if (r && st.words) out[st.words - 1]! &= (1 << r) - 1;
}

const bit = (b: Bits, i: number) => (b[i >>> 5]! >>> (i & 31)) & 1;

/**
 * The evaluation of a batch of submissions: the outcome of each, and the explanation as
 * data (every condition's pass bitset, the fact columns) from which `explain(i)` builds
 * the full Evaluation of submission i.
 */
export class BatchEvaluation {
  readonly size: number;
  /** level outcome: per submission, the index of the level reached in `levels` (-1: none) */
  readonly levelIndex?: Int16Array;
  /** the level ids, lowest first (level outcome) */
  readonly levels?: readonly string[];
  /** eligibility outcome: 1 where eligible */
  readonly eligible?: Uint8Array;
  /** score outcome: the score of each */
  readonly scores?: Float64Array;
  /** per rule (in rule-set order): where it applies, where its conditions hold */
  readonly applicable: readonly Bits[];
  readonly passed: readonly Bits[];

  /** @internal */
  constructor(
    private readonly rs: CompiledRuleSet,
    private readonly plan: BatchPlan | undefined,
    private readonly st: BatchState | undefined,
    private readonly subs: readonly unknown[],
    private readonly opts: EvalOptions,
    private readonly params: Record<string, unknown>,
    size: number,
    applicable: Bits[],
    passed: Bits[],
    outcome: { levelIndex?: Int16Array; eligible?: Uint8Array; scores?: Float64Array },
    /** score rule sets: the evaluations themselves */
    private readonly evaluations?: Evaluation[],
  ) {
    this.size = size;
    this.applicable = applicable;
    this.passed = passed;
    if (outcome.levelIndex) {
      this.levelIndex = outcome.levelIndex;
      this.levels = rs.levelIds;
    }
    if (outcome.eligible) this.eligible = outcome.eligible;
    if (outcome.scores) this.scores = outcome.scores;
  }

  /** The level reached by submission i (level outcome). */
  level(i: number): string | null {
    const k = this.levelIndex ? this.levelIndex[i]! : -1;
    return k >= 0 ? this.levels![k]! : null;
  }

  private names(i: number, type: RuleType, want: number): string[] {
    const out: string[] = [];
    const rules = this.rs.rules;
    for (let r = 0; r < rules.length; r++) {
      if (rules[r]!.type !== type || !bit(this.applicable[r]!, i)) continue;
      if (bit(this.passed[r]!, i) === want) out.push(rules[r]!.rule.name);
    }
    return out;
  }

  /** Applicable criterion rules that do not hold for submission i. */
  failed(i: number): string[] {
    return this.names(i, 'criterion', 0);
  }

  warnings(i: number): string[] {
    return this.names(i, 'warning', 1);
  }

  errors(i: number): string[] {
    return this.names(i, 'error', 1);
  }

  /** The outcome of submission i as `quick()` answers it. */
  quick(i: number): QuickResult {
    const base = { failed: this.failed(i), warnings: this.warnings(i), errors: this.errors(i), explain: () => this.explain(i) };
    if (this.levelIndex) return { level: this.level(i), ...base };
    if (this.eligible) return { eligible: this.eligible[i] === 1, ...base };
    return { score: this.scores![i]!, ...base };
  }

  /** The derived values of submission i (absent ones left out), as `evaluate()` computes them. */
  derived(i: number): Record<string, unknown> {
    if (!this.st) return this.rs.derive(this.subs[i], this.params);
    const out: Record<string, unknown> = {};
    const st = this.st!;
    this.rs.derived.forEach((d, j) => {
      const v = st.derived[j]![i];
      if (v !== undefined) out[d.id] = v;
    });
    return out;
  }

  /** The full Evaluation of submission i, built from the batch's bitsets and columns. */
  explain(i: number): Evaluation {
    if (i < 0 || i >= this.size || !Number.isInteger(i)) throw new RangeError(`no submission ${i} in a batch of ${this.size}`);
    if (this.evaluations) return this.evaluations[i]!;
    const st = this.st!;
    const plan = this.plan!;
    const node = (p: NodePlan, checks: Check[]): ConditionResult => {
      const passed = bit(st.bits[p.node]!, i) === 1;
      if (p.kind === 'leaf') {
        const actual = st.cols[p.col]![i];
        const required = p.refCol >= 0 ? st.cols[p.refCol]![i] : p.value;
        const leaf: { kind: 'leaf' } & Check = {
          kind: 'leaf',
          fact: p.fact,
          label: p.label,
          operator: p.operator,
          actual,
          required,
          actualText: p.show(actual),
          requiredText: p.requiredText(required),
          passed,
        };
        if (p.clause) leaf.clause = p.clause;
        checks.push(leaf);
        return leaf;
      }
      const children = p.children.map((k) => node(k, checks));
      const r: ConditionResult = { kind: p.kind, passed, children };
      if (p.name) r.name = p.name;
      return r;
    };
    const criteria: CriterionResult[] = this.rs.rules.map((cr, r) => {
      const checks: Check[] = [];
      const tree = node(plan.rules[r]!.conditions, checks);
      return this.rs.criterion(cr, bit(this.applicable[r]!, i) === 1, tree, checks);
    });
    const derived = this.derived(i);
    const ctx: FactContext = { data: this.subs[i], params: this.params, derived };
    return this.rs.assemble(criteria, ctx, derived, this.opts);
  }
}

/** Evaluate a batch (see BatchEvaluation). */
export function evaluateBatch(rs: CompiledRuleSet, plan: BatchPlan, subs: readonly unknown[], opts: EvalOptions): BatchEvaluation {
  const n = subs.length;
  const params = rs.paramValues(opts);
  const o = rs.ruleSet.outcome;
  if (o.kind === 'score') {
    // a score needs its items in any case: the evaluations themselves
    const evaluations = subs.map((s) => rs.evaluate(s, opts));
    const words = (n + 31) >>> 5;
    const applicable = rs.rules.map(() => new Uint32Array(words));
    const passed = rs.rules.map(() => new Uint32Array(words));
    const scores = new Float64Array(n);
    evaluations.forEach((e, i) => {
      e.criteria.forEach((c, r) => {
        if (c.applicable) applicable[r]![i >>> 5]! |= 1 << (i & 31);
        if (c.passed) passed[r]![i >>> 5]! |= 1 << (i & 31);
      });
      scores[i] = (e.outcome as { score: number }).score;
    });
    return new BatchEvaluation(rs, undefined, undefined, subs, opts, params, n, applicable, passed, { scores }, evaluations);
  }
  const words = (n + 31) >>> 5;
  // derived facts, per submission, into one column each
  let derived: unknown[][];
  if (rs.derivedColumns) derived = rs.derivedColumns(subs, params);
  else {
    derived = rs.derived.map(() => new Array<unknown>(n));
    const slots = new Array<unknown>(rs.derived.length);
    for (let i = 0; i < n; i++) {
      rs.deriveSlots(subs[i], params, slots);
      for (let j = 0; j < slots.length; j++) derived[j]![i] = slots[j];
    }
  }
  const st: BatchState = {
    n,
    words,
    cols: new Array(plan.columns.length),
    num: new Array(plan.columns.length),
    iso: new Array(plan.columns.length),
    masks: new Array(plan.columns.length),
    bits: plan.slots.map(() => new Uint32Array(words)),
    derived,
  };
  readColumns(plan, subs, params, derived, n, st);
  const ones = new Uint32Array(words).fill(0xffffffff);
  tail(st, ones);
  const applicable: Bits[] = [];
  const passed: Bits[] = [];
  combine(st, plan.slots);
  plan.rules.forEach((rp) => {
    applicable.push(rp.applies ? st.bits[rp.applies.node]! : ones);
    passed.push(st.bits[rp.conditions.node]!);
  });
  // outcome: a criterion counts against its level (or the eligibility) where it applies and fails
  const levelIds = rs.levelIds;
  const holds = (o.kind === 'level' ? levelIds : ['']).map(() => Uint32Array.from(ones));
  rs.rules.forEach((cr, r) => {
    if (cr.type !== 'criterion') return;
    const k = o.kind === 'level' ? (cr.level !== undefined ? levelIds.indexOf(cr.level) : -1) : 0;
    if (k < 0) return;
    const h = holds[k]!;
    const a = applicable[r]!;
    const p = passed[r]!;
    for (let w = 0; w < words; w++) h[w]! &= ~a[w]! | p[w]!;
  });
  if (o.kind === 'eligibility') {
    const eligible = new Uint8Array(n);
    for (let i = 0; i < n; i++) eligible[i] = bit(holds[0]!, i);
    return new BatchEvaluation(rs, plan, st, subs, opts, params, n, applicable, passed, { eligible });
  }
  const levelIndex = new Int16Array(n);
  const L = levelIds.length;
  for (let i = 0; i < n; i++) {
    let reached = -1;
    for (let k = 0; k < L; k++) {
      if (bit(holds[k]!, i)) reached = k;
      else if (o.cumulative) break;
    }
    levelIndex[i] = reached;
  }
  return new BatchEvaluation(rs, plan, st, subs, opts, params, n, applicable, passed, { levelIndex });
}
