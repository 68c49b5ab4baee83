import type { ErrorObject } from 'ajv';
import localize from 'ajv-i18n/localize/zh/index.js';
import { isObject, pointerTokens } from '../util/json.js';

/**
 * Field errors in Chinese, written as a person would write them:
 * "<title>不能小于 0", "请填写<title>". The field's `title` names it.
 */
const TYPE_NAMES: Record<string, string> = {
  number: '数字',
  integer: '整数',
  string: '文字',
  boolean: '是或否',
  array: '列表',
  object: '一组信息',
  null: '空值',
};
const FORMAT_NAMES: Record<string, string> = {
  date: '日期（如 2021-06-22）',
  'date-time': '日期时间',
  email: '电子邮箱地址',
  uri: '网址',
  url: '网址',
  time: '时间',
};

export interface FieldError {
  /** dotted path of the field (`basic.landArea`, `rows.3.tax`); '' for the form itself */
  path: string;
  /** the ajv keyword that failed (`minimum`, `required`, …) */
  code: string;
  message: string;
}

function titleOf(e: ErrorObject, fallback: string): string {
  const s = e.parentSchema;
  if (isObject(s) && typeof s.title === 'string') return s.title;
  return fallback;
}

function pathOf(instancePath: string): string {
  return pointerTokens(instancePath).join('.');
}

/** Title of the property `name` inside the object schema that reported `required`. */
function childTitle(e: ErrorObject, name: string): string {
  const s = e.parentSchema;
  if (isObject(s) && isObject(s.properties)) {
    const p = s.properties[name];
    if (isObject(p) && typeof p.title === 'string') return p.title;
  }
  return name;
}

export function fieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  // A value outside a `oneOf` of options: ajv reports one `const` error per option (its
  // parentSchema is the option, titled with the option's label) and then the `oneOf`
  // (whose parentSchema is the field). Name the field, once — not each option.
  const choiceTitles = new Map<string, string>();
  for (const e of errors ?? []) {
    if (e.keyword === 'oneOf' && isObject(e.parentSchema) && typeof e.parentSchema.title === 'string') {
      choiceTitles.set(e.instancePath, e.parentSchema.title);
    }
  }
  for (const e of errors ?? []) {
    // oneOf/anyOf/if wrappers repeat what their branches said
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
    let path = pathOf(e.instancePath);
    const last = path.split('.').pop() ?? '';
    const optionConst = e.keyword === 'const' && /\/oneOf\/\d+\/const$/.test(e.schemaPath);
    const name = optionConst ? (choiceTitles.get(e.instancePath) ?? (last || '表单')) : titleOf(e, last || '表单');
    const p = e.params as Record<string, unknown>;
    let message: string;
    switch (e.keyword) {
      case 'required': {
        const missing = String(p.missingProperty);
        path = path ? `${path}.${missing}` : missing;
        message = `请填写${childTitle(e, missing)}`;
        break;
      }
      case 'minimum':
        message = `${name}不能小于 ${p.limit}`;
        break;
      case 'maximum':
        message = `${name}不能大于 ${p.limit}`;
        break;
      case 'exclusiveMinimum':
        message = `${name}必须大于 ${p.limit}`;
        break;
      case 'exclusiveMaximum':
        message = `${name}必须小于 ${p.limit}`;
        break;
      case 'multipleOf':
        message = `${name}必须是 ${p.multipleOf} 的整数倍`;
        break;
      case 'type':
        message = `${name}应填写${TYPE_NAMES[String(p.type)] ?? String(p.type)}`;
        break;
      case 'minLength':
        message = Number(p.limit) <= 1 ? `请填写${name}` : `${name}至少 ${p.limit} 个字`;
        break;
      case 'maxLength':
        message = `${name}不能超过 ${p.limit} 个字`;
        break;
      case 'pattern':
        message = `${name}的格式不正确`;
        break;
      case 'format':
        message = `${name}应为有效的${FORMAT_NAMES[String(p.format)] ?? String(p.format)}`;
        break;
      case 'enum':
      case 'const':
        message = `${name}只能选择规定的选项`;
        break;
      case 'minItems':
        message = `${name}至少选择或填写 ${p.limit} 项`;
        break;
      case 'maxItems':
        message = `${name}最多 ${p.limit} 项`;
        break;
      case 'uniqueItems':
        message = `${name}中有重复项`;
        break;
      case 'additionalProperties':
        path = path ? `${path}.${String(p.additionalProperty)}` : String(p.additionalProperty);
        message = `不允许的字段“${String(p.additionalProperty)}”`;
        break;
      case 'dependencies':
      case 'dependentRequired':
        message = `填写${name}时还须填写 ${String(p.missingProperty)}`;
        break;
      case 'not':
        message = `${name}的取值不被允许`;
        break;
      default: {
        // anything we have not phrased ourselves: ajv-i18n's Chinese, after the field's name
        const copy = [{ ...e }];
        localize(copy);
        message = `${name}${copy[0]?.message ?? '不符合要求'}`;
      }
    }
    const key = `${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, code: e.keyword, message });
  }
  return out;
}
