/**
 * The format of a cohort fixture `rules/<pack>/cohort-fixtures/*.json`: a cohort step run over
 * hand-made records, with the result worked out by hand from the notice.
 *
 * The single source of truth: the type `CohortFixture` is derived from it, and
 * `packages/cohort/meta/cohort-fixture.schema.json` (what the files' `$schema` points to) is
 * written from it by `pnpm --filter @yuanping/cohort gen:meta` (a test keeps both equal).
 */
import type { FromSchema } from 'json-schema-to-ts';

const num = { type: 'number' } as const;

const expectRecord = {
  type: 'object',
  additionalProperties: false,
  properties: {
    selected: { type: 'boolean', description: '是否入选（名额内推荐）' },
    grade: { type: ['string', 'null'], description: '档次；null 表示无档次' },
    score: { ...num, description: '得分（允许 1e-6 以内的计算误差）' },
    bonus: { ...num, description: '加分（允许 1e-6 以内的计算误差）' },
    rank: { type: 'integer', minimum: 1, description: '名次' },
    reward: { type: ['number', 'null'], description: '奖励金额；null 表示无奖励' },
    excluded: { type: ['string', 'null'], description: '排除条件的标识；null 表示未被排除' },
  },
} as const;

export const cohortFixtureSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://yuanping.local/meta/cohort-fixture.schema.json',
  title: '群体评价样例',
  type: 'object',
  additionalProperties: false,
  required: ['title', 'step', 'recordsFrom', 'records', 'expect'],
  properties: {
    $schema: { type: 'string' },
    title: { type: 'string', minLength: 1, description: '样例名称（中文）' },
    description: { type: 'string', description: '期望结果的手工推算过程' },
    review: {
      type: 'string',
      minLength: 1,
      maxLength: 300,
      description: '待复核：样例复制自上一年度的通知包（yuanping new 写入），尚未按今年的通知核对。有此字段时结果不符只作为“待复核”提示，不算失败；核对输入和期望后删除此字段',
    },
    step: { type: 'string', minLength: 1, description: '群体评价步骤的标识（清单 cohortSteps[].id）' },
    recordsFrom: {
      type: 'object',
      additionalProperties: false,
      required: ['form', 'path'],
      description: '记录的格式取自哪张表格的哪一列表字段',
      properties: { form: { type: 'string', minLength: 1 }, path: { type: 'string', minLength: 1 } },
    },
    parameters: { type: 'object', description: '覆盖包参数的值', additionalProperties: true },
    orgUnits: {
      type: 'array',
      description: '本样例使用的组织单位（不给出时用区划文件）',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name'],
        properties: {
          code: { type: 'string', minLength: 1 },
          name: { type: 'string', minLength: 1 },
          level: { type: 'string' },
          parent: { type: 'string' },
        },
      },
    },
    records: { type: 'array', items: { type: 'object' }, description: '记录（表格的行）' },
    expect: {
      type: 'object',
      additionalProperties: false,
      properties: {
        records: { type: 'object', additionalProperties: expectRecord, description: '按记录主键给出的期望结果' },
        distribution: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: '各档次（及 excluded）的数量' },
        rewardTotal: { ...num, description: '奖励合计' },
        caps: {
          type: 'array',
          description: '各组织单位的名额使用情况（按结果中的顺序列出全部单位）',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['unit', 'selected'],
            properties: {
              unit: { type: 'string', minLength: 1 },
              name: { type: 'string' },
              cap: { type: 'integer', minimum: 0 },
              candidates: { type: 'integer', minimum: 0 },
              selected: { type: 'integer', minimum: 0 },
            },
          },
        },
        indicators: {
          type: 'object',
          description: '记录主键 → 指标标识 → 单项功效分（或加分），允许 0.00005 以内的误差',
          additionalProperties: { type: 'object', additionalProperties: num },
        },
      },
    },
  },
} as const;

export type CohortFixture = FromSchema<typeof cohortFixtureSchema>;
