/**
 * The authorization matrix: every role × all 11 cities × every route. Each city gets a city
 * reviewer and TWO counties (the first two of the city in the divisions), each county with a park,
 * an applicant, a county reviewer and its own submissions (draft, submitted, county-passed), an
 * attachment, a submitted county table report and a cohort run.
 *   - across cities: every applicant, county and city actor of a city's first county tries every
 *     route on every other city's (first county's) resources;
 *   - within a city: every applicant and county reviewer of each county tries every route on the
 *     other county's resources of the same city (a county reviewer must not reach a neighbouring
 *     county any more than another city);
 * never anything but 403/404, and nothing changes. Listings hold only the actor's own area.
 * Positive controls (the same routes on one's own area) prove the matrix is not vacuous.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Harness } from '../../apps/server/src/testing/harness.js';
import { makeHarness, PG_URL } from '../../apps/server/src/testing/harness.js';
import { TEST_PACK_ID } from '../../apps/server/src/testing/fixture-pack.js';
import { creditCodeCheckChar } from '../../apps/server/src/ids.js';
import { VALID_DATA } from './helpers.js';

/** A valid unified social credit code (the check character right), so only the area can refuse it. */
const FOREIGN_PARK_CODE = `91330106MA27XY999${creditCodeCheckChar('91330106MA27XY999') ?? '0'}`;

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(32)]);

/** One county of a city with its own actors and resources. */
interface CityWorld {
  city: string;
  county: string;
  parkId: string;
  applicant: Client;
  countyUser: Client;
  /** the city reviewer of `city` (shared by the city's two counties) */
  cityUser: Client;
  draft: string;
  submitted: string;
  passed: string;
  attachment: string;
  cohortRun: string;
  /** a notification to the county's reviewers and one to the park */
  notes: number[];
}

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];

