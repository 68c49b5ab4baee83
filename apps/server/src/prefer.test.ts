import { describe, expect, it } from 'vitest';
import { VALID_DATA } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';

describe('Prefer: return=minimal and whole-application drafts', () => {
  const srv = serverFor({}, { a: 'applicant-hz' });

  it('a minimal save answers id, version and status; the data is saved all the same', async () => {
    const s = (await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string; version: number };
    const r = await srv.a.put(`/api/submissions/${s.id}`, { data: { ...VALID_DATA, firms: 3 } }, { 'if-match': `"${s.version}"`, prefer: 'return=minimal' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['preference-applied']).toBe('return=minimal');
    expect(r.headers.etag).toBe(`"${s.version + 1}"`);
    // the data's errors come with every save (a draft is stored whatever its state; here there are none)
    expect(Object.keys(r.json() as object).sort()).toEqual(['errors', 'id', 'status', 'statusLabel', 'updatedAt', 'version']);
    expect((r.json() as { errors: unknown[] }).errors).toEqual([]);
    const full = (await srv.a.get(`/api/submissions/${s.id}?evaluation=full`)).json() as { data: unknown; evaluation: Record<string, { outcome: { level: string } }> };
    expect(full.data).toEqual({ ...VALID_DATA, firms: 3 });
    expect(full.evaluation.level?.outcome.level).toBe('one');
    // the audit entry names the version before and its data
    const audit = (await srv.a.get(`/api/submissions/${s.id}/audit`)).json() as Array<{ action: string; before: unknown }>;
    expect(audit.find((x) => x.action === 'submission.save')?.before).toEqual({ version: s.version, data: VALID_DATA });
  });

  it('a minimal evaluation answers each rule set’s outcome without the explanation', async () => {
    const r = await srv.a.post(`/api/packs/${TEST_PACK_ID}/evaluate`, { formId: 'app', data: VALID_DATA }, { prefer: 'return=minimal' });
    expect(r.statusCode).toBe(200);
    const body = r.json() as Record<string, { level?: string; score?: number; failed: string[] }>;
    expect(body.level).toMatchObject({ level: 'two', failed: [] });
    expect(body.points).toMatchObject({ score: 8 });
    const one = await srv.a.post(`/api/packs/${TEST_PACK_ID}/evaluate`, { ruleSetId: 'level', data: { ...VALID_DATA, firms: 3 } }, { prefer: 'return=minimal' });
    expect(one.json()).toMatchObject({ level: { level: 'one', failed: ['two-firms'] } });
  });

  it('a whole-application draft with a form given as null is kept as typed and cannot be submitted', async () => {
    const r = await srv.a.post('/api/submissions', { packId: TEST_PACK_ID, data: { app: null } });
    expect(r.statusCode).toBe(201);
    const body = r.json() as { id: string; errors: Array<{ path: string }> };
    expect(Array.isArray(body.errors)).toBe(true);
    const submit = await srv.a.post(`/api/submissions/${body.id}/submit`, {});
    expect(submit.statusCode).toBeGreaterThanOrEqual(400);
    expect(submit.statusCode).toBeLessThan(500);
  });
});
