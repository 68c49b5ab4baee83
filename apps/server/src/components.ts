/**
 * The API's named data shapes: the success answers' schema components (registered by
 * installContract, referenced as `{ $ref: 'Name#' }`, named `Name` in the OpenAPI document and in the
 * web app's generated types, apps/web/src/api/schema.d.ts). A route whose answer is its own shape
 * declares it beside the route; a shape two routes share is here.
 *
 * Objects are open (extra members allowed): the server serializes with JSON.stringify (contract.ts),
 * so a schema documents and types an answer but never strips a member from it.
 */

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const dateTimeOrNull = { type: ['string', 'null'], format: 'date-time' } as const;
const anyObject = { type: 'object', additionalProperties: {} } as const;

export const Ok = {
  $id: 'Ok',
  type: 'object',
  description: '操作完成',
  required: ['ok'],
  properties: { ok: bool },
} as const;

export const User = {
  $id: 'User',
  type: 'object',
  description: '账户（不含密码）',
  required: ['id', 'username', 'displayName', 'role', 'orgCode', 'parkId', 'disabled', 'mustChangePassword'],
  properties: {
    id: str,
    username: str,
    displayName: str,
    role: { type: 'string', enum: ['applicant', 'county', 'city', 'province', 'admin'] },
    orgCode: strOrNull,
    parkId: strOrNull,
    disabled: { type: 'boolean', description: '管理员已停用该账户' },
    mustChangePassword: { type: 'boolean', description: '密码由管理员设置：须先设置新密码' },
  },
} as const;

export const OrgUnit = {
  $id: 'OrgUnit',
  type: 'object',
  description: '组织单位（省、设区市、县市区）',
  required: ['code', 'name', 'level', 'parentCode'],
  properties: { code: str, name: str, level: { type: 'string', enum: ['province', 'city', 'county'] }, parentCode: strOrNull },
} as const;

export const Park = {
  $id: 'Park',
  type: 'object',
  description: '园区',
  required: ['id', 'name', 'creditCode', 'countyCode', 'cityCode', 'contactName', 'contactMobile', 'createdAt'],
  properties: { id: str, name: str, creditCode: str, countyCode: str, cityCode: str, contactName: strOrNull, contactMobile: strOrNull, createdAt: dateTime },
} as const;

export const Me = {
  $id: 'Me',
  type: 'object',
  description: '当前用户、其园区或组织单位、CSRF 令牌（非 GET 请求以 csrfHeader 头带上）',
  required: ['user', 'park', 'orgUnit', 'csrfToken', 'csrfHeader'],
  properties: {
    user: { $ref: 'User#' },
    park: { anyOf: [{ $ref: 'Park#' }, { type: 'null' }] },
    orgUnit: { anyOf: [{ $ref: 'OrgUnit#' }, { type: 'null' }] },
    csrfToken: strOrNull,
    csrfHeader: str,
  },
} as const;

export const Manifest = {
  $id: 'Manifest',
  type: 'object',
  description: '通知包清单（pack.json，见 docs/packs.md）',
  required: ['id', 'title', 'issuer', 'issueDate', 'year', 'dataCutoff', 'forms'],
  properties: {
    id: str,
    title: str,
    issuer: str,
    documentNumber: str,
    issueDate: str,
    year: int,
    dataCutoff: str,
    forms: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'kind'],
        properties: { id: str, title: str, kind: { $ref: 'FormKind#' }, attachment: str, scope: str },
      },
    },
    workflow: {
      type: 'object',
      properties: {
        stages: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'label', 'role'],
            properties: {
              id: str,
              label: str,
              role: { type: 'string', enum: ['applicant', 'county', 'city', 'province', 'admin'] },
              forms: { type: 'array', items: str },
              window: { type: 'object', properties: { opens: str, closes: str } },
              clause: str,
            },
          },
        },
      },
    },
    dates: { type: 'array', items: { type: 'object', required: ['id', 'label', 'date'], properties: { id: str, label: str, date: str, clause: str } } },
    quotas: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'label', 'scope', 'default'],
        properties: { id: str, label: str, scope: str, default: int, overrides: { type: 'object', additionalProperties: int } },
      },
    },
    parameters: { type: 'object', additionalProperties: { type: 'object', required: ['label', 'value'], properties: { label: str, value: {}, unit: str } } },
  },
} as const;

