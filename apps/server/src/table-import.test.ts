/**
 * A file imported into a table, previewed (nothing stored): files written by exceljs and by
 * LibreOffice, a GB18030 CSV, a file with bad cells (each named with its cell in the data), what
 * is no table; the normaliser on the API's save; the rows offered from the parks' applications
 * (`x-table.prefill`) and the top-level field from the account's org unit.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, VALID_DATA, type Harness } from './testing/harness.js';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';

type Cell = string | number | null;

/** The test pack with a county table of parks that declares its prefill from the parks' application `app`. */
function packFiles(): Record<string, unknown> {
  const files = structuredClone(testPackFiles());
  const key = `schemas/${TEST_PACK_ID}/pack.json`;
  const manifest = files[key] as { forms: unknown[] };
  files[key] = {
    ...manifest,
    forms: [
      ...manifest.forms,
      { id: 'parks', title: '园区情况表', attachment: '附件9', kind: 'table', scope: 'county', schema: 'forms/parks.schema.json' },
      // the same table for a kind of application only (`where`): one the submitted application is, one it is not
      ...['parks-same', 'parks-other', 'parks-passed'].map((id) => ({ id, title: '园区情况表', attachment: '附件9', kind: 'table', scope: 'county', schema: `forms/${id}.schema.json` })),
    ],
  };
  const parks = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: '园区情况表',
    type: 'object',
    additionalProperties: false,
    'x-table': {
      attachment: '附件9',
      preamble: [{ label: '填报地区（设区市）', field: 'region' }],
      columns: ['county', 'code', 'name', 'kind', 'area', 'firms', 'perFirm'],
      prefill: { from: 'app', match: 'code', columns: { county: { park: 'county' }, code: { park: 'creditCode' }, name: 'name', firms: 'firms' }, orgUnit: { region: 'city' } },
    },
    properties: {
      region: { type: 'string', title: '填报地区（设区市）', maxLength: 20 },
      rows: {
        type: 'array',
        title: '园区',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            county: { type: 'string', title: '县(市、区)', maxLength: 50 },
            code: { type: 'string', title: '园区编码', maxLength: 50 },
            name: { type: 'string', title: '园区名称', maxLength: 100 },
            kind: { type: 'string', title: '园区类型', enum: ['生产制造类', '生产性服务类'] },
            area: { type: 'number', title: '用地面积', 'x-unit': '亩', minimum: 0 },
            firms: { type: 'integer', title: '企业数', minimum: 0 },
            perFirm: { type: 'number', title: '户均用地', 'x-precision': 2, 'x-compute': { if: [{ '>': [{ var: 'firms' }, 0] }, { '/': [{ var: 'area' }, { var: 'firms' }] }, null] } },
          },
        },
      },
    },
  };
  files[`schemas/${TEST_PACK_ID}/forms/parks.schema.json`] = parks;
  const where = (firms: unknown[]) => ({ ...parks, 'x-table': { ...parks['x-table'], prefill: { ...parks['x-table'].prefill, where: { firms } } } });
  files[`schemas/${TEST_PACK_ID}/forms/parks-same.schema.json`] = where([VALID_DATA.firms]);
  files[`schemas/${TEST_PACK_ID}/forms/parks-other.schema.json`] = where([Number(VALID_DATA.firms) + 1, Number(VALID_DATA.firms) + 2]);
  // `status`: only what the county has passed
  files[`schemas/${TEST_PACK_ID}/forms/parks-passed.schema.json`] = { ...parks, 'x-table': { ...parks['x-table'], prefill: { ...parks['x-table'].prefill, status: ['county_passed'] } } };
  return files;
}

const HEADER: Cell[] = ['县(市、区)', '园区编码', '园区名称', '园区类型', '用地面积（亩）', '企业数', '户均用地'];
/** The notice's layout: attachment, title, 填报地区, the header, two parks. */
const sheet = (p1: Cell[], p2: Cell[]): Cell[][] => [['附件9'], ['园区情况表'], ['填报地区（设区市）：杭州市'], HEADER, p1, p2];
const P1: Cell[] = ['西湖区', 'A001', '甲园', '生产制造类', 100, 40, null];
const P2: Cell[] = ['西湖区', 'A002', '乙园', '生产性服务类', 80, 20, null];

