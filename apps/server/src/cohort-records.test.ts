/**
 * A large cohort run's records read page by page (GET /api/cohort-runs/:id/records): by rank or
 * input order, either way round, one group, one grade, a part of the name, with the filtered count
 * and the facets for the filter menus — on PGlite and on PostgreSQL (DATABASE_URL) when set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, PG_URL, type Client, type Harness } from './testing/harness.js';
import { TEST_PACK_ID, testPackFiles } from './testing/fixture-pack.js';
import { COHORT_DETAIL_RECORDS } from './routes/cohort.js';

const N = 3000;
/** The test pack with a grouped grading step: each kind graded apart, A ≤ 20 %, the rest B; an area of 0 does not take part. */
function files(): Record<string, unknown> {
  const f = testPackFiles();
  const manifest = f[`schemas/${TEST_PACK_ID}/pack.json`] as { cohortSteps: Array<{ id: string; file: string }> };
  manifest.cohortSteps.push({ id: 'graded', file: 'graded.cohort.json' });
  const sum = f[`schemas/${TEST_PACK_ID}/forms/sum.schema.json`] as { properties: { rows: { items: { properties: Record<string, unknown> } } } };
  sum.properties.rows.items.properties.kind = { type: 'string', title: '类别', maxLength: 20 };
  f[`rules/${TEST_PACK_ID}/graded.cohort.json`] = {
    id: 'graded',
    title: '按类别分档',
    key: 'park',
    label: 'park',
    exclusions: [{ id: 'none', when: { '==': [{ var: 'area' }, 0] }, reason: '不参评' }],
    rank: { field: 'area', title: '面积', order: 'desc' },
    grades: { groupBy: ['kind'], base: 'graded', levels: [{ grade: 'A', title: 'A档', share: 0.2, rounding: 'floor' }, { grade: 'B', title: 'B档' }] },
  };
  return f;
}
/** 3,000 parks: every third a service park, every hundredth not taking part (area 0); distinct areas otherwise. */
const records = Array.from({ length: N }, (_, i) => ({ park: `园区${String(i).padStart(4, '0')}`, kind: i % 3 === 0 ? '服务' : '制造', area: i % 100 === 99 ? 0 : 10 * N - i }));

type Rec = { seq: number; input: { park: string; kind: string; area: number }; result: { key: string; group: string; grade?: string; rank?: number; excluded?: unknown } };
type Page = { total: number; offset: number; records: Rec[]; facets?: { groups: Array<{ value: string; count: number }>; grades: Array<{ value: string; count: number }> } };

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];

