import { describe, expect, it } from 'vitest';
import { VALID_DATA } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { IDEMPOTENCY_TTL_MS, sweepExpired } from './housekeeping.js';
import { serverFor } from '../../../test/support/server.js';

describe('idempotency keys are bound to their request and expire', () => {
  const srv = serverFor({}, { applicant: 'applicant-hz' });

  it('the same key with a different body is 422, not the first answer', async () => {
    const first = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA }, { 'idempotency-key': 'k-body' });
    expect(first.statusCode).toBe(201);
    const same = await srv.applicant.post('/api/submissions', { formId: 'app', packId: TEST_PACK_ID, data: VALID_DATA }, { 'idempotency-key': 'k-body' });
    expect(same.statusCode).toBe(201);
    expect(same.headers['idempotent-replay']).toBe('true');
    expect(same.json()).toMatchObject({ id: (first.json() as { id: string }).id });
    const other = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: { ...VALID_DATA, firms: 13 } }, { 'idempotency-key': 'k-body' });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISMATCH' });
  });

  it('a submit key replayed after a withdraw does not answer "submitted" for a draft', async () => {
    const sub = (await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string };
    const submitted = await srv.applicant.post(`/api/submissions/${sub.id}/submit`, {}, { 'idempotency-key': 'k-submit' });
    expect(submitted.json()).toMatchObject({ status: 'submitted' });
    // a retry before anything changed gets the stored answer
    const retry = await srv.applicant.post(`/api/submissions/${sub.id}/submit`, {}, { 'idempotency-key': 'k-submit' });
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect((await srv.applicant.post(`/api/submissions/${sub.id}/withdraw`, {})).json()).toMatchObject({ status: 'draft' });
    const replay = await srv.applicant.post(`/api/submissions/${sub.id}/submit`, {}, { 'idempotency-key': 'k-submit' });
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toMatchObject({ code: 'IDEMPOTENCY_REPLAY_STALE', message: '该幂等键的请求先前已执行，但申报此后已有变化（当前状态“草稿”），请刷新后再操作' });
    expect((await srv.applicant.get(`/api/submissions/${sub.id}`)).json()).toMatchObject({ status: 'draft' });
  });

  it('keys expire 24 hours after their first use and are deleted', async () => {
    srv.h.setNow('2021-08-22T02:00:00Z');
    expect((await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA }, { 'idempotency-key': 'k-old' })).statusCode).toBe(201);
    const policy = { signInWindowMs: 15 * 60_000, deviceTtlMs: 180 * 86_400_000, longestWindowMs: 86_400_000 };
    // not yet expired: nothing of this key is deleted, it still answers
    await sweepExpired(srv.h.storage, new Date(new Date('2021-08-22T02:00:00Z').getTime() + IDEMPOTENCY_TTL_MS - 1000), policy);
    const kept = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: { ...VALID_DATA, firms: 99 } }, { 'idempotency-key': 'k-old' });
    expect(kept.statusCode).toBe(422);
    expect(await sweepExpired(srv.h.storage, new Date(new Date('2021-08-22T02:00:00Z').getTime() + IDEMPOTENCY_TTL_MS + 1000), policy)).toBeGreaterThan(0);
    const reused = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: { ...VALID_DATA, firms: 99 } }, { 'idempotency-key': 'k-old' });
    expect(reused.statusCode).toBe(201);
    expect(reused.headers['idempotent-replay']).toBeUndefined();
  });
});
