import { describe, expect, it } from 'vitest';
import { compareNumbers, normalize, roundHalfUp } from './numbers.js';
import { OPERATOR_FNS } from '../rules/operators.js';

describe('numbers compare the way a notice means them', () => {
  it('1.5 倍（含）holds at a ratio floating point computes as 1.4999999999999998', () => {
    const ratio = 4.5 / 3; // 1.5 exactly? no: 1.4999999999999998 on some inputs
    const noisy = 0.3 * 5; // 1.5
    const below = 1.4999999999999998;
    expect(below < 1.5).toBe(true); // what binary floating point says
    expect(OPERATOR_FNS.greaterThanInclusive(below, 1.5)).toBe(true); // what the notice means
    expect(OPERATOR_FNS.greaterThanInclusive(ratio, 1.5)).toBe(true);
    expect(OPERATOR_FNS.equal(noisy, 1.5)).toBe(true);
    expect(OPERATOR_FNS.greaterThanInclusive(1.4999, 1.5)).toBe(false);
    expect(OPERATOR_FNS.greaterThan(1.5000000000000002, 1.5)).toBe(false);
  });
  it('rounds half up in decimal', () => {
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(2.675, 2)).toBe(2.68);
    expect(roundHalfUp(-2.5, 0)).toBe(-3);
    expect(roundHalfUp(1.4999999999999998, 4)).toBe(1.5);
    expect(roundHalfUp(1e-9, 2)).toBe(0);
  });
  it('normalises only representation noise', () => {
    expect(normalize(0.1 + 0.2)).toBe(0.3);
    expect(compareNumbers(0.1 + 0.2, 0.3)).toBe(0);
    expect(compareNumbers(0.30000001, 0.3)).toBe(1);
  });
  it('numeric operators on non-numbers are false, like json-rules-engine', () => {
    expect(OPERATOR_FNS.greaterThan(undefined, 1)).toBe(false);
    expect(OPERATOR_FNS.lessThan('abc', 1)).toBe(false);
  });
  it('date operators compare ISO dates', () => {
    expect(OPERATOR_FNS.dateOnOrBefore('2018-12-31', '2018-12-31')).toBe(true);
    expect(OPERATOR_FNS.dateOnOrBefore('2019-01-01', '2018-12-31')).toBe(false);
    expect(OPERATOR_FNS.dateBefore('2018-12-31', '2018-12-31')).toBe(false);
    expect(OPERATOR_FNS.dateAfter('2018/12/31', '2018-01-01')).toBe(false);
  });
});

describe('the fast path of compareNumbers agrees with normalising both sides', () => {
  it('on numbers near each other and far apart', () => {
    const slow = (a: number, b: number) => {
      const x = normalize(a);
      const y = normalize(b);
      return x < y ? -1 : x > y ? 1 : 0;
    };
    const values = [0, 1.5, 1.4999999999999998, 1.5000000000000002, 100000, 99999.99999999997, 0.3, 0.1 + 0.2, 1e-300, -2.5, 123456789.123];
    for (const a of values) for (const b of values) expect(compareNumbers(a, b), `${a} vs ${b}`).toBe(slow(a, b));
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 20000; i++) {
      const a = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12);
      const b = rnd() < 0.5 ? a * (1 + (rnd() - 0.5) * 1e-13) : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12);
      expect(compareNumbers(a, b)).toBe(slow(a, b));
    }
  });
});

describe('the fast path of roundHalfUp agrees with decimal rounding', () => {
  it('on random decimals and on halves', () => {
    const slow = (x: number, d: number) => {
      const n = normalize(x);
      const sign = n < 0 ? -1 : 1;
      const text = String(Math.abs(n));
      if (text.includes('e')) return (sign * Math.round(normalize(Math.abs(n) * 10 ** d))) / 10 ** d;
      const r = Math.round(normalize(Number(`${text}e${d}`)));
      return r === 0 ? 0 : sign * Number(`${r}e-${d}`);
    };
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 50000; i++) {
      const d = Math.floor(rnd() * 6);
      const x = (rnd() < 0.3 ? Math.round(rnd() * 1e6) / 1000 + 0.0005 : (rnd() - 0.3) * 10 ** Math.floor(rnd() * 8));
      expect(roundHalfUp(x, d), `${x} @${d}`).toBe(slow(x, d));
    }
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(1476 / 80 / 12.3, 4)).toBe(1.5);
  });
});