describe.each(backends)('cohort run records page by page, filtered on the server (%s)', (backend) => {
  let h: Harness;
  let city: Client;
  let id = '';
  const page = async (q: string) => {
    const r = await city.get(`/api/cohort-runs/${id}/records?${q}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Page;
  };
  beforeAll(async () => {
    h = await makeHarness({ backend, packFiles: files() });
    city = await h.login('city-hz');
    const r = await city.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'graded', records });
    expect(r.statusCode, r.body).toBe(201);
    const run = r.json() as { id: string; recordCount: number; results: { records: unknown[] } };
    id = run.id;
    // the detail has the first records by rank; the rest are paged
    expect(run.recordCount).toBe(N);
    expect(run.results.records).toHaveLength(COHORT_DETAIL_RECORDS);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('pages past the first 1,000 by rank, both ways round; the unranked last', async () => {
    const p = await page('offset=1000&limit=50&order=rank');
    expect(p.total).toBe(N);
    expect(p.offset).toBe(1000);
    expect(p.records).toHaveLength(50);
    // ranks are per group here (each kind ranked apart): the page holds ranks in order, none before the detail's
    const ranks = p.records.map((r) => r.result.rank ?? Infinity);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    const all: Rec[] = [];
    for (let o = 0; o < N; o += 500) all.push(...(await page(`offset=${o}&limit=500&order=rank`)).records);
    expect(all).toHaveLength(N);
    expect(new Set(all.map((r) => r.seq)).size).toBe(N);
    expect(all.slice(1000, 1050).map((r) => r.seq)).toEqual(p.records.map((r) => r.seq));
    // 30 parks do not take part: unranked, last
    expect(all.slice(-30).every((r) => r.result.rank === undefined && r.result.excluded)).toBe(true);
    const desc = await page('offset=0&limit=5&order=rank&dir=desc');
    expect(desc.records.every((r) => r.result.rank !== undefined)).toBe(true);
    expect(desc.records[0]?.result.rank).toBe(Math.max(...all.map((r) => r.result.rank ?? 0)));
    // input order
    const seq = await page('offset=2990&limit=100&order=seq');
    expect(seq.records.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 2990 + i));
    expect(seq.records[0]?.input).toEqual(records[2990]);
  });

  it('one group, one grade, a part of the name: the filtered count and pages of only those records', async () => {
    const services = records.filter((_, i) => i % 3 === 0);
    const svc = await page('offset=0&limit=1000&order=rank&group=服务&facets=1');
    expect(svc.total).toBe(services.length);
    expect(svc.records).toHaveLength(1000);
    expect(svc.records.every((r) => r.result.group === '服务')).toBe(true);
    // within a group the ranks run 1, 2, 3, … (each kind ranked apart)
    expect(svc.records.slice(0, 5).map((r) => r.result.rank)).toEqual([1, 2, 3, 4, 5]);
    // the other group (2,000 parks) past its first 1,000: ranks 1,001 on, then its unranked
    const making = await page('offset=0&limit=1000&order=rank&group=制造');
    const second = await page('offset=1000&limit=1000&order=rank&group=制造');
    expect(making.total).toBe(N - services.length);
    expect(second.records).toHaveLength(N - services.length - 1000);
    expect(second.records.every((r) => r.result.group === '制造')).toBe(true);
    expect(second.records[0]?.result.rank).toBe(1001);
    expect(new Set([...making.records, ...second.records].map((r) => r.seq)).size).toBe(N - services.length);
    // the facets: both kinds and every grade with their counts, over the whole run
    expect(svc.facets?.groups).toEqual(expect.arrayContaining([{ value: '服务', count: services.length }, { value: '制造', count: N - services.length }]));
    const grades = Object.fromEntries((svc.facets?.grades ?? []).map((g) => [g.value, g.count]));
    expect(grades.excluded).toBe(30);
    expect((grades.A ?? 0) + (grades.B ?? 0)).toBe(N - 30);
    // one grade of one group: A is at most 20 % of the group's graded parks
    const a = await page('offset=0&limit=1000&order=rank&group=制造&grade=A');
    const gradedMaking = records.filter((r, i) => i % 3 !== 0 && r.area > 0).length;
    expect(a.total).toBe(Math.floor(gradedMaking * 0.2));
    expect(a.records.every((r) => r.result.group === '制造' && r.result.grade === 'A')).toBe(true);
    const excluded = await page('limit=100&grade=excluded');
    expect(excluded.total).toBe(30);
    expect(excluded.records.every((r) => r.input.area === 0)).toBe(true);
    // a part of the name: 园区12xx is 100 parks, 园区123x ten
    expect((await page('limit=100&q=园区12')).total).toBe(100);
    const named = await page('limit=100&q=园区123&order=seq');
    expect(named.records.map((r) => r.input.park)).toEqual(Array.from({ length: 10 }, (_, i) => `园区123${i}`));
    expect((await page('limit=10&q=没有这个园区')).total).toBe(0);
  });

  it('refuses a malformed page and another city’s run', async () => {
    expect((await city.get(`/api/cohort-runs/${id}/records?dir=up`)).statusCode).toBe(400);
    expect((await city.get(`/api/cohort-runs/${id}/records?offset=-1`)).statusCode).toBe(400);
    const other = await h.login('city-nb');
    expect((await other.get(`/api/cohort-runs/${id}/records?group=服务`)).statusCode).toBe(404);
  });
});
