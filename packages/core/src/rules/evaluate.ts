import type { Condition, Operator, Rule, RuleSetFile } from '../meta/index.js';
import { YuanpingError } from '../errors.js';
import type { NoticePack } from '../pack/types.js';
import { getPath, isObject } from '../util/json.js';
import { roundHalfUp } from '../util/numbers.js';
import { compileDerived, FactCatalog, orderDerived, PARAM_PREFIX, type CompiledDerived, type DerivedRoot } from './facts.js';
import { BatchEvaluation, BatchPlan, evaluateBatch } from './batch.js';
import { columnarDerived } from './batch-derived.js';
import { OPERATOR_FNS, OPERATOR_TEXT } from './operators.js';
import type {
  Check,
  ConditionResult,
  CriterionResult,
  EvalOptions,
  Evaluation,
  OutcomeResult,
  RuleType,
  ScoreItemResult,
} from './types.js';

/** The facts of one submission: form data, parameter values, derived facts. */
export interface FactContext {
  data: unknown;
  params: Record<string, unknown>;
  derived: Record<string, unknown>;
  /** facts read so far in this evaluation, by reader slot (see Readers) */
  cache?: unknown[];
}

type Reader = (ctx: FactContext) => unknown;

/** Not read yet (in FactContext.cache). */
const UNSET: unknown = Symbol('unset');

/** A compiled reader for one fact id (form field path, derived fact or `param.<name>`). */
export function factReader(id: string, facts: FactCatalog): Reader {
  if (id.startsWith(PARAM_PREFIX)) {
    const k = id.slice(PARAM_PREFIX.length);
    return (ctx) => ctx.params[k];
  }
  if (facts.derived.some((d) => d.id === id)) return (ctx) => ctx.derived[id];
  const keys = id.split('.');
  if (keys.length === 1) {
    const k = keys[0]!;
    return (ctx) => (isObject(ctx.data) ? ctx.data[k] : undefined);
  }
  return (ctx) => {
    let cur: unknown = ctx.data;
    for (const k of keys) {
      if (!isObject(cur)) return undefined;
      cur = cur[k];
    }
    return cur;
  };
}

/**
 * Readers shared by the conditions of a rule set: a fact that many leaves compare (the park
 * type, a checklist) is read once per evaluation into the context's cache.
 */
class Readers {
  private readonly slots = new Map<string, Reader>();
  size = 0;
  constructor(private readonly facts: FactCatalog) {}

  get(id: string): Reader {
    let r = this.slots.get(id);
    if (!r) {
      const read = factReader(id, this.facts);
      const k = this.size++;
      r = (ctx) => {
        const c = ctx.cache;
        if (!c) return read(ctx);
        let v = c[k];
        if (v === UNSET) c[k] = v = read(ctx);
        return v;
      };
      this.slots.set(id, r);
    }
    return r;
  }

  /** A fresh cache for one evaluation. */
  cache(): unknown[] {
    return new Array<unknown>(this.size).fill(UNSET);
  }
}

/** Evaluates a condition, appends its leaves to `checks`, returns the explained result. */
type CondFn = (ctx: FactContext, checks: Check[]) => ConditionResult;

function isLeaf(c: Condition): c is Extract<Condition, { fact: string }> {
  return isObject(c) && typeof (c as { fact?: unknown }).fact === 'string';
}

function jsonPath(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  return getPath(value, path.replace(/^\$\.?/, ''));
}

