import { describe, expect, it } from 'vitest';
import { columnsOf, headersOf, rowsPathOf, sectionsOf, totalLabelOf } from './columns';
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

describe('multi-section tables (x-table.sections)', () => {
  const item = (extra: string) => ({
    type: 'object',
    properties: { no: { type: 'integer', title: '序号' }, name: { type: 'string', title: '名称' }, [extra]: { type: 'number', title: `列${extra}`, 'x-total': 'sum' } },
  });
  const multi = {
    type: 'object',
    'x-table': {
      sections: [
        { field: 'first', title: '第一节', columns: ['no', 'name', { title: '分组', children: ['a'] }] },
        { field: 'second', title: '第二节', columns: ['no', 'name', 'b'], total: { label: '小计', column: 'name' } },
        { field: 'missing', title: '不存在', columns: [] },
      ],
    },
    properties: { region: { type: 'string' }, first: { type: 'array', items: item('a') }, second: { type: 'array', items: item('b') } },
  };

  it('lists every section with its own columns, headers and total', () => {
    expect(sectionsOf(multi)).toEqual([
      { field: 'first', title: '第一节' },
      { field: 'second', title: '第二节' },
    ]);
    expect(columnsOf(multi, 'second').map((c) => c.key)).toEqual(['no', 'name', 'b']);
    const h1 = headersOf(multi, columnsOf(multi, 'first'), 'first');
    expect(h1.depth).toBe(2);
    expect(h1.cells.map((c) => c.title)).toContain('分组');
    const h2 = headersOf(multi, columnsOf(multi, 'second'), 'second');
    expect(h2.depth).toBe(1);
    expect(h2.order.map((c) => c.key)).toEqual(['no', 'name', 'b']);
    expect(totalLabelOf(multi, 'second')).toEqual({ label: '小计', column: 'name' });
    expect(totalLabelOf(multi, 'first')).toBeNull();
    // the default section stays the first array, as before
    expect(rowsPathOf(multi)).toBe('first');
    expect(columnsOf(multi).map((c) => c.key)).toEqual(['no', 'name', 'a']);
  });

  it('a table without sections is one untitled section', () => {
    expect(sectionsOf(schema)).toEqual([{ field: 'rows', title: '' }]);
  });
});
