import { describe, expect, it } from 'vitest';
import { ERRORS, formatMessage, problem, YuanpingError, type ErrorCode } from './errors.js';

describe('error catalogue', () => {
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    it(`${code} has a Chinese message and an HTTP status`, () => {
      const e = new YuanpingError(code, {});
      expect(e.code).toBe(code);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.status).toBeLessThan(600);
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
      expect(problem(code, 'f.json', '/x').code).toBe(code);
    });
  }
  it('CONFIRMATION_INCOMPLETE (a review action waiting for the confirmation of ticked items) is a 409 naming the count, the level and the action', () => {
    const e = new YuanpingError('CONFIRMATION_INCOMPLETE', { count: 3, disputed: 1, level: '县级审核人', action: '审核通过' });
    expect(e.status).toBe(409);
    expect(e.message).not.toMatch(/\{\w+\}/);
    for (const part of ['3', '1', '县级审核人', '审核通过']) expect(e.message).toContain(part);
  });
  it('fills placeholders and keeps unknown ones visible', () => {
    expect(formatMessage('PACK_NOT_FOUND', { pack: 'abc' })).toContain('abc');
    expect(formatMessage('PACK_NOT_FOUND', {})).toContain('{pack}');
  });
});
