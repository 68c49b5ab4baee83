// The batch path on generated rule sets: derived facts over the batch (columnar) ≡ per
// submission ≡ json-logic-engine's interpreter, and explain(i) ≡ evaluate(), on generated
// expressions and data with every kind of JSON value where a number is expected.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packFromFiles } from '../pack/build.js';
import { compileRuleSet } from './evaluate.js';
import { referenceDerive } from './reference.js';
import { sampleSize } from '../../../../test/support/full.js';

const FIELDS = ['a', 'b', 'c', 'list', 's', 'o.x', 'o.y'];

const value = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constantFrom(0, 1.5, 0.1, 1.005)) },
  { weight: 1, arbitrary: fc.constantFrom(null, '', '12', 'abc', true, false, [], [1, 2], { x: 1 }) },
);
const data = fc.record(
  {
    a: value,
    b: value,
    c: value,
    list: fc.oneof(fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 3 }), value),
    s: fc.oneof(fc.string({ maxLength: 5 }), value),
    o: fc.oneof(fc.record({ x: value, y: value }, { requiredKeys: [] }), value),
  },
  { requiredKeys: [] },
);

/** A derived expression of fact number j: reads fields, `param.p`, earlier derived facts. */
function exprArb(j: number): fc.Arbitrary<unknown> {
  const names = [...FIELDS, 'param.p', ...Array.from({ length: j }, (_v, k) => `d${k}`), 'o.x.z.w', 'missing'];
  const read = fc.oneof(
    fc.constantFrom(...names).map((n) => ({ var: n })),
    fc.tuple(fc.constantFrom(...names), fc.constantFrom(0, 1, null, [])).map(([n, d]) => ({ var: [n, d] })),
  );
  const { e } = fc.letrec<{ e: unknown }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: read },
      { weight: 1, arbitrary: fc.constantFrom('list', 's', 'o').map((n) => ({ length: { var: [n, []] } })) },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom('+', '-', '*', '/'), tie('e'), fc.oneof(tie('e'), fc.constantFrom(0, 2, 100, '3'))).map(([op, x, y]) => ({ [op]: [x, y] })) },
    ),
  }));
  return e;
}

function packOf(exprs: unknown[], precisions: Array<number | null>) {
  const files = {
    'schemas/bt/pack.json': {
      id: 'bt', title: '测试', issuer: '测试办', issueDate: '2023-08-23', year: 2023, dataCutoff: '2023-12-31',
      jurisdiction: { level: 'city', code: '3301', name: '测试市' },
      parameters: { p: { label: '参数', value: 3 } },
      forms: [{ id: 'f', title: '表', kind: 'record', schema: 'forms/f.schema.json' }],
      ruleSets: [{ id: 'rs', file: 'rs.rules.json' }],
    },
    'schemas/bt/forms/f.schema.json': {
      type: 'object',
      properties: {
        a: { type: 'number', title: 'A' }, b: { type: 'number', title: 'B' }, c: { type: 'number', title: 'C' },
        list: { type: 'array', title: '清单', items: { type: 'string', enum: ['x', 'y', 'z'] } },
        s: { type: 'string', title: '文字' },
        o: { type: 'object', title: 'O', properties: { x: { type: 'number', title: 'X' }, y: { type: 'number', title: 'Y' } } },
      },
    },
    'rules/bt/rs.rules.json': {
      id: 'rs', title: '派生', form: 'f',
      outcome: { kind: 'level', levels: [{ id: '1', label: '一级' }, { id: '2', label: '二级' }], cumulative: true },
      derived: exprs.map((expr, j) => ({ id: `d${j}`, label: `派生${j}`, expr, ...(precisions[j] !== null ? { precision: precisions[j] } : {}) })),
      rules: [
        ...exprs.map((_e, j) => ({
          name: `r${j}`,
          conditions: { any: [{ fact: `d${j}`, operator: 'greaterThanInclusive', value: 1.5 }, { fact: 'list', operator: 'contains', value: 'x' }] },
          event: { type: 'criterion', params: { level: j % 2 ? '2' : '1' } },
        })),
        { name: 'w', conditions: { all: [{ fact: 'a', operator: 'greaterThan', value: { fact: 'b' } }, { not: { fact: 's', operator: 'equal', value: 'abc' } }] }, event: { type: 'warning', params: { message: '提示' } } },
      ],
    },
  };
  return packFromFiles(files, 'bt');
}

// generated rule sets: 150 daily, 1,000 in pnpm test:full
const RUNS = sampleSize(150, 1_000);

describe('evaluateBatch on generated rule sets', () => {
  it('derived facts (columnar) ≡ per submission ≡ the interpreter; explain(i) ≡ evaluate()', () => {
    let columnar = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((k) => fc.tuple(fc.tuple(...Array.from({ length: k }, (_v, j) => exprArb(j))), fc.array(fc.constantFrom(null, 0, 2, 4), { minLength: k, maxLength: k }))),
        fc.array(data, { minLength: 0, maxLength: 40 }),
        ([exprs, precisions], subs) => {
          const rs = compileRuleSet(packOf(exprs, precisions), 'rs');
          if (rs.derivedColumns) columnar++;
          const b = rs.evaluateBatch(subs);
          const params = rs.paramValues();
          subs.forEach((x, i) => {
            const ref = referenceDerive(rs, x, params);
            expect(b.derived(i)).toEqual(ref);
            expect(rs.derive(x, params)).toEqual(ref);
            expect(isDeepStrictEqual(b.explain(i), rs.evaluate(x))).toBe(true);
            expect(b.level(i)).toBe(rs.quick(x).level);
          });
        },
      ),
      { numRuns: RUNS, seed: 42 },
    );
    // most generated rule sets take the columnar path
    expect(columnar).toBeGreaterThan(RUNS / 2);
  });

  it('an empty batch, a batch of one, parameters overridden', () => {
    const rs = compileRuleSet(packOf([{ '*': [{ var: 'a' }, { var: 'param.p' }] }], [2]), 'rs');
    const empty = rs.evaluateBatch([]);
    expect(empty.size).toBe(0);
    expect(() => empty.explain(0)).toThrow(RangeError);
    const one = rs.evaluateBatch([{ a: 0.4 }], { parameters: { p: 4 } });
    expect(one.derived(0)).toEqual({ d0: 1.6 });
    // level 2 has no criterion of its own: cumulative, it holds with level 1
    expect(one.level(0)).toBe('2');
    expect(one.explain(0)).toEqual(rs.evaluate({ a: 0.4 }, { parameters: { p: 4 } }));
    expect(rs.evaluateBatch([{ a: 0.4 }]).level(0)).toBeNull();
  });
});
