import { describe, expect, it } from 'vitest';
import { columnsOf, headersOf, rowsPathOf, totalLabelOf } from './columns';
import { parseCell, display } from './cells';

const schema = {
  type: 'object',
  'x-table': {
    columns: ['code', { title: '经济', children: ['tax', { title: '效益', children: ['perMu'] }] }, 'kind'],
    total: { label: '合计', column: 'code' },
  },
  properties: {
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string', title: '编码' },
          tax: { type: 'number', title: '税收', 'x-unit': '万元', 'x-total': 'sum' },
          perMu: { type: 'number', title: '亩均', 'x-compute': { '/': [{ var: 'tax' }, 2] }, 'x-total': 'recompute' },
          kind: { type: 'string', title: '类型', oneOf: [{ const: 'm', title: '制造' }, { const: 's', title: '服务' }] },
          ok: { type: 'boolean', title: '参评' },
        },
      },
    },
  },
};

describe('table columns and headers', () => {
  it('finds the rows, the columns and their totals', () => {
    expect(rowsPathOf(schema)).toBe('rows');
    const cols = columnsOf(schema);
    expect(cols.map((c) => c.key)).toEqual(['code', 'tax', 'perMu', 'kind', 'ok']);
    expect(cols.find((c) => c.key === 'perMu')?.computed).toBe(true);
    expect(cols.find((c) => c.key === 'tax')?.total).toBe('sum');
    expect(totalLabelOf(schema)).toEqual({ label: '合计', column: 'code' });
  });
  it('lays out multi-level headers from x-table, appending columns it does not name', () => {
    const h = headersOf(schema, columnsOf(schema));
    expect(h.depth).toBe(3);
    expect(h.order.map((c) => c.key)).toEqual(['code', 'tax', 'perMu', 'kind', 'ok']);
    const group = h.cells.find((c) => c.title === '经济');
    expect(group).toMatchObject({ col: 2, span: 2, row: 1, rowSpan: 1 });
    expect(h.cells.find((c) => c.title === '税收（万元）')).toMatchObject({ col: 2, row: 2, rowSpan: 2 });
    expect(h.cells.find((c) => c.title === '编码')).toMatchObject({ col: 1, row: 1, rowSpan: 3 });
  });
  it('reads pasted text as the column means it', () => {
    const cols = columnsOf(schema);
    const [code, tax, , kind, ok] = cols;
    if (!code || !tax || !kind || !ok) throw new Error('columns');
    expect(parseCell(tax, ' 1,234.5 ')).toBe(1234.5);
    expect(parseCell(tax, '')).toBeUndefined();
    expect(parseCell(tax, '十二')).toBe('十二');
    expect(parseCell(kind, '服务')).toBe('s');
    expect(parseCell(ok, '否')).toBe(false);
    expect(parseCell(code, '0012')).toBe('0012');
    expect(display(kind, 'm')).toBe('制造');
    expect(display(ok, true)).toBe('是');
  });
});
