import { describe, expect, it } from 'vitest';
import { displayValue, indexFields } from './fields.js';

describe('displayValue', () => {
  const fields = indexFields({
    type: 'object',
    properties: {
      items: {
        type: 'array',
        title: '勾选项',
        items: { type: 'string', oneOf: [{ const: 'a', title: '甲项' }, { const: 'b', title: '乙项' }] },
      },
    },
  });
  const list = fields.get('items');

  it('shows a list with the labels of its options', () => {
    expect(displayValue(list, ['a', 'b'])).toBe('甲项、乙项');
  });

  it('shows one element of a list (what a contains rule requires) with its label, not its code', () => {
    expect(displayValue(list, 'b')).toBe('乙项');
  });
});
