import { describe, expect, it } from 'vitest';
import { PG_URL, type Client } from './testing/harness.js';
import { TEST_PACK_ID, testPackFiles } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];

/** The inline test pack with two `x-review: confirm` fields; the province's stage reviews another form. */
function confirmPackFiles(): Record<string, unknown> {
  const files = testPackFiles();
  const manifest = files[`schemas/${TEST_PACK_ID}/pack.json`] as { workflow: { stages: Array<{ id: string; forms?: string[] }> } };
  for (const s of manifest.workflow.stages) if (s.id === 'province') s.forms = ['sum'];
  const app = files[`schemas/${TEST_PACK_ID}/forms/app.schema.json`] as { properties: Record<string, unknown> };
  app.properties.services = {
    type: 'array',
    title: '公共服务功能',
    uniqueItems: true,
    items: { type: 'string', oneOf: [{ const: 'a', title: '政策咨询' }, { const: 'b', title: '融资服务' }, { const: 'c', title: '法律服务' }] },
    'x-review': 'confirm',
    'x-clause': '测试条款 1',
  };
  app.properties.safety = {
    type: 'object',
    title: '安全生产',
    additionalProperties: false,
    properties: { accident: { type: 'boolean', title: '本年度发生重大安全事故', 'x-review': 'confirm' } },
  };
  return files;
}

const DATA = { name: '确认园', firms: 12, score: 8, services: ['a', 'b'], safety: { accident: false } };

interface State {
  fields: Array<{ field: string; label: string; levels: string[]; items: Array<{ item: unknown; label: string; verdicts: Record<string, { verdict: string; reason: string | null; reviewerName: string }> }> }>;
  history: Array<{ level: string; field: string; item: unknown; verdict: string; reason: string | null; reviewerName: string; fieldLabel: string; itemLabel: string }>;
  open: Record<string, Array<{ field: string; item: unknown; disputed: boolean }>>;
  me: { level: string | null; canConfirm: boolean; required: boolean; open: number };
}

