import { describe, expect, it } from 'vitest';
import { importXlsx, readXlsx, type TableForm } from '@yuanping/tables';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';
import { contentDisposition } from './routes/export.js';
import { serverFor } from '../../../test/support/server.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const sumSchema = testPackFiles()[`schemas/${TEST_PACK_ID}/forms/sum.schema.json`] as TableForm;

function filenameStar(header: unknown): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(String(header));
  return m ? decodeURIComponent(m[1] as string) : '';
}

describe('official xlsx downloads', () => {
  const url = `/api/tables/${TEST_PACK_ID}/sum`;
  const srv = serverFor();

  it('Content-Disposition carries an ASCII fallback and the UTF-8 name (RFC 5987)', () => {
    expect(contentDisposition('附件1-杭州市.xlsx', 'sum-330100.xlsx')).toBe(
      `attachment; filename="sum-330100.xlsx"; filename*=UTF-8''${encodeURIComponent('附件1-杭州市.xlsx')}`,
    );
  });

  it('a county downloads its table, the city the combined table; other areas get 404', async () => {
    const xihu = await srv.h.login('county-xihu');
    const haishu = await srv.h.login('county-haishu');
    const cityHz = await srv.h.login('city-hz');
    const cityNb = await srv.h.login('city-nb');
    expect((await xihu.put(url, { rows: [{ park: '甲', area: 12 }, { park: '乙', area: 3.5 }] })).statusCode).toBe(200);

    const own = await xihu.get(`${url}/xlsx`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.headers['content-type']).toBe(XLSX);
    expect(filenameStar(own.headers['content-disposition'])).toBe('汇总表-西湖区.xlsx');
    const parsed = await importXlsx(sumSchema, own.rawPayload);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.rows).toEqual([{ park: '甲', area: 12 }, { park: '乙', area: 3.5 }]);

    // before the county submits, the city's combined table is empty, but it can read the county's draft
    const sheets0 = await readXlsx((await cityHz.get(`${url}/xlsx`)).rawPayload);
    expect(sheets0.flatMap((s) => s.rows).flat()).not.toContain('甲');
    const child = await cityHz.get(`${url}/xlsx?orgCode=330106`);
    expect(child.statusCode).toBe(200);
    expect(filenameStar(child.headers['content-disposition'])).toBe('汇总表-西湖区.xlsx');

    expect((await xihu.post(`${url}/submit`)).statusCode).toBe(200);
    const city = await cityHz.get(`${url}/xlsx`);
    expect(city.statusCode).toBe(200);
    expect(filenameStar(city.headers['content-disposition'])).toBe('汇总表-杭州市.xlsx');
    const cityParsed = await importXlsx(sumSchema, city.rawPayload);
    expect(cityParsed.ok && cityParsed.rows.map((r) => r.park)).toEqual(['甲', '乙']);

    // another county, another city: 404; an applicant: 403
    const other = await haishu.get(`${url}/xlsx?orgCode=330106`);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await cityNb.get(`${url}/xlsx?orgCode=330106`)).statusCode).toBe(404);
    expect((await xihu.get(`${url}/xlsx?orgCode=330100`)).statusCode).toBe(404);
    // the other county's own download holds none of 西湖区's rows
    const haishuOwn = await importXlsx(sumSchema, (await haishu.get(`${url}/xlsx`)).rawPayload);
    expect(haishuOwn.ok && haishuOwn.rows).toEqual([]);
    expect((await (await srv.h.login('applicant-hz')).get(`${url}/xlsx`)).statusCode).toBe(403);
    expect((await xihu.get(`/api/tables/${TEST_PACK_ID}/app/xlsx`)).json()).toMatchObject({ code: 'TABLE_NOT_TABLE' });
    expect((await srv.h.anon().get(`${url}/xlsx`)).statusCode).toBe(401);
  });

  it('a cohort run downloads as the source table with the results on the right; another city gets 404', async () => {
    const cityHz = await srv.h.login('city-hz');
    const created = await cityHz.post('/api/cohort-runs', { packId: TEST_PACK_ID, stepId: 'rank', formId: 'sum' });
    expect(created.statusCode, created.body).toBe(201);
    const run = created.json() as { id: string };
    const res = await cityHz.get(`/api/cohort-runs/${run.id}/xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(filenameStar(res.headers['content-disposition'])).toMatch(/^汇总表-.+-杭州市\.xlsx$/);
    // the official columns import back; the appended result columns sit beside them
    const parsed = await importXlsx(sumSchema, res.rawPayload);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.rows).toEqual([{ park: '甲', area: 12 }, { park: '乙', area: 3.5 }]);
    const cells = (await readXlsx(res.rawPayload))[0]?.rows ?? [];
    const header = cells.findIndex((r) => r.includes('名次'));
    expect(header).toBeGreaterThanOrEqual(0);
    const head = cells[header] ?? [];
    const rankCol = head.indexOf('名次');
    const parkCol = head.indexOf('园区');
    // below the rows, the legend that marks the appended columns as the platform's
    const legend = cells.findIndex((r) => typeof r[0] === 'string' && r[0].startsWith('注：') && r[0].includes('本平台增设'));
    expect(legend).toBeGreaterThan(header);
    const ranks = Object.fromEntries(cells.slice(header + 1, legend).filter((r) => typeof r[parkCol] === 'string').map((r) => [r[parkCol], r[rankCol]]));
    expect(ranks).toEqual({ 甲: 1, 乙: 2 });
    expect(head).toContain('说明');

    expect((await (await srv.h.login('city-nb')).get(`/api/cohort-runs/${run.id}/xlsx`)).statusCode).toBe(404);
    expect((await (await srv.h.login('county-haishu')).get(`/api/cohort-runs/${run.id}/xlsx`)).statusCode).toBe(404);
    expect((await (await srv.h.login('province')).get(`/api/cohort-runs/${run.id}/xlsx`)).statusCode).toBe(200);
    expect((await cityHz.get('/api/cohort-runs/00000000-0000-0000-0000-000000000000/xlsx')).statusCode).toBe(404);
  });
});
