/* eslint-disable no-eval -- the test replaces the global eval to prove it is never called */
import { describe, expect, it } from 'vitest';
import { buildExpr, unknownOperators, varsOf } from './expr.js';

describe('json-logic expressions', () => {
  it('never go through eval (pack text is data)', () => {
    const original = globalThis.eval;
    globalThis.eval = () => {
      throw new Error('eval called');
    };
    try {
      const f = buildExpr({ '/': [{ var: 'economy.tax' }, { var: 'area.land' }] });
      expect(f({ economy: { tax: 90 }, area: { land: 3 } })).toBe(30);
      const g = buildExpr({ length: { var: ['list', []] } });
      expect(g({ list: ['a', 'b'] })).toBe(2);
      expect(g({})).toBe(0);
    } finally {
      globalThis.eval = original;
    }
  });
  it('division by zero or a missing value gives no value', () => {
    const f = buildExpr({ '/': [{ var: 'a' }, { var: 'b' }] });
    expect(f({ a: 1, b: 0 })).toBeUndefined();
    expect(f({ a: 1 })).toBeUndefined();
  });
  it('reports unknown operations and the variables read', () => {
    expect(unknownOperators({ divide: [1, 2] })).toEqual(['divide']);
    expect(varsOf({ '+': [{ var: 'a.b' }, { var: ['c', 0] }] })).toEqual(['a.b', 'c']);
  });
});
