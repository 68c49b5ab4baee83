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
      title: this.message,
      status: this.status,
      code: this.code,
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}
