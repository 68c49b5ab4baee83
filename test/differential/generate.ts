// Generic generator of submissions concentrated on the thresholds of a rule set: for each
// fact a rule reads, the values it is compared with, just below and just above them.
import fc from 'fast-check';
import { compileRuleSet, indexFields, type Condition, type NoticePack } from '@yuanping/core';

type Leaf = { fact: string; operator: string; value: unknown };
function leaves(c: Condition | undefined, out: Leaf[] = []): Leaf[] {
  if (!c) return out;
  if ('fact' in c) out.push(c as Leaf);
  else if ('all' in c) c.all.forEach((k) => leaves(k, out));
  else if ('any' in c) c.any.forEach((k) => leaves(k, out));
  else leaves((c as { not: Condition }).not, out);
  return out;
}

/** A number as typed into a form: at most 4 decimal places. */
function typed(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function shiftDate(d: string, days: number): string {
  const t = new Date(d + 'T00:00:00Z').getTime() + days * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Arbitrary submissions for one rule set, with values at and around every threshold. */
export function boundaryArbitrary(pack: NoticePack, ruleSetId: string): fc.Arbitrary<Record<string, unknown>> {
  const rs = compileRuleSet(pack, ruleSetId);
  const form = pack.forms.get(rs.ruleSet.form)!;
  const fields = indexFields(form.schema);
  const derivedIds = new Set(rs.facts.derived.map((d) => d.id));
  const candidates = new Map<string, unknown[]>();
  const add = (path: string, vs: unknown[]) => candidates.set(path, [...(candidates.get(path) ?? []), ...vs]);
  for (const { rule } of rs.rules) {
    for (const l of [...leaves(rule.conditions), ...leaves(rule.applies)]) {
      if (derivedIds.has(l.fact) || l.fact.startsWith('param.')) continue;
      const v = l.value;
      // values as a person types them (decimals); float noise such as 99999.99999999997 is where
      // the runtime deliberately differs from plain floating point (see numbers.test.ts)
      if (typeof v === 'number') add(l.fact, [v, v - 1, v + 1, v - 0.01, v + 0.01, v * 0.5, v * 2].map(typed));
      else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) add(l.fact, [v, shiftDate(v, -1), shiftDate(v, 1)]);
      else if (Array.isArray(v)) add(l.fact, [v, v.slice(1), ...v.map((x) => x)]);
      else add(l.fact, [v]);
    }
  }
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [path, f] of fields) {
    const c = candidates.get(path) ?? [];
    let arb: fc.Arbitrary<unknown> | undefined;
    if (f.type === 'number' || f.type === 'integer') {
      const nums = c.filter((x): x is number => typeof x === 'number' && x >= 0).map((x) => (f.type === 'integer' ? Math.round(x) : x));
      const any = f.type === 'integer' ? fc.integer({ min: 0, max: 100000 }) : fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100);
      arb = nums.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...nums) }, { weight: 1, arbitrary: any }) : any;
    } else if (f.type === 'string' && f.options) {
      arb = fc.constantFrom(...f.options.map((o) => o.value));
    } else if (f.type === 'string' && f.format === 'date') {
      const ds = c.filter((x): x is string => typeof x === 'string');
      arb = ds.length ? fc.constantFrom(...ds) : fc.constant('2020-01-01');
    } else if (f.type === 'array' && f.items?.options) {
      arb = fc.subarray(f.items.options.map((o) => o.value));
    } else if (f.type === 'boolean') arb = fc.boolean();
    if (arb) parts[path] = fc.option(arb, { nil: undefined, freq: 12 });
  }
  return fc.record(parts).map((flat) => {
    const out: Record<string, unknown> = {};
    for (const [path, v] of Object.entries(flat)) {
      if (v === undefined) continue;
      const keys = path.split('.');
      let cur = out;
      for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
      cur[keys[keys.length - 1]!] = v;
    }
    return out;
  });
}

/**
 * Submissions near the fixtures: take a hand-worked fixture input of the rule set and move
 * one to three of its fields to a threshold (at, just below, just above) or drop them.
 * These reach every level the fixtures reach, where purely random data stays at the bottom.
 */
export function nearFixturesArbitrary(pack: NoticePack, ruleSetId: string): fc.Arbitrary<Record<string, unknown>> {
  const bases = pack.fixtures.filter((f) => f.fixture.ruleSet === ruleSetId && !f.fixture.expect.validation).map((f) => f.fixture.input as Record<string, unknown>);
  const random = boundaryArbitrary(pack, ruleSetId);
  if (!bases.length) return random;
  return fc
    .tuple(fc.constantFrom(...bases), random, fc.integer({ min: 1, max: 3 }), fc.array(fc.nat(), { minLength: 3, maxLength: 3 }))
    .map(([base, rnd, k, picks]) => {
      const out = structuredClone(base);
      const flatRnd = flatten(rnd);
      const keys = [...new Set([...Object.keys(flatten(base)), ...Object.keys(flatRnd)])];
      for (let i = 0; i < k; i++) {
        const key = keys[picks[i]! % keys.length]!;
        setPath(out, key, flatRnd[key]);
      }
      return out;
    });
}

function flatten(o: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = o;
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let cur = target;
  for (const k of keys.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}
