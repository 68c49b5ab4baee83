/**
 * What a form file is written in, for the expert mode's completion and hover: the draft-07
 * keywords our forms use and our own `x-…` keywords (their descriptions from the form vocabulary,
 * form/vocabulary.ts, the one list the checker's ajv accepts). A form is checked by the checker
 * (ajv strict with that vocabulary), not by this schema: it describes, it does not refuse.
 */
import { FORM_KEYWORDS } from '../form/vocabulary.js';

const numberOrParam = (description: string) => ({
  description,
  anyOf: [
    { type: 'number' },
    { type: 'object', required: ['param'], properties: { param: { type: 'string', description: '参数名（清单 parameters 中的 id）' } } },
    { type: 'object', required: ['quota'], properties: { quota: { type: 'string', description: '名额名（清单 quotas 中的 id）' } } },
  ],
});

/**
 * A field's keywords; `node` is what a nested field is (a $ref to this, or the next level down),
 * `branch` what a schema inside oneOf/anyOf/allOf/not/if/then/else is.
 */
const fieldWith = (node: object, branch: object = node) => {
  const nodes = { type: 'array', items: branch } as const;
  return {
  type: 'object',
  properties: {
    type: { enum: ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'], description: '字段的类型：object 分组、array 列表或表格、string 文字、number 数值、integer 整数、boolean 是/否' },
    title: { type: 'string', description: '字段的中文标题：申报单位看到的名称，错误提示也用它' },
    description: { type: 'string', description: '字段的说明，显示在标题下方' },
    properties: { type: 'object', description: '分组（或表格一行）中的各字段：键是字段标识（英文），值是字段', additionalProperties: node },
    required: { type: 'array', items: { type: 'string' }, description: '必填的字段标识' },
    additionalProperties: { type: 'boolean', description: '是否允许未列出的字段（表单中写 false）' },
    items: { ...node, description: '列表或表格的每一项（一行）' },
    minItems: numberOrParam('最少几项（行）'),
    maxItems: numberOrParam('最多几项（行）'),
    uniqueItems: { type: 'boolean', description: '各项不得重复（多选）' },
    minimum: numberOrParam('最小值（可写参数：{"param": "参数名"}）'),
    maximum: numberOrParam('最大值（可写参数：{"param": "参数名"}）'),
    exclusiveMinimum: numberOrParam('须大于此值'),
    exclusiveMaximum: numberOrParam('须小于此值'),
    multipleOf: { type: 'number', description: '须为此数的整数倍' },
    minLength: numberOrParam('最少字数'),
    maxLength: numberOrParam('最多字数'),
    pattern: { type: 'string', description: '格式（正则表达式），如统一社会信用代码' },
    format: { enum: ['date', 'date-time', 'email', 'uri'], description: '文字的格式：date 日期（年-月-日）' },
    enum: { type: 'array', description: '可选的值（值即显示文字）' },
    oneOf: { ...nodes, description: '单选的选项：每项 { "const": 值, "title": 显示文字 }；或几种写法之一' },
    anyOf: { ...nodes, description: '满足其中至少一种' },
    allOf: { ...nodes, description: '同时满足各项（常与 if/then 一起写条件必填）' },
    not: { ...branch, description: '不得满足' },
    if: { ...branch, description: '条件：满足时适用 then，否则适用 else' },
    then: { ...branch, description: '条件满足时的要求' },
    else: { ...branch, description: '条件不满足时的要求' },
    const: { description: '固定值（选项的值）' },
    default: { description: '默认值' },
    $ref: { type: 'string', description: '引用本文件 definitions 中的字段，如 "#/definitions/contact"' },
    definitions: { type: 'object', description: '可被 $ref 引用的字段', additionalProperties: node },
    ...Object.fromEntries(Object.entries(FORM_KEYWORDS).map(([k, v]) => [k, { description: v.description }])),
  },
  };
};

const field = fieldWith({ $ref: '#/definitions/field' });
const root = (f: ReturnType<typeof fieldWith>) => ({
  title: '表单（JSON Schema）',
  ...f,
  properties: { $schema: { type: 'string', description: 'JSON Schema 版本：http://json-schema.org/draft-07/schema#' }, ...f.properties },
});

/** The meta-schema of a form file (JSON Schema draft-07 with our keywords), for completion and hover. */
export const formMetaSchema = { ...root(field), definitions: { field } };

/**
 * The same without `$ref`, nested `depth` levels deep (each level one object, shared): for editors
 * whose completion does not follow a recursive `$ref` (the expert mode's codemirror-json-schema).
 */
export function formMetaSchemaUnfolded(depth = 6): Record<string, unknown> {
  let node: object = {};
  for (let i = 0; i < depth; i++) node = fieldWith(node, {});
  return root(fieldWith(node, {}));
}
