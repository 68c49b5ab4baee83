import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VALID_DATA } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';

/** Arbitrary JSON bodies on every write route: never a 5xx, never a change from an invalid body. */
describe('fuzzed bodies', () => {
  let draftId: string;
  let submittedId: string;
  const srv = serverFor({}, { applicant: 'applicant-hz', county: 'county-xihu', admin: 'admin' });
  beforeAll(async () => {
    draftId = ((await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
    submittedId = ((await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
    await srv.applicant.post(`/api/submissions/${submittedId}/submit`);
  });

  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({ packId: fc.oneof(fc.constant(TEST_PACK_ID), fc.string()), formId: fc.oneof(fc.constant('app'), fc.string()), data: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }),
    fc.record({ data: fc.dictionary(fc.constantFrom('name', 'firms', 'score', 'license', 'x'), fc.jsonValue({ maxDepth: 2 })) }),
    fc.record({ action: fc.constantFrom('recommend', 'approve', 'x') /* never valid for a county */, comment: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
    fc.record({ item: fc.string(), score: fc.jsonValue({ maxDepth: 1 }), reason: fc.string() }, { requiredKeys: [] }),
    fc.record({ rows: fc.array(fc.dictionary(fc.constantFrom('park', 'area', 'y'), fc.jsonValue({ maxDepth: 1 })), { maxLength: 3 }) }),
  );

  it('no 5xx on any write route', async () => {
    const routes: Array<(b: unknown) => Promise<{ statusCode: number }>> = [
      (b) => srv.applicant.post('/api/submissions', b),
      (b) => srv.applicant.put(`/api/submissions/${draftId}`, b, { 'if-match': '"999"' }),
      (b) => srv.county.post(`/api/submissions/${submittedId}/review`, b),
      (b) => srv.county.post(`/api/submissions/${submittedId}/scores`, b),
      (b) => srv.county.put(`/api/tables/${TEST_PACK_ID}/sum`, b, { 'if-match': '"999"' }),
      (b) => srv.admin.post('/api/parks', b),
      (b) => srv.admin.post('/api/users', b),
      (b) => srv.admin.post('/api/packs/check', b),
      (b) => srv.applicant.post(`/api/packs/${TEST_PACK_ID}/evaluate`, b),
      (b) => srv.h.anon().post('/api/auth/login', b),
    ];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: routes.length - 1 }), body, async (i, b) => {
        const r = await (routes[i] as (b: unknown) => Promise<{ statusCode: number }>)(b);
        expect(r.statusCode, JSON.stringify(b)).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    // the conditional writes never applied
    expect((await srv.applicant.get(`/api/submissions/${draftId}`)).json()).toMatchObject({ version: 1, data: VALID_DATA });
    expect((await srv.county.get(`/api/submissions/${submittedId}`)).json()).toMatchObject({ status: 'submitted' });
  });
});
