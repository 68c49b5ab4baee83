/**
 * The notice-pack manifest format (`schemas/<pack>/pack.json`).
 * Source of truth for both the JSON meta-schema shipped in `packages/core/meta/`
 * (run `pnpm gen:meta`) and the TypeScript type `Manifest`.
 */
/** A limit: a number, or a reference to a parameter that holds it (resolved by the loader). */
export const paramRefSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['param'],
  properties: { param: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$', maxLength: 63 } },
} as const;
/** The id of a form, rule set, cohort step or workflow stage within its pack. */
export const itemIdSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$', maxLength: 63 } as const;
/** A rule set of the pack: its id and its file under rules/<pack>/ (a cohort step extends it). */
const ruleSetEntry = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'file'],
  properties: {
    id: itemIdSchema,
    file: { type: 'string', maxLength: 300, description: '相对于 rules/<pack>/ 的规则集文件' },
  },
} as const;
const quotaLimit = { anyOf: [{ type: 'integer', minimum: 0 }, paramRefSchema] } as const;

export const manifestSchema = {
  $id: 'https://yuanping.local/meta/manifest.schema.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: '通知包清单（pack.json）',
  description: '一份通知（一个年度版本）的清单：标题、发文单位、日期、参数、表单、规则集、流程与名额。',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'issuer', 'issueDate', 'year', 'dataCutoff', 'jurisdiction', 'forms', 'ruleSets'],
  properties: {
    $schema: { type: 'string', maxLength: 500 },
    id: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9-]{1,62}$',
      maxLength: 63,
      description: '通知包标识：小写字母、数字和连字符，与 schemas/ 和 rules/ 下的目录名一致。',
    },
    title: { type: 'string', minLength: 1, maxLength: 200, description: '通知标题' },
    issuer: { type: 'string', minLength: 1, maxLength: 200, description: '发文单位' },
    documentNumber: { type: 'string', maxLength: 100, description: '文号，如 浙中小企业办〔2018〕14号' },
    issueDate: { type: 'string', format: 'date', description: '发文日期' },
    year: { type: 'integer', minimum: 2000, maximum: 2100, description: '年度' },
    dataCutoff: { type: 'string', format: 'date', description: '数据取数截止日期' },
    jurisdiction: {
      type: 'object',
      additionalProperties: false,
      required: ['level', 'code', 'name'],
      properties: {
        level: { enum: ['province', 'city', 'county'] },
        code: { type: 'string', pattern: '^[0-9]{2,6}$', maxLength: 6 },
        name: { type: 'string', minLength: 1, maxLength: 50 },
      },
    },
    succeeds: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$', maxLength: 63, description: '上一年度（被继承）的通知包标识' },
    sources: {
      type: 'array',
      description: '本包所依据的原始文件',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title'],
        properties: {
          title: { type: 'string', maxLength: 200 },
          file: { type: 'string', maxLength: 300, description: '原始文件的文字版，相对仓库根目录的路径（如 docs/sources/…）' },
        },
      },
    },
    parameters: {
      type: 'object',
      description: '命名参数（如通知中引用的全省平均水平）。规则里以 param.<名称> 引用。',
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$', maxLength: 63 },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['label', 'value'],
        properties: {
          label: { type: 'string', minLength: 1, maxLength: 100 },
          value: {
            anyOf: [
              { type: ['number', 'string', 'boolean'] },
              { type: 'array', items: { type: ['number', 'string'] }, description: '一组值，如可申报的绩效档次 ["A", "B"]' },
            ],
          },
          unit: { type: 'string', maxLength: 30 },
          clause: { type: 'string', maxLength: 200 },
          description: { type: 'string', maxLength: 1000 },
          setByAdministrator: {
            type: 'boolean',
            description: '通知未给出具体数值、须由管理员设定的参数为 true，界面和 diff 会醒目标注。',
          },
          confirmed: {
            type: 'object',
            additionalProperties: false,
            required: ['date'],
            description: '管理员已设定此参数（setByAdministrator）：设定日期、设定人、依据。没有它，检查提示该值仍是占位值，生产环境拒绝发布。',
            properties: {
              date: { type: 'string', format: 'date' },
              by: { type: 'string', maxLength: 100 },
              source: { type: 'string', maxLength: 500 },
            },
          },
        },
      },
    },
    forms: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'kind', 'schema'],
        properties: {
          id: itemIdSchema,
          title: { type: 'string', minLength: 1, maxLength: 200 },
          attachment: { type: 'string', maxLength: 30, description: '附件编号，如 附件1' },
          kind: { enum: ['record', 'table', 'scorecard', 'outline'] },
          scope: { enum: ['park', 'county', 'city', 'province'], description: '谁填写：园区、县、市、省' },
          schema: { type: 'string', maxLength: 300, description: '相对于 schemas/<pack>/ 的 JSON Schema 文件' },
          ui: { type: 'string', maxLength: 300, description: '相对于 schemas/<pack>/ 的 UI schema 文件' },
          prefill: {
            type: 'array',
            description: '从同一园区另一张表的记录预填并核对的字段',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['from', 'fields'],
              properties: {
                from: { type: 'string', maxLength: 63, description: '来源表单 id' },
                match: { type: 'string', maxLength: 200, description: '来源表单中标识园区的字段路径' },
                fields: {
                  type: 'object',
                  description: '本表字段路径 → 来源表字段路径',
                  additionalProperties: { type: 'string', maxLength: 200 },
                },
                blocking: { type: 'boolean', description: '不一致时是否阻止提交（审核人可说明理由后接受）' },
              },
            },
          },
        },
      },
    },
    ruleSets: { type: 'array', items: ruleSetEntry },
    cohortSteps: {
      type: 'array',
      items: {
        ...ruleSetEntry,
        properties: {
          ...ruleSetEntry.properties,
          file: { type: 'string', maxLength: 300, description: '相对于 rules/<pack>/ 的群体评价步骤文件' },
          records: {
            type: 'object',
            additionalProperties: false,
            required: ['form', 'path'],
            description: '参评记录来自哪张表格的哪一列表（如 附件1 的 rows）',
            properties: {
              form: { type: 'string', maxLength: 63 },
              path: { type: 'string', maxLength: 200 },
            },
          },
        },
      },
    },
    workflow: {
      type: 'object',
      additionalProperties: false,
      required: ['stages'],
      properties: {
        stages: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'label', 'role'],
            properties: {
              id: itemIdSchema,
              label: { type: 'string', maxLength: 50 },
              role: { enum: ['applicant', 'county', 'city', 'province', 'admin'] },
              forms: { type: 'array', items: { type: 'string', maxLength: 63 } },
              window: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  opens: { type: 'string', format: 'date' },
                  closes: { type: 'string', format: 'date' },
                  correctionCloses: {
                    type: 'string',
                    format: 'date',
                    description: '补正期限：审核人退回的申报在申报截止后仍可修改、重新提交的最后一天（不早于 closes）',
                  },
                  correctionDays: {
                    type: 'integer',
                    minimum: 1,
                    maximum: 90,
                    description: '补正天数：未写 correctionCloses 时，退回后可补正的天数（缺省 7 天，且不早于 closes）',
                  },
                },
              },
              returnTo: {
                enum: ['applicant', 'previous'],
                description: '本环节“退回”送到哪里：applicant 退回申报单位修改（缺省）；previous 退回下一级审核环节（该路径中排在本环节前面的审核人），第一个审核环节退回申报单位',
              },
              clause: { type: 'string', maxLength: 200 },
            },
          },
        },
        paths: {
          type: 'array',
          description:
            '审核路径：按申报的某个字段（如申请星级）决定申报经过哪些环节。每条路径列出环节 id（按先后顺序），其中最后一个审核环节作出评定（通过 / 不通过）。不在任何路径中的环节对所有申报适用；没有路径匹配的申报按全部环节（县级审核 → 市级推荐 → 省级评定）。',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'label', 'when', 'stages'],
            properties: {
              id: itemIdSchema,
              label: { type: 'string', maxLength: 100 },
              when: {
                type: 'object',
                additionalProperties: false,
                required: ['form', 'field', 'in'],
                description: '哪些申报走这条路径：表单 form 中字段 field 的值在 in 之中',
                properties: {
                  form: { type: 'string', maxLength: 63 },
                  field: { type: 'string', maxLength: 300 },
                  in: { type: 'array', minItems: 1, items: { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'number' }, { type: 'boolean' }] } },
                },
              },
              stages: { type: 'array', minItems: 1, items: { type: 'string', maxLength: 63 }, description: '本路径经过的环节 id，按先后顺序' },
              filedWith: {
                enum: ['city', 'province'],
                description: '评定结果报备的上级（如“评定结果报备省小微园办”）：该级可查看，不再审核',
              },
              clause: { type: 'string', maxLength: 200 },
            },
          },
        },
      },
    },
    dates: {
      type: 'array',
      description: '通知中的时间节点',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label', 'date'],
        properties: {
          id: { type: 'string', maxLength: 63 },
          label: { type: 'string', maxLength: 200 },
          date: { type: 'string', format: 'date' },
          clause: { type: 'string', maxLength: 200 },
        },
      },
    },
    quotas: {
      type: 'array',
      description: '推荐名额等上限（按组织单位）',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label', 'scope', 'default'],
        properties: {
          id: { type: 'string', maxLength: 63 },
          label: { type: 'string', maxLength: 200 },
          scope: { enum: ['county', 'city', 'province'] },
          default: { ...quotaLimit, description: '默认名额；可写 {"param": "参数名"} 引用参数' },
          overrides: { type: 'object', additionalProperties: quotaLimit, description: '按行政区划代码覆盖；值可写 {"param": "参数名"}' },
          clause: { type: 'string', maxLength: 200 },
        },
      },
    },
    dashboard: {
      type: 'object',
      additionalProperties: false,
      description: '省、市看板：除报送进度、状态漏斗和等级分布（由规则集得出）外，按分布展示的数值指标',
      properties: {
        indicators: {
          type: 'array',
          maxItems: 20,
          description: '看板指标（如每亩税收、每亩营业收入）：一张园区表单的数值字段，或两个数值字段之比（field ÷ per）',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'label', 'form', 'field'],
            properties: {
              id: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$', maxLength: 63, description: '指标标识；后续年度的通知包沿用同一标识时，看板按年度对比' },
              label: { type: 'string', minLength: 1, maxLength: 50 },
              unit: { type: 'string', maxLength: 20 },
              form: { type: 'string', maxLength: 63, description: '园区填报的表单标识' },
              field: { type: 'string', maxLength: 200, description: '数值字段的路径（点号分隔），如 economy.tax' },
              per: { type: 'string', maxLength: 200, description: '可选：分母字段的路径，指标 = field ÷ per（分母为 0 或未填时不计）' },
              precision: { type: 'integer', minimum: 0, maximum: 6, description: '显示的小数位数（默认 2）' },
            },
          },
        },
      },
    },
  },
} as const;
