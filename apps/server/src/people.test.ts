import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from './ids.js';
import { PASSWORD, VALID_DATA, type Client } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { LONG_WORK_ROWS } from '@yuanping/core';
import { IMPORT_JOB_KIND, IMPORT_PROGRESS_ROWS } from './routes/people.js';
import { serverFor } from '../../../test/support/server.js';

const code = (first17: string) => `${first17}${creditCodeCheckChar(first17)}`;

async function xlsx(rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('表');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('people and places', () => {
  const srv = serverFor({}, { admin: 'admin' });

  async function createReviewer(username: string, orgCode = '330109') {
    const res = await srv.admin.post('/api/users', { username, displayName: '萧山区审核人', password: 'first-pass-1', role: 'county', orgCode });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string };
  }

  it('reset a password: the user’s sessions end; at the next sign-in only the password change is open', async () => {
    const { id } = await createReviewer('county-xs');
    const before = await srv.h.login('county-xs', 'first-pass-1');
    expect((await before.get('/api/parks')).statusCode).toBe(200);
    const reset = await srv.admin.post(`/api/users/${id}/reset-password`, { password: 'temp-pass-9' });
    expect(reset.json()).toMatchObject({ mustChangePassword: true });
    expect((await before.get('/api/parks')).json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const c = await srv.h.login('county-xs', 'temp-pass-9');
    expect((await c.get('/api/auth/me')).json()).toMatchObject({ user: { mustChangePassword: true } });
    expect((await c.get('/api/parks')).json()).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    expect((await c.post('/api/auth/password', { current: 'wrong-pass', password: 'mine-2026-x' })).json()).toMatchObject({ code: 'PASSWORD_WRONG' });
    expect((await c.post('/api/auth/password', { current: 'temp-pass-9', password: 'temp-pass-9' })).json()).toMatchObject({ code: 'PASSWORD_WEAK' });
    expect((await c.post('/api/auth/password', { current: 'temp-pass-9', password: 'mine-2026-x' })).statusCode).toBe(200);
    // the same session goes on, now unrestricted
    expect((await c.get('/api/parks')).statusCode).toBe(200);
    await expect(srv.h.login('county-xs', 'temp-pass-9')).rejects.toThrow(/401/);
    await srv.h.login('county-xs', 'mine-2026-x');
  });

  it('every user can change their own password', async () => {
    const a = await srv.h.login('applicant-nb');
    expect((await a.post('/api/auth/password', { current: PASSWORD, password: 'applicant-new-1' })).statusCode).toBe(200);
    await srv.h.login('applicant-nb', 'applicant-new-1');
  });

  it('disable: the user cannot sign in and their session ends; enable lets them in again', async () => {
    const { id } = await createReviewer('county-off');
    const c = await srv.h.login('county-off', 'first-pass-1');
    expect((await srv.admin.post(`/api/users/${id}/disable`)).json()).toMatchObject({ disabled: true });
    expect((await c.get('/api/parks')).json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const login = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'county-off', password: 'first-pass-1' } });
    expect(login.json()).toMatchObject({ code: 'ACCOUNT_DISABLED' });
    expect((await srv.admin.post(`/api/users/${id}/enable`)).json()).toMatchObject({ disabled: false });
    await srv.h.login('county-off', 'first-pass-1');
    // only administrators
    expect((await c.post(`/api/users/${id}/disable`)).statusCode).toBe(401);
    const county = await srv.h.login('county-xihu');
    expect((await county.post(`/api/users/${id}/disable`)).json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('import parks: a bad credit code refuses the file with its row and column, nothing is stored; corrected, all three', async () => {
    const rows = (third: string) => [
      ['园区全称', '统一社会信用代码', '所在县级单位代码', '联系人', '联系电话'],
      ['甲园', code('91330109MA2AAA001'), '330109', '王', '13800000011'],
      ['乙园', code('91330109MA2AAA002'), '330109', '', ''],
      ['丙园', third, '330109', '', ''],
    ];
    const bad = code('91330109MA2AAA003').slice(0, 17) + (code('91330109MA2AAA003').endsWith('0') ? '1' : '0');
    const before = ((await srv.admin.get('/api/parks')).json() as unknown[]).length;
    const r = await srv.admin.post('/api/parks/import', { workbook: await xlsx(rows(bad)) });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'IMPORT_INVALID' });
    expect((r.json() as { details: Array<{ row: number; column: string; code: string }> }).details.map((d) => [d.row, d.column, d.code])).toEqual([[4, '统一社会信用代码', 'CREDIT_CODE_INVALID']]);
    expect(((await srv.admin.get('/api/parks')).json() as unknown[]).length).toBe(before);
    const ok = await srv.admin.post('/api/parks/import', { workbook: await xlsx(rows(code('91330109MA2AAA003'))) });
    expect(ok.json()).toMatchObject({ count: 3 });
    expect(((await srv.admin.get('/api/parks')).json() as unknown[]).length).toBe(before + 3);
    // the same file again: every row is a duplicate
    const again = await srv.admin.post('/api/parks/import', { workbook: await xlsx(rows(code('91330109MA2AAA003'))) });
    expect((again.json() as { details: Array<{ code: string }> }).details.map((d) => d.code)).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE']);
    // a county reviewer registers only its own county's parks
    const county = await srv.h.login('county-xihu');
    const foreign = await county.post('/api/parks/import', { workbook: await xlsx([rows('')[0]!, ['丁园', code('91330109MA2AAA004'), '330109', '', '']]) });
    expect((foreign.json() as { details: Array<{ code: string }> }).details.map((d) => d.code)).toEqual(['FORBIDDEN']);
  });

  it('import accounts: a county’s reviewers and a park’s applicant, who must change the password first', async () => {
    const head = ['用户名', '姓名', '角色', '单位代码', '园区统一社会信用代码', '手机号码', '初始密码'];
    const bad = await srv.admin.post('/api/users/import', {
      workbook: await xlsx([head, ['xs-1', '审核一', '县级审核', '330109', '', '', 'init-pass-1'], ['xs-2', '审核二', '县级审核', '330100', '', '', 'init-pass-1'], ['xs 3', '', '科员', '', '', '', 'short']]),
    });
    expect((bad.json() as { details: Array<{ row: number; column: string; code: string }> }).details.map((d) => [d.row, d.column, d.code])).toEqual([
      [3, '单位代码', 'ORG_UNIT_INVALID'],
      [4, '用户名', 'IMPORT_USERNAME_INVALID'],
      [4, '姓名', 'IMPORT_REQUIRED'],
      [4, '角色', 'IMPORT_ROLE_UNKNOWN'],
      [4, '初始密码', 'PASSWORD_WEAK'],
    ]);
    expect(await srv.h.storage.getUserByUsername('xs-1')).toBeNull();
    const ok = await srv.admin.post('/api/users/import', {
      workbook: await xlsx([head, ['xs-1', '审核一', '县级审核', '330109', '', '', 'init-pass-1'], ['xs-park', '园区一', '申报单位', '', code('91330109MA2AAA001'), '', 'init-pass-2']]),
    });
    expect(ok.json()).toMatchObject({ count: 2 });
    const c = await srv.h.login('xs-park', 'init-pass-2');
    expect((await c.get('/api/auth/me')).json()).toMatchObject({ user: { role: 'applicant', orgCode: '330109', mustChangePassword: true } });
  });

  it('audit page: filters, pagination; a reviewer sees only their area', async () => {
    const q = async (c: Client, qs: string) => (await c.get(`/api/audit/search?${qs}`)).json() as { total: number; entries: Array<{ action: string; entity: string; entityId: string }> };
    const users = await q(srv.admin, 'action=user&pageSize=200');
    const actions = users.entries.map((e) => e.action);
    for (const a of ['user.create', 'user.reset_password', 'user.change_password', 'user.disable', 'user.enable']) expect(actions).toContain(a);
    const page1 = await q(srv.admin, 'action=user&pageSize=2&page=1');
    const page2 = await q(srv.admin, 'action=user&pageSize=2&page=2');
    expect(page1.total).toBe(users.total);
    expect(page1.entries).toEqual(users.entries.slice(0, 2));
    expect(page2.entries).toEqual(users.entries.slice(2, 4));
    expect((await q(srv.admin, 'actor=county-xs')).entries.map((e) => e.action)).toContain('user.change_password');
    // 萧山区 (330109): the accounts and parks created there; 西湖区's reviewer sees none of it
    const xs = await q(srv.admin, 'orgCode=330109&pageSize=200');
    expect(xs.entries.some((e) => e.action === 'park.create')).toBe(true);
    const xihu = await srv.h.login('county-xihu');
    const own = await q(xihu, 'pageSize=200');
    expect(own.entries.some((e) => e.action === 'park.create' || e.action === 'user.reset_password')).toBe(false);
    expect(own.entries.some((e) => e.action === 'auth.login')).toBe(true);
    expect((await xihu.get('/api/audit/search?orgCode=330109')).json()).toMatchObject({ code: 'FORBIDDEN' });
    // the city of 萧山区 sees it
    const hz = await srv.h.login('city-hz');
    expect((await q(hz, 'action=park&pageSize=200')).total).toBe(3);
    const applicant = await srv.h.login('applicant-hz');
    expect((await applicant.get('/api/audit/search')).json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await q(srv.admin, 'from=2999-01-01')).total).toBe(0);
  });

  it('audit page: the 申报 filter finds a park’s draft by its name or number (administrator), not a reviewer', async () => {
    const hz = await srv.h.login('applicant-hz');
    const created = (await hz.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string; status: string };
    expect(created.status).toBe('draft');
    const park = ((await hz.get('/api/auth/me')).json() as { park: { name: string } }).park.name;
    type Ref = { id: string; parkName: string; status: string };
    const find = async (c: Client, q: string) => (await c.get(`/api/audit/submissions?q=${encodeURIComponent(q)}`)).json() as Ref[];
    // by a part of the park's name, and by the start of the number
    expect((await find(srv.admin, park.slice(0, 2))).map((r) => r.id)).toContain(created.id);
    expect(await find(srv.admin, created.id.slice(0, 8))).toEqual([expect.objectContaining({ id: created.id, parkName: park, status: 'draft' })]);
    // the entries of that submission, as the filter then asks
    const log = (await srv.admin.get(`/api/audit/search?submissionId=${created.id}`)).json() as { entries: Array<{ action: string }> };
    expect(log.entries.map((e) => e.action)).toContain('submission.create');
    // a draft is the applicant's own: the city's reviewer does not find it; an applicant may not ask
    const city = await srv.h.login('city-hz');
    expect((await find(city, park.slice(0, 2))).map((r) => r.id)).not.toContain(created.id);
    expect((await hz.get('/api/audit/submissions')).json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('org units: a county created under its city and renamed (admin only), both in the audit log, entries named', async () => {
    const created = await srv.admin.post('/api/org-units', { code: '330197', name: '测试区', parentCode: '330100' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ code: '330197', name: '测试区', level: 'county', parentCode: '330100' });
    expect((await srv.admin.post('/api/org-units', { code: '330197', name: '又一个', parentCode: '330100' })).json()).toMatchObject({ code: 'DUPLICATE' });
    // a county has no units under it
    expect((await srv.admin.post('/api/org-units', { code: '330196', name: '下级', parentCode: '330197' })).json()).toMatchObject({ code: 'ORG_UNIT_INVALID' });
    const renamed = await srv.admin.put('/api/org-units/330197', { name: '测试新区' });
    expect(renamed.json()).toMatchObject({ code: '330197', name: '测试新区', level: 'county' });
    expect(((await srv.admin.get('/api/org-units?parent=330100')).json() as Array<{ name: string }>).map((u) => u.name)).toContain('测试新区');
    const city = await srv.h.login('city-hz');
    expect((await city.post('/api/org-units', { code: '330195', name: '市建', parentCode: '330100' })).json()).toMatchObject({ code: 'FORBIDDEN' });
    // the audit entries name the unit and the people, not their ids
    const log = (await srv.admin.get('/api/audit/search?action=org&pageSize=200')).json() as { entries: Array<{ action: string; entityName: string | null }> };
    expect(log.entries.map((e) => [e.action, e.entityName])).toEqual([
      ['org.update', '测试新区'],
      ['org.create', '测试区'],
    ]);
    const users = (await srv.admin.get('/api/audit/search?action=user.create&pageSize=200')).json() as { entries: Array<{ entityName: string | null }> };
    expect(users.entries.length).toBeGreaterThan(0);
    expect(users.entries.filter((e) => !(typeof e.entityName === 'string' && e.entityName.length > 0))).toEqual([]);
  });
});

// its own server: the thousand parks it creates would be in the other tests' audit counts
describe('imports as jobs', () => {
  const srv = serverFor({}, { admin: 'admin' });

  it(`an import over LONG_WORK_ROWS rows runs as a job: progress in rows, the per-cell problems kept as its result (nothing stored); corrected, all created; cancel halfway creates none`, async () => {
    const n = LONG_WORK_ROWS + 150;
    const head = ['园区全称', '统一社会信用代码', '所在县级单位代码', '联系人', '联系电话'];
    const parkRows = (badAt: number | null) =>
      Array.from({ length: n }, (_, i) => {
        const cc = code(`91330109MB${String(i).padStart(7, '0')}`);
        return [`批量园区${i}`, i === badAt ? cc.slice(0, 17) + (cc.endsWith('0') ? '1' : '0') : cc, '330109', '', ''];
      });
    const before = ((await srv.admin.get('/api/parks')).json() as unknown[]).length;
    const s = srv.h.storage;
    const orig = s.setJobProgress.bind(s);
    const seen: number[] = [];
    s.setJobProgress = async (id, p, at) => {
      seen.push(p.done);
      return orig(id, p, at);
    };
    let bad: { id: string; kind: string; total: number };
    try {
      const r = await srv.admin.post('/api/parks/import', { workbook: await xlsx([head, ...parkRows(700)]) });
      expect(r.statusCode, r.body).toBe(202);
      bad = r.json() as typeof bad;
      await srv.h.app.jobs.idle();
    } finally {
      s.setJobProgress = orig;
    }
    expect(bad).toMatchObject({ kind: IMPORT_JOB_KIND, total: n });
    expect(seen).toEqual(expect.arrayContaining([IMPORT_PROGRESS_ROWS, IMPORT_PROGRESS_ROWS * 10, n]));
    expect((await srv.admin.get(`/api/jobs/${bad.id}`)).json()).toMatchObject({ status: 'succeeded', done: n });
    const report = await srv.admin.get(`/api/jobs/${bad.id}/result`);
    expect(report.headers['content-type']).toMatch(/^application\/json/);
    expect(report.json()).toMatchObject({ ok: false, count: 0, problems: [{ row: 702, column: '统一社会信用代码', code: 'CREDIT_CODE_INVALID' }] });
    expect(((await srv.admin.get('/api/parks')).json() as unknown[]).length).toBe(before);

    // cancelled halfway through the check: the job ends cancelled, nothing stored, no result
    const cancelAt = Math.floor(n / 2);
    let asked = false;
    s.setJobProgress = async (id, p, at) => {
      if (p.done >= cancelAt && !asked) {
        asked = true;
        await srv.admin.post(`/api/jobs/${id}/cancel`);
      }
      return orig(id, p, at);
    };
    let cancelled: { id: string };
    try {
      cancelled = (await srv.admin.post('/api/parks/import', { workbook: await xlsx([head, ...parkRows(null)]) })).json() as { id: string };
      await srv.h.app.jobs.idle();
    } finally {
      s.setJobProgress = orig;
    }
    expect((await srv.admin.get(`/api/jobs/${cancelled.id}`)).json()).toMatchObject({ status: 'cancelled' });
    expect(await s.getJobResult(cancelled.id)).toBeNull();
    expect(((await srv.admin.get('/api/parks')).json() as unknown[]).length).toBe(before);

    // corrected: every row created, in the job's one transaction
    const ok = (await srv.admin.post('/api/parks/import', { workbook: await xlsx([head, ...parkRows(null)]) })).json() as { id: string };
    await srv.h.app.jobs.idle();
    expect((await srv.admin.get(`/api/jobs/${ok.id}/result`)).json()).toEqual({ ok: true, count: n, dryRun: false, problems: [] });
    expect(((await srv.admin.get('/api/parks')).json() as unknown[]).length).toBe(before + n);
    // another user (a county reviewer) cannot read the admin's import result
    expect((await (await srv.h.login('county-xihu')).get(`/api/jobs/${ok.id}/result`)).statusCode).toBe(404);
  });
});
