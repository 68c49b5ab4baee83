// @gorules/zen-engine, running the JDM graph translated from a rule set, gives plain
// json-rules-engine's pass / fail rule by rule (`::applies` rules included), per call
// (one evaluate per submission) and in loop mode (`executionMode: "loop"`, one evaluate per
// batch of 2,000, outcomes decoded per submission): on the
// star rule set's generated submissions (the benchmark's batch), on every other rule set
// of the shipped packs and the test pack, and on every operator against awkward values.
// json-rules-engine is the reference here: the zen expressions carry its semantics
// (validators, strict equality, an empty `any` that holds) and OPERATOR_FNS' custom
// operators. No decimal difference arises: zen parses each double from its shortest
// decimal form, which orders and compares exactly as the doubles do, and the derived facts
// (the only arithmetic) are computed in JavaScript for both engines.
import { join } from 'node:path';
import fc from 'fast-check';
import { Engine, type RuleProperties } from 'json-rules-engine';
import { ZenEngine } from '@gorules/zen-engine';
import { describe, expect, it } from 'vitest';
import { compileRuleSet, loadPack, OPERATOR_FNS, type NoticePack } from '@yuanping/core';
import { allPackIds } from '../../packs/all-packs.js';
import { boundaryArbitrary, nearFixturesArbitrary } from '../../differential/generate.js';
import { jrePeer, passedOf } from '../jre-peer.js';
import { sampleSize } from '../../support/full.js';
import { zenPeer } from './peer.js';
import { decodeResult, LOOP_INPUT, loopResults, rulesToJdm, ZenUnsupported, zenSafe, type JdmOptions, type JdmShape } from './translate.js';

const repo = join(import.meta.dirname, '..', '..', '..');
const SHAPES: JdmShape[] = ['table', 'expression'];
const VARIANTS: JdmOptions[] = SHAPES.flatMap((shape) => (['shared', 'inline'] as const).map((dateChecks) => ({ shape, dateChecks })));
const label = (o: JdmOptions) => `${o.shape}/${o.dateChecks}`;
/** loop mode's batch: the batches evaluateBatch gets in the bench */
const BATCH = 2000;
/** submissions whose loop-mode outcomes were compared (so a test can see the loop ran) */
let loopChecked = 0;

async function diffRuleSet(pack: NoticePack, ruleSet: string, inputs: unknown[]) {
  const rs = compileRuleSet(pack, ruleSet);
  const jre = jrePeer(rs);
  const zens = VARIANTS.map((o) => ({ o, peer: zenPeer(rs, o) }));
  const diffs: string[] = [];
  let n = 0;
  // rule name → [times passed, times failed] (json-rules-engine), to show the batch is not one-sided
  const seen = new Map<string, [number, number]>();
  const refs: Array<Record<string, boolean>> = [];
  for (const x of inputs) {
    const ref = await jre.passed(x);
    refs.push(ref);
    for (const [name, ok] of Object.entries(ref)) {
      const s = seen.get(name) ?? [0, 0];
      s[ok ? 0 : 1]++;
      seen.set(name, s);
    }
    for (const { o, peer } of zens) {
      for (const trace of [false, true]) {
        if (trace && n % 10) continue; // the trace option on every tenth submission
        const got = await peer.passed(x, trace);
        for (const name of Object.keys({ ...ref, ...got })) {
          if (ref[name] !== got[name] && diffs.length < 5) {
            diffs.push(`${label(o)}${trace ? ' (trace)' : ''} ${name}: json-rules-engine ${ref[name]}, zen ${got[name]} for ${JSON.stringify(x)}`);
          }
        }
      }
    }
    n++;
  }
  // loop mode: one evaluate per batch of BATCH submissions (the bench's batch size), the
  // outcomes decoded per submission; the trace option on the first batch
  for (const { o, peer } of zens) {
    for (let start = 0; start < inputs.length; start += BATCH) {
      const trace = start === 0;
      const got = await peer.passedLoop(inputs.slice(start, start + BATCH), trace);
      expect(got).toHaveLength(Math.min(BATCH, inputs.length - start));
      got.forEach((g, j) => {
        const ref = refs[start + j]!;
        for (const name of Object.keys({ ...ref, ...g })) {
          if (ref[name] !== g[name] && diffs.length < 5) {
            diffs.push(`${label(o)} loop${trace ? ' (trace)' : ''} ${name}: json-rules-engine ${ref[name]}, zen ${g[name]} for ${JSON.stringify(inputs[start + j])}`);
          }
        }
      });
      loopChecked += got.length;
    }
  }
  return { diffs, seen, rules: zens[0]!.peer.translated.names.length };
}

