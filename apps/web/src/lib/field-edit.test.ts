import { describe, expect, it } from 'vitest';
import { addField, canMove, editField, fieldEditOf, fieldMetaSchema, listFields, moveField, removeField } from './field-edit';

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

  it('a kind changed among the common kinds: textarea by its ui widget, choice with options, attachment with x-file', () => {
    const name = rows.find((r) => r.path === 'name')!;
    const toText = editField(files, 's.json', 'u.json', name, { ...fieldEditOf(name), kind: 'textarea' });
    expect((toText['u.json'] as { name: object }).name).toEqual({ 'ui:widget': 'textarea' });
    const asText = listFields(toText['s.json'], toText['u.json']).find((r) => r.path === 'name')!;
    expect(asText.kind).toBe('textarea');
    const toChoice = editField(toText, 's.json', 'u.json', asText, { ...fieldEditOf(asText), kind: 'choice' });
    expect((toChoice['s.json'] as typeof schema).properties.name).toEqual({ type: 'string', title: '园区名称', oneOf: [{ const: '选项一', title: '选项一' }, { const: '选项二', title: '选项二' }] });
    expect((toChoice['u.json'] as { name: object }).name).toEqual({});
    const toFile = editField(files, 's.json', 'u.json', name, { ...fieldEditOf(name), kind: 'file' });
    expect((toFile['s.json'] as typeof schema).properties.name).toMatchObject({ type: 'string', 'x-file': { accept: ['application/pdf', 'image/jpeg', 'image/png'] } });
    expect(listFields(toFile['s.json'], toFile['u.json']).find((r) => r.path === 'name')!.kind).toBe('file');
    // string → number: no range yet; the unit typed is written
    const toNumber = editField(files, 's.json', 'u.json', name, { ...fieldEditOf(name), kind: 'number', unit: '亩' });
    expect((toNumber['s.json'] as typeof schema).properties.name).toEqual({ type: 'number', title: '园区名称', minimum: 0, 'x-unit': '亩' });
  });

  it('adds a field after the chosen one, in its group and its ui:order, with a key of its own', () => {
    const ordered = { ...files, 'u.json': { ...ui, basic: { ...ui.basic, 'ui:order': ['kind', 'firms', 'grade', 'cap'] } } };
    const r = addField(ordered, 's.json', 'u.json', firms, { title: '新字段', kind: 'date' });
    expect(r.path).toBe('basic.field1');
    expect(r.pointer).toBe('/properties/basic/properties/field1');
    const basic = (r.files['s.json'] as typeof schema).properties.basic;
    expect(Object.keys(basic.properties)).toEqual(['firms', 'field1', 'kind', 'grade', 'cap']);
    expect((basic.properties as Record<string, unknown>).field1).toEqual({ title: '新字段', type: 'string', format: 'date' });
    expect((r.files['u.json'] as { basic: { 'ui:order': string[] } }).basic['ui:order']).toEqual(['kind', 'firms', 'field1', 'grade', 'cap']);
    // a second one gets the next key; at the end of the form when no field is chosen
    const r2 = addField(r.files, 's.json', 'u.json', null, { title: '说明', kind: 'textarea' });
    expect(r2.path).toBe('field2');
    expect(Object.keys((r2.files['s.json'] as typeof schema).properties)).toEqual(['name', 'basic', 'field2']);
    expect((r2.files['u.json'] as Record<string, unknown>).field2).toEqual({ 'ui:widget': 'textarea' });
  });

  it('removes a field with its required entry, ui entry and ui:order place', () => {
    const ordered = { ...files, 'u.json': { ...ui, basic: { ...ui.basic, 'ui:order': ['kind', 'firms', '*'] } } };
    const out = removeField(ordered, 's.json', 'u.json', firms);
    const basic = (out['s.json'] as typeof schema).properties.basic;
    expect(Object.keys(basic.properties)).toEqual(['kind', 'grade', 'cap']);
    expect(basic.required).toBeUndefined();
    expect((out['u.json'] as { basic: object }).basic).toEqual({ 'ui:order': ['kind', '*'] });
    expect(schema.properties.basic.properties.firms).toBeDefined();
  });

  it('moves a field within its group: properties and ui:order swap the two places', () => {
    const kind = rows.find((r) => r.path === 'basic.kind')!;
    expect(canMove(files, 's.json', 'u.json', firms, -1)).toBe(false);
    expect(canMove(files, 's.json', 'u.json', firms, 1)).toBe(true);
    const down = moveField(files, 's.json', 'u.json', firms, 1);
    expect(Object.keys((down['s.json'] as typeof schema).properties.basic.properties)).toEqual(['kind', 'firms', 'grade', 'cap']);
    // with a ui:order the order shown is that list's
    const ordered = { ...files, 'u.json': { ...ui, basic: { ...ui.basic, 'ui:order': ['kind', 'firms', 'grade', 'cap'] } } };
    expect(canMove(ordered, 's.json', 'u.json', kind, -1)).toBe(false);
    const up = moveField(ordered, 's.json', 'u.json', firms, -1);
    expect((up['u.json'] as { basic: { 'ui:order': string[] } }).basic['ui:order']).toEqual(['firms', 'kind', 'grade', 'cap']);
    expect(Object.keys((up['s.json'] as typeof schema).properties.basic.properties)).toEqual(['firms', 'kind', 'grade', 'cap']);
  });
});
