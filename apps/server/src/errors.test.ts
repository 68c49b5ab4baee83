import { describe, expect, it } from 'vitest';
import { ApiError, SERVER_ERRORS, formatMessage, type ServerErrorCode } from './errors.js';
import { toApiError } from './http.js';
import { creditCodeCheckChar, isValidCreditCode, isValidMobile } from './ids.js';

describe('error catalogue', () => {
  const codes = Object.keys(SERVER_ERRORS) as ServerErrorCode[];
  it.each(codes)('%s has a Chinese message and an HTTP status', (code) => {
    const e = new ApiError(code, {});
    expect(e.code).toBe(code);
    expect(e.status).toBe(SERVER_ERRORS[code].status);
    expect(e.status).toBeGreaterThanOrEqual(400);
    expect(e.status).toBeLessThan(600);
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(e.toJSON()).toMatchObject({ code, message: e.message });
  });
  it('fills placeholders', () => {
    expect(formatMessage('WINDOW_CLOSED', { stage: '填报', closes: '2021-08-25' })).toBe('“填报”已截止，截止日期为 2021-08-25');
  });
  it('maps framework and database errors', () => {
    expect(toApiError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' })).status).toBe(413);
    expect(toApiError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).code).toBe('DB_UNAVAILABLE');
    expect(toApiError(Object.assign(new Error('x'), { code: '57P01' })).code).toBe('DB_UNAVAILABLE');
    expect(toApiError(new Error('Connection terminated unexpectedly')).code).toBe('DB_UNAVAILABLE');
    expect(toApiError(new Error('timeout exceeded when trying to connect')).code).toBe('DB_UNAVAILABLE');
    expect(toApiError(new Error('boom')).code).toBe('INTERNAL');
    expect(toApiError(new SyntaxError('x')).code).toBe('BAD_JSON');
  });
});

describe('identifiers', () => {
  it('checks 统一社会信用代码 by GB 32100-2015', () => {
    const base = '91350100M000100Y4';
    const good = base + creditCodeCheckChar(base);
    expect(isValidCreditCode(good)).toBe(true);
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode(good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A'))).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100I000100Y43')).toBe(false); // I is not in the alphabet
    expect(isValidCreditCode('91350100m000100y43')).toBe(false);
  });
  it('checks mobile numbers', () => {
    expect(isValidMobile('13812345678')).toBe(true);
    expect(isValidMobile('19912345678')).toBe(true);
    expect(isValidMobile('12812345678')).toBe(false);
    expect(isValidMobile('1381234567')).toBe(false);
    expect(isValidMobile('+8613812345678')).toBe(false);
  });
});
