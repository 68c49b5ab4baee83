/**
 * The one catalogue of error codes. Each code has a Chinese message template and an
 * HTTP status. Messages take `{name}` placeholders filled from the params object.
 * Tests assert codes, never message strings.
 */
export const ERRORS = {
  // ── pack files ──────────────────────────────────────────────
  PACK_NOT_FOUND: { status: 404, message: '找不到通知包“{pack}”' },
  PACK_FILE_MISSING: { status: 422, message: '通知包缺少文件 {file}' },
  PACK_JSON_SYNTAX: { status: 422, message: '文件不是合法的 JSON：{detail}' },
  PACK_META_SCHEMA: { status: 422, message: '不符合{format}格式：{detail}' },
  PACK_ID_MISMATCH: { status: 422, message: '清单中的 id“{id}”与目录名“{dir}”不一致' },
  PACK_DUPLICATE_ID: { status: 422, message: '标识“{id}”重复出现' },
  PACK_SUCCEEDS_UNKNOWN: { status: 422, message: '继承的通知包“{pack}”不存在' },
  // ── form schemas (admin-written schemas are code) ───────────
  SCHEMA_STRICT: { status: 422, message: '表单 JSON Schema 不能通过严格模式编译：{detail}' },
  SCHEMA_UNSAFE_DATA: { status: 422, message: '不允许使用 $data 引用（表单只能使用安全子集）' },
  SCHEMA_REMOTE_REF: { status: 422, message: '不允许引用外部 Schema：{ref}' },
  SCHEMA_PATTERN_NO_MAXLENGTH: { status: 422, message: '使用 pattern 的字段必须同时给出 maxLength' },
  SCHEMA_REDOS: { status: 422, message: '正则表达式可能导致灾难性回溯：{pattern}' },
  SCHEMA_BAD_REGEX: { status: 422, message: '正则表达式无法解析：{pattern}' },
  SCHEMA_BAD_COMPUTE: { status: 422, message: '计算字段的表达式无效：{detail}' },
  UI_UNKNOWN_FIELD: { status: 422, message: 'UI schema 中的字段“{field}”在表单中不存在' },
  // ── rule sets ───────────────────────────────────────────────
  RULE_FORM_UNKNOWN: { status: 422, message: '规则集引用的表单“{form}”不在清单中' },
  RULE_UNKNOWN_FACT: { status: 422, message: '规则引用的事实“{fact}”既不是表单字段，也不是派生事实或参数' },
  RULE_OPERATOR_TYPE: { status: 422, message: '运算符 {operator} 不适用于{type}类型的事实“{fact}”' },
  RULE_VALUE_TYPE: { status: 422, message: '运算符 {operator} 要求的比较值应为{expected}' },
  RULE_UNKNOWN_LEVEL: { status: 422, message: '规则引用的等级“{level}”未在结果中声明' },
  RULE_MISSING_LEVEL: { status: 422, message: '等级类结果的判定规则必须指明所属等级（event.params.level）' },
  RULE_DUPLICATE_NAME: { status: 422, message: '规则名称“{name}”重复' },
  RULE_ENUM_VALUE: { status: 422, message: '比较值“{value}”不是字段“{fact}”的可选值之一' },
  DERIVED_CYCLE: { status: 422, message: '派生事实之间存在循环引用：{cycle}' },
  DERIVED_BAD_EXPR: { status: 422, message: '派生事实的表达式无效：{detail}' },
  DERIVED_SHADOWS_FIELD: { status: 422, message: '派生事实“{id}”与表单字段重名' },
  SCORE_ITEM_FACT: { status: 422, message: '评分项“{item}”的分值字段“{fact}”不是数值字段' },
  SCORE_UNKNOWN_GROUP: { status: 422, message: '评分项引用的分组“{group}”未声明' },
  COHORT_STEP_INVALID: { status: 422, message: '群体评价步骤有误：{detail}' },
  // ── cohort steps and table forms (reported by @yuanping/cohort and @yuanping/tables) ──
  COHORT_BAD_BONUS: { status: 422, message: '加分项设置有误：{detail}' },
  COHORT_BAD_CLAMP: { status: 422, message: '功效分上下限设置有误：{detail}' },
  COHORT_BAD_GRADE: { status: 422, message: '档次设置有误：{detail}' },
  COHORT_BAD_REWARD: { status: 422, message: '奖励设置有误：{detail}' },
  COHORT_BAD_SHARE: { status: 422, message: '档次比例设置有误：{detail}' },
  COHORT_BAD_WEIGHT: { status: 422, message: '权重设置有误：{detail}' },
  COHORT_COMPUTED_TOO_EARLY: { status: 422, message: '计算字段在其依赖之前使用：{detail}' },
  COHORT_DUPLICATE_GRADE: { status: 422, message: '档次重复：{detail}' },
  COHORT_DUPLICATE_ID: { status: 422, message: '标识重复：{detail}' },
  COHORT_EFFICACY_BOUNDS: { status: 422, message: '满意值与不允许值设置有误：{detail}' },
  COHORT_EFFICACY_DIRECTION: { status: 422, message: '正向/逆向指标设置有误：{detail}' },
  COHORT_NO_RANKING: { status: 422, message: '缺少排序依据：{detail}' },
  COHORT_NO_TIEBREAK: { status: 422, message: '缺少同分处理规则：{detail}' },
  COHORT_SCHEMA: { status: 422, message: '不符合群体评价步骤格式：{detail}' },
  COHORT_UNKNOWN_COMPUTED: { status: 422, message: '引用了未声明的计算字段：{detail}' },
  COHORT_UNKNOWN_FIELD: { status: 422, message: '引用的字段不存在：{detail}' },
  COHORT_UNKNOWN_OPERATOR: { status: 422, message: '表达式使用了未知的运算：{detail}' },
  COHORT_UNKNOWN_PARAM: { status: 422, message: '引用的参数不存在：{detail}' },
  COHORT_UNUSED: { status: 422, message: '声明了但未使用：{detail}' },
  COHORT_WEIGHT_SUM: { status: 422, message: '权重之和不符：{detail}' },
  TABLE_COMPUTE: { status: 422, message: '表格计算列有误：{detail}' },
  TABLE_LAYOUT: { status: 422, message: '表格版式有误：{detail}' },
  TABLE_PRECISION: { status: 422, message: '表格小数位设置有误：{detail}' },
  TABLE_TOTAL: { status: 422, message: '表格合计行设置有误：{detail}' },
  // ── fixtures ────────────────────────────────────────────────
  FIXTURE_RULESET_UNKNOWN: { status: 422, message: '样例引用的规则集“{ruleSet}”不存在' },
  FIXTURE_INPUT_INVALID: { status: 422, message: '样例输入不符合表单：{detail}' },
  FIXTURE_MISMATCH: { status: 422, message: '样例结果与期望不符：{detail}' },
  // ── evaluation & submissions ────────────────────────────────
  RULESET_NOT_FOUND: { status: 404, message: '通知包中没有规则集“{ruleSet}”' },
  FORM_NOT_FOUND: { status: 404, message: '通知包中没有表单“{form}”' },
  VALIDATION_FAILED: { status: 400, message: '提交的数据有 {count} 处错误' },
  // ── CLI ─────────────────────────────────────────────────────
  USAGE: { status: 400, message: '用法错误：{detail}' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export function formatMessage(code: ErrorCode, params: Record<string, unknown> = {}): string {
  return ERRORS[code].message.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const v = params[key];
    return v === undefined ? `{${key}}` : String(v);
  });
}

/** An error meant for a person: a code from the catalogue, its Chinese message, its status. */
export class YuanpingError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: ErrorCode, params: Record<string, unknown> = {}, details?: unknown) {
    super(formatMessage(code, params));
    this.name = 'YuanpingError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}

/** One problem found by the pack checker. */
export interface Problem {
  code: ErrorCode;
  /** file path relative to the pack root (e.g. `schemas/zj-2021/pack.json`) */
  file: string;
  /** JSON pointer into that file */
  pointer: string;
  message: string;
  severity: 'error' | 'warning';
}

export function problem(
  code: ErrorCode,
  file: string,
  pointer: string,
  params: Record<string, unknown> = {},
  severity: 'error' | 'warning' = 'error',
): Problem {
  return { code, file, pointer, message: formatMessage(code, params), severity };
}