// daily: 150 + 100 for the star standard, 100 + 100 for every other rule set; pnpm test:full: 2,000 + 1,000 and 500 + 500
const N_NEAR = sampleSize(150, 2000);
const N_RANDOM = sampleSize(100, 1000);
const N_OTHER = sampleSize(100, 500);

describe('zen-engine (translated JDM) ≡ plain json-rules-engine, rule by rule', async () => {
  const star = await loadPack('zj-2021-evaluation-star', { root: repo });

  it(`zj-2021-evaluation-star/star-rating: ${N_NEAR} submissions near the fixtures (the benchmark batch in full) and ${N_RANDOM} random ones`, async () => {
    const inputs = [
      ...fc.sample(nearFixturesArbitrary(star, 'star-rating'), { numRuns: N_NEAR, seed: 7 }),
      ...fc.sample(boundaryArbitrary(star, 'star-rating'), { numRuns: N_RANDOM, seed: 20210622 }),
    ];
    const before = loopChecked;
    const { diffs, seen, rules } = await diffRuleSet(star, 'star-rating', inputs);
    expect(diffs).toEqual([]);
    expect(loopChecked - before).toBe(VARIANTS.length * inputs.length);
    expect(rules).toBe(seen.size);
    // the comparison says something: most rules both pass and fail somewhere in the batch
    const both = [...seen.values()].filter(([p, f]) => p > 0 && f > 0).length;
    expect(both / seen.size).toBeGreaterThan(0.8);
    // a hang guard, not a speed test: the full set's 3,000 submissions × 5 engines took over 300 s at load 20
  }, sampleSize(600_000, 1_800_000));

  const others: Array<{ pack: NoticePack; ruleSet: string }> = [];
  others.push({ pack: await loadPack('mini', { root: join(repo, 'test', 'packs') }), ruleSet: 'level' });
  for (const id of allPackIds(repo)) {
    const pack = id === star.id ? star : await loadPack(id, { root: repo });
    for (const rs of pack.ruleSets.keys()) if (`${id}/${rs}` !== 'zj-2021-evaluation-star/star-rating') others.push({ pack, ruleSet: rs });
  }
  for (const { pack, ruleSet } of others) {
    it(`${pack.id}/${ruleSet}: ${2 * N_OTHER} generated submissions`, async () => {
      const inputs = [
        ...fc.sample(boundaryArbitrary(pack, ruleSet), { numRuns: N_OTHER, seed: 20210622 }),
        ...fc.sample(nearFixturesArbitrary(pack, ruleSet), { numRuns: N_OTHER, seed: 20210623 }),
      ];
      const { diffs } = await diffRuleSet(pack, ruleSet, inputs);
      expect(diffs).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------------------
// Every operator, on values chosen to hit json-rules-engine's validators and zen's limits.

const OPS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'containsAll', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter'] as const;
const CONSTANTS: Record<(typeof OPS)[number], unknown[]> = {
  equal: [1.5, 0, 'A', true, false, '中文', 'x"y\'z', ['A']],
  notEqual: [1.5, 'A', true],
  in: [['A', 'B'], [1, 1.5, 'x'], [], [true, 'A']],
  notIn: [['A', 'B'], [1.5], []],
  contains: ['A', 1, true, ['A']],
  doesNotContain: ['A', 1],
  containsAll: [['A', 'B'], ['A'], [], [1, 'A'], 'A'],
  lessThan: [1.5, 0, -3, 1e-7],
  lessThanInclusive: [1.5, 0],
  greaterThan: [1.5, 0, -3, 1e17],
  greaterThanInclusive: [1.5, 0],
  dateBefore: ['2020-01-31', 'not a date'],
  dateOnOrBefore: ['2020-01-31'],
  dateAfter: ['2020-01-31', '2020-02-30'],
  dateOnOrAfter: ['2020-01-31'],
};
// fact values (no null, no numeric strings: see ZEN_KNOWN_DIFFERENCES)
const VALUES: unknown[] = [
  undefined, 0, -0, 1.5, 1.4999999999999998, 1.5000000000000002, -3, 2, 1e-7, 1e-30, -1e-30, 1e17, 1e20, -1e300, Infinity, -Infinity, NaN,
  'A', 'B', 'x', '中文', 'x"y\'z', '2020-01-31', '2020-01-30', '2020-02-01', '2020-02-30', '2020-1-31', '2020-01-31 ', '２０２０-01-31', 'not a date',
  true, false, [], ['A'], ['A', 'B'], ['B', 'A', 'C'], [1, 1.5], [['A']], [{ a: 1 }, 'A'], { a: 1 }, { a: 'A', b: { c: 2 } },
];

function jreEngine(rules: RuleProperties[]): Engine {
  const e = new Engine([], { allowUndefinedFacts: true });
  for (const op of ['containsAll', 'dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter'] as const) e.addOperator(op, OPERATOR_FNS[op]);
  for (const r of rules) e.addRule(r);
  return e;
}

const rule = (name: string, conditions: unknown): RuleProperties => ({ name, conditions: conditions as RuleProperties['conditions'], event: { type: 'fired' } });

async function compareSynthetic(rules: RuleProperties[], inputs: Array<Record<string, unknown>>) {
  const engine = jreEngine(rules);
  const zen = new ZenEngine();
  const diffs: string[] = [];
  for (const o of VARIANTS) {
    const t = rulesToJdm(rules, o);
    const d = zen.createDecision(t.jdm);
    // loop mode: the whole list in one evaluate
    const tl = rulesToJdm(rules, { ...o, loop: true });
    const looped = loopResults((await zen.createDecision(tl.jdm).evaluate({ [LOOP_INPUT]: inputs.map((f) => zenSafe(f)) })).result).map((r) => decodeResult(tl, o.shape!, r));
    expect(looped).toHaveLength(inputs.length);
    for (const [i, facts] of inputs.entries()) {
      const ref = passedOf(await engine.run({ ...facts }));
      const got = decodeResult(t, o.shape!, (await d.evaluate(zenSafe(facts))).result);
      for (const r of rules) {
        const n = String(r.name);
        const show = () => JSON.stringify(facts, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
        if (ref[n] !== got[n] && diffs.length < 8) diffs.push(`${label(o)} ${n} ${t.expressions[n]}: jre ${ref[n]}, zen ${got[n]} for ${show()}`);
        if (ref[n] !== looped[i]![n] && diffs.length < 8) diffs.push(`${label(o)} loop ${n} ${t.expressions[n]}: jre ${ref[n]}, zen ${looped[i]![n]} for ${show()}`);
      }
    }
  }
  return diffs;
}

describe('the translation, operator by operator, against json-rules-engine', () => {
  it('every operator with constants, on awkward fact values', async () => {
    const rules: RuleProperties[] = [];
    for (const op of OPS) CONSTANTS[op].forEach((c, i) => rules.push(rule(`${op}.${i}`, { all: [{ fact: 'x', operator: op, value: c }] })));
    const diffs = await compareSynthetic(rules, VALUES.map((x) => (x === undefined ? {} : { x })));
    expect(diffs).toEqual([]);
  });

  it('every operator against another fact (value: { fact })', async () => {
    const ref = (ops: readonly string[]) => ops.map((op) => rule(`${op}.ref`, { all: [{ fact: 'x', operator: op, value: { fact: 'y' } }] }));
    // y is a copy: two facts of a submission are never the same array or object (jre's === would hold)
    const pairs = (xs: unknown[], ys: unknown[]) => xs.flatMap((x) => ys.map((y) => ({ ...(x === undefined ? {} : { x }), ...(y === undefined ? {} : { y: structuredClone(y) }) })));
    // values zen holds as they are (NaN becomes null, numbers past ±1e18 are clamped: see ZEN_KNOWN_DIFFERENCES)
    const held = VALUES.filter((v) => typeof v !== 'number' || (Number.isFinite(v) && Math.abs(v) < 1e18));
    // y: anything for the equality / membership operators
    expect(await compareSynthetic(ref(['equal', 'notEqual', 'contains', 'doesNotContain', 'containsAll']), pairs(held, held))).toEqual([]);
    // in / notIn: jre throws on a y that is not an array or string, and tests a substring in a string
    expect(await compareSynthetic(ref(['in', 'notIn']), pairs(VALUES, VALUES.filter(Array.isArray)))).toEqual([]);
    // numeric: JavaScript would coerce a y that is not a number (5 > true, 5 > [])
    const nums = held.filter((v) => typeof v === 'number');
    expect(await compareSynthetic(ref(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']), pairs(VALUES, nums))).toEqual([]);
    const dates = VALUES.filter((v) => typeof v === 'string' || v === undefined);
    expect(await compareSynthetic(ref(['dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter']), pairs(dates, [...dates, 1, ['2020-01-31']]))).toEqual([]);
  });

  it('all / any / not, empty ones, paths, keyword and digit-led fact names', async () => {
    const gt = (fact: string, v: number) => ({ fact, operator: 'greaterThan', value: v });
    const rules = [
      rule('all', { all: [gt('x', 1), gt('y', 1)] }),
      rule('any', { any: [gt('x', 1), gt('y', 1)] }),
      rule('not', { not: gt('x', 1) }),
      rule('not.any', { not: { any: [gt('x', 1), { all: [gt('y', 1), { not: gt('x', 0) }] }] } }),
      rule('empty.all', { all: [] }),
      rule('empty.any', { any: [] }),
      rule('all.empty.any', { all: [{ any: [] }, gt('x', 0)] }),
      rule('not.equal', { not: { fact: 'x', operator: 'equal', value: 2 } }),
      rule('path', { all: [{ fact: 'o', path: '$.a', operator: 'equal', value: 'A' }] }),
      rule('path.deep', { all: [{ fact: 'o', path: '$.b.c', operator: 'greaterThan', value: 1 }] }),
      rule('keyword.date', { all: [{ fact: 'not', operator: 'dateAfter', value: '2020-01-01' }] }),
      rule('digit.path', { all: [{ fact: 'o', path: '$.1x', operator: 'equal', value: 'A' }] }),
      rule('keyword', { all: [{ fact: 'in', operator: 'equal', value: 'A' }, { fact: 'not', operator: 'lessThan', value: 3 }] }),
      rule('ref.path', { all: [{ fact: 'x', operator: 'lessThan', value: { fact: 'o', path: '$.b.c' } }] }),
    ];
    const inputs: Array<Record<string, unknown>> = [];
    for (const x of [undefined, 0, 0.5, 2, 'A', ['A']]) {
      for (const y of [undefined, 2, 0]) {
        for (const o of [undefined, { a: 'A', b: { c: 2 } }, { a: 'B', '1x': 'A' }, 'A', 2]) {
          const facts: Record<string, unknown> = {};
          if (x !== undefined) facts.x = x;
          if (y !== undefined) facts.y = y;
          if (o !== undefined) facts.o = o;
          inputs.push(facts, { ...facts, in: 'A', not: 2 }, { ...facts, in: 'B', not: 'z' }, { ...facts, not: '2020-02-01' }, { ...facts, not: '2019-12-31' });
        }
      }
    }
    expect(await compareSynthetic(rules, inputs)).toEqual([]);
  });

  it('refuses what it cannot express instead of answering differently', () => {
    expect(() => rulesToJdm([rule('r', { all: [{ fact: 'x', operator: 'lessThan', value: '10' }] })])).toThrow(ZenUnsupported);
    expect(() => rulesToJdm([rule('r', { all: [{ fact: 'x', operator: 'in', value: 'abc' }] })])).toThrow(ZenUnsupported);
    expect(() => rulesToJdm([rule('r', { all: [{ fact: 'x', operator: 'greaterThan', value: 1e19 }] })])).toThrow(ZenUnsupported);
    expect(() => rulesToJdm([rule('r', { all: [{ fact: 'x', operator: 'startsWith', value: 'a' }] })])).toThrow(ZenUnsupported);
  });

  it('the documented differences are real (and the only ones a test pins)', async () => {
    const rules = [
      rule('eq.null', { all: [{ fact: 'x', operator: 'equal', value: null }] }),
      rule('num.string', { all: [{ fact: 'x', operator: 'lessThan', value: 20 }] }),
      rule('ref.null', { all: [{ fact: 'y', operator: 'greaterThan', value: { fact: 'x' } }] }),
      rule('num.string.ref', { all: [{ fact: 'x', operator: 'lessThan', value: { fact: 'y' } }] }),
    ];
    const engine = jreEngine(rules);
    const t = rulesToJdm(rules, { shape: 'expression' });
    const d = new ZenEngine().createDecision(t.jdm);
    const both = async (facts: Record<string, unknown>) => [passedOf(await engine.run({ ...facts })), decodeResult(t, 'expression', (await d.evaluate(zenSafe(facts))).result)];
    // a missing fact: jre undefined !== null, zen null == null
    expect((await both({ y: 1 })).map((r) => r['eq.null'])).toEqual([false, true]);
    // a numeric string: jre coerces "12" < 20
    expect((await both({ x: '12' })).map((r) => r['num.string'])).toEqual([true, false]);
    // a null reference: JavaScript's 5 > null is 5 > 0
    expect((await both({ x: null, y: 5 })).map((r) => r['ref.null'])).toEqual([true, false]);
    // two strings pass lessThan's parseFloat validator, then compare as strings
    expect((await both({ x: '2020-01-31', y: '2020-02-01' })).map((r) => r['num.string.ref'])).toEqual([true, false]);
    // NaN (0 / 0 in a derived fact) is null in zen
    expect((await both({ x: NaN })).map((r) => r['eq.null'])).toEqual([false, true]);
  });
});
