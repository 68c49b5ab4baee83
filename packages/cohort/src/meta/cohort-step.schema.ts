/**
 * The format of a cohort step file `rules/<pack>/<step>.cohort.json`.
 *
 * This object is the single source of truth: the TypeScript type `CohortStep` is derived
 * from it with json-schema-to-ts, and `packages/cohort/meta/cohort-step.schema.json` is
 * written from it by `packages/cohort/scripts/write-schema.ts` (a test keeps both equal).
 */
import type { FromSchema } from 'json-schema-to-ts';

/** A number written in the step, or a reference to a pack parameter: `{ "param": "name" }`. */
const numberOrParam = {
  anyOf: [
    { type: 'number' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['param'],
      properties: { param: { type: 'string', minLength: 1, description: '包参数名（pack parameters 中的键）' } },
    },
  ],
} as const;

/** A json-logic condition (evaluated by json-logic-engine, never eval). */
const condition = {
  description:
    'json-logic 条件。可用数据：记录字段 {"var":"字段"}，包参数 {"var":"param.参数名"}，计算结果 {"var":"$.score"} / {"var":"$.bonus"}',
} as const;

const fieldName = { type: 'string', minLength: 1 } as const;
const order = { enum: ['desc', 'asc'], description: 'desc = 越大越靠前；asc = 越小越靠前' } as const;

const indicator = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'field', 'weight'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    title: { type: 'string', minLength: 1, description: '指标中文名，用于解释' },
    field: { ...fieldName, description: '记录中的指标值字段' },
    direction: {
      enum: ['positive', 'reverse'],
      default: 'positive',
      description: 'positive 正向指标（越大越好）；reverse 逆向指标（越小越好）',
    },
    method: {
      enum: ['standard', 'population'],
      default: 'standard',
      description:
        'standard：d = 60 + 40·(x − 不允许值)/(满意值 − 不允许值)，满意值/不允许值由 satisfactory/unacceptable 给出；population：以本群体最大值/最小值作为满意值/不允许值',
    },
    satisfactory: { ...numberOrParam, description: '满意值 x_h（method = standard 时必填）' },
    unacceptable: { ...numberOrParam, description: '不允许值 x_s（method = standard 时必填）' },
    weight: { ...numberOrParam, description: '权重；贡献 = 功效分 × 权重' },
    clamp: {
      description: 'true：把功效分限制在 [60, 100]；或声明上下限 { min, max }；缺省不限制',
      anyOf: [
        { type: 'boolean' },
        {
          type: 'object',
          additionalProperties: false,
          properties: { min: numberOrParam, max: numberOrParam },
        },
      ],
    },
    growth: {
      type: 'object',
      additionalProperties: false,
      required: ['previous'],
      description: '增速指标：用本年值与上年值（同一记录的另一字段）比较',
      properties: {
        previous: { ...fieldName, description: '上年值字段' },
        kind: {
          enum: ['rate', 'difference'],
          default: 'rate',
          description: 'rate：(本年 − 上年)/上年；difference：本年 − 上年',
        },
      },
    },
    missing: {
      enum: ['exclude', 'zero'],
      default: 'exclude',
      description: '指标值缺失（或增速的上年值 ≤ 0）时：exclude 该记录不参评；zero 按 0 计',
    },
  },
} as const;

const bonusItem = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    title: { type: 'string', minLength: 1 },
    when: { ...condition, description: '条件成立时加 points 分' },
    points: { ...numberOrParam, description: '条件成立时的加分（与 when 一起用）' },
    field: { ...fieldName, description: '按字段加分：分数 = 字段值 × perUnit' },
    perUnit: { ...numberOrParam, description: '每单位的分数，缺省 1' },
    cap: { ...numberOrParam, description: '本项加分上限' },
  },
} as const;

const exclusion = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'when', 'reason'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    when: condition,
    reason: { type: 'string', minLength: 1, description: '中文原因，写入解释' },
    action: {
      enum: ['exclude', 'grade'],
      default: 'exclude',
      description: 'exclude：不参评（不计分、不排名、不分档）；grade：直接定为 grade 指定的档次（一票否决），不占名额',
    },
    grade: { type: 'string', minLength: 1, description: 'action = grade 时直接给定的档次' },
  },
} as const;

const gradeLevel = {
  type: 'object',
  additionalProperties: false,
  required: ['grade'],
  properties: {
    grade: { type: 'string', minLength: 1, description: '档次代码，如 A' },
    title: { type: 'string', description: '档次中文名，如 A档' },
    share: { ...numberOrParam, description: '名额比例（0–1 之间的小数，0.2 即 20%）；最后一档取剩余，可不写；写了分数线 minScore 而不限名额的档次也可不写' },
    minScore: {
      ...numberOrParam,
      description:
        '分数线：排名依据（总分或 rank.field）达到此线才能进入本档（按 rank.order：desc 为“不低于”，asc 为“不高于”）。与 share 同写时两者都要满足：达线但名额已满的进入下一档；未用的名额不顺延。最后一档取剩余，不写分数线',
    },
    inclusive: { type: 'boolean', default: true, description: '分数线是否含本数：true 为“85 分（含）以上”，false 为“85 分以上（不含 85）”' },
    rounding: {
      enum: ['floor', 'round', 'ceil'],
      default: 'floor',
      description: '名额取整：floor 向下（“不高于”）；round 四舍五入（“左右”）；ceil 向上',
    },
  },
} as const;

