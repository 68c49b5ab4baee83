import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { serverFor } from '../../../test/support/server.js';

const PACK = 'zj-2022-digital-demo';

/** 参数!C3 is capHangzhou's value (header row, capDefault, capHangzhou). */
async function setCap(xlsx: Buffer, value: ExcelJS.CellValue): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  const row = wb.getWorksheet('参数')!.getRow(3);
  expect(row.getCell(1).value).toBe('capHangzhou');
  row.getCell(3).value = value;
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('pack workbook routes', () => {
  const srv = serverFor();

  it('are for administrators only', async () => {
    const county = await srv.h.login('county-xihu');
    expect((await county.get('/api/pack-versions/1/workbook')).json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await county.post('/api/packs/workbook/export', { ref: PACK })).statusCode).toBe(403);
    expect((await county.post('/api/packs/workbook', { ref: PACK, workbook: 'AA==' })).statusCode).toBe(403);
  });

  it('download, edit Hangzhou 8 → 10, upload: the changed files and the diff, nothing stored', async () => {
    const admin = await srv.h.login('admin');
    const versions = (await admin.get('/api/packs')).json() as unknown[];
    const dl = await admin.post('/api/packs/workbook/export', { ref: PACK });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toContain('spreadsheetml');
    expect(String(dl.headers['content-disposition'])).toContain('.xlsx');
    const up = await admin.post('/api/packs/workbook', { ref: PACK, workbook: await setCap(dl.rawPayload, 10) });
    expect(up.statusCode).toBe(200);
    const r = up.json() as { accepted: boolean; diff: Array<{ section: string; before: string; after: string }>; files: Record<string, { parameters: Record<string, { value: number }> }>; changedFiles: string[] };
    expect(r.accepted).toBe(true);
    expect(r.diff.map((l) => [l.section, l.before, l.after])).toEqual([['parameters', '8 家', '10 家']]);
    expect(r.changedFiles).toEqual([`schemas/${PACK}/pack.json`]);
    expect(r.files[`schemas/${PACK}/pack.json`]!.parameters.capHangzhou!.value).toBe(10);
    expect((await admin.get('/api/packs')).json()).toEqual(versions);
    // the same workbook against the draft's files (as the page sends them): the draft already has 10, no change
    const again = await admin.post('/api/packs/workbook', { id: PACK, files: r.files, workbook: await setCap(dl.rawPayload, 10) });
    expect((again.json() as { diff: unknown[] }).diff).toEqual([]);
  });

  it('a bad cell: 422 WORKBOOK_INVALID with its sheet, row, column and reason', async () => {
    const admin = await srv.h.login('admin');
    const dl = await admin.post('/api/packs/workbook/export', { ref: PACK });
    const up = await admin.post('/api/packs/workbook', { ref: PACK, workbook: await setCap(dl.rawPayload, '十') });
    expect(up.statusCode).toBe(422);
    const body = up.json() as { code: string; details: Array<Record<string, unknown>> };
    expect(body.code).toBe('WORKBOOK_INVALID');
    expect(body.details.map((d) => [d.code, d.sheet, d.row, d.column, d.cell])).toEqual([['WORKBOOK_CELL_TYPE', '参数', 3, 'C', 'C3']]);
  });

  it('a published version’s workbook', async () => {
    const admin = await srv.h.login('admin');
    const res = await admin.get('/api/pack-versions/1/workbook');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.getWorksheet('说明')!.getRow(1).getCell(2).value).toBeTruthy();
    expect((await admin.get('/api/pack-versions/999/workbook')).statusCode).toBe(404);
  });
});
