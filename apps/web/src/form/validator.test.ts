import { describe, expect, it } from 'vitest';
import { TranslatableString, type RJSFSchema } from '@rjsf/utils';
import { compileSchemaValidatorsCode } from '@rjsf/validator-ajv8/compileSchemaValidators';
import { RJSF_FORM_AJV_OPTIONS, addFormKeywords, requireAjvRuntime } from '@yuanping/core/browser';
import { rootValidator, transformErrors, validatorFor, type ValidatorFns } from './validator';
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

/**
 * The functions the server would compile for a schema (its module, evaluated here in Node: the
 * browser never evaluates text; apps/server/src/form-validators.test.ts holds the server's
 * module equal to rjsf's compiling validator).
 */
function precompile(root: RJSFSchema): ValidatorFns {
  const code = compileSchemaValidatorsCode(root, { ajvOptionsOverrides: { ...RJSF_FORM_AJV_OPTIONS }, extenderFn: addFormKeywords });
  const exports: ValidatorFns = {};
  // eslint-disable-next-line no-new-func -- a test in Node: the module's text as the browser would import it
  new Function('require', 'exports', code)(requireAjvRuntime, exports);
  return exports;
}
const formValidator = validatorFor(precompile(schema), schema);

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
      const v8 = validatorFor(precompile(o as RJSFSchema), o as RJSFSchema);
      for (const v of ['m', 's', 2, '2', { a: [1] }, { a: [2] }, undefined, null]) {
        const slow = v8.validateFormData(v, o as RJSFSchema).errors.length === 0;
        expect(v8.isValid(o as RJSFSchema, v, o as RJSFSchema), `${JSON.stringify(o)} ${JSON.stringify(v)}`).toBe(slow);
      }
    }
  });
  it('leaves other schemas to their precompiled functions', () => {
    const o = { const: 'a', minLength: 3 } as RJSFSchema;
    expect(validatorFor(precompile(o), o).isValid(o, 'a', o)).toBe(false);
    const i = { type: 'integer', const: 1.5 } as RJSFSchema;
    expect(validatorFor(precompile(i), i).isValid(i, 1.5, i)).toBe(false);
  });
});

describe('precompiled validators', () => {
  it("answer rjsf's questions about the options of a form from the module", () => {
    const fns = precompile(schema);
    const kind = (schema.properties as Record<string, RJSFSchema>).kind as RJSFSchema;
    const v = validatorFor(fns, schema);
    for (const opt of kind.oneOf as RJSFSchema[]) expect(v.isValid(opt, 'm', schema)).toBe(opt.const === 'm');
    // the table page: the root's own function
    const root = rootValidator(fns, schema);
    expect(root).not.toBeNull();
    expect(root?.({ name: 'x', area: -1 })).toBe(false);
    expect(root?.({ name: 'x', area: 1 })).toBe(true);
  });
  it('report nothing for a root the module does not have (a draft ahead of its last save), until its module comes', () => {
    const other = { type: 'object', properties: { n: { type: 'number', minimum: 1 } } } as RJSFSchema;
    const stale = validatorFor(precompile(schema), other);
    expect(stale.validateFormData({ n: 0 }, other).errors).toEqual([]);
    const fresh = validatorFor(precompile(other), other);
    expect(fresh.validateFormData({ n: 0 }, other).errors.map((e) => e.message)).toEqual(['n不能小于 1']);
  });
});