const exemption = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'when', 'grade', 'reason'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    when: condition,
    grade: { type: 'string', minLength: 1, description: '豁免记录获得的档次，不占该档名额' },
    reason: { type: 'string', minLength: 1 },
  },
} as const;

export const cohortStepSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://yuanping.local/meta/cohort-step.schema.json',
  title: '园评 群体评价步骤（cohort step）',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'key'],
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: '步骤 id（与文件名一致）' },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    key: { ...fieldName, description: '记录主键字段（如单位编码）' },
    label: { ...fieldName, description: '记录的显示名字段（如单位名称），用于解释' },
    exclusions: { type: 'array', items: exclusion, description: '排除与一票否决，按顺序检查，第一条成立的生效' },
    score: {
      type: 'object',
      additionalProperties: false,
      required: ['indicators'],
      description: '功效系数法计分；总分 = Σ 功效分 × 权重 + 加分',
      properties: {
        indicators: { type: 'array', items: indicator },
        bonus: {
          type: 'object',
          additionalProperties: false,
          required: ['items'],
          properties: {
            items: { type: 'array', items: bonusItem },
            cap: { ...numberOrParam, description: '加分合计上限' },
          },
        },
        precision: {
          type: 'integer',
          minimum: 0,
          maximum: 6,
          default: 2,
          description: '总分保留的小数位（四舍五入）；排名与并列按保留后的分数判断',
        },
        populationGroupBy: {
          type: 'array',
          items: fieldName,
          description: 'population 方法取最大/最小值的范围；缺省为全部参评记录',
        },
      },
    },
    rank: {
      type: 'object',
      additionalProperties: false,
      properties: {
        field: { ...fieldName, description: '按此字段排名；缺省按计算出的总分（需要 score）' },
        title: { type: 'string', description: '排名字段的中文名，用于解释（缺省用字段名）' },
        order: { ...order, default: 'desc' },
        tieBreak: {
          type: 'array',
          description: '同分时依次比较的字段',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['field'],
            properties: { field: fieldName, order: { ...order, default: 'desc' }, title: { type: 'string' } },
          },
        },
      },
    },
    grades: {
      type: 'object',
      additionalProperties: false,
      required: ['levels'],
      properties: {
        groupBy: { type: 'array', items: fieldName, description: '分组字段：每组单独按比例分档（如按所属地区、类别）' },
        rollUp: {
          type: 'object',
          description: '分组字段是下级单位（代码或名称）时，按组织机构树上卷到哪一级再分组，如 { "county": "city" }',
          additionalProperties: { type: 'string', minLength: 1 },
        },
        base: {
          enum: ['graded', 'participants', 'all'],
          default: 'graded',
          description:
            '名额基数：graded = 参与竞争名额的记录（不含排除、豁免、一票否决）；participants = 所有获得档次的记录；all = 组内全部记录（含排除）',
        },
        levels: { type: 'array', minItems: 1, items: gradeLevel, description: '从高到低；最后一档取剩余名额' },
        exemptions: { type: 'array', items: exemption },
        ties: {
          enum: ['same-grade-upper', 'same-grade-lower', 'by-tiebreak'],
          default: 'same-grade-lower',
          description:
            '同分跨档时：same-grade-upper 全部进入较高档（可超出名额）；same-grade-lower 全部进入较低档；by-tiebreak 按 rank.tieBreak 决定，仍完全相同者进入较低档',
        },
      },
    },
    caps: {
      type: 'object',
      additionalProperties: false,
      required: ['field'],
      anyOf: [
        { required: ['default'], properties: { default: true } },
        { required: ['quota'], properties: { quota: true } },
      ],
      description: '按单位限额推荐：每个单位按排名取前 N 名',
      properties: {
        quota: {
          type: 'string',
          maxLength: 63,
          description: '清单 quotas 中的名额 id：默认名额和按单位覆盖的名额都取自清单（代替 default、overrides），名额只写一次',
        },
        field: { ...fieldName, description: '记录中单位代码字段（如地市代码）' },
        rollUp: {
          type: 'string',
          description: '若字段是县级代码，可用 orgUnits 把它上卷到此层级（如 city）再计数',
        },
        default: { ...numberOrParam, description: '默认名额' },
        overrides: {
          type: 'object',
          description: '按单位代码覆盖名额，如 { "330100": 8 }',
          additionalProperties: numberOrParam,
        },
        grades: { type: 'array', items: { type: 'string' }, description: '只有这些档次的记录参与推荐；缺省全部' },
        when: { ...condition, description: '参与推荐的附加条件' },
        title: { type: 'string', description: '名称，如“推荐”' },
      },
    },
    rewards: {
      type: 'object',
      additionalProperties: false,
      required: ['grades'],
      properties: {
        grades: { type: 'array', items: { type: 'string' }, minItems: 1, description: '获奖档次' },
        byPosition: {
          type: 'array',
          items: numberOrParam,
          description: '获奖档次内按名次的金额：第 1 个元素给第 1 名，依此类推',
        },
        otherwise: { ...numberOrParam, description: '其余获奖档次记录的金额' },
        unit: { type: 'string', description: '金额单位，如“万元”，写入说明' },
        scope: {
          enum: ['group', 'all'],
          default: 'all',
          description: 'all：全部分组合起来按分数排名次；group：每组各自排名次',
        },
      },
    },
  },
} as const;

export type CohortStep = FromSchema<typeof cohortStepSchema, { keepDefaultedPropertiesOptional: true }>;
export type NumberOrParam = FromSchema<typeof numberOrParam, { keepDefaultedPropertiesOptional: true }>;