export const FormKind = { $id: 'FormKind', type: 'string', enum: ['record', 'table', 'scorecard', 'outline'], description: '表单种类' } as const;

const packVersionProps = {
  id: int,
  packId: str,
  version: int,
  hash: str,
  title: str,
  publishedAt: dateTime,
  manifest: { $ref: 'Manifest#' },
  current: { type: 'boolean', description: '是否为当前版本（列出版本时给出）' },
} as const;
const packVersionRequired = ['id', 'packId', 'version', 'hash', 'title', 'publishedAt', 'manifest'] as const;

export const PackVersion = {
  $id: 'PackVersion',
  type: 'object',
  description: '通知包的一个发布版本（不可修改）',
  required: packVersionRequired,
  properties: packVersionProps,
} as const;

export const PackForm = {
  $id: 'PackForm',
  type: 'object',
  description: '通知包的一张表单：JSON Schema 与界面提示',
  required: ['id', 'title', 'kind', 'attachment', 'scope', 'schema', 'ui'],
  properties: { id: str, title: str, kind: { $ref: 'FormKind#' }, attachment: strOrNull, scope: strOrNull, schema: anyObject, ui: anyObject },
} as const;

export const PackDetail = {
  $id: 'PackDetail',
  type: 'object',
  description: '发布版本及其表单；files 为通知包文件（路径 → 内容）',
  required: [...packVersionRequired, 'forms'],
  properties: {
    ...packVersionProps,
    forms: { type: 'array', items: { $ref: 'PackForm#' } },
    files: anyObject,
    fixturesIncluded: bool,
    applicantForms: { type: 'array', items: str, description: '申报单位填写的表单' },
  },
} as const;

export const CheckProblem = {
  $id: 'CheckProblem',
  type: 'object',
  description: '通知包检查发现的问题：文件、JSON 指针、代码与中文说明',
  required: ['code', 'file', 'pointer', 'message', 'severity'],
  properties: { code: str, file: str, pointer: str, message: str, severity: { type: 'string', enum: ['error', 'warning'] } },
} as const;

export const PackCheck = {
  $id: 'PackCheck',
  type: 'object',
  description: '整包检查结果',
  required: ['ok', 'problems'],
  properties: { ok: bool, problems: { type: 'array', items: { $ref: 'CheckProblem#' } } },
} as const;

export const PackPublished = {
  $id: 'PackPublished',
  type: 'object',
  description: '发布结果：created 为新建版本，madeCurrent 为成为当前版本；warnings 为检查的警告',
  required: [...packVersionRequired, 'created', 'madeCurrent', 'warnings'],
  properties: { ...packVersionProps, created: bool, madeCurrent: bool, warnings: { type: 'array', items: { $ref: 'CheckProblem#' } } },
} as const;

export const FixtureRun = {
  $id: 'FixtureRun',
  type: 'object',
  description: '一个样例的运行结果（规则样例或群体评价样例）',
  required: ['kind', 'file', 'title', 'passed', 'differences', 'problems'],
  properties: {
    kind: { type: 'string', enum: ['rules', 'cohort'] },
    file: str,
    title: str,
    passed: bool,
    differences: { type: 'array', items: str },
    problems: { type: 'array', items: { $ref: 'CheckProblem#' } },
    review: { type: 'string', description: '待复核的说明（下一年度复制的样例）' },
    unchanged: { type: 'boolean', description: '待复核的样例按本包运行，结果与期望一致（可一并接受，见 accept-unchanged）' },
  },
} as const;

