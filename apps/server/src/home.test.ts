import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '@yuanping/storage';
import { makeHarness, PG_URL, VALID_DATA, type Client, type Harness } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import type { OutboundChannel } from './notify.js';

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];

interface Note {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  read: boolean;
}
interface Bell {
  unread: number;
  items: Note[];
}
interface Home {
  role: string;
  deadlines: Array<{ stageId: string; label: string; closes: string; daysLeft: number }>;
  reminders: Note[];
  unread: number;
  applications?: Array<{ id: string; status: string; statusLabel: string; lastComment: string | null; result: { text: string } | null }>;
  todo?: Array<{ kind: string; text: string; link: string }>;
  counts?: { waiting: { label: string; count: number } };
  progress?: Array<{ formId: string | null; reported: number; total: number; units: Array<{ target: string; name: string; reported: boolean; statusLabel: string }> }>;
  quotas?: Array<{ quotaId: string; rows: Array<{ orgCode: string; used: number; limit: number }> }>;
}

describe.each(backends)('homes, notifications and 催报 on %s', { timeout: 600_000 }, (backend) => {
  let h: Harness;
  let applicant: Client;
  let county: Client;
  let city: Client;
  let province: Client;
  const sent: Notification[] = [];
  const outbound: OutboundChannel = {
    name: 'test',
    async send(n) {
      sent.push(n);
    },
  };

  beforeAll(async () => {
    // the clock: 2021-08-22 10:00 in China, three days before the applicants' window closes (08-25)
    h = await makeHarness({ backend, outbound });
    [applicant, county, city, province] = await Promise.all([h.login('applicant-hz'), h.login('county-xihu'), h.login('city-hz'), h.login('province')]);
    // PGlite start-up and four scrypt sign-ins: no wall-clock budget on a loaded machine
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  }, 600_000);

  const home = async (c: Client) => {
    const r = await c.get('/api/home');
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Home;
  };
  const bell = async (c: Client) => {
    const r = await c.get('/api/notifications');
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Bell;
  };

  it('an applicant sees the deadline ahead, the 3-day reminder once however often and however concurrently it looks, and what to do', async () => {
    const [a, b] = await Promise.all([home(applicant), home(applicant)]);
    expect(a.deadlines).toEqual([expect.objectContaining({ stageId: 'fill', closes: '2021-08-25', daysLeft: 3 })]);
    expect(b.deadlines[0]?.daysLeft).toBe(3);
    await bell(applicant);
    const notes = (await bell(applicant)).items.filter((n) => n.kind === 'deadline');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.title).toContain('2021-08-25');
    expect(sent.filter((n) => n.kind === 'deadline' && n.parkId)).toHaveLength(1);
    expect(a.todo?.map((t) => t.kind)).toEqual(['start']);
    // one day before: the 1-day reminder, once
    h.setNow('2021-08-24T02:00:00Z');
    await Promise.all([bell(applicant), bell(applicant)]);
    expect((await bell(applicant)).items.filter((n) => n.kind === 'deadline').map((n) => n.title)).toEqual([expect.stringContaining('还有 1 天'), expect.stringContaining('还有 3 天')]);
    h.setNow('2021-08-22T02:00:00Z');
    // reviewers of a level without a window see no deadline; the city sees its own (08-31)
    expect((await home(county)).deadlines).toEqual([]);
    expect((await home(city)).deadlines.map((d) => d.closes)).toEqual(['2021-08-31']);
  });

  let subId = '';
  it('a return reaches the applicant (bell, home to-do with the comment, outbound); the decided result shows on the home and the application', async () => {
    const c = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: { name: '园' } });
    expect(c.statusCode, c.body).toBe(201);
    subId = (c.json() as { id: string }).id;
    const draftHome = await home(applicant);
    expect(draftHome.todo?.find((t) => t.kind === 'draft')?.text).toMatch(/还有 2 处/);
    await applicant.put(`/api/submissions/${subId}`, { data: VALID_DATA }, { 'if-match': '"1"' });
    expect((await applicant.post(`/api/submissions/${subId}/submit`)).statusCode).toBe(200);

    const ch = await home(county);
    expect(ch.counts?.waiting).toEqual({ status: 'submitted', label: '待审核', count: 1 });
    const parks = ch.progress?.find((p) => p.formId === null);
    expect(parks?.units.find((u) => u.name.includes('西湖'))).toMatchObject({ reported: true, statusLabel: '已提交，待县级审核' });

    const before = (await bell(applicant)).unread;
    const ret = await county.post(`/api/submissions/${subId}/review`, { action: 'return', comment: '请补充入驻企业名单' });
    expect(ret.statusCode, ret.body).toBe(200);
    const b = await bell(applicant);
    expect(b.unread).toBe(before + 1);
    expect(b.items[0]).toMatchObject({ kind: 'submission.return', body: '请补充入驻企业名单', link: `/submissions/${subId}`, read: false });
    expect(b.items[0]?.title).toContain('已退回修改');
    expect(sent.some((n) => n.kind === 'submission.return' && n.body === '请补充入驻企业名单')).toBe(true);
    const ah = await home(applicant);
    expect(ah.todo?.find((t) => t.kind === 'returned')?.text).toContain('请补充入驻企业名单');
    expect(ah.applications?.[0]).toMatchObject({ id: subId, status: 'returned', lastComment: '请补充入驻企业名单', result: null });

    // read marks: the bell's count goes down, for this user only
    const marked = await applicant.post('/api/notifications/read', { ids: [b.items[0]?.id] });
    expect(marked.json()).toMatchObject({ marked: 1, unread: before });
    expect((await applicant.post('/api/notifications/read', { all: true })).json()).toMatchObject({ unread: 0 });
    // another audience's notification cannot be marked
    const foreign = await h.storage.addNotifications([{ orgCode: '330203', kind: 'x', title: '别处的通知' }]);
    expect((await applicant.post('/api/notifications/read', { ids: [foreign[0]?.id] })).statusCode).toBe(404);

    expect((await applicant.post(`/api/submissions/${subId}/submit`)).statusCode).toBe(200);
    expect((await county.post(`/api/submissions/${subId}/review`, { action: 'pass' })).statusCode).toBe(200);
    expect((await home(city)).counts?.waiting).toMatchObject({ label: '待推荐', count: 1 });
    expect((await city.post(`/api/submissions/${subId}/review`, { action: 'recommend' })).statusCode).toBe(200);
    const ph = await home(province);
    expect(ph.counts?.waiting).toMatchObject({ label: '待评定', count: 1 });
    expect(ph.quotas?.[0]?.rows.find((r) => r.orgCode === '330100')).toEqual({ orgCode: '330100', orgName: '杭州市', used: 1, limit: 2 });
    expect(ph.quotas?.[0]?.rows).toHaveLength(11);
    expect((await province.post(`/api/submissions/${subId}/review`, { action: 'approve' })).statusCode).toBe(200);

    const kinds = (await bell(applicant)).items.map((n) => n.kind);
    expect(kinds.slice(0, 3)).toEqual(['submission.approve', 'submission.recommend', 'submission.pass']);
    const decided = (await bell(applicant)).items[0];
    expect(decided?.title).toContain('评定结果：二级，得分 8');
    expect((await home(applicant)).applications?.[0]?.result?.text).toBe('评定结果：二级，得分 8');
    expect(((await applicant.get(`/api/submissions/${subId}`)).json() as { result: { text: string } }).result.text).toBe('评定结果：二级，得分 8');
  });

  it('催报: a city reminds its unreported counties (all, then chosen), once per interval, audited; the reminded see it on their home', async () => {
    const ch = await home(city);
    const table = ch.progress?.find((p) => p.formId === 'sum');
    expect(table?.total).toBe(13);
    expect(table?.reported).toBe(0);
    // 西湖区 reports its table
    const saved = await county.put(`/api/tables/${TEST_PACK_ID}/sum`, { rows: [{ park: '甲园', area: 10 }] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await county.post(`/api/tables/${TEST_PACK_ID}/sum/submit`)).statusCode).toBe(200);
    expect((await home(city)).progress?.find((p) => p.formId === 'sum')?.reported).toBe(1);

    const all = await city.post('/api/reminders', { packId: TEST_PACK_ID, formId: 'sum', message: '请于本周内报送' });
    expect(all.statusCode, all.body).toBe(200);
    const r = all.json() as { sent: Array<{ target: string }>; skipped: unknown[] };
    expect(r.sent).toHaveLength(12);
    expect(r.sent.map((x) => x.target)).not.toContain('330106');
    // 海曙区 is Ningbo's; 上城区 (330102) is reminded
    const shangcheng = await h.storage.listNotifications({ orgCode: '330102' }, 'nobody');
    expect(shangcheng[0]).toMatchObject({ kind: 'remind', body: '请于本周内报送', link: `/tables/${TEST_PACK_ID}/sum` });
    expect(shangcheng[0]?.title).toContain('杭州市催报');
    expect((await home(county)).reminders).toEqual([]);

    // again at once: every unit was reminded within the interval
    const again = await city.post('/api/reminders', { packId: TEST_PACK_ID, formId: 'sum' });
    expect(again.statusCode).toBe(429);
    expect(again.json()).toMatchObject({ code: 'REMIND_TOO_SOON' });
    // the chosen ones: a unit that reported has nothing to be reminded of; a unit outside the city is refused
    expect((await city.post('/api/reminders', { packId: TEST_PACK_ID, formId: 'sum', targets: ['330106'] })).json()).toMatchObject({ code: 'REMIND_NOTHING' });
    expect((await city.post('/api/reminders', { packId: TEST_PACK_ID, formId: 'sum', targets: ['330203'] })).statusCode).toBe(404);
    // a day later, the chosen one again
    h.setNow('2021-08-23T03:00:00Z');
    const chosen = await city.post('/api/reminders', { packId: TEST_PACK_ID, formId: 'sum', targets: ['330102', '330106'] });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json()).toEqual({ sent: [{ target: '330102', name: '上城区' }], skipped: [] });
    h.setNow('2021-08-22T02:00:00Z');
    const audit = (await h.storage.listAudit({ entity: 'pack', entityId: TEST_PACK_ID })).filter((e) => e.action === 'remind.send');
    expect(audit).toHaveLength(2);
    expect((audit[1]?.after as { sent: unknown[] }).sent).toEqual([{ target: '330102', name: '上城区' }]);

    // a county reminds its parks that have not submitted; the applicant sees it on its home
    const before = await county.post('/api/reminders', { packId: TEST_PACK_ID });
    expect(before.json()).toMatchObject({ code: 'REMIND_NOTHING' }); // the demo park of 西湖区 has submitted
    // only reviewers remind
    expect((await applicant.post('/api/reminders', { packId: TEST_PACK_ID })).statusCode).toBe(403);
  });

  it('a returned table reaches the county', async () => {
    const r = await city.post(`/api/tables/${TEST_PACK_ID}/sum/return`, { orgCode: '330106', comment: '面积单位有误' });
    expect(r.statusCode, r.body).toBe(200);
    const b = await bell(county);
    expect(b.items[0]).toMatchObject({ kind: 'table.return', body: '面积单位有误', link: `/tables/${TEST_PACK_ID}/sum` });
    // another org unit's bell does not show it
    expect((await bell(city)).items.some((n) => n.kind === 'table.return')).toBe(false);
  });
});
