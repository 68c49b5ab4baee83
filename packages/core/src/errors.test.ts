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
  it('fills placeholders and keeps unknown ones visible', () => {
    expect(formatMessage('PACK_NOT_FOUND', { pack: 'abc' })).toContain('abc');
    expect(formatMessage('PACK_NOT_FOUND', {})).toContain('{pack}');
  });
});