export const Evaluation = {
  $id: 'Evaluation',
  type: 'object',
  description: '规则集标识 → 该规则集的评价（结果与解释）',
  additionalProperties: {},
} as const;

export const FieldErrors = {
  $id: 'FieldErrors',
  type: 'array',
  description: '数据的字段错误（草稿照存，提交时须无错误）',
  items: { $ref: 'FieldError#' },
} as const;

const submissionHeadProps = {
  id: str,
  packVersionId: int,
  packId: str,
  formId: str,
  parkId: str,
  countyCode: str,
  cityCode: str,
  status: str,
  statusLabel: { type: 'string', description: '状态的中文名称' },
  decision: strOrNull,
  version: { type: 'integer', description: '版本（ETag）' },
  createdBy: str,
  createdAt: dateTime,
  updatedAt: dateTime,
  submittedAt: dateTimeOrNull,
} as const;
const submissionHeadRequired = ['id', 'packVersionId', 'packId', 'formId', 'parkId', 'countyCode', 'cityCode', 'status', 'statusLabel', 'version'] as const;

export const SubmissionSummary = {
  $id: 'SubmissionSummary',
  type: 'object',
  description: '申报列表的一行：每个规则集的结果（outcomes），不含数据与解释',
  required: submissionHeadRequired,
  properties: { ...submissionHeadProps, parkName: str, outcomes: { type: 'object', additionalProperties: {} } },
} as const;

export const Review = {
  $id: 'Review',
  type: 'object',
  description: '一次审核（或提交、撤回）',
  required: ['id', 'level', 'action', 'comment', 'fromStatus', 'toStatus', 'reviewerId', 'createdAt'],
  properties: { id: int, submissionId: str, level: str, action: str, comment: strOrNull, fromStatus: str, toStatus: str, reviewerId: str, createdAt: dateTime },
} as const;

export const Rescore = {
  $id: 'Rescore',
  type: 'object',
  description: '审核人的一次重新评分',
  required: ['id', 'level', 'item', 'selfScore', 'score', 'reason', 'createdAt'],
  properties: { id: int, submissionId: str, level: str, item: str, selfScore: { type: ['number', 'null'] }, score: num, reason: str, reviewerId: str, createdAt: dateTime },
} as const;

export const Attachment = {
  $id: 'Attachment',
  type: 'object',
  description: '附件（不含内容）',
  required: ['id', 'field', 'filename', 'mime', 'size'],
  properties: { id: str, submissionId: str, field: str, filename: str, mime: str, size: int, sha256: str, uploadedBy: str, createdAt: dateTime },
} as const;

export const DecidedResult = {
  $id: 'DecidedResult',
  type: 'object',
  description: '评定结果（省级决定后），如“评定结果：三星级”',
  required: ['approved', 'text'],
  properties: { approved: bool, text: str },
} as const;

export const Submission = {
  $id: 'Submission',
  type: 'object',
  description: '一份申报：数据与评价（evaluation 为 null 时由浏览器按通知包规则计算）',
  required: [...submissionHeadRequired, 'data', 'evaluation'],
  properties: {
    ...submissionHeadProps,
    data: anyObject,
    evaluation: { anyOf: [{ $ref: 'Evaluation#' }, { type: 'null' }] },
    errors: { $ref: 'FieldErrors#' },
  },
} as const;

