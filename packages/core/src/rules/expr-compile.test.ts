/* eslint-disable no-eval -- the test replaces the global eval to prove it is never called */
// The compiled closures ≡ json-logic-engine's interpreter: on generated expressions of the
// compiled subset (and some outside it) over generated data, and on every expression of
// the packs in rules/ and test/packs/ over generated submissions.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { LogicEngine } from 'json-logic-engine';
import { loadPack } from '../node/load.js';
import { describe, expect, it } from 'vitest';
import { compileExpr } from './expr-compile.js';
import { buildExpr, buildScopedExpr, interpretExpr } from './expr.js';
import { sampleSize } from '../../../../test/support/full.js';

const KEYS = ['a', 'b', 'c', 'list', 'name', 'level', 'year', 'length', '0', '1'];

const scalar = fc.oneof(
  fc.constantFrom(null, 0, '', false),
  fc.constantFrom(null, true, false, 0, -0, 1, 2, -3, 0.1, 0.2, 1.5, 1e20, '', 'abc', '12', '0', '2018', '2018-06-01', 'A', 'national'),
  fc.integer({ min: -100, max: 100 }),
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
);
const { value: dataArb } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }) },
  ),
}));
const nested = (depth: number): fc.Arbitrary<unknown> =>
  depth === 0
    ? scalar
    : fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(null, 0, '', false, 'abc', [1]) },
        { weight: 3, arbitrary: fc.record({ [['b', 'c', 'd'][3 - depth]!]: nested(depth - 1), 0: scalar }, { requiredKeys: [] }) },
      );
const rootArb = fc.oneof(
  fc.dictionary(fc.constantFrom(...KEYS), dataArb, { maxKeys: 7 }),
  // shaped like the paths the expressions read: a.b.c.d, list.0
  fc.record({ a: nested(3), b: scalar, list: fc.array(fc.oneof(scalar, nested(1)), { maxLength: 4 }), name: scalar, 0: scalar }, { requiredKeys: [] }),
);

const path = fc.oneof(
  fc.constantFrom('a', 'b', 'list', 'a.b', 'a.b.c', 'a.b.c.d', 'list.0', 'a.0', 'name', '', 'length', 'a.length', 'a\\.b'),
  fc.constantFrom(0, 1),
);
const OPS_N = ['+', '-', '*', '/', '%', 'max', 'min', 'merge', 'cat', 'in', 'substr', 'and', 'or', 'if', '?:'];
const OPS_1 = ['!', '!!', 'not', 'length', '+', '-', 'cat'];
const CMP = ['<', '<=', '>', '>=', '==', '!=', '===', '!=='];

const { expr: exprArb } = fc.letrec<{ expr: unknown; leaf: unknown }>((tie) => ({
  leaf: fc.oneof(
    scalar,
    path.map((p) => ({ var: p })),
    fc.tuple(path, scalar).map(([p, d]) => ({ var: [p, d] })),
    fc.tuple(path, fc.constant([])).map(([p, d]) => ({ var: [p, d] })),
    fc.constantFrom('a', 'b', 0).map((p) => ({ val: p })),
    fc.array(fc.constantFrom('a', 'b', 'c', 0, 1), { minLength: 1, maxLength: 3 }).map((p) => ({ val: p })),
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: tie('leaf') },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...OPS_N), fc.array(tie('expr'), { maxLength: 4 })).map(([op, a]) => ({ [op]: a })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...OPS_1), tie('expr')).map(([op, a]) => ({ [op]: a })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...CMP), fc.array(tie('expr'), { minLength: 2, maxLength: 3 })).map(([op, a]) => ({ [op]: a })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('map', 'filter', 'some'), tie('expr'), tie('expr'))
        .map(([op, s, m]) => ({ [op]: [s, m] })),
    },
    { weight: 1, arbitrary: fc.tuple(tie('expr'), fc.constantFrom('a', 'b', 'level', 'a.b', 0), fc.option(scalar)).map(([o, k, d]) => ({ get: d === null ? [o, k] : [o, k, d] })) },
    { weight: 1, arbitrary: fc.array(tie('expr'), { maxLength: 3 }) },
    // outside the subset: must fall back, never differ
    { weight: 1, arbitrary: fc.tuple(tie('expr'), tie('expr')).map(([s, m]) => ({ reduce: [s, m, 0] })) },
    { weight: 1, arbitrary: fc.tuple(tie('expr')).map(([s]) => ({ all: [s, { var: '' }] })) },
  ),
}));