/** Compile a condition tree into a function that evaluates it and explains itself. */
function compileCondition(c: Condition, facts: FactCatalog, readers: Readers): CondFn {
  if (isLeaf(c)) {
    const op = c.operator as Operator;
    const test = OPERATOR_FNS[op];
    const label = c.name ?? facts.info(c.fact)?.label ?? c.fact;
    const valueRef = isObject(c.value) && typeof c.value.fact === 'string' ? (c.value as { fact: string; path?: string }) : undefined;
    const opText = OPERATOR_TEXT[op];
    const read = readers.get(c.fact);
    const readRef = valueRef ? readers.get(valueRef.fact) : undefined;
    const show = facts.displayer(c.fact);
    const showRef = valueRef ? facts.displayer(valueRef.fact) : show;
    const refLabel = valueRef ? (facts.info(valueRef.fact)?.label ?? valueRef.fact) : '';
    const constRequiredText = valueRef ? '' : `${opText} ${show(c.value)}`;
    const fact = c.fact;
    const path = c.path;
    const clause = c.clause;
    return (ctx, checks) => {
      const actual = path ? jsonPath(read(ctx), path) : read(ctx);
      const required = readRef ? jsonPath(readRef(ctx), valueRef!.path) : c.value;
      const passed = test(actual, required);
      const leaf: { kind: 'leaf' } & Check = {
        kind: 'leaf',
        fact,
        label,
        operator: op,
        actual,
        required,
        actualText: show(actual),
        requiredText: readRef ? `${opText} ${refLabel}（${showRef(required)}）` : constRequiredText,
        passed,
      };
      if (clause) leaf.clause = clause;
      checks.push(leaf);
      return leaf;
    };
  }
  if ('all' in c) {
    const kids = c.all.map((k) => compileCondition(k, facts, readers));
    const name = c.name;
    return (ctx, checks) => {
      const children = kids.map((k) => k(ctx, checks));
      const r: ConditionResult = { kind: 'all', passed: children.every((x) => x.passed), children };
      if (name) r.name = name;
      return r;
    };
  }
  if ('any' in c) {
    const kids = c.any.map((k) => compileCondition(k, facts, readers));
    const name = c.name;
    // json-rules-engine: an empty `any` holds
    return (ctx, checks) => {
      const children = kids.map((k) => k(ctx, checks));
      const r: ConditionResult = { kind: 'any', passed: children.length === 0 || children.some((x) => x.passed), children };
      if (name) r.name = name;
      return r;
    };
  }
  const kid = compileCondition((c as { not: Condition }).not, facts, readers);
  const name = c.name;
  return (ctx, checks) => {
    const child = kid(ctx, checks);
    const r: ConditionResult = { kind: 'not', passed: !child.passed, children: [child] };
    if (name) r.name = name;
    return r;
  };
}

/** The same condition compiled to a plain predicate: no explanation, short-circuiting. */
type PredFn = (ctx: FactContext) => boolean;