export const SubmissionDetail = {
  $id: 'SubmissionDetail',
  type: 'object',
  description: '申报详情：数据、审核意见、复核评分、附件、可做的操作',
  required: [...submissionHeadRequired, 'data', 'evaluation', 'reviews', 'rescores', 'attachments', 'actions', 'result', 'correctionDeadline', 'reviewPath', 'returnsTo', 'errors'],
  properties: {
    ...submissionHeadProps,
    data: anyObject,
    evaluation: { anyOf: [{ $ref: 'Evaluation#' }, { type: 'null' }] },
    park: { anyOf: [{ $ref: 'Park#' }, { type: 'null' }] },
    reviews: { type: 'array', items: { $ref: 'Review#' } },
    rescores: { type: 'array', items: { $ref: 'Rescore#' } },
    attachments: { type: 'array', items: { $ref: 'Attachment#' } },
    consistency: { anyOf: [{ $ref: 'ConsistencySummary#' }, { type: 'null' }] },
    result: { anyOf: [{ $ref: 'DecidedResult#' }, { type: 'null' }] },
    correctionDeadline: { type: ['string', 'null'], description: '退回后的补正期限（申报窗口关闭后）' },
    reviewPath: {
      description: '申报的审核路径（workflow.paths）；filedWith：结果报送的级别',
      anyOf: [{ type: 'object', required: ['id', 'label', 'filedWith'], properties: { id: str, label: str, filedWith: strOrNull } }, { type: 'null' }],
    },
    returnsTo: { type: ['string', 'null'], description: '当前审核人退回时退到哪里：applicant 或下一级' },
    actions: { type: 'array', items: str, description: '当前用户可做的操作' },
    errors: { $ref: 'FieldErrors#', description: '草稿或退回的申报尚有的错误（必填项在提交时指出）' },
  },
} as const;

export const SubmissionReviewed = {
  $id: 'SubmissionReviewed',
  type: 'object',
  description: '审核后的申报详情（与 SubmissionDetail 相同）；quota 为推荐占用的名额',
  required: [...SubmissionDetail.required, 'quota'],
  properties: {
    ...SubmissionDetail.properties,
    quota: { anyOf: [{ type: 'object', required: ['id', 'limit', 'used'], properties: { id: str, limit: int, used: int } }, { type: 'null' }] },
  },
} as const;

export const DraftSaved = {
  $id: 'DraftSaved',
  type: 'object',
  description: '保存后的草稿；带 Prefer: return=minimal 时只有 id、version、status、statusLabel、updatedAt、errors',
  required: ['id', 'version', 'status', 'statusLabel', 'updatedAt', 'errors'],
  properties: { ...Submission.properties },
} as const;

export const ConsistencyMismatch = {
  $id: 'ConsistencyMismatch',
  type: 'object',
  description: '与来源表不一致的一个字段：两边的值',
  required: ['form', 'field', 'label', 'valueText', 'sourceForm', 'sourceText', 'blocking', 'accepted', 'message'],
  properties: {
    form: str,
    field: str,
    label: str,
    value: {},
    valueText: str,
    sourceForm: str,
    sourceField: str,
    sourceValue: {},
    sourceText: str,
    blocking: bool,
    accepted: bool,
    message: str,
  },
} as const;

export const ConsistencyAcceptance = {
  $id: 'ConsistencyAcceptance',
  type: 'object',
  description: '审核人对不一致的认可（附理由）',
  required: ['id', 'level', 'reason', 'reviewerName', 'createdAt'],
  properties: { id: int, submissionId: str, level: str, reason: str, mismatches: { type: 'array', items: anyObject }, reviewerId: str, reviewerName: strOrNull, createdAt: dateTime },
} as const;

export const ConsistencySummary = {
  $id: 'ConsistencySummary',
  type: 'object',
  description: '跨表一致性：阻止提交的不一致数、全部不一致与认可',
  required: ['blocking', 'mismatches', 'acceptances'],
  properties: {
    blocking: int,
    mismatches: { type: 'array', items: { $ref: 'ConsistencyMismatch#' } },
    acceptances: { type: 'array', items: { $ref: 'ConsistencyAcceptance#' } },
  },
} as const;

