import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, PASSWORD, VALID_DATA, type Client, type Harness } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { creditCodeCheckChar } from './ids.js';
import { serverFor } from '../../../test/support/server.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), Buffer.alloc(64, 32)]);

describe('accounts, sessions and CSRF', () => {
  const srv = serverFor({ signInLimit: 3 });

  it('signs in with an HttpOnly SameSite cookie and returns a CSRF token', async () => {
    const res = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(res.json()).toMatchObject({ user: { username: 'admin', role: 'admin' }, csrfToken: expect.any(String) });
    expect(JSON.stringify(res.json())).not.toContain('passwordHash');
  });

  it('refuses wrong passwords and unknown users alike, in Chinese', async () => {
    const a = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'province', password: 'wrong' } });
    const b = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong' } });
    expect(a.statusCode).toBe(401);
    expect(b.json()).toEqual(a.json());
    expect(a.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
  });

  it('rate-limits sign-in in the database', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'city-nb', password: 'bad' } });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    // even the right password is refused while limited
    const ok = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'city-nb', password: PASSWORD } });
    expect(ok.json()).toMatchObject({ code: 'RATE_LIMITED' });
    srv.h.setNow('2021-08-22T03:00:00Z');
    try {
      const later = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'city-nb', password: PASSWORD } });
      expect(later.statusCode).toBe(200);
    } finally {
      srv.h.setNow('2021-08-22T02:00:00Z');
    }
  });

  it('limits failures per address, not successful sign-ins', async () => {
    const h2 = await makeHarness({ signInLimit: 2, packFiles: null });
    try {
      // 10 = 2 × 5 failures from one address across user names, then the address is refused
      for (let i = 0; i < 10; i++) {
        const r = await h2.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `nobody${i}`, password: 'x' } });
        expect(r.statusCode).toBe(401);
      }
      const r = await h2.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
      expect(r.json()).toMatchObject({ code: 'RATE_LIMITED' });
      const h3 = await makeHarness({ signInLimit: 2, packFiles: null });
      try {
        for (let i = 0; i < 15; i++) await h3.login(i % 2 ? 'admin' : 'province');
      } finally {
        await h3.close();
      }
    } finally {
      await h2.close();
    }
    // 25 scrypt hashes and two PGlite start-ups: CPU-heavy, so no speed is asked of them here
  }, 600_000);

  it('requires the CSRF header on writes and a session on everything', async () => {
    const c = await srv.h.login('applicant-hz');
    const noCsrf = await srv.h.app.inject({ method: 'POST', url: '/api/submissions', headers: { cookie: c.cookie as string }, payload: { packId: TEST_PACK_ID, formId: 'app' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ code: 'CSRF_FAILED' });
    const badCsrf = await srv.h.app.inject({ method: 'POST', url: '/api/submissions', headers: { cookie: c.cookie as string, 'x-csrf-token': 'x' }, payload: { packId: TEST_PACK_ID, formId: 'app' } });
    expect(badCsrf.statusCode).toBe(403);
    const anon = srv.h.anon();
    for (const url of ['/api/auth/me', '/api/submissions', '/api/packs', '/api/parks', '/api/org-units', '/api/cohort-runs']) {
      const r = await anon.get(url);
      expect(r.statusCode, url).toBe(401);
      expect(r.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const me = await c.get('/api/auth/me');
    expect(me.json()).toMatchObject({ user: { role: 'applicant' }, park: { countyCode: '330106' }, orgUnit: { name: '西湖区' } });
  });

  it('signs in again over a live session without a CSRF token', async () => {
    const c = await srv.h.login('county-haishu');
    const again = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: c.cookie as string }, payload: { username: 'county-haishu', password: PASSWORD } });
    expect(again.statusCode).toBe(200);
  });

  it('signs out: the session is gone from the database', async () => {
    const c = await srv.h.login('province');
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('expired sessions are refused', async () => {
    const c = await srv.h.login('county-xihu');
    srv.h.setNow('2023-01-01T00:00:00Z');
    try {
      expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    } finally {
      srv.h.setNow('2021-08-22T02:00:00Z');
    }
  });

  it('serves the OpenAPI document and UI, health, and Chinese 404s', async () => {
    const doc = await srv.h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys((doc.json() as { paths: Record<string, unknown> }).paths);
    expect(paths).toContain('/api/submissions/{id}/review');
    expect(paths).toContain('/api/tables/{packId}/{formId}');
    const ui = await srv.h.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect((await srv.h.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ ok: true, database: 'pglite' });
    const nf = await srv.h.app.inject({ method: 'GET', url: '/api/nope' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });
});

describe('production bootstrap', () => {
  it('creates the first administrator once, from the environment', async () => {
    const { openStorage } = await import('@yuanping/storage');
    const { ensureAdmin, seedOrgUnits } = await import('./seed.js');
    const storage = await openStorage();
    try {
      await seedOrgUnits(storage);
      await expect(ensureAdmin(storage, 'root', 'short')).rejects.toThrow();
      expect(await ensureAdmin(storage, 'root', 'a-long-enough-password')).toBe(true);
      expect(await ensureAdmin(storage, 'root2', 'a-long-enough-password')).toBe(false);
      expect((await storage.listUsers()).map((u) => [u.username, u.role])).toEqual([['root', 'admin']]);
    } finally {
      await storage.close();
    }
  });
});

describe('org units, parks and users', () => {
  const srv = serverFor({}, { admin: 'admin' });

  it('lists the province, 11 cities and 90 counties', async () => {
    expect(((await srv.admin.get('/api/org-units?level=city')).json() as unknown[]).length).toBe(11);
    expect(((await srv.admin.get('/api/org-units?level=county')).json() as unknown[]).length).toBe(90);
    expect(((await srv.admin.get('/api/org-units?parent=330100')).json() as Array<{ name: string }>).map((u) => u.name)).toContain('西湖区');
  });

  it('registers parks with a checked credit code and mobile number', async () => {
    const code = '91330108MA28AB12C';
    const good = code + creditCodeCheckChar(code);
    const bad = code + (creditCodeCheckChar(code) === '0' ? '1' : '0');
    const r1 = await srv.admin.post('/api/parks', { name: '滨江园', creditCode: bad, countyCode: '330108' });
    expect(r1.statusCode).toBe(400);
    expect(r1.json()).toMatchObject({ code: 'CREDIT_CODE_INVALID', errors: [{ path: 'creditCode' }] });
    const r2 = await srv.admin.post('/api/parks', { name: '滨江园', creditCode: good, countyCode: '330108', contactMobile: '1234' });
    expect(r2.json()).toMatchObject({ code: 'MOBILE_INVALID', errors: [{ path: 'contactMobile' }] });
    const r3 = await srv.admin.post('/api/parks', { name: '滨江园', creditCode: good, countyCode: '330100' });
    expect(r3.json()).toMatchObject({ code: 'ORG_UNIT_INVALID' });
    const r4 = await srv.admin.post('/api/parks', { name: '滨江园', creditCode: good, countyCode: '330108', contactMobile: '13712345678' });
    expect(r4.statusCode).toBe(201);
    expect(r4.json()).toMatchObject({ cityCode: '330100', countyCode: '330108' });
    expect((await srv.admin.post('/api/parks', { name: '重复', creditCode: good, countyCode: '330108' })).json()).toMatchObject({ code: 'DUPLICATE' });
    const county = await srv.h.login('county-xihu');
    const other = '91330108MA28AB99D';
    expect((await county.post('/api/parks', { name: '越权', creditCode: other + creditCodeCheckChar(other), countyCode: '330108' })).statusCode).toBe(403);
    expect((await (await srv.h.login('applicant-hz')).post('/api/parks', { name: 'x', creditCode: good, countyCode: '330108' })).statusCode).toBe(403);
  });

  it('creates accounts bound to their org unit or park (admin only)', async () => {
    const parks = (await srv.admin.get('/api/parks')).json() as Array<{ id: string; countyCode: string }>;
    const park = parks.find((p) => p.countyCode === '330106');
    const a = await srv.admin.post('/api/users', { username: 'new-applicant', displayName: '新申报人', password: 'password-123', role: 'applicant', parkId: park?.id });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ role: 'applicant', orgCode: '330106', parkId: park?.id });
    const c = await srv.admin.post('/api/users', { username: 'new-county', displayName: '县', password: 'password-123', role: 'county', orgCode: '330100' });
    expect(c.json()).toMatchObject({ code: 'ORG_UNIT_INVALID' });
    const short = await srv.admin.post('/api/users', { username: 'x1', displayName: '县', password: 'short', role: 'county', orgCode: '330108' });
    expect(short.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ path: 'password', code: 'minLength' }] });
    const dup = await srv.admin.post('/api/users', { username: 'admin', displayName: 'x', password: 'password-123', role: 'admin' });
    expect(dup.json()).toMatchObject({ code: 'DUPLICATE' });
    const list = (await srv.admin.get('/api/users')).json() as Array<{ username: string }>;
    expect(list.map((u) => u.username)).toContain('new-applicant');
    expect((await (await srv.h.login('province')).get('/api/users')).statusCode).toBe(403);
    expect((await srv.h.login('new-applicant', 'password-123')).csrf).toBeTruthy();
  });
});

