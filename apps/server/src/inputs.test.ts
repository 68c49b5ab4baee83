import { beforeAll, describe, expect, it } from 'vitest';
import { VALID_DATA } from './testing/harness.js';
import { TEST_PACK_ID, testPackFiles } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';

describe('inputs: reasons, re-score ceilings, deep documents', () => {
  let subId: string;
  const srv = serverFor({}, { applicant: 'applicant-hz', county: 'county-xihu', admin: 'admin' });
  beforeAll(async () => {
    const sub = (await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string };
    subId = sub.id;
    expect((await srv.applicant.post(`/api/submissions/${subId}/submit`)).statusCode).toBe(200);
  });

  it('a re-score reason of " " or a zero-width space is refused; a real one is stored trimmed', async () => {
    for (const reason of [' ', '\u200B', ' \u3000\u200B\uFEFF ']) {
      const r = await srv.county.post(`/api/submissions/${subId}/scores`, { item: 'score', score: 6, reason });
      expect(r.statusCode, JSON.stringify(reason)).toBe(400);
      expect(r.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ path: 'reason', code: 'required' }] });
    }
    const ok = await srv.county.post(`/api/submissions/${subId}/scores`, { item: 'score', score: 6, reason: '  佐证材料不足\u200B ' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ reason: '佐证材料不足' });
  });

  it('a return comment must contain visible characters', async () => {
    const r = await srv.county.post(`/api/submissions/${subId}/review`, { action: 'return', comment: '\u200B\u200B' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ errors: [{ path: 'comment', code: 'required' }] });
  });

  it('a numeric field without a maximum cannot be re-scored (not even to 1e308)', async () => {
    // firms: integer, minimum 0, no maximum (fixture pack)
    const r = await srv.county.post(`/api/submissions/${subId}/scores`, { item: 'firms', score: 1e308, reason: '核减' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ errors: [{ path: 'item', code: 'maximum' }] });
  });

  it('a pack 10,000 levels deep is a 400 before anything walks it', async () => {
    const deep = '{"type":"object","properties":{"a":'.repeat(10_000) + '{"type":"string"}' + '}}'.repeat(10_000);
    const files = { ...testPackFiles(), [`schemas/${TEST_PACK_ID}/forms/app.schema.json`]: '__DEEP__' };
    const body = JSON.stringify({ id: TEST_PACK_ID, files }).replace('"__DEEP__"', deep);
    const r = await srv.admin.req('POST', '/api/packs/check', body);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'BODY_TOO_DEEP', message: '内容嵌套过深（超过 64 层），未处理' });
    // the same document sent as file texts
    const texts = Object.fromEntries(Object.entries(testPackFiles()).map(([k, v]) => [k, JSON.stringify(v)]));
    texts[`schemas/${TEST_PACK_ID}/forms/app.schema.json`] = deep;
    const t = await srv.admin.post('/api/packs/check', { id: TEST_PACK_ID, texts });
    expect(t.json()).toMatchObject({ code: 'BODY_TOO_DEEP' });
  });
});