export const AuditEntry = {
  $id: 'AuditEntry',
  type: 'object',
  description: '审计日志的一条：谁、何时、对什么做了什么（修改前后）',
  required: ['id', 'at', 'actorId', 'action', 'entity', 'entityId', 'before', 'after'],
  properties: {
    id: int,
    at: dateTime,
    actorId: strOrNull,
    actorName: strOrNull,
    actorRole: strOrNull,
    action: str,
    entity: str,
    entityId: str,
    entityName: { type: ['string', 'null'], description: '所涉对象的名称（人、园区、单位、通知），能查到时给出' },
    before: {},
    after: {},
    changes: { type: 'array', items: { type: 'object', required: ['path'], properties: { path: str, before: {}, after: {} } } },
  },
} as const;

export const NotificationItem = {
  $id: 'NotificationItem',
  type: 'object',
  description: '一条通知（催报、审核结果等）',
  required: ['id', 'kind', 'title', 'body', 'link', 'createdAt', 'read'],
  properties: { id: int, kind: str, title: str, body: strOrNull, link: strOrNull, createdAt: dateTime, read: bool },
} as const;

export const Bell = {
  $id: 'Bell',
  type: 'object',
  description: '站内通知：未读数与最新的通知',
  required: ['unread', 'items'],
  properties: { unread: int, items: { type: 'array', items: { $ref: 'NotificationItem#' } } },
} as const;

export const TableReport = {
  $id: 'TableReport',
  type: 'object',
  description: '一个单位的汇总表：状态、第一节的行、表单的完整数据（data，仅存行的旧表为 null）、版本（ETag）；保存时另有 errors',
  required: ['id', 'packId', 'formId', 'orgCode', 'level', 'status', 'rows', 'data', 'version'],
  properties: {
    id: str,
    packVersionId: int,
    packId: str,
    formId: str,
    orgCode: str,
    level: str,
    status: str,
    rows: { type: 'array', items: anyObject },
    data: { description: '表单的完整数据（各节的行与表头前字段），表单为数组时为行', anyOf: [anyObject, { type: 'array', items: anyObject }, { type: 'null' }] },
    version: int,
    updatedBy: strOrNull,
    updatedAt: dateTime,
    submittedAt: dateTimeOrNull,
    errors: { $ref: 'FieldErrors#' },
  },
} as const;

export const TableView = {
  $id: 'TableView',
  type: 'object',
  description: '汇总表：本级的表（own）、各下级的表（parts）、合并的行与数据及每节各行的来源单位（origins）',
  required: ['packId', 'formId', 'filler', 'own', 'parts', 'combined', 'combinedData', 'origins'],
  properties: {
    packId: str,
    formId: str,
    filler: { type: 'string', enum: ['county', 'city'], description: '填报的级别' },
    own: { anyOf: [{ $ref: 'TableReport#' }, { type: 'null' }] },
    parts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['orgCode', 'orgName', 'status', 'statusLabel', 'rows', 'data', 'version'],
        properties: {
          orgCode: str,
          orgName: str,
          status: str,
          statusLabel: str,
          rows: { type: 'array', items: anyObject },
          data: { anyOf: [anyObject, { type: 'array', items: anyObject }, { type: 'null' }] },
          version: { type: ['integer', 'null'] },
        },
      },
    },
    combined: { type: 'array', items: anyObject },
    combinedData: { anyOf: [anyObject, { type: 'array', items: anyObject }, { type: 'null' }] },
    origins: { type: 'object', additionalProperties: { type: 'array', items: str } },
  },
} as const;

const cohortDecision = { type: 'object', required: ['id', 'reason'], properties: { id: str, reason: str } } as const;
const counts = { type: 'object', additionalProperties: num } as const;