function compilePredicate(c: Condition, facts: FactCatalog, readers: Readers): PredFn {
  if (isLeaf(c)) {
    const test = OPERATOR_FNS[c.operator as Operator];
    const read = readers.get(c.fact);
    const valueRef = isObject(c.value) && typeof c.value.fact === 'string' ? (c.value as { fact: string; path?: string }) : undefined;
    const readRef = valueRef ? readers.get(valueRef.fact) : undefined;
    const value = c.value;
    const path = c.path;
    if (!path && !readRef) return (ctx) => test(read(ctx), value);
    return (ctx) => test(path ? jsonPath(read(ctx), path) : read(ctx), readRef ? jsonPath(readRef(ctx), valueRef!.path) : value);
  }
  if ('all' in c) {
    const kids = c.all.map((k) => compilePredicate(k, facts, readers));
    return (ctx) => {
      for (const k of kids) if (!k(ctx)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const kids = c.any.map((k) => compilePredicate(k, facts, readers));
    if (kids.length === 0) return () => true; // json-rules-engine: an empty `any` holds
    return (ctx) => {
      for (const k of kids) if (k(ctx)) return true;
      return false;
    };
  }
  const kid = compilePredicate((c as { not: Condition }).not, facts, readers);
  return (ctx) => !kid(ctx);
}

/**
 * The outcome of one submission without building its explanation: what batch work
 * (re-grading years of submissions, live checks) needs. `explain()` builds the full
 * Evaluation — the same outcome with every criterion explained — when it is wanted.
 */
export interface QuickResult {
  /** level id reached (level outcome), or null */
  level?: string | null;
  /** eligibility outcome */
  eligible?: boolean;
  /** score outcome */
  score?: number;
  /** names of applicable criterion rules that do not hold */
  failed: string[];
  /** names of warning / error rules that fired */
  warnings: string[];
  errors: string[];
  explain(): Evaluation;
}

export function leavesOf(r: ConditionResult): Check[] {
  if (r.kind === 'leaf') return [r];
  return r.children.flatMap(leavesOf);
}

export interface CompiledRule {
  rule: Rule;
  type: RuleType;
  applies?: CondFn;
  conditions: CondFn;
  appliesQuick?: PredFn;
  conditionsQuick: PredFn;
  level?: string;
}

/** A rule set compiled once per pack version; evaluate() is then pure and synchronous. */
export class CompiledRuleSet {
  readonly id: string;
  readonly ruleSet: RuleSetFile;
  readonly facts: FactCatalog;
  readonly derived: CompiledDerived[];
  /** every derived fact compiled to read a DerivedRoot (no merged object per submission) */
  private readonly scopedDerived: boolean;
  /** @internal the derived facts over a batch, columnar (when their expressions allow it) */
  readonly derivedColumns?: (subs: readonly unknown[], params: Record<string, unknown>) => unknown[][];
  readonly rules: CompiledRule[];
  readonly pack: NoticePack;
  /** the level ids, lowest first (level outcome) */
  readonly levelIds: string[];
  private batchPlan?: BatchPlan;
  private readonly readers: Readers;

  constructor(pack: NoticePack, id: string) {
    const entry = pack.ruleSets.get(id);
    if (!entry) throw new YuanpingError('RULESET_NOT_FOUND', { ruleSet: id });
    this.pack = pack;
    this.id = id;
    this.ruleSet = entry.ruleSet;
    this.facts = new FactCatalog(pack, entry.ruleSet);
    this.readers = new Readers(this.facts);
    const ordered = orderDerived(this.facts.derived);
    if ('cycle' in ordered) throw new YuanpingError('DERIVED_CYCLE', { cycle: ordered.cycle.join(' → ') });
    this.derived = compileDerived(ordered.order);
    this.scopedDerived = this.derived.every((d) => d.scoped);
    this.derivedColumns = columnarDerived(ordered.order, this.derived);
    this.rules = (entry.ruleSet.rules ?? []).map((rule) => ({
      rule,
      type: rule.event.type as RuleType,
      ...(rule.applies ? { applies: compileCondition(rule.applies, this.facts, this.readers), appliesQuick: compilePredicate(rule.applies, this.facts, this.readers) } : {}),
      conditions: compileCondition(rule.conditions, this.facts, this.readers),
      conditionsQuick: compilePredicate(rule.conditions, this.facts, this.readers),
      ...(rule.event.params?.level !== undefined ? { level: rule.event.params.level } : {}),
    }));
    const o = this.ruleSet.outcome;
    this.levelIds = o.kind === 'level' ? o.levels.map((l) => l.id) : [];
  }

  private defaultParams?: Record<string, unknown>;

  /** Parameter values (pack defaults, overridden by opts). */
  paramValues(opts: EvalOptions = {}): Record<string, unknown> {
    if (!this.defaultParams) {
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(this.facts.params)) out[k] = p.value;
      this.defaultParams = out;
    }
    return opts.parameters ? { ...this.defaultParams, ...opts.parameters } : this.defaultParams;
  }

  /**
   * Compute the derived facts of the data into `slots` (one per derived fact, in order;
   * undefined where absent: a division by zero, a missing field, or a derived fact it reads
   * being absent).
   */
  deriveSlots(data: unknown, params: Record<string, unknown>, slots: unknown[]): void {
    const ds = this.derived;
    const root: DerivedRoot | undefined = this.scopedDerived ? { data, params, slots } : undefined;
    // without scoped closures: the merged object the expressions read
    const ctx: Record<string, unknown> | undefined = root ? undefined : { ...(isObject(data) ? data : {}), param: params };
    for (let j = 0; j < ds.length; j++) {
      const d = ds[j]!;
      slots[j] = undefined;
      let absent = false;
      for (const k of d.deps) {
        if (slots[k] === undefined) {
          absent = true;
          break;
        }
      }
      if (absent) continue;
      let v = root ? d.scoped!(root) : d.fn(ctx);
      if (typeof v === 'number' && d.precision !== undefined) v = roundHalfUp(v, d.precision);
      if (v !== undefined && v !== null) {
        slots[j] = v;
        if (ctx) ctx[d.id] = v;
      }
    }
  }

  /** Compute derived facts for the data (absent ones left out). */
  derive(data: unknown, params: Record<string, unknown>): Record<string, unknown> {
    const slots = new Array<unknown>(this.derived.length);
    this.deriveSlots(data, params, slots);
    const values: Record<string, unknown> = {};
    for (let j = 0; j < slots.length; j++) if (slots[j] !== undefined) values[this.derived[j]!.id] = slots[j];
    return values;
  }

  context(data: unknown, opts: EvalOptions = {}): { ctx: FactContext; derived: Record<string, unknown> } {
    const params = this.paramValues(opts);
    const derived = this.derive(data, params);
    return { ctx: { data, params, derived, cache: this.readers.cache() }, derived };
  }

  /** Read any fact by id (slow path, for the outcome's bookkeeping). */
  read(ctx: FactContext, id: string): unknown {
    if (id.startsWith(PARAM_PREFIX)) return ctx.params[id.slice(PARAM_PREFIX.length)];
    if (id in ctx.derived) return ctx.derived[id];
    return getPath(ctx.data, id);
  }

  /** The outcome without the explanation (which `explain()` builds on demand). Same results as evaluate(). */
  quick(data: unknown, opts: EvalOptions = {}): QuickResult {
    const o = this.ruleSet.outcome;
    if (o.kind === 'score') {
      // a score needs its items in any case: take it from the full evaluation
      const e = this.evaluate(data, opts);
      const oc = e.outcome as Extract<OutcomeResult, { kind: 'score' }>;
      return {
        score: oc.score,
        failed: e.criteria.filter((c) => c.type === 'criterion' && c.applicable && !c.passed).map((c) => c.rule),
        warnings: e.warnings.map((w) => w.rule),
        errors: e.errors.map((w) => w.rule),
        explain: () => e,
      };
    }
    const { ctx } = this.context(data, opts);
    const failed: string[] = [];
    const warnings: string[] = [];
    const errors: string[] = [];
    const levelFails = o.kind === 'level' ? new Array<boolean>(this.levelIds.length).fill(false) : [];
    for (const cr of this.rules) {
      if (cr.appliesQuick && !cr.appliesQuick(ctx)) continue;
      const passed = cr.conditionsQuick(ctx);
      if (cr.type === 'criterion') {
        if (!passed) {
          failed.push(cr.rule.name);
          if (cr.level !== undefined) {
            const i = this.levelIds.indexOf(cr.level);
            if (i >= 0) levelFails[i] = true;
          }
        }
      } else if (passed) {
        if (cr.type === 'warning') warnings.push(cr.rule.name);
        else if (cr.type === 'error') errors.push(cr.rule.name);
      }
    }
    const explain = () => this.evaluate(data, opts);
    if (o.kind === 'eligibility') return { eligible: failed.length === 0, failed, warnings, errors, explain };
    let reached = -1;
    for (let i = 0; i < levelFails.length; i++) {
      if (!levelFails[i]) reached = i;
      else if (o.cumulative) break;
    }
    return { level: reached >= 0 ? this.levelIds[reached]! : null, failed, warnings, errors, explain };
  }

  evaluate(data: unknown, opts: EvalOptions = {}): Evaluation {
    const { ctx, derived } = this.context(data, opts);
    const criteria: CriterionResult[] = this.rules.map((cr) => {
      const applicable = cr.applies ? cr.applies(ctx, []).passed : true;
      const checks: Check[] = [];
      const tree = cr.conditions(ctx, checks);
      return this.criterion(cr, applicable, tree, checks);
    });
    return this.assemble(criteria, ctx, derived, opts);
  }

  /**
   * Evaluate many submissions at once (columnar; see batch.ts): the outcome of each and the
   * explanation as data, from which `explain(i)` builds what `evaluate()` returns.
   */
  evaluateBatch(submissions: readonly unknown[], opts: EvalOptions = {}): BatchEvaluation {
    this.batchPlan ??= new BatchPlan(this);
    return evaluateBatch(this, this.batchPlan, submissions, opts);
  }

  /** @internal one rule's explained result */
  criterion(cr: CompiledRule, applicable: boolean, tree: ConditionResult, checks: Check[]): CriterionResult {
    const r = cr.rule;
    const params = r.event.params;
    const out: CriterionResult = { rule: r.name, label: r.label ?? r.name, type: cr.type, applicable, passed: tree.passed, tree, checks };
    if (r.indicator) out.indicator = r.indicator;
    if (r.clause) out.clause = r.clause;
    if (params) {
      if (params.level !== undefined) out.level = params.level;
      if (params.message) out.message = params.message;
      if (typeof params.points === 'number') out.points = params.points;
    }
    return out;
  }

  /** @internal the Evaluation of explained rules */
  assemble(criteria: CriterionResult[], ctx: FactContext, derived: Record<string, unknown>, opts: EvalOptions): Evaluation {
    const fired = (t: RuleType) => criteria.filter((c) => c.type === t && c.applicable && c.passed);
    const derivedOut: Evaluation['derived'] = {};
    for (const d of this.facts.derived) {
      derivedOut[d.id] = { label: d.label, value: derived[d.id] ?? null, ...(d.unit ? { unit: d.unit } : {}) };
    }
    return {
      pack: this.pack.id,
      packHash: this.pack.hash,
      ruleSet: this.id,
      title: this.ruleSet.title,
      outcome: this.outcome(criteria, ctx, opts),
      criteria,
      warnings: fired('warning'),
      errors: fired('error'),
      derived: derivedOut,
    };
  }

  private outcome(criteria: CriterionResult[], ctx: FactContext, opts: EvalOptions): OutcomeResult {
    const o = this.ruleSet.outcome;
    const relevant = criteria.filter((c) => c.type === 'criterion' && c.applicable);
    if (o.kind === 'eligibility') {
      const failed = relevant.filter((c) => !c.passed);
      const eligible = failed.length === 0;
      return {
        kind: 'eligibility',
        eligible,
        label: eligible ? (o.passLabel ?? '符合条件') : (o.failLabel ?? '不符合条件'),
        failed,
      };
    }
    if (o.kind === 'level') {
      const levels = o.levels.map((l) => {
        const mine = relevant.filter((c) => c.level === l.id);
        const failed = mine.filter((c) => !c.passed);
        return { id: l.id, label: l.label, holds: failed.length === 0, failed: failed.map((f) => f.rule), mine };
      });
      let reached = -1;
      for (let i = 0; i < levels.length; i++) {
        if (levels[i]!.holds) reached = i;
        else if (o.cumulative) break;
      }
      const missingAt = (i: number) => levels[i]!.mine.filter((c) => !c.passed);
      const out: OutcomeResult = {
        kind: 'level',
        level: reached >= 0 ? levels[reached]!.id : null,
        label: reached >= 0 ? levels[reached]!.label : (o.noneLabel ?? '未达到任何等级'),
        levels: levels.map(({ mine: _m, ...l }) => l),
      };
      const nextIdx = reached + 1;
      if (nextIdx < levels.length) {
        // the next level misses its own criteria, and (cumulatively) those of any level below it
        const missing = o.cumulative
          ? levels.slice(0, nextIdx + 1).flatMap((_l, i) => missingAt(i))
          : missingAt(nextIdx);
        out.next = { level: levels[nextIdx]!.id, label: levels[nextIdx]!.label, missing };
      }
      if (o.requested) {
        const want = this.read(ctx, o.requested);
        const idx = levels.findIndex((l) => l.id === String(want));
        if (idx >= 0) {
          const missing = o.cumulative ? levels.slice(0, idx + 1).flatMap((_l, i) => missingAt(i)) : missingAt(idx);
          out.requested = { level: levels[idx]!.id, label: levels[idx]!.label, reached: reached >= idx, missing };
        }
      }
      return out;
    }
    // score
    const basis = opts.scoreBasis ?? 'self';
    const prec = o.precision ?? 2;
    type Group = { id: string; label: string; cap?: number; raw: number };
    const groups = new Map<string, Group>();
    for (const g of o.groups ?? []) groups.set(g.id, { id: g.id, label: g.label, ...(g.cap !== undefined ? { cap: g.cap } : {}), raw: 0 });
    const ungrouped: Group = { id: '', label: '合计', raw: 0 };
    const items: ScoreItemResult[] = o.items.map((it) => {
      const self = this.read(ctx, it.fact);
      const rev = it.reviewerFact ? this.read(ctx, it.reviewerFact) : undefined;
      const selfN = typeof self === 'number' && Number.isFinite(self) ? self : undefined;
      const revN = typeof rev === 'number' && Number.isFinite(rev) ? rev : undefined;
      const entered = basis === 'reviewer' && revN !== undefined ? revN : (selfN ?? 0);
      const counted = Math.min(Math.max(entered, 0), it.max);
      const g = (it.group && groups.get(it.group)) || ungrouped;
      g.raw = roundHalfUp(g.raw + counted, 6);
      return {
        id: it.id,
        label: it.label,
        ...(it.group ? { group: it.group } : {}),
        max: it.max,
        ...(selfN !== undefined ? { self: selfN } : {}),
        ...(revN !== undefined ? { reviewer: revN } : {}),
        counted,
        capped: entered > it.max,
      };
    });
    for (const c of criteria) {
      if (c.type !== 'points' || !c.applicable || !c.passed || typeof c.points !== 'number') continue;
      const rule = this.rules.find((r) => r.rule.name === c.rule)!.rule;
      const gid = rule.event.params?.group;
      const g = (gid && groups.get(gid)) || ungrouped;
      g.raw = roundHalfUp(g.raw + c.points, 6);
    }
    const details = [...groups.values(), ...(ungrouped.raw ? [ungrouped] : [])].map((g) => ({
      id: g.id,
      label: g.label,
      raw: roundHalfUp(g.raw, prec),
      ...(g.cap !== undefined ? { cap: g.cap } : {}),
      score: roundHalfUp(g.cap !== undefined ? Math.min(g.raw, g.cap) : g.raw, prec),
    }));
    let total = details.reduce((s, g) => s + g.score, 0);
    if (o.cap !== undefined) total = Math.min(total, o.cap);
    total = roundHalfUp(total, prec);
    return {
      kind: 'score',
      score: total,
      label: `${total} 分`,
      basis,
      groups: Object.fromEntries(details.filter((g) => g.id).map((g) => [g.id, g.score])),
      groupDetails: details,
      items,
    };
  }
}

const compiledCache = new WeakMap<NoticePack, Map<string, CompiledRuleSet>>();

/** The compiled rule set of a pack (compiled once per loaded pack). */
export function compileRuleSet(pack: NoticePack, ruleSetId: string): CompiledRuleSet {
  let m = compiledCache.get(pack);
  if (!m) compiledCache.set(pack, (m = new Map()));
  let c = m.get(ruleSetId);
  if (!c) m.set(ruleSetId, (c = new CompiledRuleSet(pack, ruleSetId)));
  return c;
}

/** Evaluate one submission against one rule set of a pack. */
export function evaluate(pack: NoticePack, ruleSetId: string, data: unknown, opts: EvalOptions = {}): Evaluation {
  return compileRuleSet(pack, ruleSetId).evaluate(data, opts);
}
