/**
 * The server's errors. The codes, Chinese messages and HTTP statuses live in the one
 * catalogue of @yuanping/core (packages/core/src/errors.ts); this file adds the
 * HTTP-facing error class with field errors.
 */
import { ERRORS, formatMessage as coreFormat, type ErrorCode } from '@yuanping/core';
import type { FromSchema } from 'json-schema-to-ts';
import type { CellProblem, CheckProblem, ConsistencyMismatch, OpenConfirmation, TableImportProblem } from './components.js';

export const SERVER_ERRORS = ERRORS;
export type ServerErrorCode = ErrorCode;

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/**
 * The problem `title` of each status (RFC 9457: the same for every occurrence of a problem type;
 * a code always answers with its one status, so a code's title never varies). What happened this
 * time is the `detail` (and `message`). The OpenAPI document describes each error answer with it.
 */
export const STATUS_TITLES: Record<number, string> = {
  400: '请求不符合要求',
  401: '未登录或会话已过期',
  403: '无权执行该操作',
  404: '不存在或不在本辖区',
  405: '不支持的请求方法',
  408: '请求超时',
  409: '状态或数据冲突',
  412: '版本不符',
  413: '请求体过大',
  415: '不支持的内容类型',
  422: '数据不符合要求',
  428: '缺少 If-Match',
  429: '请求过于频繁',
  499: '客户端已断开',
  500: '服务器内部错误',
  501: '功能尚不可用',
  503: '服务器繁忙或数据库不可用',
  504: '处理超时',
};

export function formatMessage(code: ServerErrorCode, params: Record<string, unknown> = {}): string {
  return coreFormat(code, params);
}

const str = { type: 'string' } as const;
const listOf = <T extends string>(name: T) => ({ type: 'array', items: { $ref: `${name}#` } }) as const;

/**
 * The `details` of every error code that carries some, one JSON Schema per code (written only
 * here). The OpenAPI document holds each as the component `Problem_<CODE>` (the problem with that
 * `code` and these `details`; contract.ts), the error answers of the code's status refer to them,
 * and the web app reads details through the generated types only (`detailsOf` in
 * apps/web/src/lib/api.ts). ApiError takes details only for these codes, typed by these schemas;
 * error-details.test.ts checks every place that throws with details against them.
 */
export const ERROR_DETAILS = {
  WINDOW_CLOSED: {
    type: 'object',
    description: '已截止的环节及其截止日期',
    additionalProperties: false,
    required: ['stage', 'closes'],
    properties: { stage: { type: 'string', description: '环节名称' }, closes: { type: 'string', description: '截止日期（YYYY-MM-DD；退回补正时为补正期限）' } },
  },
  IMPORT_INVALID: {
    type: 'array',
    description: '导入文件中每处错误：行、列、规则代码、中文原因',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['row', 'column', 'code', 'message'],
      properties: { row: { type: 'integer', description: '工作表中的行号（从 1 起）' }, column: str, code: str, message: str },
    },
  },
  WORKBOOK_INVALID: { ...listOf('CellProblem'), description: '被拒绝的单元格' },
  PACK_INVALID: { ...listOf('CheckProblem'), description: '整包检查的全部问题（错误与警告）' },
  TABLE_IMPORT_UNREADABLE: { ...listOf('TableImportProblem'), description: '读取文件时的问题' },
  TABLE_IMPORT_NO_TABLE: { ...listOf('TableImportProblem'), description: '找表时的问题（工作表、行）' },
  CONSISTENCY_MISMATCH: {
    type: 'object',
    description: '阻止提交、尚未被接受的不一致（两边的值）',
    additionalProperties: false,
    required: ['mismatches'],
    properties: { mismatches: listOf('ConsistencyMismatch') },
  },
  CONFIRMATION_INCOMPLETE: {
    type: 'object',
    description: '本级尚待确认的项',
    additionalProperties: false,
    required: ['open'],
    properties: { open: listOf('OpenConfirmation') },
  },
  COHORT_INPUT_EMPTY: {
    type: 'object',
    description: '尚未报送的下级单位',
    additionalProperties: false,
    required: ['pending'],
    properties: {
      pending: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'name', 'status'],
          properties: { code: { type: 'string', description: '单位代码' }, name: { type: 'string', description: '单位名称' }, status: { type: 'string', description: '汇总表状态' } },
        },
      },
    },
  },
} as const satisfies Partial<Record<ServerErrorCode, object>>;

/** The codes whose errors carry details. */
export type DetailCode = keyof typeof ERROR_DETAILS;
type DetailRefs = [typeof CellProblem, typeof CheckProblem, typeof ConsistencyMismatch, typeof OpenConfirmation, typeof TableImportProblem];
/** A schema's type without the index signature of its open objects (a component's extra members are allowed, not typed). */
type Closed<T> = T extends readonly (infer U)[] ? Closed<U>[] : T extends object ? { [K in keyof T as string extends K ? never : K]: Closed<T[K]> } : T;
/** The details of a code, typed from its schema (never for a code without details). */
export type ErrorDetails<C extends ServerErrorCode> = C extends DetailCode ? Closed<FromSchema<(typeof ERROR_DETAILS)[C], { references: DetailRefs }>> : never;

/** An error for a person: catalogue code, Chinese message, HTTP status, optional field errors and, for the codes of ERROR_DETAILS, details. */
export class ApiError<C extends ServerErrorCode = ServerErrorCode> extends Error {
  readonly code: C;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly details: unknown;
  constructor(code: C, params: Record<string, unknown> = {}, extra: { errors?: FieldError[]; details?: ErrorDetails<C> } = {}) {
    super(formatMessage(code, params));
    this.name = 'ApiError';
    this.code = code;
    this.status = SERVER_ERRORS[code].status;
    this.errors = extra.errors;
    this.details = extra.details;
  }
  toJSON(): Record<string, unknown> {
    // RFC 9457 problem details; `code` (the catalogue's) and `message` are extension members
    return {
      type: `urn:yuanping:error:${this.code}`,
      title: STATUS_TITLES[this.status] ?? '请求失败',
      status: this.status,
      detail: this.message,
      code: this.code,
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}
