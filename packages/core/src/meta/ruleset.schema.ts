/**
 * The rule-set format (`rules/<pack>/<id>.rules.json`): json-rules-engine rules plus
 * derived facts and the declaration of the outcome. Source of truth for the JSON
 * meta-schema in `packages/core/meta/` and for the TypeScript types.
 */
import { itemIdSchema } from './manifest.schema.js';

export const OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'containsAll',
  'dateBefore',
  'dateOnOrBefore',
  'dateAfter',
  'dateOnOrAfter',
] as const;

const factRef = {
  type: 'string',
  pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$',
  maxLength: 200,
} as const;

/** A leaf condition (json-rules-engine), plus our labels. */
export const leafConditionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['fact', 'operator', 'value'],
  properties: {
    fact: factRef,
    operator: { enum: OPERATORS },
    value: {
      description: '要求的值；也可以是 {"fact": "..."} 引用另一个事实或参数',
    },
    path: { type: 'string', maxLength: 200, pattern: '^\\$(\\.[A-Za-z0-9_]+)+$' },
    params: { type: 'object' },
    name: { type: 'string', maxLength: 200, description: '条件的中文名称（默认用字段标题）' },
    clause: { type: 'string', maxLength: 200, description: '通知原文条款' },
    priority: { type: 'integer', minimum: 1 },
  },
} as const;

export const derivedFactSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'label'],
  oneOf: [
    { required: ['expr'], properties: { expr: true } },
    { required: ['scorecard'], properties: { scorecard: true } },
    { required: ['quota'], properties: { quota: true } },
  ],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$', maxLength: 63 },
    label: { type: 'string', minLength: 1, maxLength: 100 },
    unit: { type: 'string', maxLength: 30 },
    expr: { description: 'json-logic 表达式' },
    scorecard: {
      type: 'object',
      additionalProperties: false,
      required: ['count'],
      description: '由评分表生成的计数（代替 expr）',
      properties: {
        field: { type: 'string', maxLength: 200, description: '评分表字段（表单中写 x-scorecard 的字段）；只有一张评分表时可不写' },
        count: { enum: ['scoredWithoutProof'], description: 'scoredWithoutProof：自评分大于 0 但佐证材料（页码）栏未填的项目数' },
      },
    },
    quota: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'unit'],
      description: '本单位的名额（代替 expr）：清单 quotas 中该名额对 unit 所指单位的上限，未单列的用默认值',
      properties: {
        id: { type: 'string', maxLength: 63, description: '清单 quotas 中的名额 id' },
        unit: { ...factRef, description: '存放行政区划代码的字段，如 city' },
      },
    },
    precision: { type: 'integer', minimum: 0, maximum: 10, description: '保留小数位数（四舍五入）' },
    type: { enum: ['number', 'string', 'boolean', 'array'], description: '结果类型，默认 number' },
    clause: { type: 'string', maxLength: 200 },
  },
} as const;

const rulesetCoreProperties = {
    $schema: { type: 'string', maxLength: 500 },
    id: itemIdSchema,
    title: { type: 'string', minLength: 1, maxLength: 200 },
    form: { type: 'string', maxLength: 63, description: '本规则集读取哪张表单的数据' },
    clause: { type: 'string', maxLength: 300 },
    description: { type: 'string', maxLength: 2000 },
    outcome: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: {
            kind: { const: 'eligibility' },
            passLabel: { type: 'string', maxLength: 100 },
            failLabel: { type: 'string', maxLength: 100 },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'levels'],
          properties: {
            kind: { const: 'level' },
            levels: {
              type: 'array',
              minItems: 1,
              description: '从低到高排列',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['id', 'label'],
                properties: {
                  id: { type: 'string', maxLength: 30 },
                  label: { type: 'string', maxLength: 50 },
                },
              },
            },
            cumulative: { type: 'boolean', description: 'true：达到某一等级须同时满足其下各等级' },
            noneLabel: { type: 'string', maxLength: 50 },
            requested: { ...factRef, description: '申请等级所在字段（用于说明“申请等级是否达到”）' },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          oneOf: [
            { required: ['items'], properties: { items: true } },
            { required: ['scorecard'], properties: { scorecard: true } },
          ],
          properties: {
            kind: { const: 'score' },
            scorecard: {
              type: 'string',
              maxLength: 200,
              description: '评分表字段（表单中写 x-scorecard 的字段）：评分项、满分、分组和上限都取自表单（代替 items、groups、cap）',
            },
            items: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['id', 'label', 'max', 'fact'],
                properties: {
                  id: { type: 'string', maxLength: 63 },
                  label: { type: 'string', maxLength: 300 },
                  max: { type: 'number', minimum: 0 },
                  fact: factRef,
                  reviewerFact: factRef,
                  group: { type: 'string', maxLength: 63 },
                  clause: { type: 'string', maxLength: 300 },
                },
              },
            },
            groups: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['id', 'label'],
                properties: {
                  id: { type: 'string', maxLength: 63 },
                  label: { type: 'string', maxLength: 100 },
                  cap: { type: 'number', minimum: 0 },
                },
              },
            },
            cap: { type: 'number', minimum: 0, description: '总分上限' },
            precision: { type: 'integer', minimum: 0, maximum: 6 },
          },
        },
      ],
    },
} as const;

