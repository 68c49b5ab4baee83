import { describe, expect, it } from 'vitest';
import { createFormAjv } from './ajv.js';
import { fieldErrors } from './messages.js';

describe('fieldErrors', () => {
  it('names the field once when a value is not among the options of a oneOf of consts', () => {
    const validate = createFormAjv().compile({
      type: 'object',
      properties: {
        grade: { type: 'string', title: '绩效评价档次', oneOf: ['A', 'B', 'C'].map((g) => ({ const: g, title: `${g}档` })) },
      },
    });
    expect(validate({ grade: 'E' })).toBe(false);
    expect(fieldErrors(validate.errors)).toEqual([{ path: 'grade', code: 'const', message: '绩效评价档次只能选择规定的选项' }]);
  });

  it('still reports a plain const with its own title', () => {
    const validate = createFormAjv().compile({
      type: 'object',
      properties: { ok: { type: 'boolean', title: '承诺', const: true } },
    });
    expect(validate({ ok: false })).toBe(false);
    expect(fieldErrors(validate.errors)).toEqual([{ path: 'ok', code: 'const', message: '承诺只能选择规定的选项' }]);
  });
});