export const CohortRecord = {
  $id: 'CohortRecord',
  description: '群体评价中一条记录的结果：得分、排名、等级与说明',
  type: 'object',
  required: ['key', 'group', 'breakdown', 'explanation'],
  properties: {
    key: str,
    label: str,
    group: { type: 'string', description: '评价分组；不分组为空串' },
    score: num,
    bonus: num,
    breakdown: { type: 'array', items: anyObject },
    rank: int,
    grade: str,
    seat: { type: 'integer', description: '名额内的序号（等级由名额得出时）' },
    reward: num,
    selected: { type: 'boolean', description: '在本单位推荐上限内入选' },
    excluded: cohortDecision,
    vetoed: cohortDecision,
    exempt: cohortDecision,
    explanation: { type: 'array', items: str },
  },
} as const;

export const CohortResult = {
  $id: 'CohortResult',
  type: 'object',
  description: '群体评价结果：各记录的得分、排名、等级与说明，各组的名额与人数，等级分布（packages/cohort 的 CohortResult）',
  required: ['stepId', 'records', 'groups', 'distribution', 'warnings'],
  properties: {
    stepId: str,
    records: { type: 'array', items: { $ref: 'CohortRecord#' }, description: '各记录的结果（运行详情中记录多时为按名次的前若干条）' },
    groups: {
      type: 'array',
      items: {
        type: 'object',
        required: ['group', 'size', 'base', 'seats', 'counts', 'exempt', 'excluded'],
        properties: { group: str, size: int, base: int, seats: counts, counts, exempt: int, excluded: int },
      },
    },
    distribution: { ...counts, description: '各等级的记录数（另含 excluded）' },
    caps: {
      type: 'array',
      items: { type: 'object', required: ['unit', 'name', 'cap', 'candidates', 'selected'], properties: { unit: str, name: str, cap: int, candidates: int, selected: int } },
    },
    rewardTotal: num,
    rewardUnit: str,
    warnings: { type: 'array', items: str },
  },
} as const;

export const CohortRun = {
  $id: 'CohortRun',
  type: 'object',
  description: '一次群体评价运行（列表中不含 input 与 results）',
  required: ['id', 'packVersionId', 'stepId', 'orgCode', 'recordCount', 'createdAt'],
  properties: {
    id: str,
    packVersionId: int,
    stepId: str,
    orgCode: str,
    recordCount: { type: 'integer', description: '记录数' },
    input: { type: 'array', items: anyObject, description: '输入记录（与 results.records 一一对应；记录多时为按名次的前若干条）' },
    results: { $ref: 'CohortResult#' },
    createdBy: strOrNull,
    createdAt: dateTime,
  },
} as const;

export const CohortRunDetail = {
  ...CohortRun,
  $id: 'CohortRunDetail',
  description: '一次群体评价运行：结果摘要与记录（输入与结果；记录多时为按名次的前若干条）；recordCount 为记录总数',
  required: [...CohortRun.required, 'input', 'results'],
} as const;

export const Job = {
  $id: 'Job',
  type: 'object',
  description: '一项长时间运行的任务（如对整张汇总表的群体评价）：状态、进度（已处理 done / 共 total 条）、起止时间、结果或错误、是否已请求取消',
  required: ['id', 'kind', 'status', 'done', 'total', 'phase', 'resultId', 'errorCode', 'errorMessage', 'cancelRequested', 'createdAt', 'startedAt', 'finishedAt'],
  properties: {
    id: str,
    kind: { type: 'string', description: '任务种类，如 cohort.run（群体评价运行）' },
    status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'], description: '排队中、运行中、已完成、失败、已取消' },
    orgCode: strOrNull,
    params: { description: '任务参数（如 packId、stepId、formId）' },
    done: { type: 'integer', description: '已处理的记录数' },
    total: { type: ['integer', 'null'], description: '记录总数（未知时为 null）' },
    phase: { type: ['string', 'null'], description: '当前阶段（中文）' },
    resultId: { type: ['string', 'null'], description: '完成后产生的结果的 id（群体评价：运行 id）' },
    errorCode: { type: ['string', 'null'], description: '失败时的错误码（错误码目录）' },
    errorMessage: strOrNull,
    cancelRequested: { type: 'boolean' },
    createdBy: strOrNull,
    createdAt: dateTime,
    startedAt: dateTimeOrNull,
    finishedAt: dateTimeOrNull,
  },
} as const;

