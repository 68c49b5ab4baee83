import type { FastifySchemaValidationError as ErrorObject } from 'fastify';
import type { FastifyError, FastifyRequest } from 'fastify';
import { pointerTokens } from '@yuanping/core';
import { ApiError, type FieldError } from './errors.js';
import { formatBytes } from './gate.js';

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数值',
  integer: '整数',
  boolean: '布尔值（是/否）',
  object: '对象',
  array: '数组',
  null: '空值',
};

function dotted(pointer: string): string {
  return pointerTokens(pointer).join('.');
}

/** Chinese message and dotted field path for one ajv error of a route schema. */
export function fieldErrorOf(e: ErrorObject): FieldError {
  const p = e.params as Record<string, unknown>;
  let path = dotted(e.instancePath);
  let message: string;
  switch (e.keyword) {
    case 'required':
      path = path ? `${path}.${String(p.missingProperty)}` : String(p.missingProperty);
      message = '必填';
      break;
    case 'additionalProperties':
      path = path ? `${path}.${String(p.additionalProperty)}` : String(p.additionalProperty);
      message = '不允许的字段';
      break;
    case 'type': {
      const t = Array.isArray(p.type) ? (p.type as string[]) : [String(p.type)];
      message = `应为${t.map((x) => TYPE_NAMES[x] ?? x).join('或')}`;
      break;
    }
    case 'enum':
      message = `应为以下值之一：${((p.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join('、')}`;
      break;
    case 'const':
      message = `应为 ${JSON.stringify(p.allowedValue)}`;
      break;
    case 'minLength':
      message = `长度不能少于 ${String(p.limit)} 个字符`;
      break;
    case 'maxLength':
      message = `长度不能超过 ${String(p.limit)} 个字符`;
      break;
    case 'minimum':
      message = `不能小于 ${String(p.limit)}`;
      break;
    case 'maximum':
      message = `不能大于 ${String(p.limit)}`;
      break;
    case 'minItems':
      message = `至少 ${String(p.limit)} 项`;
      break;
    case 'maxItems':
      message = `最多 ${String(p.limit)} 项`;
      break;
    case 'pattern':
      message = '格式不正确';
      break;
    case 'format':
      message = `格式应为 ${String(p.format)}`;
      break;
    default:
      message = '不符合要求';
  }
  return { path, code: e.keyword, message };
}

function tooLarge(req: FastifyRequest | undefined): ApiError {
  const limit = req?.routeOptions.bodyLimit;
  return new ApiError('PAYLOAD_TOO_LARGE', { limit: typeof limit === 'number' ? formatBytes(limit) : '本接口的上限' });
}

/** Maps any error to the JSON body and status the API sends. */
export function toApiError(err: unknown, req?: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError & { validation?: ErrorObject[]; validationContext?: string };
  if (fe && Array.isArray(fe.validation)) {
    const errors = fe.validation.map(fieldErrorOf);
    return new ApiError('BAD_REQUEST', { count: errors.length }, { errors });
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return tooLarge(req);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', { type: String(req?.headers['content-type'] ?? '').trim() || '（未声明）' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('BAD_JSON');
    case 'FST_ERR_HANDLER_TIMEOUT':
      return new ApiError('REQUEST_TIMEOUT');
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case '57P01':
    case '57P02':
    case '57P03':
    case '08006':
    case '08001':
    case '08003':
      return new ApiError('DB_UNAVAILABLE');
  }
  if (err instanceof SyntaxError) return new ApiError('BAD_JSON');
  // PostgreSQL class 22 (data exception): NUL in text, out-of-range numbers, …
  if (fe && typeof fe.code === 'string' && /^22[0-9A-Z]{3}$/.test(fe.code)) return new ApiError('UNSTORABLE_DATA');
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode === 413) return tooLarge(req);
  if (fe && typeof fe.message === 'string' && /Connection terminated|connect ECONNREFUSED|terminating connection|timeout exceeded when trying to connect/.test(fe.message)) {
    return new ApiError('DB_UNAVAILABLE');
  }
  return new ApiError('INTERNAL');
}

/** Whether the client asked for a minimal representation (`Prefer: return=minimal`, RFC 7240). */
export function prefersMinimal(req: FastifyRequest): boolean {
  const h = req.headers.prefer;
  return typeof h === 'string' && /(^|[,;\s])return=minimal(\s*($|[,;]))/i.test(h);
}

/** The route schema of an `:id` path parameter (a submission, park, attachment, cohort run …). */
export const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