describe.each(backends)('reviewer confirmation of ticked items on %s', (backend) => {
  const srv = serverFor({ backend, packFiles: confirmPackFiles() }, { applicant: 'applicant-hz', county: 'county-xihu', city: 'city-hz', province: 'province' });

  async function submitted(data: Record<string, unknown> = DATA, formId: string | null = 'app'): Promise<string> {
    const c = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, ...(formId ? { formId } : {}), data });
    expect(c.statusCode, c.body).toBe(201);
    const id = (c.json() as { id: string }).id;
    const s = await srv.applicant.post(`/api/submissions/${id}/submit`);
    expect(s.statusCode, s.body).toBe(200);
    return id;
  }
  const confirm = (who: Client, id: string, items: unknown[]) => who.post(`/api/submissions/${id}/confirmations`, { items });

  it('lists each ticked item; pass waits for every item confirmed at the level; disputes need a reason; all audited', async () => {
    const id = await submitted();
    const st = (await srv.county.get(`/api/submissions/${id}/confirmations`)).json() as State;
    expect(st.fields.map((f) => [f.field, f.label, f.levels])).toEqual([
      ['services', '公共服务功能', ['county', 'city']],
      ['safety.accident', '本年度发生重大安全事故', ['county', 'city']],
    ]);
    expect(st.fields[0]?.items.map((i) => [i.item, i.label])).toEqual([
      ['a', '政策咨询'],
      ['b', '融资服务'],
    ]);
    expect(st.fields[1]?.items.map((i) => [i.item, i.label])).toEqual([[false, '否']]);
    expect(st.me).toEqual({ level: 'county', canConfirm: true, required: true, open: 3 });

    const early = await srv.county.post(`/api/submissions/${id}/review`, { action: 'pass', comment: '同意' });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json()).toMatchObject({ code: 'CONFIRMATION_INCOMPLETE', details: { open: [{ field: 'services', item: 'a' }, { field: 'services', item: 'b' }, { field: 'safety.accident', item: false }] } });
    expect((early.json() as { message: string }).message).toContain('3 项');
    expect((await srv.applicant.get(`/api/submissions/${id}`)).json()).toMatchObject({ status: 'submitted' });

    const bad = await confirm(srv.county, id, [
      { field: 'name', item: '确认园', verdict: 'confirmed' },
      { field: 'services', item: 'c', verdict: 'confirmed' },
      { field: 'services', item: 'a', verdict: 'disputed', reason: '  ' },
      { field: 'safety.accident', item: true, verdict: 'confirmed' },
    ]);
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: Array<{ path: string; code: string }> }).errors.map((e) => [e.path, e.code])).toEqual([
      ['items.0.field', 'x-review'],
      ['items.1.item', 'ticked'],
      ['items.2.reason', 'required'],
      ['items.3.item', 'ticked'],
    ]);
    const badVerdict = await confirm(srv.county, id, [{ field: 'services', item: 'a', verdict: 'maybe' }]);
    expect(badVerdict.statusCode).toBe(400);
    expect(((await srv.county.get(`/api/submissions/${id}/confirmations`)).json() as State).history).toEqual([]);

    const first = await confirm(srv.county, id, [
      { field: 'services', item: 'a', verdict: 'confirmed' },
      { field: 'services', item: 'b', verdict: 'disputed', reason: '现场未见融资服务台账' },
      { field: 'safety.accident', item: false, verdict: 'confirmed' },
    ]);
    expect(first.statusCode, first.body).toBe(201);
    const afterFirst = first.json() as State;
    expect(afterFirst.me.open).toBe(1);
    expect(afterFirst.open.county).toEqual([expect.objectContaining({ field: 'services', item: 'b', disputed: true })]);
    expect(afterFirst.fields[0]?.items[1]?.verdicts.county).toMatchObject({ verdict: 'disputed', reason: '现场未见融资服务台账' });
    expect(afterFirst.fields[0]?.items[1]?.verdicts.county?.reviewerName).toContain('西湖区');

    const stillDisputed = await srv.county.post(`/api/submissions/${id}/review`, { action: 'pass' });
    expect(stillDisputed.json()).toMatchObject({ code: 'CONFIRMATION_INCOMPLETE' });
    expect((stillDisputed.json() as { message: string }).message).toContain('有异议 1 项');

    // the reviewer changes their mind after checking again: the history keeps both verdicts
    expect((await confirm(srv.county, id, [{ field: 'services', item: 'b', verdict: 'confirmed', reason: '补充了台账照片' }])).statusCode).toBe(201);
    const passed = await srv.county.post(`/api/submissions/${id}/review`, { action: 'pass', comment: '已逐项核实' });
    expect(passed.statusCode, passed.body).toBe(200);

    // the city sees the county's verdicts, has its own duty (its stage reviews every form)
    const atCity = (await srv.city.get(`/api/submissions/${id}/confirmations`)).json() as State;
    expect(atCity.me).toEqual({ level: 'city', canConfirm: true, required: true, open: 3 });
    expect(atCity.fields[0]?.items.map((i) => i.verdicts.county?.verdict)).toEqual(['confirmed', 'confirmed']);
    expect(atCity.history.map((x) => [x.level, x.itemLabel, x.verdict])).toEqual([
      ['county', '政策咨询', 'confirmed'],
      ['county', '融资服务', 'disputed'],
      ['county', '否', 'confirmed'],
      ['county', '融资服务', 'confirmed'],
    ]);
    expect((await srv.city.post(`/api/submissions/${id}/review`, { action: 'recommend' })).json()).toMatchObject({ code: 'CONFIRMATION_INCOMPLETE' });
    const all = atCity.fields.flatMap((f) => f.items.map((i) => ({ field: f.field, item: i.item, verdict: 'confirmed' })));
    expect((await confirm(srv.city, id, all)).statusCode).toBe(201);
    expect((await srv.city.post(`/api/submissions/${id}/review`, { action: 'recommend' })).statusCode).toBe(200);

    // the province's stage reviews another form: it may confirm, but approve does not wait
    const atProvince = (await srv.province.get(`/api/submissions/${id}/confirmations`)).json() as State;
    expect(atProvince.me).toEqual({ level: 'province', canConfirm: true, required: false, open: 0 });
    expect((await srv.province.post(`/api/submissions/${id}/review`, { action: 'approve' })).statusCode).toBe(200);
    // after the decision nobody confirms any more
    expect((await confirm(srv.province, id, [{ field: 'services', item: 'a', verdict: 'confirmed' }])).json()).toMatchObject({ code: 'INVALID_STATE' });

    // the applicant reads the verdicts (a dispute is shown like a review comment)
    const mine = (await srv.applicant.get(`/api/submissions/${id}/confirmations`)).json() as State;
    expect(mine.me.level).toBeNull();
    expect(mine.history.length).toBe(7);

    const audit = (await srv.applicant.get(`/api/submissions/${id}/audit`)).json() as Array<{ action: string; actorRole?: string; before: unknown; after: unknown }>;
    const confirms = audit.filter((a) => a.action === 'submission.confirm');
    expect(confirms.length).toBe(3);
    expect(confirms[1]).toMatchObject({
      before: { level: 'county', items: [{ field: 'services', item: 'b', verdict: 'disputed' }] },
      after: { level: 'county', items: [{ field: 'services', item: 'b', verdict: 'confirmed', reason: '补充了台账照片' }] },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'submission.create',
      'submission.submit',
      'submission.confirm',
      'submission.confirm',
      'submission.pass',
      'submission.confirm',
      'submission.recommend',
      'submission.approve',
    ]);
    // append-only, like the audit log
    const raw = (srv.h.storage as unknown as { q: { query(sql: string): Promise<unknown> } }).q;
    await expect(raw.query("UPDATE review_confirmations SET verdict = 'confirmed'")).rejects.toThrow(/append-only/);
  });

  it('is authorized like the other review actions: the level at work, in its own area', async () => {
    const id = await submitted();
    const item = [{ field: 'services', item: 'a', verdict: 'confirmed' }];
    expect((await confirm(srv.applicant, id, item)).statusCode).toBe(403);
    const admin = await srv.h.login('admin');
    expect((await confirm(admin, id, item)).statusCode).toBe(403);
    const otherCounty = await srv.h.login('county-haishu');
    expect((await confirm(otherCounty, id, item)).statusCode).toBe(404);
    expect((await otherCounty.get(`/api/submissions/${id}/confirmations`)).statusCode).toBe(404);
    expect((await confirm(srv.city, id, item)).json()).toMatchObject({ code: 'INVALID_STATE' });
    expect((await srv.h.anon().post(`/api/submissions/${id}/confirmations`, { items: item })).statusCode).toBe(401);
    // a draft is the applicant's alone
    const draft = (await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: DATA })).json() as { id: string };
    expect((await confirm(srv.county, draft.id, item)).statusCode).toBe(404);
    // return and reject never wait for confirmations
    const ret = await srv.county.post(`/api/submissions/${id}/review`, { action: 'return', comment: '请补充台账' });
    expect(ret.statusCode, ret.body).toBe(200);
    expect((await confirm(srv.county, id, item)).json()).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('without ticked items there is nothing to confirm; a changed answer needs a new confirmation', async () => {
    const none = await submitted({ name: '空', firms: 3, score: 1, services: [] });
    expect(((await srv.county.get(`/api/submissions/${none}/confirmations`)).json() as State).me).toEqual({ level: 'county', canConfirm: false, required: false, open: 0 });
    expect((await srv.county.post(`/api/submissions/${none}/review`, { action: 'pass' })).statusCode).toBe(200);

    const id = await submitted({ ...DATA, services: ['a'], safety: { accident: false } });
    expect((await confirm(srv.county, id, [{ field: 'services', item: 'a', verdict: 'confirmed' }, { field: 'safety.accident', item: false, verdict: 'confirmed' }])).statusCode).toBe(201);
    expect((await srv.county.post(`/api/submissions/${id}/review`, { action: 'return', comment: '核实事故情况' })).statusCode).toBe(200);
    // the applicant changes the yes/no answer and ticks one more service
    const cur = (await srv.applicant.get(`/api/submissions/${id}`)).json() as { version: number };
    const saved = await srv.applicant.put(`/api/submissions/${id}`, { data: { ...DATA, services: ['a', 'c'], safety: { accident: true } } }, { 'if-match': `"${cur.version}"` });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await srv.applicant.post(`/api/submissions/${id}/submit`)).statusCode).toBe(200);
    const st = (await srv.county.get(`/api/submissions/${id}/confirmations`)).json() as State;
    // 'a' stays confirmed; 'c' and the new answer (是) wait
    expect(st.open.county?.map((o) => [o.field, o.item])).toEqual([
      ['services', 'c'],
      ['safety.accident', true],
    ]);
  });

  it('whole applications (all forms in one submission) name fields by form', async () => {
    const id = await submitted({ app: DATA }, null);
    const st = (await srv.county.get(`/api/submissions/${id}/confirmations`)).json() as State;
    expect(st.fields.map((f) => f.field)).toEqual(['app.services', 'app.safety.accident']);
    const all = st.fields.flatMap((f) => f.items.map((i) => ({ field: f.field, item: i.item, verdict: 'confirmed' })));
    expect((await srv.county.post(`/api/submissions/${id}/review`, { action: 'pass' })).statusCode).toBe(409);
    expect((await confirm(srv.county, id, all)).statusCode).toBe(201);
    expect((await srv.county.post(`/api/submissions/${id}/review`, { action: 'pass' })).statusCode).toBe(200);
  });
});
