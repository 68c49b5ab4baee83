import type { DerivedFact, RuleSetFile } from '../meta/index.js';
import type { FieldInfo } from '../form/fields.js';
import { displayValue, indexFields } from '../form/fields.js';
import type { NoticePack } from '../pack/types.js';
import { isObject } from '../util/json.js';
import { buildExpr, buildScopedExpr, varsOf, type ExprFn } from './expr.js';

export const PARAM_PREFIX = 'param.';

export interface FactInfo {
  id: string;
  label: string;
  source: 'field' | 'derived' | 'param';
  type: string;
  format?: string;
  unit?: string;
  field?: FieldInfo;
}

/** Everything a rule set may read: form fields, derived facts, pack parameters. */
export class FactCatalog {
  readonly fields: Map<string, FieldInfo>;
  readonly derived: DerivedFact[];
  readonly params: Record<string, { label: string; value: unknown; unit?: string }>;
  constructor(pack: NoticePack, ruleSet: RuleSetFile) {
    const form = pack.forms.get(ruleSet.form);
    this.fields = indexFields(form?.schema);
    this.derived = Array.isArray(ruleSet.derived) ? ruleSet.derived : [];
    const params = isObject(pack.manifest.parameters) ? pack.manifest.parameters : {};
    this.params = params as Record<string, { label: string; value: unknown; unit?: string }>;
  }

  info(id: string): FactInfo | undefined {
    if (id.startsWith(PARAM_PREFIX)) {
      const p = this.params[id.slice(PARAM_PREFIX.length)];
      if (!p) return undefined;
      return { id, label: p.label, source: 'param', type: Array.isArray(p.value) ? 'array' : typeof p.value, ...(p.unit ? { unit: p.unit } : {}) };
    }
    const d = this.derived.find((x) => x.id === id);
    if (d) return { id, label: d.label, source: 'derived', type: d.type ?? 'number', ...(d.unit ? { unit: d.unit } : {}) };
    const f = this.fields.get(id);
    if (f) {
      return {
        id,
        label: f.title,
        source: 'field',
        type: f.type,
        ...(f.format ? { format: f.format } : {}),
        ...(f.unit ? { unit: f.unit } : {}),
        field: f,
      };
    }
    return undefined;
  }

  /**
   * A display function for one fact, prepared once: option labels looked up in a map,
   * and the text of the last list or object shown remembered (many checks of one
   * evaluation show the same checklist: one display function per fact, shared by its checks).
   */
  displayer(id: string): (v: unknown) => string {
    let d = this.displayers.get(id);
    if (!d) this.displayers.set(id, (d = this.makeDisplayer(id)));
    return d;
  }

  private readonly displayers = new Map<string, (v: unknown) => string>();

  private makeDisplayer(id: string): (v: unknown) => string {
    const i = this.info(id);
    const field = i?.field;
    const unit = i?.unit;
    if (field && (field.type === 'number' || field.type === 'integer') && !field.options) {
      return (v) => (typeof v === 'number' ? (unit ? `${v} ${unit}` : String(v)) : displayValue(field, v));
    }
    const opts = field?.options ?? field?.items?.options;
    const labels = opts ? new Map(opts.map((o) => [o.value, o.label])) : undefined;
    let lastV: unknown = Symbol('none');
    let lastText = '';
    return (v) => {
      if (v === lastV) return lastText;
      let text: string;
      if (Array.isArray(v) && labels && field?.items?.options) {
        text = v.length === 0 ? '（无）' : v.map((x) => labels.get(x) ?? displayValue(field.items, x)).join('、');
      } else if (labels && !Array.isArray(v) && labels.has(v)) {
        text = labels.get(v)!;
      } else if (field) text = displayValue(field, v);
      else text = typeof v === 'number' && unit ? `${v} ${unit}` : displayValue(undefined, v);
      if (typeof v === 'object' && v !== null) {
        lastV = v;
        lastText = text;
      }
      return text;
    };
  }

  display(id: string, v: unknown): string {
    const i = this.info(id);
    if (i?.field) return displayValue(i.field, v);
    if (typeof v === 'number' && i?.unit) return `${v} ${i.unit}`;
    return displayValue(undefined, v);
  }
}

/**
 * Order derived facts so that each comes after the facts it reads.
 * Returns the cycle (ids) instead when there is one.
 */
export function orderDerived(derived: DerivedFact[]): { order: DerivedFact[] } | { cycle: string[] } {
  const byId = new Map(derived.map((d) => [d.id, d]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: DerivedFact[] = [];
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const s = state.get(id);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    const d = byId.get(id)!;
    for (const v of varsOf(d.expr)) {
      const dep = v.split('.')[0]!;
      if (byId.has(dep)) {
        const c = visit(dep);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(id, 'done');
    order.push(d);
    return undefined;
  };
  for (const d of derived) {
    const c = visit(d.id);
    if (c) return { cycle: c };
  }
  return { order };
}

export interface CompiledDerived {
  id: string;
  /** the expression on a merged object: form data, `param`, the derived facts before it */
  fn: ExprFn;
  precision?: number;
  /** indexes (in the order) of the derived facts it reads: when one is absent, so is this one */
  deps: number[];
  /**
   * The same expression reading a DerivedRoot (no merged object built), when the compiler
   * covers it.
   */
  scoped?: ExprFn;
}

/** What scoped derived-fact closures read: the form data, the parameters, the derived values so far. */
export interface DerivedRoot {
  data: unknown;
  params: Record<string, unknown>;
  /** per derived fact (in order): its value, or undefined when absent */
  slots: unknown[];
}

const EMPTY: Record<string, unknown> = {};

export function compileDerived(order: DerivedFact[]): CompiledDerived[] {
  const index = new Map(order.map((d, i) => [d.id, i]));
  // the merged object the expressions read is { ...data, param, <derived so far> }: a derived
  // fact named `param` would shadow the parameters, so that rule set keeps the merged object
  const scopedOk = !index.has('param');
  return order.map((d, j) => {
    const deps = [...new Set(varsOf(d.expr).map((v) => v.split('.')[0]!))]
      .filter((h) => h !== d.id && index.has(h))
      .map((h) => index.get(h)!);
    // a top-level key of the merged object, read from the root record
    const head = (h: string) => {
      const fromData = (r: unknown) => {
        const data = (r as DerivedRoot).data;
        return isObject(data) ? data[h] : EMPTY[h];
      };
      if (h === 'param') return (r: unknown) => (r as DerivedRoot).params;
      const k = index.get(h);
      if (k !== undefined && k < j) {
        return (r: unknown) => {
          const v = (r as DerivedRoot).slots[k];
          return v !== undefined ? v : fromData(r);
        };
      }
      return fromData;
    };
    const scoped = scopedOk ? buildScopedExpr(d.expr, head) : undefined;
    return {
      id: d.id,
      fn: buildExpr(d.expr),
      deps,
      ...(typeof d.precision === 'number' ? { precision: d.precision } : {}),
      ...(scoped ? { scoped } : {}),
    };
  });
}
