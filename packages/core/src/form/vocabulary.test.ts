import { describe, expect, it } from 'vitest';
import { createFormAjv } from './ajv.js';

describe('form vocabulary', () => {
  it('accepts the table-form layout keywords of @yuanping/tables in strict mode', () => {
    const schema = {
      type: 'object',
      'x-table': { attachment: '附件1', columns: [{ title: '分组', children: ['a'] }] },
      properties: {
        rows: {
          type: 'array',
          items: { type: 'object', properties: { a: { type: 'number', title: '甲', 'x-numFmt': '0.00', 'x-width': 12 } } },
        },
      },
    };
    expect(() => createFormAjv().compile(schema)).not.toThrow();
  });
});
