/** A tiny inline notice pack for the server tests (no dependence on the repository's packs). */
export const TEST_PACK_ID = 'test-pack';

export function testPackFiles(opts: { applicantWindow?: { opens?: string; closes?: string }; quotaDefault?: number; hangzhouQuota?: number } = {}): Record<string, unknown> {
  const id = TEST_PACK_ID;
  return {
    [`schemas/${id}/pack.json`]: {
      id,
      title: '测试通知（服务端测试用）',
      issuer: '测试办公室',
      issueDate: '2021-06-22',
      year: 2021,
      dataCutoff: '2020-12-31',
      jurisdiction: { level: 'province', code: '33', name: '浙江省' },
      forms: [
        { id: 'app', title: '申请表', kind: 'scorecard', scope: 'park', schema: 'forms/app.schema.json' },
        { id: 'sum', title: '汇总表', kind: 'table', scope: 'county', schema: 'forms/sum.schema.json' },
      ],
      ruleSets: [
        { id: 'level', file: 'level.rules.json' },
        { id: 'points', file: 'points.rules.json' },
      ],
      cohortSteps: [{ id: 'rank', file: 'rank.cohort.json' }],
      workflow: {
        stages: [
          { id: 'fill', label: '园区填报', role: 'applicant', window: opts.applicantWindow ?? { opens: '2021-08-20', closes: '2021-08-25' } },
          { id: 'county', label: '县级审核', role: 'county' },
          { id: 'city', label: '市级审核推荐', role: 'city', window: { closes: '2021-08-31' } },
          { id: 'province', label: '省级评定', role: 'province' },
        ],
      },
      quotas: [{ id: 'rec', label: '推荐名额', scope: 'city', default: opts.quotaDefault ?? 1, overrides: { '330100': opts.hangzhouQuota ?? 2 } }],
      dashboard: {
        indicators: [
          { id: 'firms', label: '企业数', unit: '家', form: 'app', field: 'firms', precision: 0 },
          { id: 'firmsPerPoint', label: '每分企业数', unit: '家/分', form: 'app', field: 'firms', per: 'score' },
        ],
      },
    },
    [`schemas/${id}/forms/app.schema.json`]: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: '申请表',
      type: 'object',
      additionalProperties: false,
      required: ['name', 'firms', 'score'],
      properties: {
        name: { type: 'string', title: '名称', maxLength: 100 },
        firms: { type: 'integer', title: '企业数', minimum: 0 },
        score: { type: 'number', title: '自评分', minimum: 0, maximum: 10 },
        countyScore: { type: 'number', title: '县级核定分', minimum: 0, maximum: 10, 'x-role': 'county' },
        license: { type: 'string', title: '营业执照', maxLength: 100, 'x-file': { accept: ['application/pdf', 'image/png'], maxBytes: 2000 } },
        video: { type: 'string', title: '视频', maxLength: 100, 'x-file': { accept: ['video/mp4', 'video/x-msvideo'], maxBytes: 100000, maxDurationSeconds: 480 } },
      },
    },
    [`schemas/${id}/forms/sum.schema.json`]: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: '汇总表',
      type: 'object',
      additionalProperties: false,
      properties: {
        rows: {
          title: '汇总行',
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['park', 'area'],
            properties: { park: { type: 'string', title: '园区', maxLength: 100 }, area: { type: 'number', title: '面积' } },
          },
        },
      },
    },
    [`rules/${id}/rank.cohort.json`]: { id: 'rank', title: '按面积排序', key: 'park', label: 'park', rank: { field: 'area', title: '面积', order: 'desc' } },
    [`rules/${id}/points.rules.json`]: {
      id: 'points',
      title: '得分',
      form: 'app',
      outcome: { kind: 'score', items: [{ id: 's', label: '得分', max: 10, fact: 'score', reviewerFact: 'countyScore' }] },
      rules: [],
    },
    [`rules/${id}/level.rules.json`]: {
      id: 'level',
      title: '等级',
      form: 'app',
      outcome: { kind: 'level', levels: [{ id: 'one', label: '一级' }, { id: 'two', label: '二级' }], cumulative: true },
      rules: [
        { name: 'one-firms', event: { type: 'criterion', params: { level: 'one' } }, conditions: { all: [{ fact: 'firms', operator: 'greaterThanInclusive', value: 1 }] } },
        { name: 'two-firms', event: { type: 'criterion', params: { level: 'two' } }, conditions: { all: [{ fact: 'firms', operator: 'greaterThanInclusive', value: 10 }] } },
      ],
    },
  };
}