/** A rule without its condition trees (json-schema-to-ts cannot follow recursive $refs). */
export const ruleCoreSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'event'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$', maxLength: 100, description: '规则标识，在规则集内唯一' },
    label: { type: 'string', maxLength: 200, description: '中文名称，如 四星级·园区规模' },
    indicator: { type: 'string', maxLength: 100, description: '所属指标，如 园区规模' },
    clause: { type: 'string', maxLength: 300, description: '通知原文条款出处' },
    priority: { type: 'integer', minimum: 1 },
    event: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { enum: ['criterion', 'warning', 'error', 'points'] },
        params: {
          type: 'object',
          additionalProperties: false,
          properties: {
            level: { type: 'string', maxLength: 30, description: '属于哪个等级（level 类结果）' },
            points: { type: 'number', description: '得分（points 规则）' },
            group: { type: 'string', maxLength: 63, description: '计入哪个分组（points 规则）' },
            message: { type: 'string', maxLength: 500, description: '提示或错误信息' },
          },
        },
      },
    },
  },
} as const;

export const ruleSchema = {
  ...ruleCoreSchema,
  required: ['name', 'conditions', 'event'],
  properties: {
    ...ruleCoreSchema.properties,
    applies: { $ref: '#/definitions/condition', description: '适用条件：不满足时本条规则不适用（如按园区类型区分）' },
    conditions: { $ref: '#/definitions/topCondition' },
  },
} as const;

export const rulesetSchema = {
  $id: 'https://yuanping.local/meta/ruleset.schema.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: '规则集（*.rules.json）',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'form', 'outcome', 'rules'],
  definitions: {
    condition: {
      oneOf: [
        { $ref: '#/definitions/leaf' },
        { $ref: '#/definitions/all' },
        { $ref: '#/definitions/any' },
        { $ref: '#/definitions/not' },
      ],
    },
    topCondition: {
      oneOf: [{ $ref: '#/definitions/all' }, { $ref: '#/definitions/any' }, { $ref: '#/definitions/not' }],
    },
    leaf: leafConditionSchema,
    all: {
      type: 'object',
      additionalProperties: false,
      required: ['all'],
      properties: {
        all: { type: 'array', items: { $ref: '#/definitions/condition' } },
        name: { type: 'string', maxLength: 200 },
        priority: { type: 'integer', minimum: 1 },
      },
    },
    any: {
      type: 'object',
      additionalProperties: false,
      required: ['any'],
      properties: {
        any: { type: 'array', items: { $ref: '#/definitions/condition' } },
        name: { type: 'string', maxLength: 200 },
        priority: { type: 'integer', minimum: 1 },
      },
    },
    not: {
      type: 'object',
      additionalProperties: false,
      required: ['not'],
      properties: {
        not: { $ref: '#/definitions/condition' },
        name: { type: 'string', maxLength: 200 },
        priority: { type: 'integer', minimum: 1 },
      },
    },
  },
  properties: {
    ...rulesetCoreProperties,
    derived: { type: 'array', items: derivedFactSchema },
    rules: { type: 'array', items: ruleSchema },
  },
} as const;

/** The rule set without derived facts and rules, for json-schema-to-ts. */
export const rulesetCoreSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'form', 'outcome'],
  properties: rulesetCoreProperties,
} as const;
