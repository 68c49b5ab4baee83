import { describe, expect, it } from 'vitest';
import { TranslatableString, type RJSFSchema } from '@rjsf/utils';
import { formValidator, transformErrors } from './validator';
import { translateString } from './translate';
import { deriveUi } from './ui';

const schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', title: '园区名称', maxLength: 10 },
    area: { type: 'number', title: '实际用地面积', minimum: 0, 'x-unit': '亩', 'x-clause': '第一条' },
    kind: { type: 'string', title: '园区类型', oneOf: [{ const: 'm', title: '制造' }, { const: 's', title: '服务' }] },
    expert: { type: 'number', title: '考核分', 'x-role': 'province' },
    per: { type: 'number', title: '亩均', 'x-compute': { '/': [{ var: 'tax' }, { var: 'area' }] } },
  },
} as RJSFSchema;

describe('the browser validator', () => {
  it('accepts the extension keywords and speaks Chinese at the field', () => {
    const r = formValidator.validateFormData({ area: -1, kind: 'x', name: '一二三四五六七八九十十一' }, schema);
    const msgs = transformErrors(r.errors, true).map((e) => `${e.property}:${e.message}`);
    expect(msgs).toContain('.area:实际用地面积不能小于 0');
    expect(msgs).toContain('.name:园区名称不能超过 10 个字');
    expect(msgs.filter((m) => m.startsWith('.kind:'))).toEqual(['.kind:园区类型只能选择规定的选项']);
  });
  it('holds back "please fill in" until asked', () => {
    const r = formValidator.validateFormData({}, schema);
    expect(transformErrors(r.errors, false)).toEqual([]);
    expect(transformErrors(r.errors, true).map((e) => e.message)).toEqual(['请填写园区名称']);
  });
});

describe('interface strings and derived ui', () => {
  it('translates rjsf strings', () => {
    expect(translateString(TranslatableString.AddItemButton)).toBe('添加一项');
    expect(translateString(TranslatableString.ArrayItemTitle, ['3'])).toBe('第 3 项');
  });
  it('makes other roles’ and computed fields read-only', () => {
    const ui = deriveUi(schema as Record<string, unknown>, {}) as Record<string, Record<string, unknown>>;
    expect(ui.expert?.['ui:readonly']).toBe(true);
    expect(ui.expert?.['ui:help']).toBe('由省级审核人填写');
    expect(ui.per?.['ui:readonly']).toBe(true);
    expect(ui.kind?.['ui:widget']).toBe('radio');
    expect(ui.area?.['ui:readonly']).toBeUndefined();
  });
});

describe('option matching without ajv', () => {
  it('answers const options by equality, as ajv would', () => {
    const opts = [{ const: 'm', title: '制造' }, { type: 'string', const: 's', title: '服务', 'x-clause': '一' }, { const: 2 }, { const: { a: [1] } }];
    for (const o of opts) {
      for (const v of ['m', 's', 2, '2', { a: [1] }, { a: [2] }, undefined, null]) {
        const slow = formValidator.validateFormData(v, o as RJSFSchema).errors.length === 0;
        expect(formValidator.isValid(o as RJSFSchema, v, o as RJSFSchema), `${JSON.stringify(o)} ${JSON.stringify(v)}`).toBe(slow);
      }
    }
  });
  it('leaves other schemas to ajv', () => {
    expect(formValidator.isValid({ const: 'a', minLength: 3 } as RJSFSchema, 'a', {} as RJSFSchema)).toBe(false);
    expect(formValidator.isValid({ type: 'integer', const: 1.5 } as RJSFSchema, 1.5, {} as RJSFSchema)).toBe(false);
  });
});

describe('isValid without the root schema', () => {
  it('answers other ref-free schemas as ajv does, and the rest through rjsf', () => {
    const junk = { type: 'object', $id: '_$junk_option_schema_id$_', properties: { __not_really_there__: { type: 'number' } } } as RJSFSchema;
    expect(formValidator.isValid(junk, 'a', schema)).toBe(false);
    expect(formValidator.isValid({ ...junk, anyOf: [{ required: ['__not_really_there__'] }] } as RJSFSchema, { a: 1 }, schema)).toBe(false);
    expect(formValidator.isValid({ ...junk, anyOf: [{ required: ['__not_really_there__'] }] } as RJSFSchema, { __not_really_there__: 1 }, schema)).toBe(true);
    expect(formValidator.isValid({ type: 'string', minLength: 2 } as RJSFSchema, 'ab', schema)).toBe(true);
    expect(formValidator.isValid({ type: 'string', minLength: 2 } as RJSFSchema, 'a', schema)).toBe(false);
    const root = { definitions: { n: { type: 'number', minimum: 3 } } } as RJSFSchema;
    expect(formValidator.isValid({ $ref: '#/definitions/n' } as RJSFSchema, 4, root)).toBe(true);
    expect(formValidator.isValid({ $ref: '#/definitions/n' } as RJSFSchema, 2, root)).toBe(false);
  });
});
