import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readXlsx } from '@yuanping/tables';
import { REPO_ROOT } from './app.js';
import { serverFor } from '../../../test/support/server.js';

/**
 * The administrator's workbench through the API: next year's draft of the digital-demonstration
 * pack, an edit (Hangzhou's cap 8 → 10, eligible grades A/B → A), the check with the fixtures, the
 * impact preview over stored submissions of last year's pack, publish, rollback, and re-publishing
 * an older version's content making it current.
 */
const FROM = 'zj-2022-digital-demo';
const NEW = 'zj-2023-digital-demo';

function fixtureInput(name: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'rules', FROM, 'fixtures', name), 'utf8')) as { input: Record<string, unknown> }).input;
}

describe('workbench API', () => {
  let fromVersion: number;
  let draftId: number;
  let revision: number;
  let files: Record<string, unknown>;

  const srv = serverFor({ repoPacks: true, packFiles: null }, { admin: 'admin' });
  beforeAll(async () => {
    fromVersion = (await srv.h.storage.latestPackVersionRef(FROM))!.id;
    // two stored submissions of last year's pack: a grade-B park and a grade-A park (hand-picked fixtures)
    const parks = await srv.h.storage.listParks();
    const by = (await srv.h.storage.getUserByUsername('admin'))!.id;
    const [p1, p2] = parks;
    for (const [park, input] of [
      [p1!, fixtureInput('e02-grade-b-boundary.json')],
      [p2!, fixtureInput('e01-eligible-grade-a.json')],
    ] as const) {
      await srv.h.storage.createSubmission({ packVersionId: fromVersion, packId: FROM, formId: '*', parkId: park.id, countyCode: park.countyCode, cityCode: park.cityCode, status: 'submitted', data: { application: input }, createdBy: by });
    }
  });

  it('only administrators use it', async () => {
    const applicant = await srv.h.login('applicant-hz');
    expect((await applicant.get('/api/pack-drafts')).statusCode).toBe(403);
  });

  it('the wizard: last year’s dates, then a draft with the given dates and the fixtures marked 待复核', async () => {
    const dates = (await srv.admin.get(`/api/pack-versions/${fromVersion}/dates`)).json() as { year: number; dates: Array<{ id: string; date: string }> };
    expect(dates.year).toBe(2022);
    expect(dates.dates.find((d) => d.id === 'issueDate')?.date).toBe('2022-08-18');
    const res = await srv.admin.post('/api/pack-drafts', { fromVersionId: fromVersion, newId: NEW, year: 2023, dates: { issueDate: '2023-08-10', dataCutoff: '2022-12-31' } });
    expect(res.statusCode).toBe(201);
    const body = res.json() as { draft: { id: number; revision: number; title: string }; plan: { fixtures: string[]; dates: Array<{ id: string; after: string; how: string }> } };
    expect(body.draft.title).toBe('关于开展2023年度数字化示范小微企业园申报推荐工作的通知');
    expect(body.plan.dates.find((d) => d.id === 'issueDate')).toMatchObject({ after: '2023-08-10', how: 'given' });
    expect(body.plan.dates.find((d) => d.id === 'window:apply:closes')).toMatchObject({ after: '2023-09-20', how: 'shifted' });
    expect(body.plan.fixtures.length).toBeGreaterThan(20);
    draftId = body.draft.id;
    revision = body.draft.revision;
    expect((await srv.admin.post('/api/pack-drafts', { fromVersionId: fromVersion, newId: NEW })).json()).toMatchObject({ code: 'DUPLICATE' });
    expect((await srv.admin.post('/api/pack-drafts', { fromVersionId: fromVersion, newId: 'zj-x', dates: { nope: '2023-01-01' } })).json()).toMatchObject({ code: 'BAD_REQUEST' });
    const draft = (await srv.admin.get(`/api/pack-drafts/${draftId}`)).json() as { files: Record<string, unknown> };
    files = draft.files;
    expect((files[`rules/${NEW}/fixtures/e01-eligible-grade-a.json`] as { review?: string }).review).toMatch(/2022/);
  });

  it('an edit is saved on the current revision only and checked; the fixtures run', async () => {
    const manifest = structuredClone(files[`schemas/${NEW}/pack.json`]) as { parameters: Record<string, { value: unknown }> };
    manifest.parameters.capHangzhou!.value = 10;
    manifest.parameters.eligibleGrades!.value = ['A'];
    files = { ...files, [`schemas/${NEW}/pack.json`]: manifest };
    const saved = await srv.admin.put(`/api/pack-drafts/${draftId}`, { revision, files });
    expect(saved.statusCode).toBe(200);
    const s = saved.json() as { revision: number; ok: boolean; problems: Array<{ severity: string }> };
    expect(s.ok).toBe(true);
    expect(s.revision).toBe(revision + 1);
    expect((await srv.admin.put(`/api/pack-drafts/${draftId}`, { revision, files })).json()).toMatchObject({ code: 'PRECONDITION_FAILED' });
    // the save is in the audit log with the file it changed; the refused one is not
    const saves = (await srv.h.storage.listAudit({ entity: 'pack', entityId: NEW })).filter((a) => a.action === 'pack.draft.save');
    expect(saves.map((a) => a.after)).toEqual([{ draft: draftId, revision: s.revision, files: [`schemas/${NEW}/pack.json`] }]);
    expect(saves[0]!.actorId).toBe((await srv.h.storage.getUserByUsername('admin'))!.id);
    revision = s.revision;
    const check = (await srv.admin.get(`/api/pack-drafts/${draftId}/check`)).json() as { ok: boolean; fixtures: Array<{ kind: string; file: string; review?: string; passed: boolean }> };
    expect(check.ok).toBe(true);
    expect(check.fixtures.length).toBeGreaterThan(20);
    expect(check.fixtures.filter((f) => f.kind !== 'cohort' && !f.review)).toEqual([]);
  });

  it('一并接受: the copied fixtures whose outcome is unchanged under the draft lose their review mark (as the CLI’s --accept-unchanged), the rest are listed', async () => {
    const before = (await srv.admin.get(`/api/pack-drafts/${draftId}/check`)).json() as { fixtures: Array<{ file: string; review?: string; unchanged?: boolean }> };
    const unchanged = before.fixtures.filter((f) => f.review && f.unchanged).map((f) => f.file);
    const changed = before.fixtures.filter((f) => f.review && !f.unchanged).map((f) => f.file);
    // the draft's grades A/B → A changes some outcomes: both kinds are there
    expect(unchanged.length).toBeGreaterThan(0);
    expect(changed.length).toBeGreaterThan(0);
    expect((await srv.admin.post(`/api/pack-drafts/${draftId}/accept-unchanged`, { revision: revision - 1 })).json()).toMatchObject({ code: 'PRECONDITION_FAILED' });
    const r = await srv.admin.post(`/api/pack-drafts/${draftId}/accept-unchanged`, { revision });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { revision: number; accepted: string[]; review: Array<{ file: string }>; files: Record<string, { review?: string }> };
    expect(body.accepted.sort()).toEqual([...unchanged].sort());
    expect(body.review.map((f) => f.file).sort()).toEqual([...changed].sort());
    expect(body.revision).toBe(revision + 1);
    for (const f of unchanged) expect(body.files[f]!.review).toBeUndefined();
    for (const f of changed) expect(body.files[f]!.review).toBeTypeOf('string');
    // in the audit log: which fixtures were accepted, by whom
    const accepts = (await srv.h.storage.listAudit({ entity: 'pack', entityId: NEW })).filter((a) => a.action === 'pack.fixtures.accept');
    expect(accepts).toHaveLength(1);
    expect(accepts[0]!.after).toEqual({ draft: draftId, revision: body.revision, fixtures: expect.arrayContaining(unchanged) });
    expect((accepts[0]!.after as { fixtures: string[] }).fixtures).toHaveLength(unchanged.length);
    expect(accepts[0]!.actorId).toBe((await srv.h.storage.getUserByUsername('admin'))!.id);
    revision = body.revision;
    files = body.files;
    const after = (await srv.admin.get(`/api/pack-drafts/${draftId}/check`)).json() as { ok: boolean; fixtures: Array<{ file: string; review?: string; passed: boolean }> };
    expect(after.ok).toBe(true);
    expect(after.fixtures.filter((f) => f.review).map((f) => f.file).sort()).toEqual([...changed].sort());
    expect(after.fixtures.filter((f) => unchanged.includes(f.file)).every((f) => f.passed)).toBe(true);
  });

  it('接受新结果: a copied fixture whose outcome the draft changes gets the draft’s result as its expectation and loses its review mark (audited)', async () => {
    const before = (await srv.admin.get(`/api/pack-drafts/${draftId}/check`)).json() as { fixtures: Array<{ kind: string; file: string; review?: string; unchanged?: boolean; passed: boolean; differences: string[] }> };
    const changed = before.fixtures.filter((f) => f.kind === 'rules' && f.review && !f.unchanged);
    expect(changed.length).toBeGreaterThan(0);
    const target = changed[0]!;
    expect(target.differences.length).toBeGreaterThan(0);
    const old = files[target.file] as { expect: unknown; review?: string };
    expect((await srv.admin.post(`/api/pack-drafts/${draftId}/accept-new-result`, { revision: revision - 1, file: target.file })).json()).toMatchObject({ code: 'PRECONDITION_FAILED' });
    const r = await srv.admin.post(`/api/pack-drafts/${draftId}/accept-new-result`, { revision, file: target.file });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { revision: number; files: Record<string, { expect: unknown; review?: string; input: unknown }> };
    expect(body.revision).toBe(revision + 1);
    const now = body.files[target.file]!;
    expect(now.review).toBeUndefined();
    expect(now.input).toEqual((old as { input?: unknown }).input);
    expect(now.expect).not.toEqual(old.expect);
    revision = body.revision;
    files = body.files;
    const after = (await srv.admin.get(`/api/pack-drafts/${draftId}/check`)).json() as { ok: boolean; fixtures: Array<{ file: string; review?: string; passed: boolean; differences: string[] }> };
    expect(after.ok).toBe(true);
    // it now passes as written; the other changed ones are still for review
    expect(after.fixtures.find((f) => f.file === target.file)).toMatchObject({ passed: true, differences: [] });
    expect(after.fixtures.find((f) => f.file === target.file)!.review).toBeUndefined();
    const stillForReview = before.fixtures.filter((f) => f.review && f.file !== target.file).map((f) => f.file);
    expect(after.fixtures.filter((f) => f.review).map((f) => f.file).sort()).toEqual(stillForReview.sort());
    // accepted once: not for review any more, so not again; a file that is no fixture neither
    const again = await srv.admin.post(`/api/pack-drafts/${draftId}/accept-new-result`, { revision, file: target.file });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'FIXTURE_NOT_ACCEPTABLE' });
    expect((await srv.admin.post(`/api/pack-drafts/${draftId}/accept-new-result`, { revision, file: `schemas/${NEW}/pack.json` })).json()).toMatchObject({ code: 'FIXTURE_NOT_ACCEPTABLE' });
    const audit = (await srv.h.storage.listAudit({ entity: 'pack', entityId: NEW })).filter((a) => a.action === 'pack.fixtures.accept' && (a.after as { newResult?: boolean }).newResult);
    expect(audit.map((a) => a.after)).toEqual([{ draft: draftId, revision, fixtures: [target.file], newResult: true }]);
    // an applicant may not
    const applicant = await srv.h.login('applicant-hz');
    expect((await applicant.post(`/api/pack-drafts/${draftId}/accept-new-result`, { revision, file: target.file })).statusCode).toBe(403);
  });

  it('the impact preview: the grade-B park is no longer eligible, the grade-A park unchanged; as NDJSON with progress and as xlsx', async () => {
    const r = (await srv.admin.get(`/api/pack-drafts/${draftId}/impact`)).json() as {
      base: { packId: string };
      report: { submissions: number; changes: Array<{ ruleSet: string; before: string; after: string; reasons: string[] }>; ruleSets: Array<{ id: string; evaluated: number }> };
    };
    expect(r.base.packId).toBe(FROM);
    expect(r.report.submissions).toBe(2);
    expect(r.report.changes.map((c) => [c.ruleSet, c.before, c.after])).toEqual([['eligibility', '符合申报条件', '不符合申报条件']]);
    expect(r.report.changes[0]!.reasons.join('')).toContain('B');
    const stream = await srv.admin.get(`/api/pack-drafts/${draftId}/impact?stream=1`);
    const lines = stream.body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.done !== undefined && l.total !== undefined)).toBe(true);
    expect((lines[lines.length - 1] as { report: { changes: unknown[] } }).report.changes.length).toBe(1);
    const x = await srv.admin.get(`/api/pack-drafts/${draftId}/impact.xlsx`);
    expect(x.statusCode).toBe(200);
    const sheets = await readXlsx(x.rawPayload);
    expect(sheets[0]?.sheet).toBe('结果变化');
    expect(sheets[0]?.rows.flat().map(String)).toContain('不符合申报条件');
  });

  it('publish, a second version, rollback (audited), and re-publishing the newer content makes it current again', async () => {
    const pub = await srv.admin.post(`/api/pack-drafts/${draftId}/publish`);
    expect(pub.statusCode).toBe(201);
    const v1 = pub.json() as { id: number; version: number; created: boolean };
    expect(v1).toMatchObject({ version: 1, created: true });
    expect((await srv.admin.get(`/api/pack-drafts/${draftId}`)).statusCode).toBe(404);
    const manifest = structuredClone(files[`schemas/${NEW}/pack.json`]) as { parameters: Record<string, { value: unknown }> };
    manifest.parameters.capDefault!.value = 6;
    const v2files = { ...files, [`schemas/${NEW}/pack.json`]: manifest };
    const v2 = (await srv.admin.post('/api/packs', { id: NEW, files: v2files })).json() as { id: number; version: number };
    expect(v2.version).toBe(2);
    const back = await srv.admin.post(`/api/packs/${NEW}/current`, { versionId: v1.id });
    expect(back.statusCode).toBe(200);
    expect((back.json() as Array<{ version: number; current: boolean }>).map((v) => [v.version, v.current])).toEqual([
      [1, true],
      [2, false],
    ]);
    const listed = (await srv.admin.get('/api/packs')).json() as Array<{ packId: string; version: number }>;
    expect(listed.find((p) => p.packId === NEW)?.version).toBe(1);
    expect(((await srv.admin.get(`/api/packs/${NEW}`)).json() as { version: number }).version).toBe(1);
    const audit = await srv.h.storage.listAudit({ entity: 'pack', entityId: NEW });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['pack.draft.create', 'pack.publish', 'pack.current']));
    const again = await srv.admin.post('/api/packs', { id: NEW, files: v2files });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ version: 2, created: false, madeCurrent: true });
    expect(((await srv.admin.get(`/api/packs/${NEW}`)).json() as { version: number }).version).toBe(2);
    // a revision of the current version: a draft of the same pack, its files as published
    const rev = await srv.admin.post('/api/pack-drafts', { fromVersionId: v2.id, revise: true });
    expect(rev.statusCode).toBe(201);
    const revDraft = (rev.json() as { draft: { id: number; packId: string }; plan: unknown }).draft;
    expect(revDraft.packId).toBe(NEW);
    expect(((await srv.admin.get(`/api/pack-drafts/${revDraft.id}`)).json() as { files: unknown }).files).toEqual((await srv.h.storage.getPackVersion(v2.id))!.files);
    expect((await srv.admin.post('/api/pack-drafts', { fromVersionId: v2.id, revise: true })).json()).toMatchObject({ code: 'DUPLICATE' });
    const wrong = await srv.admin.post(`/api/packs/${FROM}/current`, { versionId: v1.id });
    expect(wrong.statusCode).toBe(404);
  });

  it('a rule that reads a field removed from the draft names it by its title in the published predecessor', async () => {
    const drafts = (await srv.admin.get('/api/pack-drafts')).json() as Array<{ id: number; packId: string; revision: number }>;
    const d = drafts.find((x) => x.packId === NEW)!;
    const all = ((await srv.admin.get(`/api/pack-drafts/${d.id}`)).json() as { files: Record<string, unknown> }).files;
    const formFile = `schemas/${NEW}/forms/application.schema.json`;
    const form = structuredClone(all[formFile]) as { properties: { basic: { properties: Record<string, unknown>; required?: string[] } } };
    delete form.properties.basic.properties.firms;
    form.properties.basic.required = (form.properties.basic.required ?? []).filter((k) => k !== 'firms');
    const saved = (await srv.admin.put(`/api/pack-drafts/${d.id}`, { revision: d.revision, files: { ...all, [formFile]: form } })).json() as { ok: boolean; problems: Array<{ code: string; message: string }> };
    expect(saved.ok).toBe(false);
    const unknown = saved.problems.filter((p) => p.code === 'RULE_UNKNOWN_FACT');
    expect(unknown.length).toBeGreaterThan(0);
    for (const p of unknown) expect(p.message).toContain('“入驻企业数（已删除的字段）”');
    expect(unknown.some((p) => p.message.includes('basic.firms'))).toBe(false);
  });
});