/** The interpreter on its own engine (one engine per expression, as a pack's would be: it caches per expression). */
function reference(expr: unknown) {
  return interpretExpr(expr, new LogicEngine());
}

function compiled(expr: unknown, nanAsThrow = true) {
  const f = compileExpr(Object.freeze(structuredClone(expr)), { nanAsThrow });
  if (!f) return undefined;
  return (d: unknown) => {
    try {
      const v = f(d);
      return typeof v === 'number' && !Number.isFinite(v) ? undefined : v;
    } catch {
      return undefined;
    }
  };
}

describe('compiled json-logic ≡ the interpreter', () => {
  it('on generated expressions and data (including throws, NaN, falsy steps)', () => {
    let supported = 0;
    let total = 0;
    fc.assert(
      fc.property(exprArb, fc.array(rootArb, { minLength: 1, maxLength: 8 }), (expr, datas) => {
        total++;
        const mine = compiled(expr);
        if (!mine) return;
        supported++;
        const strict = compiled(expr, false)!;
        const ref = reference(expr);
        for (const d of datas) {
          // twice: the interpreter builds on the first run and caches
          expect(mine(d)).toEqual(ref(d));
          expect(mine(d)).toEqual(ref(d));
          expect(strict(d)).toEqual(ref(d));
        }
        // non-object data too (elements inside iterators can be anything)
        for (const d of [null, 0, '', 'abc', [1, 2], true]) {
          expect(mine(d)).toEqual(ref(d));
          expect(strict(d)).toEqual(ref(d));
        }
      }),
      { numRuns: sampleSize(800, 4000), seed: 20240601 },
    );
    // the subset covers most of what is generated
    expect(supported / total).toBeGreaterThan(0.5);
  });

  it('without nanAsThrow a throw stays a throw', () => {
    const f = compileExpr({ '+': [{ '/': [{ var: 'a' }, { var: 'b' }] }, 1] })!;
    expect(() => f({ a: 1, b: 0 })).toThrow();
    const g = compileExpr({ '+': [{ '/': [{ var: 'a' }, { var: 'b' }] }, 1] }, { nanAsThrow: true })!;
    expect(g({ a: 1, b: 0 })).toBeNaN();
  });

  it('quirks the interpreter has and the closures keep', () => {
    const cases: Array<[unknown, unknown]> = [
      [{ var: 'a.b' }, { a: 0 }],
      [{ var: 'a.b.c.d' }, { a: 0 }],
      [{ '!': [{ var: 'list' }] }, { list: [0] }],
      [{ '+': [{ var: 'list' }] }, { list: [1, 2, 3] }],
      [{ if: [true, 1, { '/': [1, 0] }] }, {}],
      [{ if: [{ var: 'a' }, 1, 2, 3] }, { a: 0 }],
      [{ filter: [{ var: 'a' }, true] }, { a: 'not an array' }],
      [{ get: [{ var: 'a' }, 'b'] }, { a: { b: null } }],
      [{ in: ['2018', { var: 'a' }] }, { a: 'x2018y' }],
      [{ '==': [{ var: 'a' }, 1] }, { a: [1] }],
      [{ var: 0 }, { 0: 'zero' }],
      [{ length: [{ var: 'list' }] }, { list: [1, 2] }],
      // a constant that throws while the interpreter builds, under arithmetic, in a branch not taken
      [{ if: [{ var: 'c' }, 1, { '+': [{ '/': [1, 0] }, { var: 'x' }] }] }, { c: true, x: 1 }],
      [{ '+': [{ '/': [{ var: 'a' }, { var: 'b' }] }, 1] }, { a: 1, b: 0 }],
    ];
    for (const [expr, data] of cases) expect(compiled(expr)!(data)).toEqual(reference(expr)(data));
  });

  it('every expression of the packs compiles and equals the interpreter on generated submissions', async () => {
    const repo = join(import.meta.dirname, '..', '..', '..', '..');
    const exprs: unknown[] = [];
    const walkSchema = (s: unknown) => {
      if (Array.isArray(s)) return s.forEach(walkSchema);
      if (!s || typeof s !== 'object') return;
      for (const [k, v] of Object.entries(s)) {
        if (k === 'x-compute') exprs.push(v);
        else walkSchema(v);
      }
    };
    // the expanded packs: what the runtime compiles (generated totals and counts included)
    for (const root of [repo, join(repo, 'test', 'packs')]) {
      for (const dir of readdirSync(join(root, 'rules'), { withFileTypes: true }).filter((d) => d.isDirectory())) {
        const pack = await loadPack(dir.name, { root });
        for (const rs of pack.ruleSets.values()) for (const d of rs.ruleSet.derived ?? []) exprs.push(d.expr);
        for (const f of pack.forms.values()) walkSchema(f.schema);
      }
    }
    expect(exprs.length).toBeGreaterThan(30);
    const unsupported = exprs.filter((e) => !compiled(e)).map((e) => JSON.stringify(e));
    // val climbing out of an iterator ([[2], …]) stays on the interpreter
    expect(unsupported.every((t) => t.includes('"val":[[2]'))).toBe(true);
    const rowArb = fc.dictionary(fc.constantFrom('landMu', 'name', 'finish', 'start', 'county', 'areaCode', 'regionCode', 'level', 'year', 'orgName', 'grade2021', 'newBuilt', 'mfgCount'), scalar, { maxKeys: 6 });
    const subArb = fc.record(
      {
        economy: fc.dictionary(fc.constantFrom('tax', 'landMu'), fc.oneof(scalar, fc.dictionary(fc.constantFrom('thisYear', 'lastYear'), scalar))),
        area: fc.dictionary(fc.constantFrom('land', 'built', 'selfHeld', 'sold'), scalar),
        enterprises: fc.dictionary(fc.constantFrom('leadingRelated', 'total'), scalar),
        services: fc.dictionary(fc.constantFrom('serviceFunctions'), fc.oneof(scalar, fc.array(fc.string(), { maxLength: 4 }))),
        rows: fc.array(rowArb, { maxLength: 4 }),
        built: fc.array(rowArb, { maxLength: 3 }),
        started: fc.array(rowArb, { maxLength: 3 }),
        recognitions: fc.array(rowArb, { maxLength: 3 }),
        city: scalar,
        param: fc.dictionary(fc.constantFrom('provincialAvgTaxPerMu', 'planYear', 'capDefault', 'recognitionSinceYear'), scalar),
      },
      { requiredKeys: [] },
    );
    const samples = fc.sample(subArb, { numRuns: 300, seed: 7 });
    for (const e of exprs) {
      const mine = compiled(e);
      if (!mine) continue;
      const ref = reference(e);
      for (const d of samples) expect(mine(d)).toEqual(ref(d));
    }
  });

  it('scoped closures (derived facts reading a root record) equal the closures on the merged object', () => {
    const params = { avg: 3, planYear: 2019 };
    const head = (h: string) => (h === 'param' ? () => params : (r: unknown) => ((r as { data: Record<string, unknown> }).data)[h]);
    fc.assert(
      fc.property(exprArb, rootArb, (expr, data) => {
        const scoped = buildScopedExpr(expr, head);
        if (!scoped) return;
        const plain = compiled(expr)!;
        expect(scoped({ data })).toEqual(plain({ ...data, param: params }));
      }),
      { numRuns: sampleSize(400, 2000), seed: 11 },
    );
  });

  it('never goes through eval', () => {
    const original = globalThis.eval;
    globalThis.eval = () => {
      throw new Error('eval called');
    };
    try {
      const f = buildExpr({ '/': [{ '*': [{ var: 'x.lead' }, 100] }, { var: 'x.total' }] });
      expect(f({ x: { lead: 3, total: 4 } })).toBe(75);
      expect(compileExpr({ map: [{ var: 'rows' }, { get: [{ var: '' }, 'v', 0] }] })!({ rows: [{ v: 1 }, {}] })).toEqual([1, 0]);
    } finally {
      globalThis.eval = original;
    }
  });
});
