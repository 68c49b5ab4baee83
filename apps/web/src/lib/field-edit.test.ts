import { describe, expect, it } from 'vitest';
import { editField, fieldEditOf, fieldMetaSchema, listFields } from './field-edit';

const schema = {
  type: 'object',
  required: ['name', 'basic'],
  properties: {
    name: { type: 'string', title: '园区名称', maxLength: 100 },
    basic: {
      type: 'object',
      title: '基本情况',
      required: ['firms'],
      properties: {
        firms: { type: 'integer', title: '入驻企业数', minimum: 0, 'x-unit': '家' },
        kind: { type: 'string', title: '类型', oneOf: [{ const: '甲', title: '甲' }, { const: '乙', title: '乙' }] },
        grade: { type: 'string', title: '档次', oneOf: [{ const: 'A', title: 'A 档' }] },
        cap: { type: 'number', title: '上限', maximum: { param: 'cap' } },
      },
    },
  },
};
const ui = { $schema: 'x', basic: { firms: { 'ui:help': '按年末数' } } };
const files = { 's.json': schema, 'u.json': ui, 'other.json': { a: 1 } };

describe('a form’s fields as the fields editor edits them', () => {
  const rows = listFields(schema, ui);
  const firms = rows.find((r) => r.path === 'basic.firms')!;

  it('lists the leaves with their group, kind, unit, required, range, options and help', () => {
    expect(rows.map((r) => r.path)).toEqual(['name', 'basic.firms', 'basic.kind', 'basic.grade', 'basic.cap']);
    expect(firms).toMatchObject({ pointer: '/properties/basic/properties/firms', group: '基本情况', kind: 'integer', unit: '家', required: true, minimum: 0, help: '按年末数' });
    expect(rows.find((r) => r.path === 'basic.kind')).toMatchObject({ kind: 'choice', options: ['甲', '乙'], optionsEditable: true, required: false });
    // a value that is not its label is not edited as a plain list
    expect(rows.find((r) => r.path === 'basic.grade')).toMatchObject({ options: ['A 档'], optionsEditable: false });
  });

  it('the edit form has no minimum/maximum where the schema uses a parameter', () => {
    const cap = rows.find((r) => r.path === 'basic.cap')!;
    expect(Object.keys((fieldMetaSchema(cap).properties as object) ?? {})).not.toContain('maximum');
    expect(Object.keys((fieldMetaSchema(firms).properties as object) ?? {})).toEqual(expect.arrayContaining(['title', 'kind', 'required', 'unit', 'minimum', 'maximum', 'help']));
  });

  it('writes title, maximum, required and help into the form and ui files, the rest untouched', () => {
    const out = editField(files, 's.json', 'u.json', firms, { ...fieldEditOf(firms), title: '入驻企业数量', maximum: 500, required: false, help: '' });
    const f = (out['s.json'] as typeof schema).properties.basic;
    expect(f.properties.firms).toEqual({ type: 'integer', title: '入驻企业数量', minimum: 0, maximum: 500, 'x-unit': '家' });
    expect(f.required).toBeUndefined();
    expect(out['u.json']).toEqual({ $schema: 'x', basic: { firms: {} } });
    expect(out['other.json']).toBe(files['other.json']);
    // the files given are not changed
    expect(schema.properties.basic.properties.firms.title).toBe('入驻企业数');
  });

  it('options and a change of kind', () => {
    const kind = rows.find((r) => r.path === 'basic.kind')!;
    const out = editField(files, 's.json', 'u.json', kind, { ...fieldEditOf(kind), options: ['甲', '丙'] });
    expect((out['s.json'] as typeof schema).properties.basic.properties.kind.oneOf).toEqual([{ const: '甲', title: '甲' }, { const: '丙', title: '丙' }]);
    const out2 = editField(files, 's.json', 'u.json', firms, { ...fieldEditOf(firms), kind: 'string' });
    expect((out2['s.json'] as typeof schema).properties.basic.properties.firms).toEqual({ type: 'string', title: '入驻企业数', maxLength: 200 });
  });
});
