/**
 * The server's errors. The codes, Chinese messages and HTTP statuses live in the one
 * catalogue of @yuanping/core (packages/core/src/errors.ts); this file adds the
 * HTTP-facing error class with field errors.
 */
import { ERRORS, formatMessage as coreFormat, type ErrorCode } from '@yuanping/core';

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
