/**
 * The server's error catalogue, in the shape of `@yuanping/core`'s ERRORS
 * (code → Chinese message template with `{name}` placeholders, HTTP status).
 * To be merged into packages/core/src/errors.ts.
 */
export const SERVER_ERRORS = {
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  INVALID_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  RATE_LIMITED: { status: 429, message: '尝试过于频繁，请 {minutes} 分钟后再试' },
  CSRF_FAILED: { status: 403, message: '安全校验失败（CSRF），请刷新页面后重试' },
  FORBIDDEN: { status: 403, message: '您的角色无权执行此操作' },
  NOT_FOUND: { status: 404, message: '找不到{what}' },
  ROUTE_NOT_FOUND: { status: 404, message: '接口不存在：{method} {url}' },
  BAD_REQUEST: { status: 400, message: '请求数据有 {count} 处错误' },
  UNSTORABLE_DATA: { status: 400, message: '数据包含无法保存的内容（如空字符 \\u0000 或超出范围的数值）' },
  BAD_JSON: { status: 400, message: '请求内容不是合法的 JSON' },
  SUBMISSION_INVALID: { status: 400, message: '填报数据有 {count} 处错误' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求内容过大，上限为 {limit}' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的内容类型：{type}' },
  PRECONDITION_REQUIRED: { status: 428, message: '保存草稿须在 If-Match 头中带上当前版本（ETag）' },
  PRECONDITION_FAILED: { status: 412, message: '数据已被他人修改（当前版本 {current}），请刷新后再保存' },
  INVALID_STATE: { status: 409, message: '当前状态“{status}”下不能{action}' },
  WINDOW_NOT_OPEN: { status: 409, message: '“{stage}”尚未开始，开始日期为 {opens}' },
  WINDOW_CLOSED: { status: 409, message: '“{stage}”已截止，截止日期为 {closes}' },
  QUOTA_EXCEEDED: { status: 409, message: '“{quota}”名额已满（{org}上限 {limit} 个）' },
  QUOTA_NOT_DECLARED: { status: 409, message: '通知包未声明可用于推荐的名额' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: '该幂等键（Idempotency-Key）已用于另一项操作' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: '相同幂等键的请求正在处理，请稍后重试' },
  PACK_INVALID: { status: 422, message: '通知包检查未通过，共 {count} 个错误，未发布' },
  PACK_NOT_PUBLISHED: { status: 404, message: '通知包“{pack}”尚未发布' },
  NO_APPLICANT_FORMS: { status: 409, message: '通知包“{pack}”没有由园区填报的表单' },
  FORM_NOT_FOUND: { status: 404, message: '通知包中没有表单“{form}”' },
  RULESET_NOT_FOUND: { status: 404, message: '通知包中没有规则集“{ruleSet}”' },
  EVALUATION_FAILED: { status: 422, message: '评价计算失败：{detail}' },
  CREDIT_CODE_INVALID: { status: 400, message: '统一社会信用代码“{code}”不符合 GB 32100-2015（长度、字符或校验位错误）' },
  MOBILE_INVALID: { status: 400, message: '手机号码“{mobile}”格式不正确' },
  ORG_UNIT_INVALID: { status: 400, message: '组织单位“{code}”不存在或层级不符' },
  DUPLICATE: { status: 409, message: '{what}已存在' },
  FILE_FIELD_UNKNOWN: { status: 400, message: '表单中没有附件字段“{field}”' },
  FILE_TYPE_REFUSED: { status: 415, message: '文件类型不符合要求：允许 {accept}，实际为 {actual}' },
  FILE_TOO_LARGE: { status: 413, message: '文件大小 {size} 超过上限 {max}' },
  FILE_TOO_LONG: { status: 413, message: '视频时长 {duration} 秒超过上限 {max} 秒' },
  TABLE_NOT_TABLE: { status: 400, message: '表单“{form}”不是由{level}填报的汇总表' },
  COHORT_UNAVAILABLE: { status: 501, message: '群体评价模块尚不可用' },
  REQUEST_TIMEOUT: { status: 503, message: '请求处理超时，请稍后重试' },
  DB_UNAVAILABLE: { status: 503, message: '数据库暂时不可用，请稍后重试' },
  INTERNAL: { status: 500, message: '服务器内部错误，请稍后重试' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ServerErrorCode = keyof typeof SERVER_ERRORS;

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

export function formatMessage(code: ServerErrorCode, params: Record<string, unknown> = {}): string {
  return SERVER_ERRORS[code].message.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const v = params[key];
    return v === undefined ? `{${key}}` : String(v);
  });
}

/** An error for a person: catalogue code, Chinese message, HTTP status, optional field errors. */
export class ApiError extends Error {
  readonly code: ServerErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly details: unknown;
  constructor(code: ServerErrorCode, params: Record<string, unknown> = {}, extra: { errors?: FieldError[]; details?: unknown } = {}) {
    super(formatMessage(code, params));
    this.name = 'ApiError';
    this.code = code;
    this.status = SERVER_ERRORS[code].status;
    this.errors = extra.errors;
    this.details = extra.details;
  }
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}
