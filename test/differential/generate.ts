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
      if (typeof v === 'number') add(l.fact, [v, v - 1, v + 1, v - 0.01, v + 0.01, v * 0.5, v * 2]);
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
      const any = f.type === 'integer' ? fc.integer({ min: 0, max: 100000 }) : fc.double({ min: 0, max: 100000, noNaN: true });
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