async function xlsx(rows: Cell[][], name = '附件9'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function soffice(): string | undefined {
  try {
    return execFileSync('which', ['soffice'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const bin = soffice();
const dir = mkdtempSync(join(tmpdir(), 'yuanping-table-import-'));
/** LibreOffice converts `source` (an xlsx) to `to` ('xlsx', or a CSV filter with its charset). */
function libreoffice(source: Buffer, to: string, ext: string): Buffer {
  const src = join(dir, `src-${Math.random().toString(36).slice(2)}`);
  mkdirSync(src);
  writeFileSync(join(src, 'in.xlsx'), source);
  const out = join(src, 'out');
  execFileSync(bin as string, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', to, '--outdir', out, join(src, 'in.xlsx')], { stdio: 'pipe', timeout: 600_000 });
  return readFileSync(join(out, `in.${ext}`));
}

interface Answer {
  ok: boolean;
  format: string;
  rowCount: number;
  data: { region?: string; rows: Array<Record<string, unknown>> };
  errors: Array<{ sheet: string; row: number; column: string; title?: string; reason: string; section?: string; index?: number; key?: string }>;
  warnings: Array<{ row: number; column: string; reason: string; section?: string; index?: number; key?: string; field?: string }>;
}

describe('table import preview, the normaliser on save, and the prefill from applications', () => {
  let h: Harness;
  const url = `/api/tables/${TEST_PACK_ID}/parks`;
  const imp = (name: string) => `${url}/import?filename=${encodeURIComponent(name)}`;
  beforeAll(async () => {
    h = await makeHarness({ packFiles: packFiles() });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an exceljs file in the notice layout: every row, each normalisation a warning with its cell; nothing stored', async () => {
    const xihu = await h.login('county-xihu');
    const file = await xlsx(sheet(['西湖区', 'A001', '甲园', '生产制造类', '1,234.5', '３０', null], P2));
    const res = await xihu.post(imp('附件9.xlsx'), file);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json() as Answer;
    expect(a).toMatchObject({ ok: true, format: 'xlsx', rowCount: 2, errors: [] });
    expect(a.data.region).toBe('杭州市');
    expect(a.data.rows[0]).toEqual({ county: '西湖区', code: 'A001', name: '甲园', kind: '生产制造类', area: 1234.5, firms: 30, perFirm: 41.15 });
    expect(a.data.rows[1]).toMatchObject({ name: '乙园', area: 80, firms: 20, perFirm: 4 });
    // 1,234.5 (thousands separator, a number stored as text) in E5; ３０ (full-width) in F5 — each placed in the data
    expect(a.warnings.filter((w) => w.column === 'E').map((w) => w.reason).join()).toMatch(/千分位/);
    expect(a.warnings.filter((w) => w.column === 'F').map((w) => w.reason).join()).toMatch(/全角/);
    for (const w of a.warnings) expect(w).toMatchObject({ row: 5, section: 'rows', index: 0 });
    expect(new Set(a.warnings.map((w) => w.key))).toEqual(new Set(['area', 'firms']));
    expect((await xihu.get(url)).json()).toMatchObject({ own: null });
  });

  it('a file with two bad cells: 200 with the rows (bad cells as the file wrote them), each error on its cell; nothing stored', async () => {
    const xihu = await h.login('county-xihu');
    const file = await xlsx(sheet(['西湖区', 'A001', '甲园', '生产制造类', '100亩', 40, null], ['西湖区', 'A002', '乙园', '商贸类', 80, 20, null]));
    const res = await xihu.post(imp('有错的表.xlsx'), file);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json() as Answer;
    expect(a.ok).toBe(false);
    expect(a.rowCount).toBe(2);
    expect(a.errors.map((e) => ({ row: e.row, column: e.column, key: e.key, index: e.index, section: e.section }))).toEqual([
      { row: 5, column: 'E', key: 'area', index: 0, section: 'rows' },
      { row: 6, column: 'D', key: 'kind', index: 1, section: 'rows' },
    ]);
    expect(a.errors[0]?.title).toBe('用地面积（亩）');
    expect(a.data.rows[0]?.area).toBe('100亩');
    expect(a.data.rows[1]?.kind).toBe('商贸类');
    expect((await xihu.get(url)).json()).toMatchObject({ own: null });
    // the user fixes the two cells and saves through the ordinary save: the rows are the table's
    const fixed = { region: a.data.region, rows: [{ ...a.data.rows[0], area: 100 }, { ...a.data.rows[1], kind: '生产性服务类' }] };
    const put = await xihu.put(url, { data: fixed });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ version: 1, errors: [], warnings: [] });
    expect(((await xihu.get(url)).json() as { own: { data: { rows: unknown[] } } }).own.data.rows).toHaveLength(2);
  });

  it.skipIf(!bin)('files LibreOffice wrote: an xlsx re-saved, and a GB18030 CSV (what a Chinese-locale office suite writes)', async () => {
    const xihu = await h.login('county-xihu');
    const source = await xlsx(sheet(P1, P2));
    const lo = libreoffice(source, 'xlsx', 'xlsx');
    const a = (await xihu.post(imp('libreoffice.xlsx'), lo)).json() as Answer;
    expect(a).toMatchObject({ ok: true, format: 'xlsx', rowCount: 2, errors: [] });
    expect(a.data.rows.map((r) => r.name)).toEqual(['甲园', '乙园']);
    // charset 85: GB18030
    const csv = libreoffice(source, 'csv:Text - txt - csv (StarCalc):44,34,85', 'csv');
    expect(csv.includes(Buffer.from('甲园', 'utf8'))).toBe(false); // not UTF-8 on disk
    const res = await xihu.post(imp('附件9.csv'), csv, { 'content-type': 'text/csv' });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json() as Answer;
    expect(c).toMatchObject({ ok: true, format: 'csv', rowCount: 2, errors: [] });
    expect(c.data.rows[0]).toMatchObject({ county: '西湖区', name: '甲园', kind: '生产制造类', area: 100, firms: 40 });
    expect(c.warnings.map((w) => w.reason).join()).toMatch(/GB18030/);
  });

  it('what is no table is refused with its code; only the filling unit imports, and not once reported', async () => {
    const xihu = await h.login('county-xihu');
    const noHeader = await xihu.post(imp('别的表.xlsx'), await xlsx([['名称', '金额'], ['甲', 1]]));
    expect(noHeader.statusCode).toBe(422);
    expect(noHeader.json()).toMatchObject({ code: 'TABLE_IMPORT_NO_TABLE' });
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    expect((await xihu.post(imp('旧.xls'), xls)).json()).toMatchObject({ code: 'TABLE_IMPORT_UNREADABLE' });
    expect((await xihu.post(imp('空.csv'), Buffer.alloc(0))).statusCode).toBeGreaterThanOrEqual(400);
    const file = await xlsx(sheet(P1, P2));
    expect((await (await h.login('applicant-hz')).post(imp('a.xlsx'), file)).statusCode).toBe(403);
    expect((await (await h.login('city-hz')).post(imp('a.xlsx'), file)).statusCode).toBe(403);
    expect((await h.anon().post(imp('a.xlsx'), file)).statusCode).toBe(401);
    // reported: no more imports
    const haishu = await h.login('county-haishu');
    expect((await haishu.put(url, { data: { region: '宁波市', rows: [{ name: '丙园' }] } })).statusCode).toBe(200);
    expect((await haishu.post(`${url}/submit`)).statusCode).toBe(200);
    expect((await haishu.post(imp('a.xlsx'), file)).json()).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('PUT normalises text cells as the import does (３０００, 1,234.5, a choice with spaces), each a warning; what cannot be read is kept and named', async () => {
    const xihu = await h.login('county-xihu');
    const cur = ((await xihu.get(url)).json() as { own: { version: number } }).own.version;
    const res = await xihu.put(url, { data: { region: '杭州市', rows: [{ name: '甲园', area: '1,234.5', firms: '３０００', kind: ' 生产制造类 ' }, { name: '乙园', area: '一百' }] } }, { 'if-match': `"${cur}"` });
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json() as { data: { rows: Array<Record<string, unknown>> }; errors: Array<{ path: string }>; warnings: Array<{ section: string; index: number; key: string; reason: string }> };
    expect(b.data.rows[0]).toMatchObject({ area: 1234.5, firms: 3000, kind: '生产制造类' });
    expect(b.data.rows[1]?.area).toBe('一百');
    expect(b.errors.map((e) => e.path)).toEqual(['rows.1.area']);
    expect(b.warnings.map((w) => `${w.index}.${w.key}`).sort()).toEqual(['0.area', '0.area', '0.firms', '0.firms', '0.kind']);
    expect(b.warnings.find((w) => w.key === 'firms' && /全角/.test(w.reason))).toBeTruthy();
  });

  it('offers each submitted application of the area as a row (a park already in the table: its row), the top-level field from the org unit', async () => {
    const applicant = await h.login('applicant-hz');
    const xihu = await h.login('county-xihu');
    // a draft is not offered
    const created = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    const before = (await xihu.get(`${url}/prefill`)).json() as { parks: unknown[] };
    expect(before.parks).toEqual([]);
    expect((await applicant.post(`/api/submissions/${id}/submit`)).statusCode).toBe(200);
    const park = ((await applicant.get(`/api/submissions/${id}`)).json() as { park: { creditCode: string; name: string } }).park;

    const res = await xihu.get(`${url}/prefill`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json() as { from: string; match: string; top: Record<string, unknown>; parks: Array<{ submissionId: string; row: Record<string, unknown>; existing?: number; problems: string[] }> };
    expect(v).toMatchObject({ from: 'app', match: 'code', top: { region: '杭州市' } });
    expect(v.parks).toEqual([expect.objectContaining({ submissionId: id, parkName: park.name, row: { county: '西湖区', code: park.creditCode, name: VALID_DATA.name, firms: VALID_DATA.firms }, problems: [] })]);
    expect(v.parks[0]?.existing).toBeUndefined();

    // the park's row saved in the table: offered as that row (updated, not added)
    const cur = ((await xihu.get(url)).json() as { own: { version: number } }).own.version;
    expect((await xihu.put(url, { data: { region: '杭州市', rows: [{ name: '别的园区' }, { name: '旧名称', code: park.creditCode, firms: 1 }] } }, { 'if-match': `"${cur}"` })).statusCode).toBe(200);
    expect(((await xihu.get(`${url}/prefill`)).json() as { parks: Array<{ existing?: number }> }).parks[0]?.existing).toBe(1);

    // another county's reviewer does not see this park; the city (not the filler) and the applicant may not ask
    expect(((await (await h.login('county-haishu')).get(`${url}/prefill`)).json() as { parks: unknown[] }).parks).toEqual([]);
    expect((await (await h.login('city-hz')).get(`${url}/prefill`)).statusCode).toBe(403);
    expect((await applicant.get(`${url}/prefill`)).statusCode).toBe(403);
    // a table without a prefill declaration
    expect((await xihu.get(`/api/tables/${TEST_PACK_ID}/sum/prefill`)).json()).toMatchObject({ code: 'TABLE_NO_PREFILL' });
    // `where`: offered to the table whose listed values the application holds, not to the other
    const same = (await xihu.get(`/api/tables/${TEST_PACK_ID}/parks-same/prefill`)).json() as { parks: Array<{ submissionId: string }> };
    expect(same.parks.map((p) => p.submissionId)).toEqual([id]);
    const other = await xihu.get(`/api/tables/${TEST_PACK_ID}/parks-other/prefill`);
    expect(other.statusCode, other.body).toBe(200);
    expect((other.json() as { parks: unknown[] }).parks).toEqual([]);
    // `status`: a table of what the county passed offers the application only once it is passed
    const passedUrl = `/api/tables/${TEST_PACK_ID}/parks-passed/prefill`;
    expect(((await xihu.get(passedUrl)).json() as { parks: unknown[] }).parks).toEqual([]);
    const passed = await xihu.post(`/api/submissions/${id}/review`, { action: 'pass', comment: '同意' });
    expect(passed.statusCode, passed.body).toBe(200);
    const after = (await xihu.get(passedUrl)).json() as { parks: Array<{ submissionId: string; status: string }> };
    expect(after.parks.map((p) => [p.submissionId, p.status])).toEqual([[id, 'county_passed']]);
  });
});
