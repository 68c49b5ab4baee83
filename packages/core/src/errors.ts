/**
 * The one catalogue of error codes. Each code has a Chinese message template and an
 * HTTP status. Messages take `{name}` placeholders filled from the params object.
 * Tests assert codes, never message strings.
 */
export const ERRORS = {
  // ── pack files ──────────────────────────────────────────────
  PACK_NOT_FOUND: { status: 404, message: '找不到通知包“{pack}”' },
  PACK_FILE_MISSING: { status: 422, message: '通知包缺少文件 {file}' },
  PACK_JSON_SYNTAX: { status: 422, message: '文件不是合法的 JSON：第 {line} 行第 {column} 列，{detail}。请改正后再检查（此文件的其余内容暂未检查）' },
  PACK_DUPLICATE_KEY: { status: 422, message: '“{key}”在同一处写了两次（第 {firstLine} 行和第 {line} 行），后写的会覆盖先写的：请删去或改名其中一个' },
  PACK_META_SCHEMA: { status: 422, message: '不符合{format}格式：{detail}' },
  PACK_ID_MISMATCH: { status: 422, message: '清单中的 id“{id}”与目录名“{dir}”不一致' },
  PACK_DUPLICATE_ID: { status: 422, message: '标识“{id}”重复出现' },
  PACK_DATE_OUTSIDE_YEAR: { status: 422, message: '{what}“{date}”不在通知包的年度（{year} 年）内：是否忘了改成今年的日期？' },
  PACK_DATE_BEFORE_ISSUE: { status: 422, message: '{what}“{date}”早于发文日期 {issue}：是否忘了改成今年的日期？' },
  DASHBOARD_INDICATOR_DUPLICATE: { status: 422, message: '看板指标标识“{id}”重复' },
  DASHBOARD_INDICATOR_FORM: { status: 422, message: '看板指标“{indicator}”所在的表单“{form}”不存在，或不是园区填报的表单' },
  DASHBOARD_INDICATOR_FIELD: { status: 422, message: '看板指标“{indicator}”引用的“{form}.{field}”不是该表单的数值字段' },
  PACK_WINDOW_INVERTED: { status: 422, message: '“{stage}”的截止日期 {closes} 早于开始日期 {opens}' },
  PACK_DATE_ORDER: { status: 422, message: '{what}（{date}）早于排在它前面的{before}（{beforeDate}）：日期应按通知中的先后顺序' },
  PARAM_PLACEHOLDER: { status: 422, message: '参数“{label}”（{name}）须由管理员设定，目前仍是占位值 {value}：设定后在该参数中写明 confirmed（设定日期、依据）' },
  ORG_UNIT_UNKNOWN: { status: 422, message: '“{ref}”不是区划文件中的{level}（请写单位代码，如 330100）' },
  ORG_UNIT_BY_NAME: { status: 422, message: '“{ref}”是单位名称，这里应写单位代码 {code}' },
  ORG_UNIT_LEVEL: { status: 422, message: '“{ref}”（{name}）不是{level}一级的单位' },
  PACK_SUCCEEDS_UNKNOWN: { status: 422, message: '继承的通知包“{pack}”不存在' },
  // ── form schemas (admin-written schemas are code) ───────────
  SCHEMA_STRICT: { status: 422, message: '表单 JSON Schema 不能通过严格模式编译：{detail}' },
  SCHEMA_UNSAFE_DATA: { status: 422, message: '不允许使用 $data 引用（表单只能使用安全子集）' },
  SCHEMA_REMOTE_REF: { status: 422, message: '不允许引用外部 Schema：{ref}' },
  SCHEMA_PATTERN_NO_MAXLENGTH: { status: 422, message: '使用 pattern 的字段必须同时给出 maxLength' },
  SCHEMA_REDOS: { status: 422, message: '正则表达式可能导致灾难性回溯：{pattern}' },
  SCHEMA_BAD_REGEX: { status: 422, message: '正则表达式无法解析：{pattern}' },
  SCHEMA_BAD_COMPUTE: { status: 422, message: '计算字段的表达式无效：{detail}' },
  SCHEMA_PAGES_OF_UNKNOWN: { status: 422, message: '页码字段的 x-pages-of 所指“{ref}”不是本通知包中的表单或字段（写作“表单标识”或“表单标识.字段路径”）' },
  MANIFEST_CORRECTION_BEFORE_CLOSE: { status: 422, message: '补正期限 {correction} 早于申报截止日期 {closes}' },
  WORKFLOW_PATH_UNKNOWN_STAGE: { status: 422, message: '审核路径“{path}”中的环节“{stage}”不在 workflow.stages 中' },
  WORKFLOW_PATH_UNKNOWN_FIELD: { status: 422, message: '审核路径“{path}”的条件字段“{field}”不在表单“{form}”中' },
  WORKFLOW_PATH_VALUE: { status: 422, message: '审核路径“{path}”的取值 {value} 不是字段“{field}”的选项（可选：{options}）' },
  WORKFLOW_PATH_OVERLAP: { status: 422, message: '取值 {value} 同时属于审核路径“{path}”和“{other}”：一份申报只能走一条路径' },
  WORKFLOW_PATH_ORDER: { status: 422, message: '审核路径“{path}”的环节次序不对：“{stage}”（{role}）不能排在“{before}”（{beforeRole}）之后。应为申报单位填报在先，审核按县级 → 市级 → 省级、每级至多一个环节' },
  WORKFLOW_PATH_NO_REVIEWER: { status: 422, message: '审核路径“{path}”没有县级、市级或省级审核环节：申报提交后无人评定' },
  WORKFLOW_PATH_FILED_WITH: { status: 422, message: '审核路径“{path}”由{decider}评定，评定结果只能报备更高一级，不能报备{filedWith}' },
  FORM_FIELD_NO_TITLE: { status: 422, message: '字段“{field}”没有中文标题（title）：填报人会看到这个英文键名，错误提示也会用它' },
  FORM_DUPLICATE_OPTION: { status: 422, message: '选项“{value}”在同一字段中写了两次' },
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
  SCORE_ITEM_NO_MAXIMUM: { status: 422, message: '评分项“{item}”的分值字段“{fact}”没有上限（maximum）：审核人重新评分时须有上限，请在表单中写明该项满分' },
  SCORE_DUPLICATE_ITEM: { status: 422, message: '评分项“{item}”与第 {first} 项重复' },
  SCORE_UNKNOWN_GROUP: { status: 422, message: '评分项引用的分组“{group}”未声明' },
  SCORECARD_MAXIMA_SUM: { status: 422, message: '分组“{group}”写明满分 {max} 分，但组内各评分项满分之和为 {sum} 分：请核对各项满分或分组满分' },
  SCORECARD_NO_SELF_COLUMN: { status: 422, message: '评分表的栏目（x-scorecard.columns）中没有自评分栏：请在分值栏写 "x-score": "self"' },
  SCORECARD_COPY_DISAGREES: { status: 422, message: '评分项“{item}”此处写的满分 {written} 与该项满分 {max}（x-score.max）不一致：满分只需在 x-score.max 写一次' },
  SCORECARD_UNKNOWN: { status: 422, message: '找不到评分表“{field}”：应为本表单中写有 x-scorecard 的字段' },
  PARAM_UNKNOWN: { status: 422, message: '引用的参数“{name}”未在清单 parameters 中声明' },
  QUOTA_UNKNOWN: { status: 422, message: '引用的名额“{name}”未在清单 quotas 中声明' },
  COHORT_STEP_INVALID: { status: 422, message: '群体评价步骤有误：{detail}' },
  // ── cohort steps and table forms (reported by @yuanping/cohort and @yuanping/tables) ──
  COHORT_BAD_BONUS: { status: 422, message: '加分项设置有误：{detail}' },
  COHORT_BAD_CLAMP: { status: 422, message: '功效分上下限设置有误：{detail}' },
  COHORT_BAD_GRADE: { status: 422, message: '档次设置有误：{detail}' },
  COHORT_BAD_REWARD: { status: 422, message: '奖励设置有误：{detail}' },
  COHORT_BAD_SHARE: { status: 422, message: '档次比例设置有误：{detail}' },
  COHORT_BAD_LINE: { status: 422, message: '分数线设置有误：{detail}' },
  COHORT_BAD_WEIGHT: { status: 422, message: '权重设置有误：{detail}' },
  COHORT_COMPUTED_TOO_EARLY: { status: 422, message: '计算字段在其依赖之前使用：{detail}' },
  COHORT_DUPLICATE_GRADE: { status: 422, message: '档次重复：{detail}' },
  COHORT_DUPLICATE_ID: { status: 422, message: '标识重复：{detail}' },
  COHORT_EFFICACY_BOUNDS: { status: 422, message: '满意值与不允许值设置有误：{detail}' },
  COHORT_EFFICACY_DIRECTION: { status: 422, message: '正向/逆向指标设置有误：{detail}' },
  COHORT_NO_RANKING: { status: 422, message: '缺少排序依据：{detail}' },
  COHORT_NO_TIEBREAK: { status: 422, message: '缺少同分处理规则：{detail}' },
  COHORT_NO_TITLE: { status: 422, message: '缺少中文名：{detail}' },
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
  TABLE_PREFILL: { status: 422, message: '表格的“从园区申报带入”设置有误：{detail}' },
  // ── pack workbook (xlsx round trip: packages/workbook) ─────────
  WORKBOOK_UNREADABLE: { status: 422, message: '上传的文件不是可读取的 xlsx 工作簿：{detail}' },
  WORKBOOK_OTHER_PACK: { status: 422, message: '这份工作簿导出自通知包“{found}”，不是“{pack}”：请下载本通知包的工作簿再修改' },
  WORKBOOK_SHEET_MISSING: { status: 422, message: '工作簿缺少工作表“{sheet}”：请不要删除或改名工作表' },
  WORKBOOK_HEADER: { status: 422, message: '工作表“{sheet}”{cell} 单元格：表头应为“{expected}”，实际为“{actual}”。请不要改动、插入或删除列' },
  WORKBOOK_CELL_TYPE: { status: 422, message: '工作表“{sheet}”{cell} 单元格（第 {row} 行“{column}”列）：应填{expected}，实际为“{value}”' },
  WORKBOOK_CELL_EMPTY: { status: 422, message: '工作表“{sheet}”{cell} 单元格（第 {row} 行“{column}”列）：不能为空' },
  WORKBOOK_CELL_READONLY: { status: 422, message: '工作表“{sheet}”{cell} 单元格（第 {row} 行“{column}”列）：此列只读，原为“{before}”，不能改为“{value}”{hint}' },
  WORKBOOK_ROW_UNKNOWN: { status: 422, message: '工作表“{sheet}”第 {row} 行：“{key}”不是本通知包中已有的一项。这张表不能新增行（参数、名额的单列单位、评分项、判定标准的条件、选项可以新增），请在网页编辑器中进行' },
  WORKBOOK_ROW_MISSING: { status: 422, message: '工作表“{sheet}”少了“{key}”这一行：这张表不能删除行（评分项、名额的单列单位可以删除），请在网页编辑器中进行' },
  WORKBOOK_ROW_NEW_INVALID: { status: 422, message: '工作表“{sheet}”第 {row} 行：新增的“{key}”不能加入：{reason}' },
  WORKBOOK_NEW_CELL_INVALID: { status: 422, message: '工作表“{sheet}”{cell} 单元格（第 {row} 行“{column}”列）：新增的一行不能加入：{reason}' },
  WORKBOOK_ROW_DUPLICATE: { status: 422, message: '工作表“{sheet}”第 {row} 行：“{key}”与第 {first} 行重复' },
  WORKBOOK_INVALID: { status: 422, message: '工作簿有 {count} 处错误，没有应用任何修改' },
  // ── fixtures ────────────────────────────────────────────────
  FIXTURE_RULESET_UNKNOWN: { status: 422, message: '样例引用的规则集“{ruleSet}”不存在' },
  FIXTURE_INPUT_INVALID: { status: 422, message: '样例输入不符合表单：{detail}' },
  FIXTURE_STEP_UNKNOWN: { status: 422, message: '样例引用的群体评价步骤“{step}”不在清单中' },
  FIXTURE_RECORDS_UNKNOWN: { status: 422, message: '样例的记录来源“{form}.{path}”不是本通知包中表格的列表字段' },
  FIXTURE_MISMATCH: { status: 422, message: '样例结果与期望不符：{detail}' },
  FIXTURE_NEEDS_REVIEW: { status: 422, message: '样例待复核（{note}）：{detail}' },
  FIXTURE_NOT_ACCEPTABLE: { status: 422, message: '样例“{title}”不能接受新结果：{reason}' },
  // ── evaluation & submissions ────────────────────────────────
  RULESET_NOT_FOUND: { status: 404, message: '通知包中没有规则集“{ruleSet}”' },
  FORM_NOT_FOUND: { status: 404, message: '通知包中没有表单“{form}”' },
  VALIDATION_FAILED: { status: 400, message: '提交的数据有 {count} 处错误' },
  // ── server: accounts, requests, workflow, files ─────────────
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  INVALID_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  ACCOUNT_DISABLED: { status: 403, message: '该账户已停用，请联系管理员' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: '管理员为您设置了临时密码，请先设置新密码再继续' },
  PASSWORD_WRONG: { status: 400, message: '当前密码不正确' },
  PASSWORD_WEAK: { status: 400, message: '新密码至少 8 位，且不能与当前密码相同' },
  IMPORT_REQUIRED: { status: 422, message: '“{column}”不能为空' },
  IMPORT_USERNAME_INVALID: { status: 422, message: '用户名“{username}”只能用字母、数字和 _ . @ -，2–100 个字符' },
  IMPORT_ROLE_UNKNOWN: { status: 422, message: '角色“{role}”不是申报单位、县级审核、市级审核、省级评定、管理员之一' },
  IMPORT_INVALID: { status: 422, message: '导入的文件有 {count} 处错误，没有导入任何一行：请按所列的行、列改正后重新上传' },
  RATE_LIMITED: { status: 429, message: '尝试过于频繁，请 {seconds} 秒后再试' },
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
  BODY_TOO_DEEP: { status: 400, message: '内容嵌套过深（超过 {max} 层），未处理' },
  PRECONDITION_REQUIRED: { status: 428, message: '保存草稿须在 If-Match 头中带上当前版本（ETag）' },
  PRECONDITION_FAILED: { status: 412, message: '数据已被他人修改（当前版本 {current}），请刷新后再保存' },
  INVALID_STATE: { status: 409, message: '当前状态“{status}”下不能{action}' },
  WINDOW_NOT_OPEN: { status: 409, message: '“{stage}”尚未开始，开始日期为 {opens}' },
  WINDOW_CLOSED: { status: 409, message: '“{stage}”已截止，截止日期为 {closes}' },
  WITHDRAW_AFTER_DEADLINE: { status: 409, message: '“{stage}”已于 {closes} 截止：撤回后将不能重新提交，因此不能撤回。如需修改，请联系县级审核人退回（退回的申报可在补正期限内修改并重新提交）' },
  QUOTA_EXCEEDED: { status: 409, message: '“{quota}”名额已满（{org}上限 {limit} 个）' },
  QUOTA_NOT_DECLARED: { status: 409, message: '通知包未声明可用于推荐的名额' },
  CONSISTENCY_MISMATCH: { status: 409, message: '有 {count} 项数据与{source}不一致，须修改或由审核人填写理由后接受' },
  CONSISTENCY_NOTHING_TO_ACCEPT: { status: 409, message: '没有需要接受的跨表不一致项' },
  CONFIRMATION_INCOMPLETE: { status: 409, message: '申报单位勾选的内容还有 {count} 项未经{level}确认（其中有异议 {disputed} 项），逐项确认后才能{action}' },
  COHORT_INPUT_EMPTY: { status: 409, message: '没有可分档的记录：{units}' },
  JOB_ALREADY_ENDED: { status: 409, message: '任务已经结束（{status}），不能再取消' },
  JOB_INTERRUPTED: { status: 500, message: '任务在运行中被中断（运行它的服务进程已停止），结果未保存，请重新运行' },
  JOB_FAILED: { status: 500, message: '任务运行出错，结果未保存：{detail}' },
  JOB_NO_RESULT: { status: 409, message: '这个任务没有可下载的结果：{why}' },
  RESULTS_PERIOD_INVALID: { status: 422, message: '公示期的结束日期 {endsOn} 早于开始日期 {startsOn}' },
  RESULTS_NOTHING_DECIDED: { status: 409, message: '《{pack}》还没有评定通过的申报，没有可公示的结果' },
  RESULTS_ALREADY_WITHDRAWN: { status: 409, message: '这份公示已经撤回' },
  REMIND_NOTHING: { status: 409, message: '所选单位都已报送，没有需要催报的单位' },
  REMIND_TOO_SOON: { status: 429, message: '所选单位在 {hours} 小时内都已催报过，请稍后再催' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: '该幂等键（Idempotency-Key）已用于另一项操作' },
  IDEMPOTENCY_KEY_MISMATCH: { status: 422, message: '该幂等键（Idempotency-Key）已用于内容不同的请求：重试须发送相同的内容，新的请求请换用新的幂等键' },
  IDEMPOTENCY_REPLAY_STALE: { status: 409, message: '该幂等键的请求先前已执行，但申报此后已有变化（当前状态“{status}”），请刷新后再操作' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: '相同幂等键的请求正在处理，请稍后重试' },
  PACK_INVALID: { status: 422, message: '通知包检查未通过，共 {count} 个错误，未发布' },
  PACK_NOT_PUBLISHED: { status: 404, message: '通知包“{pack}”尚未发布' },
  NO_APPLICANT_FORMS: { status: 409, message: '通知包“{pack}”没有由园区填报的表单' },
  EVALUATION_FAILED: { status: 422, message: '评价计算失败：{detail}' },
  CREDIT_CODE_INVALID: { status: 400, message: '统一社会信用代码“{code}”不符合 GB 32100-2015（长度、字符或校验位错误）' },
  MOBILE_INVALID: { status: 400, message: '手机号码“{mobile}”格式不正确' },
  ORG_UNIT_INVALID: { status: 400, message: '组织单位“{code}”不存在或层级不符' },
  DUPLICATE: { status: 409, message: '{what}已存在' },
  FILE_FIELD_UNKNOWN: { status: 400, message: '表单中没有附件字段“{field}”' },
  FILE_TYPE_REFUSED: { status: 415, message: '文件类型不符合要求：允许 {accept}，实际为 {actual}' },
  FILE_TOO_LARGE: { status: 413, message: '文件大小 {size} 超过上限 {max}' },
  FILE_TOO_LONG: { status: 413, message: '视频时长 {duration} 秒超过上限 {max} 秒' },
  FILE_DURATION_UNKNOWN: { status: 415, message: '无法读取视频时长，不能确认不超过 {max} 秒：请转换为常见的 MP4 或 AVI 格式后再上传' },
  TABLE_NOT_TABLE: { status: 400, message: '表单“{form}”不是由{level}填报的汇总表' },
  TABLE_IMPORT_UNREADABLE: { status: 422, message: '文件“{name}”无法读取：{detail}。请上传 xlsx 工作簿或 CSV 文件' },
  TABLE_IMPORT_NO_TABLE: { status: 422, message: '文件“{name}”中没有找到这张表：{reason}' },
  TABLE_NO_PREFILL: { status: 400, message: '表单“{form}”没有声明从园区申报带入的列' },
  COHORT_UNAVAILABLE: { status: 501, message: '群体评价模块尚不可用' },
  REQUEST_TIMEOUT: { status: 503, message: '请求处理超时，请稍后重试' },
  DB_UNAVAILABLE: { status: 503, message: '数据库暂时不可用，请稍后重试' },
  OVERLOADED: { status: 503, message: '服务器繁忙（{work}排队已满），请 {seconds} 秒后重试' },
  CLIENT_GONE: { status: 499, message: '客户端已断开，请求未处理' },
  INTERNAL: { status: 500, message: '服务器内部错误，请稍后重试' },
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
  /** file path relative to the pack root (e.g. `schemas/<pack>/pack.json`) */
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