export const ConfirmationState = {
  $id: 'ConfirmationState',
  type: 'object',
  description: '审核人对申报单位勾选项的确认（x-review: confirm）：各字段、历史、待确认项与当前用户',
  required: ['fields', 'history', 'open', 'me'],
  properties: {
    fields: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'form', 'label', 'clause', 'levels', 'items'],
        properties: {
          field: str,
          form: str,
          label: str,
          clause: strOrNull,
          levels: { type: 'array', items: str },
          items: {
            type: 'array',
            items: {
              type: 'object',
              required: ['item', 'label', 'verdicts'],
              properties: {
                item: { type: ['string', 'number', 'boolean'] },
                label: str,
                verdicts: {
                  type: 'object',
                  description: '各级当前有效的确认',
                  additionalProperties: {
                    type: 'object',
                    required: ['verdict', 'reason', 'reviewerName', 'at'],
                    properties: { verdict: { $ref: 'ConfirmVerdict#' }, reason: strOrNull, reviewerName: strOrNull, at: str },
                  },
                },
              },
            },
          },
        },
      },
    },
    history: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'level', 'field', 'item', 'verdict', 'reason', 'reviewerName', 'createdAt', 'fieldLabel', 'itemLabel'],
        properties: { id: int, level: str, field: str, item: {}, verdict: { $ref: 'ConfirmVerdict#' }, reason: strOrNull, reviewerName: strOrNull, createdAt: str, fieldLabel: str, itemLabel: str },
      },
    },
    open: {
      type: 'object',
      description: '各级待确认的项',
      additionalProperties: {
        type: 'array',
        items: { $ref: 'OpenConfirmation#' },
      },
    },
    me: {
      type: 'object',
      description: '当前用户：所在审核级别（null：无）、是否须确认、剩余待确认项数',
      required: ['level', 'canConfirm', 'required', 'open'],
      properties: { level: strOrNull, canConfirm: bool, required: bool, open: int },
    },
  },
} as const;

/** One ticked item a review level has still to confirm (ConfirmationState.open; the details of CONFIRMATION_INCOMPLETE). */
export const OpenConfirmation = {
  $id: 'OpenConfirmation',
  type: 'object',
  description: '待确认的一项：字段、勾选项及是否有异议',
  required: ['field', 'label', 'item', 'itemLabel', 'disputed'],
  properties: { field: str, label: str, item: {}, itemLabel: str, disputed: bool },
} as const;

/** A refused cell of an uploaded pack workbook (the workbook import's answer; the details of WORKBOOK_INVALID). */
export const CellProblem = {
  $id: 'CellProblem',
  type: 'object',
  description: '工作簿中被拒绝的单元格：工作表、行、列、单元格与原因',
  required: ['code', 'sheet', 'row', 'column', 'cell', 'message'],
  properties: { code: str, sheet: str, row: int, column: str, cell: str, message: str },
} as const;

/** A problem of a table file being imported (the import preview's errors and warnings; the details of TABLE_IMPORT_UNREADABLE / TABLE_IMPORT_NO_TABLE). */
export const TableImportProblem = {
  $id: 'TableImportProblem',
  type: 'object',
  description: '导入的表格文件中的一处问题：工作表、行、列与中文原因',
  additionalProperties: false,
  required: ['sheet', 'row', 'column', 'reason'],
  properties: {
    sheet: { type: 'string', description: '工作表名（CSV 为“CSV”）' },
    row: { type: 'integer', description: '文件中的行号（从 1 起）' },
    column: { type: 'string', description: '列字母（A、B…）；整个工作表的问题为空' },
    title: { type: 'string', description: '列名' },
    reason: { type: 'string', description: '中文原因' },
    section: { type: 'string', description: '该格的值所在的节（行数组的字段名）' },
    index: { type: 'integer', description: '该行在节中的序号（从 0 起）' },
    key: { type: 'string', description: '列的字段名' },
    field: { type: 'string', description: '表头前字段（如填报地区）的字段名' },
  },
} as const;

