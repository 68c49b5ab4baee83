import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './app.js';
import { type Client } from './testing/harness.js';
import { serverFor } from '../../../test/support/server.js';

/**
 * Review paths of the 2021 star pack (seed 000 三（一）、三（二）): a 1–3★ application is decided by
 * the city (by 08-20) and filed with the province; a 4/5★ one is filled 08-20…08-25, recommended by
 * the city (by 08-31) and rated by the province, whose return goes back to the city. Inputs are the
 * pack's own rule-set fixtures (08: 二星级 manufacturing park, grade C; 14: 四星级 at the boundaries).
 */
const STAR = 'zj-2021-evaluation-star';
const fixture = (name: string) => (JSON.parse(readFileSync(join(REPO_ROOT, 'rules', STAR, 'fixtures', name), 'utf8')) as { input: Record<string, unknown> }).input;
const TWO = fixture('08-m2-grade-c.json');
const FOUR = fixture('14-m4-at-boundaries.json');

interface Detail {
  id: string;
  status: string;
  statusLabel: string;
  decision?: string | null;
  actions: string[];
  reviewPath: { id: string; label: string; filedWith: string | null } | null;
  returnsTo: string | null;
}

describe('review paths by requested star level (2021 star pack)', () => {
  const srv = serverFor({ packFiles: null, repoPacks: true }, { applicant: 'applicant-hz', county: 'county-xihu', city: 'city-hz', province: 'province' });

  /** 10:00 China Standard Time on a day of 2021 */
  const at = (day: string) => srv.h.setNow(`2021-${day}T02:00:00Z`);

  async function draft(data: Record<string, unknown>): Promise<string> {
    const r = await srv.applicant.post('/api/submissions', { packId: STAR, formId: 'star-application', data });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { id: string }).id;
  }
  const detail = async (who: Client, id: string) => (await who.get(`/api/submissions/${id}`)).json() as Detail;
  /** the level confirms what the applicant ticked (x-review: confirm) when it must */
  async function confirmAll(who: Client, id: string): Promise<void> {
    const st = (await who.get(`/api/submissions/${id}/confirmations`)).json() as { fields: Array<{ field: string; items: Array<{ item: unknown }> }>; me: { required: boolean } };
    const items = st.fields.flatMap((f) => f.items.map((i) => ({ field: f.field, item: i.item, verdict: 'confirmed' })));
    if (!st.me.required || items.length === 0) return;
    const r = await who.post(`/api/submissions/${id}/confirmations`, { items });
    expect(r.statusCode, r.body).toBe(201);
  }
  async function act(who: Client, id: string, action: string, comment = '同意') {
    await confirmAll(who, id);
    return who.post(`/api/submissions/${id}/review`, { action, comment });
  }

  it('a 2★ application is decided by the city before 08-20 and filed with the srv.province; a 4★ one waits for its own window', async () => {
    at('08-10');
    const two = await draft(TWO);
    const submitted = await srv.applicant.post(`/api/submissions/${two}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    // 4/5★ are received online 08-20…08-25 only
    const four = await draft(FOUR);
    const early = await srv.applicant.post(`/api/submissions/${four}/submit`);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'WINDOW_NOT_OPEN' });

    expect((await detail(srv.county, two)).actions).toEqual(['pass', 'return', 'rescore']);
    expect((await act(srv.county, two, 'pass')).statusCode).toBe(200);
    // the city decides 1–3★ itself: approve / reject, no recommendation up
    const forCity = await detail(srv.city, two);
    expect(forCity.reviewPath).toMatchObject({ id: 'star-1-3', filedWith: 'province' });
    expect(forCity.actions).toEqual(['approve', 'reject', 'return', 'rescore']);
    // only the levels on its path confirm the applicant's ticks: the province never sees it for review
    const conf = (await srv.city.get(`/api/submissions/${two}/confirmations`)).json() as { fields: Array<{ levels: string[] }> };
    expect(conf.fields.length).toBeGreaterThan(0);
    expect(conf.fields.every((f) => f.levels.join() === 'county,city')).toBe(true);
    const rec = await srv.city.post(`/api/submissions/${two}/review`, { action: 'recommend', comment: '推荐' });
    expect(rec.statusCode).toBe(400);
    const decided = await act(srv.city, two, 'approve', '评定为二星级');
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'approved', decision: 'approve', statusLabel: '市级评定通过（结果报备省级）' });
    // the province sees the filed result and has nothing to do with it
    const filed = await detail(srv.province, two);
    expect(filed.status).toBe('approved');
    expect(filed.actions).toEqual([]);
    expect((await srv.province.post(`/api/submissions/${two}/review`, { action: 'approve' })).statusCode).toBe(409);
  });

  it("the city's 1–3★ decision closes on 08-20 while its 4/5★ recommendation stays open to 08-31", async () => {
    at('08-12');
    const late = await draft(TWO);
    expect((await srv.applicant.post(`/api/submissions/${late}/submit`)).statusCode).toBe(200);
    expect((await act(srv.county, late, 'pass')).statusCode).toBe(200);
    at('08-21');
    const refused = await act(srv.city, late, 'approve');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'WINDOW_CLOSED', details: { closes: '2021-08-20' } });
    // and a 1–3★ application can no longer be submitted
    const after = await draft(TWO);
    const sub = await srv.applicant.post(`/api/submissions/${after}/submit`);
    expect(sub.statusCode).toBe(409);
    expect(sub.json()).toMatchObject({ code: 'WINDOW_CLOSED' });
  });

  it('a 4★ application goes county → city recommendation → srv.province; the province returns it one level down, to the city', async () => {
    at('08-21');
    const four = await draft(FOUR);
    const submitted = await srv.applicant.post(`/api/submissions/${four}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((await act(srv.county, four, 'pass')).statusCode).toBe(200);
    const forCity = await detail(srv.city, four);
    expect(forCity.reviewPath).toMatchObject({ id: 'star-4-5', filedWith: null });
    expect(forCity.actions).toEqual(['recommend', 'reject', 'return', 'rescore']);
    expect((await act(srv.city, four, 'recommend', '同意推荐')).json()).toMatchObject({ status: 'city_recommended' });
    const forProvince = await detail(srv.province, four);
    expect(forProvince.actions).toEqual(['approve', 'reject', 'return', 'rescore']);
    expect(forProvince.returnsTo).toBe('city');
    const back = await act(srv.province, four, 'return', '请市里核实亩均税收');
    expect(back.statusCode, back.body).toBe(200);
    // back in the city's queue, not the applicant's
    expect(back.json()).toMatchObject({ status: 'county_passed' });
    expect((await detail(srv.applicant, four)).actions).toEqual([]);
    expect((await detail(srv.city, four)).actions).toContain('recommend');
    at('08-30');
    expect((await act(srv.city, four, 'recommend', '已核实，再次推荐')).json()).toMatchObject({ status: 'city_recommended' });
    const approved = await act(srv.province, four, 'approve', '评定为四星级');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decision: 'approve', statusLabel: '省级评定通过' });
    const steps = ((await srv.applicant.get(`/api/submissions/${four}`)).json() as { reviews: Array<{ level: string; action: string; toStatus: string }> }).reviews;
    expect(steps.map((r) => `${r.level}:${r.action}:${r.toStatus}`)).toEqual([
      'applicant:submit:submitted',
      'county:pass:county_passed',
      'city:recommend:city_recommended',
      'province:return:county_passed',
      'city:recommend:city_recommended',
      'province:approve:approved',
    ]);
  });

  it("bulk review's forward action is the level's own on each path: the city approves a 2★ and recommends a 4★", async () => {
    at('08-20');
    const two = await draft(TWO);
    const four = await draft(FOUR);
    for (const id of [two, four]) {
      expect((await srv.applicant.post(`/api/submissions/${id}/submit`)).statusCode).toBe(200);
      // forward is held up like pass while the applicant's ticks are not confirmed at the level
      const held = await srv.county.post(`/api/submissions/${id}/review`, { action: 'forward' });
      expect(held.json()).toMatchObject({ code: 'CONFIRMATION_INCOMPLETE' });
      expect((await act(srv.county, id, 'forward')).json()).toMatchObject({ status: 'county_passed' });
    }
    expect((await act(srv.city, two, 'forward')).json()).toMatchObject({ status: 'approved', decision: 'approve' });
    expect((await act(srv.city, four, 'forward')).json()).toMatchObject({ status: 'city_recommended' });
  });

  it('a 1–3★ return from the city goes to the applicant (the pack declares no one-level-down return there)', async () => {
    at('08-15');
    const two = await draft(TWO);
    expect((await srv.applicant.post(`/api/submissions/${two}/submit`)).statusCode).toBe(200);
    expect((await act(srv.county, two, 'pass')).statusCode).toBe(200);
    expect((await detail(srv.city, two)).returnsTo).toBe('applicant');
    const back = await act(srv.city, two, 'return', '请补充证明材料');
    expect(back.json()).toMatchObject({ status: 'returned' });
    expect((await detail(srv.applicant, two)).actions).toContain('submit');
  });
});