describe.each(backends)('authorization matrix (%s)', (backend) => {
  let h: Harness;
  let province: Client;
  let admin: Client;
  /** the first county of each city */
  const world: CityWorld[] = [];
  /** the second county of each city, by city code */
  const sibling = new Map<string, CityWorld>();
  const all = () => [...world, ...sibling.values()];
  const siblingOf = (a: CityWorld) => sibling.get(a.city) as CityWorld;
  const snapshot = new Map<string, { version: number; status: string }>();

  beforeAll(async () => {
    h = await makeHarness({ backend });
    const hash = (await h.storage.getUserByUsername('admin'))?.passwordHash as string;
    const cities = await h.storage.listOrgUnits({ level: 'city' });
    expect(cities.length).toBe(11);
    for (const c of cities) {
      const counties = (await h.storage.listOrgUnits({ parentCode: c.code, level: 'county' })).slice(0, 2);
      if (counties.length < 2) throw new Error(`fewer than two counties in ${c.code}`);
      await h.storage.createUser({ username: `city-${c.code}`, displayName: `市 ${c.code}`, passwordHash: hash, role: 'city', orgCode: c.code, parkId: null });
      const cityUser = await h.login(`city-${c.code}`);
      const units: CityWorld[] = [];
      for (const county of counties) {
        const park = await h.storage.createPark({ name: `矩阵园区 ${county.code}`, creditCode: `MATRIX${county.code}`, countyCode: county.code, cityCode: c.code, contactName: null, contactMobile: null });
        await h.storage.createUser({ username: `app-${county.code}`, displayName: `申报 ${county.code}`, passwordHash: hash, role: 'applicant', orgCode: county.code, parkId: park.id });
        await h.storage.createUser({ username: `county-${county.code}`, displayName: `县 ${county.code}`, passwordHash: hash, role: 'county', orgCode: county.code, parkId: null });
        const [applicant, countyUser] = await Promise.all([h.login(`app-${county.code}`), h.login(`county-${county.code}`)]);
        const create = async () => {
          const r = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
          expect(r.statusCode).toBe(201);
          return (r.json() as { id: string }).id;
        };
        const draft = await create();
        const submitted = await create();
        const passed = await create();
        for (const id of [submitted, passed]) expect((await applicant.post(`/api/submissions/${id}/submit`)).statusCode).toBe(200);
        expect((await countyUser.post(`/api/submissions/${passed}/review`, { action: 'pass' })).statusCode).toBe(200);
        const att = await applicant.req('POST', `/api/submissions/${draft}/attachments?field=license&filename=a.png`, PNG, { 'content-type': 'application/octet-stream' });
        expect(att.statusCode, att.body).toBe(201);
        expect((await countyUser.put(`/api/tables/${TEST_PACK_ID}/sum`, { rows: [{ park: park.name, area: 10 }] })).statusCode).toBe(200);
        expect((await countyUser.post(`/api/tables/${TEST_PACK_ID}/sum/submit`)).statusCode).toBe(200);
        const run = await countyUser.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', records: [{ park: park.name, area: 10 }] });
        expect(run.statusCode).toBe(201);
        const notes = await h.storage.addNotifications([
          { orgCode: county.code, kind: 'matrix', title: `县 ${county.code} 的通知` },
          { parkId: park.id, kind: 'matrix', title: `园区 ${county.code} 的通知` },
        ]);
        units.push({
          notes: notes.map((n) => n.id),
          city: c.code,
          county: county.code,
          parkId: park.id,
          applicant,
          countyUser,
          cityUser,
          draft,
          submitted,
          passed,
          attachment: (att.json() as { id: string }).id,
          cohortRun: (run.json() as { id: string }).id,
        });
      }
      world.push(units[0] as CityWorld);
      sibling.set(c.code, units[1] as CityWorld);
    }
    [province, admin] = await Promise.all([h.login('province'), h.login('admin')]);
    for (const w of all()) {
      for (const id of [w.draft, w.submitted, w.passed]) {
        const s = await h.storage.getSubmission(id);
        snapshot.set(id, { version: s?.version ?? -1, status: s?.status ?? '' });
      }
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Every route, aimed at city `t`'s resources. */
  function routes(t: CityWorld): Array<{ name: string; call: (c: Client) => Promise<{ statusCode: number }> }> {
    const v = (id: string) => `"${snapshot.get(id)?.version ?? 1}"`;
    return [
      { name: 'GET submission (draft)', call: (c) => c.get(`/api/submissions/${t.draft}`) },
      { name: 'GET submission (submitted)', call: (c) => c.get(`/api/submissions/${t.submitted}`) },
      { name: 'GET submission (county passed)', call: (c) => c.get(`/api/submissions/${t.passed}`) },
      { name: 'PUT submission', call: (c) => c.put(`/api/submissions/${t.draft}`, { data: { ...VALID_DATA, firms: 99 } }, { 'if-match': v(t.draft) }) },
      { name: 'POST submit', call: (c) => c.post(`/api/submissions/${t.draft}/submit`) },
      { name: 'POST withdraw', call: (c) => c.post(`/api/submissions/${t.submitted}/withdraw`, {}) },
      { name: 'POST review pass', call: (c) => c.post(`/api/submissions/${t.submitted}/review`, { action: 'pass' }) },
      { name: 'POST review return', call: (c) => c.post(`/api/submissions/${t.submitted}/review`, { action: 'return', comment: '越权退回' }) },
      { name: 'POST review recommend', call: (c) => c.post(`/api/submissions/${t.passed}/review`, { action: 'recommend' }) },
      { name: 'POST review reject', call: (c) => c.post(`/api/submissions/${t.passed}/review`, { action: 'reject', comment: '越权' }) },
      { name: 'POST scores', call: (c) => c.post(`/api/submissions/${t.submitted}/scores`, { item: 'countyScore', score: 1, reason: '越权' }) },
      { name: 'GET audit of a submission', call: (c) => c.get(`/api/submissions/${t.submitted}/audit`) },
      { name: 'GET attachments', call: (c) => c.get(`/api/submissions/${t.draft}/attachments`) },
      { name: 'POST attachment', call: (c) => c.req('POST', `/api/submissions/${t.draft}/attachments?field=license&filename=b.png`, PNG, { 'content-type': 'application/octet-stream' }) },
      { name: 'GET attachment', call: (c) => c.get(`/api/attachments/${t.attachment}`) },
      { name: 'GET park', call: (c) => c.get(`/api/parks/${t.parkId}`) },
      { name: 'POST park in that county', call: (c) => c.post('/api/parks', { name: '越权园区', creditCode: FOREIGN_PARK_CODE, countyCode: t.county }) },
      { name: 'GET cohort run', call: (c) => c.get(`/api/cohort-runs/${t.cohortRun}`) },
      { name: 'GET cohort run xlsx', call: (c) => c.get(`/api/cohort-runs/${t.cohortRun}/xlsx`) },
      { name: 'POST table return', call: (c) => c.post(`/api/tables/${TEST_PACK_ID}/sum/return`, { orgCode: t.county, comment: '越权退回' }) },
      { name: 'GET table xlsx of that county', call: (c) => c.get(`/api/tables/${TEST_PACK_ID}/sum/xlsx?orgCode=${t.county}`) },
      { name: 'GET consistency (submitted)', call: (c) => c.get(`/api/submissions/${t.submitted}/consistency`) },
      { name: 'GET consistency (draft)', call: (c) => c.get(`/api/submissions/${t.draft}/consistency`) },
      { name: 'GET prefill', call: (c) => c.get(`/api/submissions/${t.draft}/prefill`) },
      { name: 'POST consistency accept', call: (c) => c.post(`/api/submissions/${t.draft}/consistency/accept`, { reason: '越权接受不一致' }) },
      { name: 'GET confirmations (submitted)', call: (c) => c.get(`/api/submissions/${t.submitted}/confirmations`) },
      { name: 'POST confirmations (submitted)', call: (c) => c.post(`/api/submissions/${t.submitted}/confirmations`, { items: [{ field: 'firms', item: 1, verdict: 'confirmed' }] }) },
      { name: 'POST confirmations (county passed)', call: (c) => c.post(`/api/submissions/${t.passed}/confirmations`, { items: [{ field: 'firms', item: 1, verdict: 'disputed', reason: '越权' }] }) },
      { name: 'GET attachment info', call: (c) => c.get(`/api/attachments/${t.attachment}/info`) },
      { name: 'POST reminders to that county', call: (c) => c.post('/api/reminders', { packId: TEST_PACK_ID, formId: 'sum', targets: [t.county] }) },
      { name: 'POST reminders to that park', call: (c) => c.post('/api/reminders', { packId: TEST_PACK_ID, targets: [t.parkId] }) },
      { name: 'POST notifications read (that county’s, that park’s)', call: (c) => c.post('/api/notifications/read', { ids: t.notes }) },
    ];
  }

  it('no actor reaches another city’s data by any route', async () => {
    let tried = 0;
    const leaks: string[] = [];
    for (const a of world) {
      for (const [role, client] of [
        ['applicant', a.applicant],
        ['county', a.countyUser],
        ['city', a.cityUser],
      ] as const) {
        for (const t of world) {
          if (t.city === a.city) continue;
          for (const r of routes(t)) {
            const res = await r.call(client);
            tried++;
            if (res.statusCode !== 403 && res.statusCode !== 404) leaks.push(`${role}@${a.city} → ${r.name} of ${t.city}: ${res.statusCode}`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
    console.log(`[authz ${backend}] ${tried} cross-city requests (3 roles × 11 cities × 10 other cities × ${routes(world[0] as CityWorld).length} routes): all 403/404`);
    await expectNothingChanged();
  });

  it('no applicant or county reviewer reaches another county’s data in the same city by any route', async () => {
    let tried = 0;
    const leaks: string[] = [];
    for (const a of all()) {
      const t = a === siblingOf(a) ? (world.find((w) => w.city === a.city) as CityWorld) : siblingOf(a);
      expect(t.city).toBe(a.city);
      expect(t.county).not.toBe(a.county);
      for (const [role, client] of [
        ['applicant', a.applicant],
        ['county', a.countyUser],
      ] as const) {
        for (const r of routes(t)) {
          const res = await r.call(client);
          tried++;
          if (res.statusCode !== 403 && res.statusCode !== 404) leaks.push(`${role}@${a.county} → ${r.name} of ${t.county} (same city ${a.city}): ${res.statusCode}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(tried).toBe(11 * 2 * 2 * routes(world[0] as CityWorld).length);
    console.log(`[authz ${backend}] ${tried} cross-county requests within a city (2 roles × 11 cities × 2 counties × ${routes(world[0] as CityWorld).length} routes): all 403/404`);
    await expectNothingChanged();
  });

  async function expectNothingChanged(): Promise<void> {
    for (const [id, before] of snapshot) {
      const s = await h.storage.getSubmission(id);
      expect({ version: s?.version, status: s?.status }).toEqual(before);
    }
    expect(await h.storage.getParkByCreditCode(FOREIGN_PARK_CODE)).toBeNull();
    for (const w of all()) {
      const rep = await h.storage.getTableReport(TEST_PACK_ID, 'sum', w.county);
      expect(rep?.status).toBe('submitted');
      const accepted = (await w.countyUser.get(`/api/submissions/${w.draft}/consistency`)).json() as { acceptances: unknown[] };
      expect(accepted.acceptances).toEqual([]);
      const atts = (await w.applicant.get(`/api/submissions/${w.draft}/attachments`)).json() as unknown[];
      expect(atts.length).toBe(1);
    }
  }

  it('listings hold only the actor’s own area', async () => {
    for (const a of all()) {
      const b = a === siblingOf(a) ? (world.find((w) => w.city === a.city) as CityWorld) : siblingOf(a);
      const subsOf = async (c: Client) => (await c.get('/api/submissions')).json() as Array<{ id: string; cityCode: string; countyCode: string; parkId: string; status: string }>;
      const own = await subsOf(a.applicant);
      expect(own.length).toBe(3);
      expect(own.every((s) => s.parkId === a.parkId)).toBe(true);
      const county = await subsOf(a.countyUser);
      expect(county.map((s) => s.id).sort()).toEqual([a.submitted, a.passed].sort());
      expect(county.every((s) => s.countyCode === a.county && s.status !== 'draft')).toBe(true);
      const city = await subsOf(a.cityUser);
      expect(city.every((s) => s.cityCode === a.city && s.status !== 'draft')).toBe(true);
      expect(city.map((s) => s.id)).toEqual(expect.arrayContaining([a.submitted, a.passed, b.submitted, b.passed]));
      for (const c of [a.applicant, a.countyUser, a.cityUser]) {
        const parks = (await c.get('/api/parks')).json() as Array<{ id: string; cityCode: string; countyCode: string }>;
        expect(parks.map((p) => p.id)).toContain(a.parkId);
        expect(parks.every((p) => p.cityCode === a.city)).toBe(true);
        if (c !== a.cityUser) expect(parks.every((p) => p.countyCode === a.county)).toBe(true);
        expect((await c.get('/api/audit')).statusCode).toBe(403);
        expect((await c.get('/api/users')).statusCode).toBe(403);
        expect((await c.post('/api/users', { username: 'x-user', displayName: 'x', password: 'password-1', role: 'admin' })).statusCode).toBe(403);
        expect((await c.post('/api/packs', { ref: 'zj-2021-evaluation-star' })).statusCode).toBe(403);
      }
      const runs = (await a.cityUser.get('/api/cohort-runs')).json() as Array<{ orgCode: string }>;
      expect(runs.map((r) => r.orgCode).sort()).toEqual([a.county, b.county].sort());
      expect(((await a.countyUser.get('/api/cohort-runs')).json() as Array<{ orgCode: string }>).map((r) => r.orgCode)).toEqual([a.county]);
      expect((await a.applicant.get('/api/cohort-runs')).statusCode).toBe(403);
      const quotas = (await a.cityUser.get(`/api/quotas/${TEST_PACK_ID}`)).json() as Array<{ orgCode: string }>;
      expect(quotas.every((q) => q.orgCode === a.city)).toBe(true);
      const table = (await a.cityUser.get(`/api/tables/${TEST_PACK_ID}/sum`)).json() as { parts: Array<{ orgCode: string; status: string }>; combined: unknown[] };
      expect(table.parts.every((p) => p.orgCode.startsWith(a.city.slice(0, 4)))).toBe(true);
      expect(table.parts.filter((p) => p.status === 'submitted').map((p) => p.orgCode).sort()).toEqual([a.county, b.county].sort());
      expect(table.combined.length).toBe(2);
      const countyTable = (await a.countyUser.get(`/api/tables/${TEST_PACK_ID}/sum`)).json() as { own: { orgCode: string } | null; parts: unknown[]; combined: unknown[] };
      expect(countyTable.own?.orgCode).toBe(a.county);
      expect(countyTable.parts).toEqual([]);
      expect(countyTable.combined.length).toBe(1);
      // the bell and the home hold only one's own notifications and units
      for (const [c, own] of [
        [a.applicant, `园区 ${a.county} 的通知`],
        [a.countyUser, `县 ${a.county} 的通知`],
      ] as const) {
        const bell = (await c.get('/api/notifications')).json() as { items: Array<{ kind: string; title: string }> };
        expect(bell.items.filter((n) => n.kind === 'matrix').map((n) => n.title)).toEqual([own]);
      }
      const cityHome = (await a.cityUser.get('/api/home')).json() as { progress: Array<{ units: Array<{ target: string }> }> };
      expect(cityHome.progress.flatMap((p) => p.units).every((x) => x.target.startsWith(a.city.slice(0, 4)))).toBe(true);
      const countyHome = (await a.countyUser.get('/api/home')).json() as { progress: Array<{ units: Array<{ target: string }> }> };
      const parksHere = new Set((await h.storage.listParks({ countyCode: a.county })).map((p) => p.id));
      const targets = countyHome.progress.flatMap((p) => p.units).map((x) => x.target);
      expect(targets).toContain(a.parkId);
      expect(targets.every((x) => parksHere.has(x))).toBe(true);
      const pending = await a.countyUser.get('/api/consistency/pending');
      expect(pending.statusCode).toBe(200);
      expect((pending.json() as Array<{ parkId: string }>).every((x) => x.parkId === a.parkId)).toBe(true);
    }
  });

  it('positive controls: own area and the province see what they should', async () => {
    for (const a of all()) {
      for (const id of [a.draft, a.submitted, a.passed]) expect((await a.applicant.get(`/api/submissions/${id}`)).statusCode).toBe(200);
      expect((await a.applicant.get(`/api/submissions/${a.draft}/attachments`)).statusCode).toBe(200);
      expect((await a.applicant.get(`/api/submissions/${a.draft}/prefill`)).statusCode).toBe(200);
      expect((await a.applicant.get(`/api/parks/${a.parkId}`)).statusCode).toBe(200);
      expect((await a.countyUser.get(`/api/submissions/${a.submitted}`)).statusCode).toBe(200);
      expect((await a.countyUser.get(`/api/submissions/${a.submitted}/audit`)).statusCode).toBe(200);
      expect((await a.countyUser.get(`/api/submissions/${a.draft}`)).statusCode).toBe(404);
      expect((await a.countyUser.get(`/api/submissions/${a.draft}/consistency`)).statusCode).toBe(200);
      expect((await a.countyUser.get(`/api/submissions/${a.submitted}/consistency`)).statusCode).toBe(200);
      expect((await a.countyUser.get(`/api/parks/${a.parkId}`)).statusCode).toBe(200);
      expect((await a.countyUser.get(`/api/cohort-runs/${a.cohortRun}`)).statusCode).toBe(200);
      expect((await a.countyUser.get(`/api/cohort-runs/${a.cohortRun}/xlsx`)).statusCode).toBe(200);
      expect((await a.countyUser.get(`/api/tables/${TEST_PACK_ID}/sum/xlsx?orgCode=${a.county}`)).statusCode).toBe(200);
      // in one's own area the accept is refused for its state (nothing to accept), not hidden
      const accept = await a.countyUser.post(`/api/submissions/${a.draft}/consistency/accept`, { reason: '本县接受' });
      expect(accept.statusCode).toBe(409);
      expect((accept.json() as { code: string }).code).toBe('CONSISTENCY_NOTHING_TO_ACCEPT');
      expect((await a.cityUser.get(`/api/submissions/${a.passed}`)).statusCode).toBe(200);
      expect((await a.cityUser.get(`/api/cohort-runs/${a.cohortRun}`)).statusCode).toBe(200);
      expect((await a.cityUser.get(`/api/cohort-runs/${a.cohortRun}/xlsx`)).statusCode).toBe(200);
      expect((await a.cityUser.get(`/api/tables/${TEST_PACK_ID}/sum/xlsx?orgCode=${a.county}`)).statusCode).toBe(200);
      expect((await a.applicant.get(`/api/attachments/${a.attachment}`)).statusCode).toBe(200);
      expect((await a.applicant.get(`/api/attachments/${a.attachment}/info`)).statusCode).toBe(200);
      expect((await a.countyUser.get(`/api/submissions/${a.submitted}/confirmations`)).statusCode).toBe(200);
      expect((await a.cityUser.get(`/api/submissions/${a.passed}/confirmations`)).statusCode).toBe(200);
      // 催报 and read marks in one's own area: refused for their state (everyone reported), not hidden; one's own notes marked
      expect(((await a.cityUser.post('/api/reminders', { packId: TEST_PACK_ID, formId: 'sum', targets: [a.county] })).json() as { code: string }).code).toBe('REMIND_NOTHING');
      expect(((await a.countyUser.post('/api/reminders', { packId: TEST_PACK_ID, targets: [a.parkId] })).json() as { code: string }).code).toBe('REMIND_NOTHING');
      expect((await a.countyUser.post('/api/notifications/read', { ids: [a.notes[0]] })).statusCode).toBe(200);
      expect((await a.applicant.post('/api/notifications/read', { ids: [a.notes[1]] })).statusCode).toBe(200);
      // in one's own area a confirmation of a field that asks for none is refused for its content, not hidden
      expect((await a.countyUser.post(`/api/submissions/${a.submitted}/confirmations`, { items: [{ field: 'firms', item: 1, verdict: 'confirmed' }] })).statusCode).toBe(400);
      // the province sees every city, never a draft; the administrator reviews nothing
      expect((await province.get(`/api/submissions/${a.submitted}`)).statusCode).toBe(200);
      expect((await province.get(`/api/submissions/${a.draft}`)).statusCode).toBe(404);
      expect((await province.post(`/api/submissions/${a.submitted}/review`, { action: 'approve' })).statusCode).toBe(409);
      expect((await admin.post(`/api/submissions/${a.submitted}/review`, { action: 'pass' })).statusCode).toBe(403);
      expect((await admin.put(`/api/submissions/${a.draft}`, { data: VALID_DATA }, { 'if-match': '"1"' })).statusCode).toBe(404);
    }
    const listed = (await province.get('/api/submissions')).json() as Array<{ cityCode: string; countyCode: string; status: string }>;
    expect(new Set(listed.map((s) => s.cityCode)).size).toBe(11);
    expect(new Set(listed.map((s) => s.countyCode)).size).toBeGreaterThanOrEqual(22);
    expect(listed.every((s) => s.status !== 'draft')).toBe(true);
  });

  it('the city reviewer acts on both of its counties (the within-city matrix is not vacuous for the city)', async () => {
    for (const a of all()) {
      expect((await a.cityUser.get(`/api/submissions/${a.submitted}`)).statusCode).toBe(200);
      expect((await a.cityUser.get(`/api/parks/${a.parkId}`)).statusCode).toBe(200);
      expect((await a.cityUser.get(`/api/submissions/${a.draft}/consistency`)).statusCode).toBe(200);
    }
  });
});
