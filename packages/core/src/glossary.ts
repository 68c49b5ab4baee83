/**
 * The words users read for the runtime's own roles, levels, actions and statuses: one glossary,
 * used by the web app and the server alike (a stage's own name, e.g. `县级审核`, comes from its
 * pack). A code never reaches a user: `roleName` and friends fall back to a neutral Chinese word.
 */

/** A person's role, as the header, the timeline and every message name it. */
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  applicant: '申报单位',
  county: '县级审核人',
  city: '市级审核人',
  province: '省级审核人',
  admin: '管理员',
};

/** The level of the org tree a role acts for, and who fills a table of that scope. */
export const LEVEL_NAMES: Readonly<Record<string, string>> = {
  applicant: '申报单位',
  park: '园区',
  county: '县级',
  city: '市级',
  province: '省级',
  admin: '管理员',
};

/** What a person did to a submission. */
export const ACTION_NAMES: Readonly<Record<string, string>> = {
  create: '新建',
  save: '保存',
  submit: '提交申报',
  withdraw: '撤回',
  upload: '上传附件',
  pass: '审核通过',
  return: '退回修改',
  recommend: '推荐',
  reject: '不予通过',
  approve: '评定通过',
  rescore: '重新评分',
};

/** Where a submission stands. */
export const STATUS_NAMES: Readonly<Record<string, string>> = {
  draft: '草稿',
  submitted: '已提交，待县级审核',
  county_passed: '县级审核通过，待市级审核推荐',
  city_recommended: '市级已推荐，待省级评定',
  not_recommended: '市级未予推荐',
  approved: '省级评定通过',
  rejected: '省级评定未通过',
  returned: '已退回修改',
};

/** What kind of form a form is (a pack's `kind`). */
export const FORM_KIND_NAMES: Readonly<Record<string, string>> = {
  record: '申请表',
  table: '汇总表',
  scorecard: '评分表',
  outline: '申报材料',
};

export const roleName = (role: string | null | undefined): string => (role ? ROLE_NAMES[role] : undefined) ?? '用户';
export const levelName = (level: string | null | undefined): string => (level ? LEVEL_NAMES[level] : undefined) ?? '其他';
export const actionName = (action: string | null | undefined): string => (action ? ACTION_NAMES[action] : undefined) ?? '操作';
export const statusName = (status: string | null | undefined): string => (status ? STATUS_NAMES[status] : undefined) ?? '未知状态';
export const formKindName = (kind: string | null | undefined): string => (kind ? FORM_KIND_NAMES[kind] : undefined) ?? '表单';
