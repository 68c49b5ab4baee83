import type { Operator } from '../meta/index.js';
import { compareNumbers } from '../util/numbers.js';

/**
 * The operators of a rule, with json-rules-engine's semantics (including its
 * fact-value validators: a numeric operator on a value that is not a number is
 * false), except that numbers compare as decimals (see util/numbers.ts).
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function numberValidator(v: unknown): boolean {
  return Number.parseFloat(v as string).toString() !== 'NaN';
}

function eq(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b) === 0;
  return a === b;
}

function numeric(test: (c: number) => boolean, raw: (a: number, b: number) => boolean) {
  return (a: unknown, b: unknown): boolean => {
    if (typeof a === 'number') {
      // numberValidator of a number: parseFloat(String(a)) is NaN only for NaN
      if (a !== a) return false;
      if (typeof b === 'number') return test(compareNumbers(a, b));
      return raw(a, b as number);
    }
    // undefined, null, booleans: parseFloat of their text is NaN
    if (a === undefined || a === null || typeof a === 'boolean') return false;
    if (!numberValidator(a)) return false;
    return raw(a as number, b as number);
  };
}

function dateOp(test: (c: number) => boolean) {
  return (a: unknown, b: unknown): boolean => {
    if (typeof a !== 'string' || typeof b !== 'string' || !ISO_DATE.test(a) || !ISO_DATE.test(b)) return false;
    return test(a < b ? -1 : a > b ? 1 : 0);
  };
}

export const OPERATOR_FNS: Record<Operator, (fact: unknown, value: unknown) => boolean> = {
  equal: (a, b) => eq(a, b),
  notEqual: (a, b) => !eq(a, b),
  in: (a, b) => Array.isArray(b) && b.some((x) => eq(a, x)),
  notIn: (a, b) => !(Array.isArray(b) && b.some((x) => eq(a, x))),
  contains: (a, b) => Array.isArray(a) && a.some((x) => eq(x, b)),
  doesNotContain: (a, b) => Array.isArray(a) && !a.some((x) => eq(x, b)),
  containsAll: (a, b) => Array.isArray(a) && Array.isArray(b) && b.every((x) => a.some((y) => eq(x, y))),
  lessThan: numeric((c) => c < 0, (a, b) => a < b),
  lessThanInclusive: numeric((c) => c <= 0, (a, b) => a <= b),
  greaterThan: numeric((c) => c > 0, (a, b) => a > b),
  greaterThanInclusive: numeric((c) => c >= 0, (a, b) => a >= b),
  dateBefore: dateOp((c) => c < 0),
  dateOnOrBefore: dateOp((c) => c <= 0),
  dateAfter: dateOp((c) => c > 0),
  dateOnOrAfter: dateOp((c) => c >= 0),
};

/** Operators json-rules-engine does not ship; the reference engine registers these. */
export const CUSTOM_OPERATORS: Operator[] = ['containsAll', 'dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter'];

export const NUMERIC_OPERATORS = new Set<Operator>(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
export const DATE_OPERATORS = new Set<Operator>(['dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter']);
export const ARRAY_FACT_OPERATORS = new Set<Operator>(['contains', 'doesNotContain', 'containsAll']);
export const ARRAY_VALUE_OPERATORS = new Set<Operator>(['in', 'notIn', 'containsAll']);

/** How the requirement reads in Chinese: "≥ 50", "属于 A、B". */
export const OPERATOR_TEXT: Record<Operator, string> = {
  equal: '=',
  notEqual: '≠',
  in: '属于',
  notIn: '不属于',
  contains: '包含',
  doesNotContain: '不包含',
  containsAll: '全部包含',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  dateBefore: '早于',
  dateOnOrBefore: '不晚于',
  dateAfter: '晚于',
  dateOnOrAfter: '不早于',
};
