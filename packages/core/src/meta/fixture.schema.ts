/**
 * The fixture format (`rules/<pack>/fixtures/*.json`): one worked example from the
 * notice — the input, the expected outcome and the expected explanation.
 */
export const fixtureSchema = {
  $id: 'https://yuanping.local/meta/fixture.schema.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: '规则集样例（fixtures/*.json）',
  type: 'object',
  additionalProperties: false,
  required: ['title', 'ruleSet', 'input', 'expect'],
  properties: {
    $schema: { type: 'string', maxLength: 500 },
    title: { type: 'string', minLength: 1, maxLength: 300, description: '样例说明' },
    description: { type: 'string', maxLength: 4000, description: '依据通知条款手工推算的过程' },
    review: {
      type: 'string',
      minLength: 1,
      maxLength: 300,
      description: '待复核：样例复制自上一年度的通知包（yuanping new 写入），尚未按今年的通知核对。有此字段时结果不符只作为“待复核”提示，不算失败；核对输入和期望后删除此字段',
    },
    ruleSet: { type: 'string', maxLength: 63 },
    parameters: { type: 'object', description: '覆盖清单中的参数值' },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { scoreBasis: { enum: ['self', 'reviewer'] } },
    },
    input: { type: 'object', description: '表单数据' },
    expect: {
      type: 'object',
      additionalProperties: false,
      required: ['outcome'],
      properties: {
        outcome: {
          type: 'object',
          additionalProperties: false,
          properties: {
            eligible: { type: 'boolean' },
            level: { type: ['string', 'null'] },
            score: { type: 'number' },
            groups: { type: 'object', additionalProperties: { type: 'number' } },
          },
        },
        criteria: {
          type: 'array',
          description: '期望的逐条判定（只列出需要核对的规则）',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['rule', 'passed'],
            properties: {
              rule: { type: 'string', maxLength: 100 },
              passed: { type: 'boolean' },
              applicable: { type: 'boolean' },
            },
          },
        },
        derived: { type: 'object', description: '期望的派生事实值' },
        warnings: { type: 'array', items: { type: 'string', maxLength: 100 }, description: '期望触发的提示规则' },
        errors: { type: 'array', items: { type: 'string', maxLength: 100 }, description: '期望触发的错误规则' },
        validation: {
          type: 'array',
          description: '期望的表单校验错误（字段路径）',
          items: { type: 'string', maxLength: 300 },
        },
      },
    },
  },
} as const;
