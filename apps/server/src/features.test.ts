import { beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, VALID_DATA } from './testing/harness.js';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';
import { acceptsMediaType, bufferReader, mediaDurationSeconds } from './media.js';
import { avi, fragmentedMp4, mp4 } from './testing/media-files.js';
import { serverFor } from '../../../test/support/server.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), Buffer.alloc(64, 32)]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082', 'hex');

describe('attachments', () => {
  let subId: string;
  const srv = serverFor({}, { applicant: 'applicant-hz' });
  beforeAll(async () => {
    subId = ((await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
  });
  const up = (field: string, name: string, body: Buffer, type = 'application/octet-stream') =>
    srv.applicant.req('POST', `/api/submissions/${subId}/attachments?field=${field}&filename=${encodeURIComponent(name)}`, body, { 'content-type': type });

  it('stores a file whose content matches the declared types and serves it back', async () => {
    const r = await up('license', '营业执照.pdf', PDF, 'application/pdf');
    expect(r.statusCode, r.body).toBe(201);
    const a = r.json() as { id: string; mime: string; size: number };
    expect(a).toMatchObject({ mime: 'application/pdf', size: PDF.length });
    const got = await srv.applicant.get(`/api/attachments/${a.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(PDF)).toBe(true);
    expect((await up('license', 'a.png', PNG, 'image/png')).statusCode).toBe(201);
  });

  it('recognises a file that ends before the bytes a type scanner reads ahead (a PNG of signature and IHDR only)', async () => {
    // the authz reliability suite's file: a stream of unknown size made file-type give up on it (无法识别, 415)
    const head = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(32)]);
    const other = ((await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
    const r = await srv.applicant.req('POST', `/api/submissions/${other}/attachments?field=license&filename=head.png`, head, { 'content-type': 'application/octet-stream' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ mime: 'image/png', size: head.length });
  });

  it('checks content, not the name: a text file called .pdf is refused', async () => {
    const r = await up('license', 'fake.pdf', Buffer.from('just text, not a pdf at all'), 'application/pdf');
    expect(r.statusCode).toBe(415);
    expect(r.json()).toMatchObject({ code: 'FILE_TYPE_REFUSED' });
    const png = await up('video', 'v.mp4', PNG);
    expect(png.json()).toMatchObject({ code: 'FILE_TYPE_REFUSED' });
  });

  it('enforces size, duration and the declared field', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(3000)]);
    const r = await up('license', 'big.pdf', big);
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(await mediaDurationSeconds(mp4(300).length, bufferReader(mp4(300)))).toBe(300);
    expect((await up('video', 'ok.mp4', mp4(300))).statusCode).toBe(201);
    const long = await up('video', 'long.mp4', mp4(9 * 60));
    expect(long.json()).toMatchObject({ code: 'FILE_TOO_LONG' });
    expect((await up('name', 'x.pdf', PDF)).json()).toMatchObject({ code: 'FILE_FIELD_UNKNOWN' });
    const list = (await srv.applicant.get(`/api/submissions/${subId}/attachments`)).json() as unknown[];
    expect(list.length).toBe(3);
  });

  it('reads the duration of a fragmented MP4 from its fragments: 8 min 20 s is refused, 8 min exactly is accepted', async () => {
    // moov/mvhd says 0 s; the fragments hold 10 × 50 s = 500 s > 480 s, and 8 × 60 s = 480 s (the limit, included)
    const longer = fragmentedMp4(10, 50);
    expect(await mediaDurationSeconds(longer.length, bufferReader(longer))).toBe(500);
    const refused = await up('video', 'fragmented.mp4', longer);
    expect(refused.statusCode).toBe(413);
    expect(refused.json()).toMatchObject({ code: 'FILE_TOO_LONG', message: expect.stringContaining('500') });
    expect((await up('video', 'eight-minutes.mp4', fragmentedMp4(8, 60))).statusCode).toBe(201);
  });

  it("matches the pack's accepted types through aliases: an AVI (file-type: video/vnd.avi) is accepted where the pack says video/x-msvideo, and its duration is read", async () => {
    expect(acceptsMediaType(['video/x-msvideo'], 'video/vnd.avi')).toBe(true);
    expect(acceptsMediaType(['video/mp4'], 'video/vnd.avi')).toBe(false);
    expect(acceptsMediaType(['video/*'], 'video/vnd.avi')).toBe(true);
    const ok = await up('video', '介绍.avi', avi(7 * 60));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ mime: 'video/vnd.avi' });
    expect((await up('video', 'long.avi', avi(9 * 60))).json()).toMatchObject({ code: 'FILE_TOO_LONG' });
  });

  it('refuses a video whose duration cannot be read when the field limits it', async () => {
    // an MP4 file type with no movie header at all: file-type knows it, MediaInfo finds no duration
    const noMoov = fragmentedMp4(1, 1).subarray(0, 32);
    const r = await up('video', 'broken.mp4', noMoov);
    expect(r.json()).toMatchObject({ code: 'FILE_DURATION_UNKNOWN' });
  });

  it('refuses uploads once submitted', async () => {
    await srv.applicant.post(`/api/submissions/${subId}/submit`);
    expect((await up('license', 'late.pdf', PDF)).json()).toMatchObject({ code: 'INVALID_STATE' });
  });
});

describe('table roll-up: county rows → city combined → province', () => {
  const srv = serverFor();
  const url = `/api/tables/${TEST_PACK_ID}/sum`;

  it('county fills and submits, city combines and submits, province sees every city', async () => {
    const xihu = await srv.h.login('county-xihu');
    const haishu = await srv.h.login('county-haishu');
    const cityHz = await srv.h.login('city-hz');
    const province = await srv.h.login('province');
    // a draft is stored whatever its state: a wrong value is kept and answered as an error (a number
    // written as text, '12', would be read as 12 by the cell normaliser; words are not)
    const bad = await xihu.put(url, { rows: [{ park: '甲', area: '十二亩' }] });
    expect(bad.statusCode, bad.body).toBe(200);
    expect(bad.headers.etag).toBe('"1"');
    expect(bad.json()).toMatchObject({ errors: [{ path: expect.stringContaining('area') }] });
    const s1 = await xihu.put(url, { rows: [{ park: '甲', area: 12 }] });
    expect(s1.statusCode, s1.body).toBe(200);
    expect(s1.headers.etag).toBe('"2"');
    expect(s1.json()).toMatchObject({ errors: [] });
    const conflict = await xihu.put(url, { rows: [{ park: '甲', area: 13 }] }, { 'if-match': '"7"' });
    expect(conflict.statusCode).toBe(412);
    const s2 = await xihu.put(url, { rows: [{ park: '甲', area: 12 }, { park: '乙', area: 3.5 }] }, { 'if-match': '"2"' });
    expect(s2.statusCode).toBe(200);
    await haishu.put(url, { rows: [{ park: '丙', area: 7 }] });
    // before the county submits, the city sees nothing from it
    let view = (await cityHz.get(url)).json() as { combined: unknown[]; parts: Array<{ orgCode: string; status: string }> };
    expect(view.combined).toEqual([]);
    expect(view.parts.find((p) => p.orgCode === '330106')?.status).toBe('draft');
    expect((await xihu.post(`${url}/submit`)).json()).toMatchObject({ status: 'submitted' });
    expect((await xihu.put(url, { rows: [] })).json()).toMatchObject({ code: 'INVALID_STATE' });
    view = (await cityHz.get(url)).json() as typeof view;
    expect(view.combined).toEqual([{ park: '甲', area: 12 }, { park: '乙', area: 3.5 }]);
    expect(view.parts.length).toBe(13); // Hangzhou's counties
    // the city returns it, the county fixes and resubmits
    expect((await cityHz.post(`${url}/return`, { orgCode: '330203', comment: '不是本市' })).statusCode).toBe(404);
    expect((await cityHz.post(`${url}/return`, { orgCode: '330106', comment: '请核对面积' })).json()).toMatchObject({ status: 'returned' });
    expect((await xihu.put(url, { rows: [{ park: '甲', area: 12.5 }, { park: '乙', area: 3.5 }] })).statusCode).toBe(200);
    await xihu.post(`${url}/submit`);
    expect((await cityHz.post(`${url}/submit`)).json()).toMatchObject({ status: 'submitted', level: 'city', rows: [{ park: '甲', area: 12.5 }, { park: '乙', area: 3.5 }] });
    const pv = (await province.get(url)).json() as { combined: unknown[]; parts: Array<{ orgCode: string; status: string }> };
    expect(pv.parts.length).toBe(11);
    expect(pv.parts.find((p) => p.orgCode === '330100')?.status).toBe('submitted');
    expect(pv.parts.find((p) => p.orgCode === '330200')?.status).toBe('missing');
    expect(pv.combined.length).toBe(2);
    // the county sees only its own report; other roles are refused
    expect(((await haishu.get(url)).json() as { own: { rows: unknown[] } }).own.rows).toEqual([{ park: '丙', area: 7 }]);
    expect((await (await srv.h.login('applicant-hz')).get(url)).statusCode).toBe(403);
    expect((await province.put(url, { rows: [] })).statusCode).toBe(403);
    expect((await xihu.get(`/api/tables/${TEST_PACK_ID}/app`)).json()).toMatchObject({ code: 'TABLE_NOT_TABLE' });
  });
});

describe('packs: publish is checked, atomic, immutable and content-addressed', () => {
  const srv = serverFor({ packFiles: null }, { admin: 'admin' });

  it('refuses a broken pack whole with every problem listed; nothing is stored', async () => {
    const files = testPackFiles();
    const rules = files[`rules/${TEST_PACK_ID}/level.rules.json`] as { rules: Array<{ conditions: { all: Array<{ fact: string }> } }> };
    (rules.rules[0] as { conditions: { all: Array<{ fact: string }> } }).conditions.all[0]!.fact = 'noSuchField';
    const r = await srv.admin.post('/api/packs', { id: TEST_PACK_ID, files });
    expect(r.statusCode).toBe(422);
    const body = r.json() as { code: string; details: Array<{ code: string; file: string; pointer: string }> };
    expect(body.code).toBe('PACK_INVALID');
    expect(body.details.some((p) => p.code === 'RULE_UNKNOWN_FACT' && p.file.endsWith('level.rules.json'))).toBe(true);
    expect((await srv.admin.get('/api/packs')).json()).toEqual([]);
    const check = await srv.admin.post('/api/packs/check', { id: TEST_PACK_ID, files });
    expect(check.json()).toMatchObject({ ok: false });
  });

  it('publishes, is idempotent by content hash, and numbers new content as a new version', async () => {
    const r1 = await srv.admin.post('/api/packs', { id: TEST_PACK_ID, files: testPackFiles() });
    expect(r1.statusCode, r1.body).toBe(201);
    const v1 = r1.json() as { id: number; version: number; hash: string };
    expect(v1.version).toBe(1);
    expect(v1.hash).toMatch(/^[0-9a-f]{64}$/);
    const again = await srv.admin.post('/api/packs', { id: TEST_PACK_ID, files: testPackFiles() });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: v1.id, created: false });
    const r2 = await srv.admin.post('/api/packs', { id: TEST_PACK_ID, files: testPackFiles({ quotaDefault: 3 }) });
    expect(r2.json()).toMatchObject({ version: 2, created: true });
    const versions = (await srv.admin.get(`/api/packs/${TEST_PACK_ID}/versions`)).json() as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const latest = (await srv.admin.get(`/api/packs/${TEST_PACK_ID}`)).json() as { version: number; forms: Array<{ id: string; schema: unknown }> };
    expect(latest.version).toBe(2);
    expect(latest.forms.map((f) => f.id)).toEqual(['app', 'sum']);
    const full = (await srv.admin.get(`/api/pack-versions/${v1.id}`)).json() as { files: Record<string, unknown> };
    expect(Object.keys(full.files)).toContain(`schemas/${TEST_PACK_ID}/pack.json`);
    expect((await srv.admin.get('/api/pack-versions/99999')).statusCode).toBe(404);
    // only administrators publish
    expect((await (await srv.h.login('province')).post('/api/packs', { id: TEST_PACK_ID, files: testPackFiles() })).statusCode).toBe(403);
    const audit = (await srv.admin.get(`/api/audit?entity=pack&entityId=${TEST_PACK_ID}`)).json() as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['pack.publish', 'pack.publish']);
  });

  it('submissions stay pinned to the version they were filled under', async () => {
    const applicant = await srv.h.login('applicant-hz');
    const s = (await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string; packVersionId: number };
    await srv.admin.post('/api/packs', { id: TEST_PACK_ID, files: testPackFiles({ quotaDefault: 4 }) });
    const after = (await applicant.get(`/api/submissions/${s.id}`)).json() as { packVersionId: number };
    expect(after.packVersionId).toBe(s.packVersionId);
  });

  it('publishes by reference from a repository directory', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { dirname, join } = await import('node:path');
    const root = mkdtempSync(join(tmpdir(), 'yp-packs-'));
    for (const [path, content] of Object.entries(testPackFiles({ quotaDefault: 9 }))) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), JSON.stringify(content, null, 2));
    }
    const h2 = await makeHarness({ packFiles: null, packRoot: root });
    try {
      const a = await h2.login('admin');
      const r = await a.post('/api/packs', { ref: TEST_PACK_ID });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ packId: TEST_PACK_ID, version: 1 });
      expect((await a.post('/api/packs', { ref: 'no-such-pack' })).statusCode).toBe(404);
      expect((await a.post('/api/packs', {})).statusCode).toBe(400);
    } finally {
      await h2.close();
    }
  });

  it('evaluates live without saving', async () => {
    const applicant = await srv.h.login('applicant-hz');
    const r = await applicant.post(`/api/packs/${TEST_PACK_ID}/evaluate`, { ruleSetId: 'level', data: { ...VALID_DATA, firms: 3 } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ level: { outcome: { level: 'one' } } });
    expect((await applicant.post(`/api/packs/${TEST_PACK_ID}/evaluate`, { ruleSetId: 'nope', data: {} })).json()).toMatchObject({ code: 'RULESET_NOT_FOUND' });
    expect((await applicant.post('/api/packs/unknown-pack/evaluate', { data: {} })).json()).toMatchObject({ code: 'PACK_NOT_PUBLISHED' });
    const all = await applicant.post(`/api/packs/${TEST_PACK_ID}/evaluate`, { formId: 'app', data: VALID_DATA });
    expect(all.json()).toMatchObject({ level: { outcome: { level: 'two' } } });
  });
});

describe('cohort runs', () => {
  const srv = serverFor();

  it('run the pack’s step on the rows the reviewer sees and store input, pack version and results', async () => {
    const xihu = await srv.h.login('county-xihu');
    await xihu.put(`/api/tables/${TEST_PACK_ID}/sum`, { rows: [{ park: '甲', area: 3 }, { park: '乙', area: 9 }] });
    await xihu.post(`/api/tables/${TEST_PACK_ID}/sum/submit`);
    const cityHz = await srv.h.login('city-hz');
    const run = await cityHz.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', formId: 'sum' });
    expect(run.statusCode, run.body).toBe(201);
    const r = run.json() as { id: string; input: unknown[]; packVersionId: number; orgCode: string; results: { records: Array<{ key: string; rank: number }> } };
    expect(r.input).toEqual([{ park: '甲', area: 3 }, { park: '乙', area: 9 }]);
    expect(r.orgCode).toBe('330100');
    expect(r.results.records.map((x) => [x.key, x.rank])).toEqual(expect.arrayContaining([['乙', 1], ['甲', 2]]));
    const given = await cityHz.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', records: [{ park: 'x', area: 1 }] });
    expect(given.statusCode).toBe(201);
    expect((await cityHz.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'nope', records: [] })).statusCode).toBe(404);
    expect((await cityHz.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank' })).statusCode).toBe(400);
    expect((await cityHz.get(`/api/cohort-runs/${r.id}`)).json()).toMatchObject({ id: r.id, packVersionId: r.packVersionId });
    const nb = await srv.h.login('city-nb');
    expect((await nb.get(`/api/cohort-runs/${r.id}`)).statusCode).toBe(404);
    expect(((await nb.get('/api/cohort-runs')).json() as unknown[]).length).toBe(0);
    expect(((await (await srv.h.login('province')).get('/api/cohort-runs')).json() as unknown[]).length).toBe(2);
    expect((await (await srv.h.login('applicant-hz')).post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', records: [] })).statusCode).toBe(403);
  });
});

describe('whole applications (one submission over every applicant form)', () => {
  const srv = serverFor();

  it('validates each form under its id, evaluates rule sets on their form, and locates fields by form', async () => {
    const applicant = await srv.h.login('applicant-hz');
    // a draft is stored as typed; its errors come back with the save
    const bad = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, data: { app: { score: true }, other: {} } });
    expect(bad.statusCode).toBe(201);
    expect((bad.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort()).toEqual(['app.score', 'other']);
    const created = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, data: {} });
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json() as { id: string; formId: string };
    expect(s.formId).toBe('*');
    const early = await applicant.post(`/api/submissions/${s.id}/submit`);
    expect(early.json()).toMatchObject({ code: 'SUBMISSION_INVALID' });
    expect((early.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort()).toEqual(['app.firms', 'app.name', 'app.score']);
    const saved = await applicant.put(`/api/submissions/${s.id}`, { data: { app: VALID_DATA } }, { 'if-match': '"1"' });
    expect(saved.json()).toMatchObject({ evaluation: { level: { outcome: { level: 'two' } } } });
    const att = await applicant.req('POST', `/api/submissions/${s.id}/attachments?field=app.license&filename=a.pdf`, PDF);
    expect(att.statusCode, att.body).toBe(201);
    expect((await applicant.post(`/api/submissions/${s.id}/submit`)).statusCode).toBe(200);
    const county = await srv.h.login('county-xihu');
    const rescore = await county.post(`/api/submissions/${s.id}/scores`, { item: 'app.score', score: 7, reason: '核减' });
    expect(rescore.json()).toMatchObject({ selfScore: 8, score: 7 });
    const pack = (await applicant.get(`/api/packs/${TEST_PACK_ID}`)).json() as { applicantForms: string[] };
    expect(pack.applicantForms).toEqual(['app']);
  });
});
