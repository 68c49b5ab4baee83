// One decimal rounding for rules, cohort steps and table forms (core's), worked by hand.
import { describe, expect, it } from 'vitest';
import { roundTo as cohortRound } from '@yuanping/cohort';
import { roundTo as tablesRound } from '@yuanping/tables';
import { roundDecimal } from '@yuanping/core/browser';

describe('one decimal rounding', () => {
  it('2.0049999999999 is below the half: 2.00 everywhere (12-digit normalisation used to make it 2.01 in cohort and tables)', () => {
    expect(roundDecimal(2.0049999999999, 2)).toBe(2);
    expect(cohortRound(2.0049999999999, 2)).toBe(2);
    expect(tablesRound(2.0049999999999, 2)).toBe(2);
  });
  it('halves round up (away from zero) at the decimal value typed', () => {
    expect(roundDecimal(1.005, 2)).toBe(1.01);
    expect(roundDecimal(2.675, 2)).toBe(2.68);
    expect(roundDecimal(-2.5, 0)).toBe(-3);
  });
  it('floor and ceil at the decimal value: 0.45 × 20 floors to 9, 0.3 × 3 ceils to 0.9', () => {
    expect(roundDecimal(0.45 * 20, 0, 'floor')).toBe(9);
    expect(roundDecimal(0.3 * 3, 1, 'ceil')).toBe(0.9);
    expect(roundDecimal(1.99, 1, 'floor')).toBe(1.9);
    expect(roundDecimal(1.01, 1, 'ceil')).toBe(1.1);
    expect(roundDecimal(-1.01, 1, 'floor')).toBe(-1.1);
    expect(cohortRound(19.999999999999996, 0, 'floor')).toBe(20);
  });
});
