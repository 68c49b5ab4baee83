import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeHarness, VALID_DATA, type Client, type Harness } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';

/** Arbitrary JSON bodies on every write route: never a 5xx, never a change from an invalid body. */
describe('fuzzed bodies', () => {
  let h: Harness;
  let applicant: Client;
  let county: Client;
  let admin: Client;
  let draftId: string;
  let submittedId: string;
  beforeAll(async () => {
    h = await makeHarness();
    [applicant, county, admin] = await Promise.all([h.login('applicant-hz'), h.login('county-xihu'), h.login('admin')]);
    draftId = ((await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
    submittedId = ((await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
    await applicant.post(`/api/submissions/${submittedId}/submit`);
  });
  afterAll(async () => {
    await h.close();
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
      (b) => applicant.post('/api/submissions', b),
      (b) => applicant.put(`/api/submissions/${draftId}`, b, { 'if-match': '"999"' }),
      (b) => county.post(`/api/submissions/${submittedId}/review`, b),
      (b) => county.post(`/api/submissions/${submittedId}/scores`, b),
      (b) => county.put(`/api/tables/${TEST_PACK_ID}/sum`, b, { 'if-match': '"999"' }),
      (b) => admin.post('/api/parks', b),
      (b) => admin.post('/api/users', b),
      (b) => admin.post('/api/packs/check', b),
      (b) => applicant.post(`/api/packs/${TEST_PACK_ID}/evaluate`, b),
      (b) => h.anon().post('/api/auth/login', b),
    ];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: routes.length - 1 }), body, async (i, b) => {
        const r = await (routes[i] as (b: unknown) => Promise<{ statusCode: number }>)(b);
        expect(r.statusCode, JSON.stringify(b)).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    // the conditional writes never applied
    expect((await applicant.get(`/api/submissions/${draftId}`)).json()).toMatchObject({ version: 1, data: VALID_DATA });
    expect((await county.get(`/api/submissions/${submittedId}`)).json()).toMatchObject({ status: 'submitted' });
  });
});
