/**
 * The scorecard keywords of a form (`x-scorecard`, `x-score`, `x-score-total`): a scorecard's
 * items, maxima, groups and totals written once, in the form. The loader expands them into plain
 * JSON Schema (each item's columns with their `maximum`, titles showing the maximum, totals as
 * `x-compute`) and the score outcome of a rule set takes its items from here (docs/packs.md §4.1).
 * Source of truth for `packages/core/meta/scorecard.schema.json` (`pnpm gen:meta`).
 */
const id = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$', maxLength: 63 } as const;
const points = {
  anyOf: [
    { type: 'number', minimum: 0 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['param'],
      properties: { param: { type: 'string', maxLength: 63 } },
    },
  ],
} as const;

export const scoreColumnRoleSchema = {
  enum: ['self', 'reviewer', 'proof'],
  description: '本栏在评分中的作用：self 自评分、reviewer 审核（考核）分、proof 佐证材料（页码）',
} as const;

/** `x-scorecard`, on the object whose properties are the scorecard's items. */
export const scorecardKeywordSchema = {
  title: '评分表（x-scorecard）',
  type: 'object',
  additionalProperties: false,
  required: ['columns'],
  properties: {
    columns: {
      type: 'object',
      description: '每个评分项的各栏（JSON Schema），每项相同；分值栏写 "x-score": "self" 或 "reviewer"，页码栏写 "x-score": "proof"。分值栏的 maximum 由该项满分生成，不要写。',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$', maxLength: 63 },
      additionalProperties: { type: 'object' },
    },
    groups: {
      type: 'array',
      description: '分组（一级指标），按通知顺序',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label'],
        properties: {
          id,
          label: { type: 'string', minLength: 1, maxLength: 100, description: '分组名称，不写分值：标题中的“（N分）”按满分生成' },
          max: { ...points, description: '通知写明的分组满分；检查时核对它等于组内各项满分之和' },
          limit: { ...points, description: '分组得分上限（低于各项满分之和时写，如“最高不超过 5 分”）' },
          clause: { type: 'string', maxLength: 300 },
        },
      },
    },
    limit: { ...points, description: '总分上限（低于各组满分之和时写）' },
    maxInTitle: { type: 'boolean', description: '评分项和分组的标题后加“（N分）”，默认 true' },
  },
} as const;

/** `x-score`, on one item of a scorecard. */
export const scoreItemKeywordSchema = {
  title: '评分项（x-score）',
  type: 'object',
  additionalProperties: false,
  required: ['max'],
  properties: {
    max: { ...points, description: '本项满分：自评分和审核分的上限、标题中的“（N分）”、小计和合计都由它得出' },
    group: { ...id, description: '所属分组（x-scorecard.groups 的 id）' },
  },
} as const;

/** `x-score-total`, on a number field beside the scorecard: a computed subtotal or total. */
export const scoreTotalKeywordSchema = {
  title: '评分合计栏（x-score-total）',
  type: 'object',
  additionalProperties: false,
  required: ['basis'],
  properties: {
    of: { ...id, description: '同一对象中带 x-scorecard 的字段；只有一张评分表时可不写' },
    basis: { enum: ['self', 'reviewer'], description: '按自评分（self）或审核分（reviewer）合计' },
    groups: { type: 'array', items: id, minItems: 1, description: '只合计这些分组（不写则合计全部）' },
  },
} as const;

export const scorecardMetaSchema = {
  $id: 'https://yuanping.local/meta/scorecard.schema.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: '评分表关键字（表单中的 x-scorecard、x-score、x-score-total）',
  definitions: {
    scorecard: scorecardKeywordSchema,
    item: scoreItemKeywordSchema,
    total: scoreTotalKeywordSchema,
    columnRole: scoreColumnRoleSchema,
  },
} as const;
