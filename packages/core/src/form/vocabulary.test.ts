import { describe, expect, it } from 'vitest';
import { createFormAjv } from './ajv.js';
import { unresolvedPageRefs } from './vocabulary.js';

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

  it('x-pages-of names a form or a field of the same pack (lists step into their items)', () => {
    const materials = {
      file: 'schemas/p/forms/m.schema.json',
      schema: {
        type: 'object',
        definitions: { doc: { type: 'string', 'x-file': { accept: ['application/pdf'] } } },
        properties: {
          text: { type: 'object', properties: { plan: { type: 'string' } } },
          docs: { type: 'array', items: { $ref: '#/definitions/doc' } },
        },
      },
    };
    const card = {
      file: 'schemas/p/forms/c.schema.json',
      schema: {
        type: 'object',
        properties: {
          ok: { type: 'string', 'x-pages-of': ['m', 'm.text.plan', 'm.docs', 'm.docs.0'] },
          one: { type: 'string', 'x-pages-of': 'm.text' },
          bad: { type: 'string', 'x-pages-of': ['m.text.nope', 'x.text', ''] },
        },
      },
    };
    const got = unresolvedPageRefs(new Map<string, { file: string; schema: Record<string, unknown> }>([['m', materials], ['c', card]]));
    expect(got).toEqual([
      { file: card.file, pointer: '/properties/bad/x-pages-of/0', ref: 'm.text.nope' },
      { file: card.file, pointer: '/properties/bad/x-pages-of/1', ref: 'x.text' },
      { file: card.file, pointer: '/properties/bad/x-pages-of/2', ref: '' },
    ]);
    expect(() => createFormAjv().compile(card.schema)).not.toThrow();
  });
});