describe('authorization matrix: accounts, imports, workbook and audit routes', () => {
  const srv = serverFor();

  it('every role other than administrator is refused the administrator’s routes (403), and nothing changes', async () => {
    const admin = await srv.h.login('admin');
    const target = ((await admin.get('/api/users')).json() as Array<{ id: string; username: string }>).find((u) => u.username === 'county-haishu')!;
    const calls: Array<[string, (c: Client) => Promise<{ statusCode: number }>]> = [
      ['reset', (c) => c.post(`/api/users/${target.id}/reset-password`, { password: 'stolen-pass-1' })],
      ['disable', (c) => c.post(`/api/users/${target.id}/disable`)],
      ['enable', (c) => c.post(`/api/users/${target.id}/enable`)],
      ['users import', (c) => c.post('/api/users/import', { workbook: 'AA==' })],
      ['users template', (c) => c.get('/api/users/import-template')],
      ['parks template', (c) => c.get('/api/parks/import-template')],
      ['users', (c) => c.get('/api/users')],
      ['workbook of a version', (c) => c.get('/api/pack-versions/1/workbook')],
      ['workbook export', (c) => c.post('/api/packs/workbook/export', { versionId: 1 })],
      ['workbook import', (c) => c.post('/api/packs/workbook', { versionId: 1, workbook: 'AA==' })],
    ];
    let tried = 0;
    for (const username of ['applicant-hz', 'county-xihu', 'city-hz', 'province']) {
      const c = await srv.h.login(username);
      for (const [name, call] of calls) {
        const res = await call(c);
        expect(res.statusCode, `${username} ${name}`).toBe(403);
        tried++;
      }
      // parks import is open to county reviewers (their own county, checked per row); the audit page to reviewers (their area)
      expect((await c.post('/api/parks/import', { workbook: 'AA==' })).statusCode, username).toBe(username === 'county-xihu' ? 422 : 403);
      expect((await c.get('/api/audit/search')).statusCode, username).toBe(username === 'applicant-hz' ? 403 : 200);
    }
    expect(tried).toBe(40);
    // without a session: 401
    for (const [name, call] of calls) expect((await call(srv.h.anon())).statusCode, name).toBe(401);
    // nothing changed: haishu's reviewer still signs in with the old password
    await srv.h.login('county-haishu');
    // the positive control: the administrator reaches them
    expect((await admin.get('/api/users/import-template')).statusCode).toBe(200);
    expect((await admin.post(`/api/users/${target.id}/disable`)).statusCode).toBe(200);
    expect((await admin.post(`/api/users/${target.id}/enable`)).statusCode).toBe(200);
  });

  it('a reviewer’s audit page holds only their area', async () => {
    const xihu = await srv.h.login('county-xihu');
    await srv.h.login('county-haishu');
    await srv.h.login('applicant-hz');
    await srv.h.login('province');
    const seen = (await xihu.get('/api/audit/search?action=auth&pageSize=200')).json() as { entries: Array<{ actorName: string | null }> };
    expect(seen.entries.length).toBeGreaterThan(0);
    // 西湖区: its reviewer and the applicant of its park; not 海曙区's reviewer, the city or the province
    expect(new Set(seen.entries.map((e) => e.actorName))).toEqual(new Set(['西湖区审核人（演示）', '西湖园区申报人（演示）']));
    const hz = await srv.h.login('city-hz');
    const city = (await hz.get('/api/audit/search?action=auth&pageSize=200')).json() as { entries: Array<{ actorName: string | null }> };
    expect(new Set(city.entries.map((e) => e.actorName))).toEqual(new Set(['西湖区审核人（演示）', '杭州市审核人（演示）', '西湖园区申报人（演示）']));
    expect((await hz.get('/api/audit/search?orgCode=330203')).json()).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('authorization matrix: no role reaches another org unit', () => {
  let h: Harness;
  const clients: Record<string, Client> = {};
  /** submission id → who may see it */
  const subs: Array<{ id: string; owner: string; county: string; city: string; status: string; attachment: string }> = [];

  beforeAll(async () => {
    h = await makeHarness();
    const admin = await h.login('admin');
    // a second county in Hangzhou, a second park in Xihu with its own applicant
    await admin.post('/api/users', { username: 'county-binjiang', displayName: '滨江', password: 'password-123', role: 'county', orgCode: '330108' });
    const code = '91330106MA28CD34E';
    const park = (await admin.post('/api/parks', { name: '西湖第二园', creditCode: code + creditCodeCheckChar(code), countyCode: '330106' })).json() as { id: string };
    await admin.post('/api/users', { username: 'applicant-hz2', displayName: '二园', password: 'password-123', role: 'applicant', parkId: park.id });
    for (const u of ['applicant-hz', 'applicant-nb', 'county-xihu', 'county-haishu', 'city-hz', 'city-nb', 'province', 'admin']) clients[u] = await h.login(u);
    clients['county-binjiang'] = await h.login('county-binjiang', 'password-123');
    clients['applicant-hz2'] = await h.login('applicant-hz2', 'password-123');

    const make = async (applicant: string, county: string, city: string, countyCode: string, cityCode: string, stage: 'draft' | 'submitted' | 'county_passed') => {
      const a = clients[applicant] as Client;
      const s = (await a.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string };
      const att = (await a.req('POST', `/api/submissions/${s.id}/attachments?field=license&filename=a.pdf`, PDF)).json() as { id: string };
      if (stage !== 'draft') await a.post(`/api/submissions/${s.id}/submit`);
      if (stage === 'county_passed') await (clients[county] as Client).post(`/api/submissions/${s.id}/review`, { action: 'pass' });
      subs.push({ id: s.id, owner: applicant, county: countyCode, city: cityCode, status: stage, attachment: att.id });
    };
    for (const stage of ['draft', 'submitted', 'county_passed'] as const) {
      await make('applicant-hz', 'county-xihu', 'city-hz', '330106', '330100', stage);
      await make('applicant-nb', 'county-haishu', 'city-nb', '330203', '330200', stage);
      await make('applicant-hz2', 'county-xihu', 'city-hz', '330106', '330100', stage);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  const scopeOf: Record<string, (s: (typeof subs)[number]) => boolean> = {
    'applicant-hz': (s) => s.owner === 'applicant-hz',
    'applicant-hz2': (s) => s.owner === 'applicant-hz2',
    'applicant-nb': (s) => s.owner === 'applicant-nb',
    'county-xihu': (s) => s.county === '330106' && s.status !== 'draft',
    'county-haishu': (s) => s.county === '330203' && s.status !== 'draft',
    'county-binjiang': () => false,
    'city-hz': (s) => s.city === '330100' && s.status !== 'draft',
    'city-nb': (s) => s.city === '330200' && s.status !== 'draft',
    province: (s) => s.status !== 'draft',
    admin: (s) => s.status !== 'draft',
  };

  it('every role × every submission × every route: outside one’s area is 404 (or 403 for the role), never data', async () => {
    expect(subs.length).toBe(9);
    for (const [user, visible] of Object.entries(scopeOf)) {
      const c = clients[user] as Client;
      const listed = new Set(((await c.get('/api/submissions')).json() as Array<{ id: string }>).map((s) => s.id));
      for (const s of subs) {
        const can = visible(s);
        expect(listed.has(s.id), `${user} lists ${s.owner}/${s.status}`).toBe(can);
        const reads = [
          await c.get(`/api/submissions/${s.id}`),
          await c.get(`/api/submissions/${s.id}/audit`),
          await c.get(`/api/submissions/${s.id}/attachments`),
          await c.get(`/api/attachments/${s.attachment}`),
        ];
        for (const r of reads) expect(r.statusCode, `${user} reads ${s.owner}/${s.status}: ${r.body.slice(0, 100)}`).toBe(can ? 200 : 404);
        if (!can) {
          const writes = [
            await c.put(`/api/submissions/${s.id}`, { data: VALID_DATA }, { 'if-match': '"1"' }),
            await c.post(`/api/submissions/${s.id}/submit`),
            await c.post(`/api/submissions/${s.id}/withdraw`),
            await c.post(`/api/submissions/${s.id}/review`, { action: 'pass' }),
            await c.post(`/api/submissions/${s.id}/scores`, { item: 'score', score: 1, reason: '越权' }),
            await c.req('POST', `/api/submissions/${s.id}/attachments?field=license&filename=b.pdf`, PDF),
          ];
          for (const w of writes) {
            expect([403, 404], `${user} writes ${s.owner}/${s.status}: ${w.statusCode} ${w.body.slice(0, 100)}`).toContain(w.statusCode);
            expect(w.body).not.toContain(s.id);
          }
        }
      }
    }
    // nothing changed by the refused writes
    for (const s of subs) {
      const st = (await (clients.province as Client).get(`/api/submissions/${s.id}`)).json() as { status?: string };
      if (s.status !== 'draft') expect(st.status).toBe(s.status);
    }
  });

  it('parks are visible only inside one’s area', async () => {
    const all = (await (clients.admin as Client).get('/api/parks')).json() as Array<{ id: string; countyCode: string; cityCode: string }>;
    const parkScope: Record<string, (p: (typeof all)[number]) => boolean> = {
      'county-xihu': (p) => p.countyCode === '330106',
      'county-haishu': (p) => p.countyCode === '330203',
      'county-binjiang': (p) => p.countyCode === '330108',
      'city-hz': (p) => p.cityCode === '330100',
      'city-nb': (p) => p.cityCode === '330200',
      province: () => true,
    };
    for (const [user, can] of Object.entries(parkScope)) {
      const c = clients[user] as Client;
      const listed = new Set(((await c.get('/api/parks')).json() as Array<{ id: string }>).map((p) => p.id));
      for (const p of all) {
        expect(listed.has(p.id), `${user} lists park ${p.countyCode}`).toBe(can(p));
        expect((await c.get(`/api/parks/${p.id}`)).statusCode).toBe(can(p) ? 200 : 404);
      }
    }
    const own = (await (clients['applicant-hz'] as Client).get('/api/parks')).json() as unknown[];
    expect(own.length).toBe(1);
  });

  it('reviewers act only on their own level and area; applicants cannot review', async () => {
    const hzSubmitted = subs.find((s) => s.owner === 'applicant-hz' && s.status === 'submitted') as (typeof subs)[number];
    expect((await (clients['applicant-hz'] as Client).post(`/api/submissions/${hzSubmitted.id}/review`, { action: 'pass' })).statusCode).toBe(403);
    expect((await (clients['city-hz'] as Client).post(`/api/submissions/${hzSubmitted.id}/review`, { action: 'pass' })).statusCode).toBe(400);
    expect((await (clients['city-hz'] as Client).post(`/api/submissions/${hzSubmitted.id}/review`, { action: 'recommend' })).json()).toMatchObject({ code: 'INVALID_STATE' });
    expect((await (clients['province'] as Client).post(`/api/submissions/${hzSubmitted.id}/review`, { action: 'approve' })).json()).toMatchObject({ code: 'INVALID_STATE' });
    expect((await (clients['county-haishu'] as Client).get('/api/quotas/' + TEST_PACK_ID)).statusCode).toBe(403);
    const nbQuota = (await (clients['city-nb'] as Client).get('/api/quotas/' + TEST_PACK_ID)).json() as Array<{ orgCode: string }>;
    expect(nbQuota.map((q) => q.orgCode)).toEqual(['330200']);
    expect(((await (clients.province as Client).get('/api/quotas/' + TEST_PACK_ID)).json() as unknown[]).length).toBe(11);
    expect((await (clients['applicant-hz'] as Client).get('/api/audit')).statusCode).toBe(403);
  });
});

describe('request timeout', () => {
  it('answers 503 with a Chinese message when a handler runs too long', async () => {
    const h = await makeHarness({ handlerTimeout: 50, packFiles: null });
    try {
      // a route is private unless marked public (this one stands for any slow handler)
      h.app.get('/api/test-slow', { config: { public: true }, schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async () => {
        await new Promise((r) => setTimeout(r, 400));
        return { ok: true };
      });
      const r = await h.app.inject({ method: 'GET', url: '/api/test-slow' });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ code: 'REQUEST_TIMEOUT' });
    } finally {
      await h.close();
    }
  });
});

describe('serves the web app', () => {
  it('serves index.html at / and for client-side routes, never for /api', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'yp-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>园评</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const h = await makeHarness({ webDir: dir, packFiles: null });
    try {
      const root = await h.app.inject({ method: 'GET', url: '/' });
      expect(root.statusCode).toBe(200);
      expect(root.body).toContain('园评');
      expect((await h.app.inject({ method: 'GET', url: '/app.js' })).body).toBe('console.log(1)');
      const deep = await h.app.inject({ method: 'GET', url: '/review/123' });
      expect(deep.statusCode).toBe(200);
      expect(deep.headers['content-type']).toMatch(/text\/html/);
      const api = await h.app.inject({ method: 'GET', url: '/api/nope' });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    } finally {
      await h.close();
    }
  });
});