export const ConfirmVerdict = { $id: 'ConfirmVerdict', type: 'string', enum: ['confirmed', 'disputed'], description: '确认或有异议' } as const;

export const PackDraftSummary = {
  $id: 'PackDraftSummary',
  type: 'object',
  description: '通知包草稿（未发布）；revision 为修改次数',
  required: ['id', 'packId', 'title', 'basedOnVersionId', 'revision', 'createdAt', 'updatedAt'],
  properties: { id: int, packId: str, title: str, basedOnVersionId: { type: ['integer', 'null'] }, revision: int, createdAt: dateTime, updatedAt: dateTime },
} as const;

export const DateSlot = {
  $id: 'DateSlot',
  type: 'object',
  description: '通知包中的一个日期：所在文件与 JSON 指针',
  required: ['id', 'label', 'file', 'pointer', 'date'],
  properties: { id: str, label: str, file: str, pointer: str, date: str },
} as const;

export const ImpactResult = {
  $id: 'ImpactResult',
  type: 'object',
  description: '影响预览：按草稿重新计算已存申报的结果变化（report 见 @yuanping/core 的 ImpactReport），base 为比较的发布版本',
  required: ['report', 'base'],
  properties: {
    report: { type: 'object', additionalProperties: {} },
    base: { type: 'object', required: ['id', 'packId', 'version', 'title'], properties: { id: int, packId: str, version: int, title: str } },
  },
} as const;

/** Every component, in the order they are registered (a component's references come first or later: ajv resolves them lazily). */
export const COMPONENTS = [
  Ok,
  User,
  OrgUnit,
  Park,
  Me,
  FormKind,
  Manifest,
  PackVersion,
  PackForm,
  PackDetail,
  CheckProblem,
  PackCheck,
  PackPublished,
  FixtureRun,
  Evaluation,
  FieldErrors,
  SubmissionSummary,
  Review,
  Rescore,
  Attachment,
  DecidedResult,
  Submission,
  SubmissionDetail,
  SubmissionReviewed,
  DraftSaved,
  ConsistencyMismatch,
  ConsistencyAcceptance,
  ConsistencySummary,
  AuditEntry,
  NotificationItem,
  Bell,
  TableReport,
  TableView,
  CohortRecord,
  CohortResult,
  CohortRun,
  CohortRunDetail,
  Job,
  ConfirmVerdict,
  OpenConfirmation,
  ConfirmationState,
  CellProblem,
  TableImportProblem,
  PackDraftSummary,
  DateSlot,
  ImpactResult,
] as const;

/** `{ 200: … }` for a JSON answer: a component reference or an inline schema, with its description. */
export function ok(schema: object, description: string, status = 200): Record<number, object> {
  return { [status]: { description, ...schema } };
}

/** A JSON answer that is a list of a component. */
export function listOf(name: string, description: string): Record<number, object> {
  return { 200: { description, type: 'array', items: { $ref: `${name}#` } } };
}

/** A file answer (the bytes), e.g. an xlsx workbook or an attachment. */
export function file(mime: string, description: string): Record<number, object> {
  return { 200: { description, content: { [mime]: { schema: { type: 'string', format: 'binary' } } } } };
}

/** The empty answer of a deletion. */
export const noContent: Record<number, object> = { 204: { description: '已删除（无内容）', type: 'null' } };

/** An answer in more than one media type: media type → schema. */
export function oneOfMedia(content: Record<string, object>, description: string): Record<number, object> {
  return { 200: { description, content: Object.fromEntries(Object.entries(content).map(([mime, schema]) => [mime, { schema }])) } };
}

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
