/**
 * What counties really send: a corpus of files in the shape a county clerk's Excel, WPS or
 * LibreOffice writes for the 2021 附件1 (绩效评价情况汇总表) and the city-2023 summary — written
 * here by exceljs and by LibreOffice (soffice converts our CSV / xlsx), never hand-made binaries.
 * The daily set holds the exceljs and CSV files (at least 30); the LibreOffice cases run in
 * `pnpm test:full` (skipped in the daily set).
 * Each file's outcome is worked out by hand from the two parks below.
 *
 * The two parks (the notice's own 20 columns of 附件1, seed 000):
 *   西湖区 ZJ001 西湖小微园 生产制造类 land 100 floor 50000 firms 40 employees 800 集聚度 75 revenue 20000 tax 1500
 *          规上 10 新增 2 高新 5 隐形冠军 1 小巨人 0 亩均税收 15 档次 A 参评 是
 *   余杭区 ZJ002 余杭园 生产性服务类等其他类 land 80 floor 30000 firms 30 employees 500 集聚度 50 revenue 9000 tax 800
 *          规上 6 新增 1 高新 2 隐形冠军 0 小巨人 0 亩均税收 10 档次 B 参评 是
 * The platform adds 设区市 (derived from 填报地区), 主导产业及产业关联企业数 (derived: 集聚度 × 企业数 / 100,
 * so 30 and 15) and the 分档依据 group; the computed 集聚度 and 亩均税收 are recomputed (75, 50; 15, 10).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCsv, exportXlsx, importCsv, importXlsx, type ImportResult, type Row, type TableForm } from '@yuanping/tables';
import { fullRun } from '../support/full.js';

const form = JSON.parse(readFileSync(new URL('../../schemas/zj-2021-evaluation-star/forms/performance-summary.schema.json', import.meta.url), 'utf8')) as TableForm;
const city = JSON.parse(readFileSync(new URL('../../schemas/city-2023-guidance/forms/evaluation-summary.schema.json', import.meta.url), 'utf8')) as TableForm;

type Cell = string | number | null;
/** The notice's 附件1 header (three rows, as in seed 000) and its 20 columns. */
const H1: Cell[] = ['县(市、区)', '园区编码', '园区名称', '园区类型', '评价指标基础数据值', null, null, null, null, null, null, null, null, null, null, null, '亩均效益指标', '绩效评价档次', '是否参评', '不参评原因'];
const H2: Cell[] = [null, null, null, null, '园区基本信息', null, '入园企业情况', null, null, null, null, '企业培育情况', null, null, null, null, null, null, null, null];
const H3: Cell[] = [
  null, null, null, null,
  '实际用地面积(亩)', '建筑面积(平方米)', '入园企业数(家)', '入园企业从业人数(人)', '主导产业集聚度(%)', '营业收入(产值)(万元)', '税收总额(万元)',
  '规上、限上企业数量(家)', '新增规上、限上企业数(家)', '高新技术企业数(家)', '隐形冠军及培育企业数(家)', '专精特新“小巨人”企业数(家)',
  '亩均税收(万元/亩)', null, null, null,
];
/** one header row of leaf titles: what a clerk keeps after deleting the merged rows */
const FLAT: string[] = H1.map((h, i) => String(H3[i] ?? h));
const P1: Cell[] = ['西湖区', 'ZJ001', '西湖小微园', '生产制造类', 100, 50000, 40, 800, 75, 20000, 1500, 10, 2, 5, 1, 0, 15, 'A', '是', null];
const P2: Cell[] = ['余杭区', 'ZJ002', '余杭园', '生产性服务类等其他类', 80, 30000, 30, 500, 50, 9000, 800, 6, 1, 2, 0, 0, 10, 'B', '是', null];
/** the 13 number cells of each park row (E…Q) */
const NUMBER_COLS = 13;

const expected = (over: [Row, Row] | [] = []): Row[] => {
  const base: Row[] = [
    { city: '杭州市', county: '西湖区', parkCode: 'ZJ001', name: '西湖小微园', parkType: '生产制造类', land: 100, floorArea: 50000, firms: 40, employees: 800, leadingRelated: 30, concentration: 75, revenue: 20000, tax: 1500, aboveScale: 10, newAboveScale: 2, highTech: 5, hiddenChampions: 1, littleGiants: 0, taxPerMu: 15, grade: 'A', participating: '是' },
    { city: '杭州市', county: '余杭区', parkCode: 'ZJ002', name: '余杭园', parkType: '生产性服务类等其他类', land: 80, floorArea: 30000, firms: 30, employees: 500, leadingRelated: 15, concentration: 50, revenue: 9000, tax: 800, aboveScale: 6, newAboveScale: 1, highTech: 2, hiddenChampions: 0, littleGiants: 0, taxPerMu: 10, grade: 'B', participating: '是' },
  ];
  return base.map((r, i) => ({ ...r, ...(over[i] ?? {}) }));
};

/** An xlsx of sheets, each given as rows of cells (merges of the notice's header where it is present). */
async function xlsx(sheets: Array<{ name: string; rows: Array<Array<Cell | ExcelJS.CellFormulaValue>>; textNumbers?: boolean; merges?: string[] }>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const r of s.rows) ws.addRow(r.map((v) => (s.textNumbers && typeof v === 'number' ? String(v) : v)));
    for (const m of s.merges ?? []) ws.mergeCells(m);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const quote = (v: Cell): string => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const csvText = (rows: Cell[][]): string => rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
const gb18030 = (text: string): Buffer => {
  // Node has no GB18030 encoder; LibreOffice writes the GB18030 files below. For the plain-exceljs
  // cases an encoder of the characters used here is enough: round-trip through the decoder's table.
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = new TextDecoder('gb18030').decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else {
      const b = table.get(ch);
      if (!b) throw new Error(`no GB18030 bytes for ${ch}`);
      out.push(...b);
    }
  }
  return Buffer.from(out);
};

const NOTICE: Cell[][] = [['附件1'], ['小微企业园绩效评价情况汇总表'], ['填报地区：杭州市'], H1, H2, H3, P1, P2, ['备注：主导产业集聚度=主导产业及产业关联企业数/园内企业总数']];
const with1 = (rows: Cell[][], r: number, c: number, v: Cell): Cell[][] => rows.map((row, i) => (i === r ? row.map((x, j) => (j === c ? v : x)) : row));
/** P1 is row 7 of NOTICE (index 6), P2 row 8 */
const R1 = 6;

/**
 * What WPS saves from a county's sheet: the title and 填报地区 merged across the table, the notice's
 * three header rows merged as printed, and a 合计 row the clerk added under the parks (sums of the
 * two parks: land 180, floor 80000, firms 70, …), then the note.
 */
const TOTAL: Cell[] = ['合计', null, null, null, 180, 80000, 70, 1300, null, 29000, 2300, 16, 3, 7, 1, 0, null, null, null, null];
const WPS: Cell[][] = [['附件1'], ['小微企业园绩效评价情况汇总表'], ['填报地区：杭州市'], H1, H2, H3, P1, P2, TOTAL, ['备注：主导产业集聚度=主导产业及产业关联企业数/园内企业总数']];
const WPS_MERGES = ['A2:T2', 'A3:T3', 'A4:A6', 'B4:B6', 'C4:C6', 'D4:D6', 'E4:P4', 'E5:F5', 'G5:K5', 'L5:P5', 'Q4:Q6', 'R4:R6', 'S4:S6', 'T4:T6', 'A10:T10'];

interface Case {
  name: string;
  /** how the file is made: exceljs, our CSV writer, or LibreOffice (converted in beforeAll) */
  by: 'exceljs' | 'csv' | 'libreoffice';
  file: () => Promise<Buffer> | Buffer;
  ext: 'xlsx' | 'csv';
  /** LibreOffice: the source written first and the conversion */
  lo?: { source: () => Promise<Buffer> | Buffer; sourceExt: 'csv' | 'xlsx'; to: string; infilter?: string };
  check: (r: ImportResult) => void;
}

const ok = (rows: Row[], warnings: Array<[number, string, RegExp]> | number) => (r: ImportResult) => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 5)));
  expect(r.rows).toEqual(rows);
  if (typeof warnings === 'number') expect(r.warnings).toHaveLength(warnings);
  else {
    expect(r.warnings).toHaveLength(warnings.length);
    warnings.forEach(([row, column, reason], i) => expect(r.warnings[i]).toMatchObject({ row, column, reason: expect.stringMatching(reason) as unknown }));
  }
};
const refused = (errors: Array<[number, string, RegExp]>) => (r: ImportResult) => {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.errors.map((e) => [e.row, e.column])).toEqual(errors.map(([row, col]) => [row, col]));
  errors.forEach(([, , reason], i) => expect(r.errors[i]?.reason).toMatch(reason));
};

const platformRows = (): Row[] => expected().map((r, i) => ({ ...r, evalScore: i === 0 ? 88.5 : 76 }));
const TEXT_NUMBER = /文本格式的数字按数值读取/;

const cases: Case[] = [
  { name: 'the notice’s own 20-column layout (three header rows, merged groups absent), typed numbers', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: NOTICE }]), check: ok(expected(), 0) },
  { name: 'numbers stored as text (every number cell): read, 13 warnings a row', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: NOTICE, textNumbers: true }]), check: ok(expected(), 2 * NUMBER_COLS) },
  { name: 'full-width digits ３０００ in a text cell', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1, 5, '５００００') }]), check: ok(expected(), [[7, 'F', /全角/], [7, 'F', TEXT_NUMBER]]) },
  { name: 'a thousands separator 20,000 in a text cell', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1, 9, '20,000') }]), check: ok(expected(), [[7, 'J', /千分位/], [7, 'J', TEXT_NUMBER]]) },
  { name: 'a decimal with thousands separators 1,500.0', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1, 10, '1,500.0') }]), check: ok(expected(), [[7, 'K', /千分位/], [7, 'K', TEXT_NUMBER]]) },
  { name: 'trailing spaces after a name', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1, 2, '西湖小微园  ') }]), check: ok(expected(), [[7, 'C', /首尾空格/]]) },
  { name: '√ for 是 in 是否参评', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1, 18, '√') }]), check: ok(expected(), [[7, 'S', /按可选值“是”/]]) },
  { name: 'a full-width grade Ａ', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1 + 1, 17, 'Ｂ') }]), check: ok(expected(), [[8, 'R', /按可选值“B”/]]) },
  { name: 'the data sheet is not the first (a 填表说明 sheet before it)', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '填表说明', rows: [['请按通知附件1填写'], ['单位：万元']] }, { name: '附件1', rows: NOTICE }]), check: ok(expected(), 0) },
  { name: 'the data sheet has another name and comes third', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '封面', rows: [['杭州市']] }, { name: 'Sheet2', rows: [] }, { name: '汇总', rows: NOTICE }]), check: ok(expected(), 0) },
  { name: 'one notice column missing (税收总额): that column alone is named, on the sheet that has the table', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '说明', rows: [['说明']] }, { name: '汇总', rows: NOTICE.map((r) => r.filter((_, j) => j !== 10)) }]), check: (r) => {
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ sheet: '汇总', row: 6 });
    expect(r.errors[0]?.reason).toMatch(/^表头缺少列：税收总额（万元）（/);
  } },
  { name: 'one flat header row of leaf titles, no title rows', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: 'Sheet1', rows: [['填报地区：杭州市'], FLAT, P1, P2] }]), check: ok(expected(), 0) },
  { name: 'blank rows between parks and after them', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: [...NOTICE.slice(0, 7), [], [null, null], P2, [], []] }]), check: ok(expected(), 0) },
  { name: 'no 填报地区 line: the added 设区市 is left empty, the file is still read', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: [H1, H2, H3, P1, P2] }]), check: ok(expected().map(({ city: _c, ...r }) => r), 0) },
  { name: 'the platform’s full layout (exported by the platform) reads back as it was', by: 'exceljs', ext: 'xlsx', file: () => exportXlsx(form, platformRows(), { values: { region: '杭州市' } }), check: ok(platformRows(), 0) },
  { name: 'a unit in a number cell (100亩) refuses the file at that cell', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1, 4, '100亩') }]), check: refused([[7, 'E', /应填数字/]]) },
  { name: 'a decimal count of firms (40.5) refuses the file', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1, 6, 40.5) }]), check: refused([[7, 'G', /应填整数/]]) },
  { name: 'a negative count refuses the file (JSON Schema minimum)', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1 + 1, 11, -1) }]), check: refused([[8, 'L', /0/]]) },
  { name: 'an empty required cell (园区编码) refuses the file', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1, 1, null) }]), check: refused([[7, 'B', /必填项为空/]]) },
  { name: 'a park type outside the list refuses the file', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: with1(NOTICE, R1, 3, '农业类') }]), check: refused([[7, 'D', /不是可选值/]]) },
  { name: 'a workbook with no table at all names the missing header', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: 'Sheet1', rows: [['甲', '乙'], [1, 2]] }]), check: refused([[1, '', /没有找到表头/]]) },
  { name: 'WPS-like: merged title rows, the notice header merged as printed, a 合计 row under the parks', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: WPS, merges: WPS_MERGES }]), check: ok(expected(), [[9, 'A', /“合计”行不是一条记录，未导入/]]) },
  { name: 'header titles retyped with line breaks (Alt+Enter) and full-width brackets', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: [H1, H2, H3.map((h) => (typeof h === 'string' ? h.replace(/\((.*)\)$/, '\n（$1）') : h)), P1, P2] }]), check: ok(expected().map(({ city: _c, ...r }) => r), 0) },
  { name: 'the data behind an instructions sheet that lists the column titles one a row', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '填表说明', rows: [['填表说明'], ...FLAT.map((t) => [t, '按通知附件1的口径填写'])] }, { name: 'Sheet2', rows: NOTICE }]), check: ok(expected(), 0) },
  { name: 'formulas a clerk left in the sheet (亩均税收 = 税收 ÷ 用地, with their cached results)', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '附件1', rows: NOTICE.map((r, i) => (i === R1 || i === R1 + 1 ? r.map((v, j) => (j === 16 ? { formula: `K${i + 1}/E${i + 1}`, result: v as number } : v)) : r)) }]), check: ok(expected(), 0) },
  { name: 'behind an instructions sheet, a text in a number cell: refused at the data sheet’s cell', by: 'exceljs', ext: 'xlsx', file: () => xlsx([{ name: '填表说明', rows: [['填表说明'], ...FLAT.map((t) => [t, '按通知附件1的口径填写'])] }, { name: '数据', rows: with1(NOTICE, R1 + 1, 7, '约500人') }]), check: (r) => {
    refused([[8, 'H', /应填整数|应填数字/]])(r);
    if (!r.ok) expect(r.errors[0]?.sheet).toBe('数据');
  } },
  // CSV: what Excel / WPS in a Chinese locale write (GB18030), and UTF-8 with or without BOM
  { name: 'a GB18030 CSV of the notice layout (title rows, three header rows, the note) with ５０ and "50,000"', by: 'csv', ext: 'csv', file: () => gb18030(csvText(with1(with1(NOTICE, R1, 4, '１００'), R1, 5, '50,000'))), check: ok(expected(), [[0, '', /GB18030/], [7, 'E', /全角/], [7, 'F', /千分位/]]) },
  { name: 'a UTF-8 CSV with BOM, flat header', by: 'csv', ext: 'csv', file: () => Buffer.from('\uFEFF' + csvText([['填报地区：杭州市'], FLAT, P1, P2]), 'utf8'), check: ok(expected(), 0) },
  { name: 'a UTF-8 CSV without BOM', by: 'csv', ext: 'csv', file: () => Buffer.from(csvText([FLAT, P1, P2]), 'utf8'), check: ok(expected().map(({ city: _c, ...r }) => r), 0) },
  { name: 'a GB18030 (GBK) CSV is detected and decoded', by: 'csv', ext: 'csv', file: () => gb18030(csvText([['填报地区：杭州市'], FLAT, P1, P2])), check: ok(expected(), [[0, '', /GB18030/]]) },
  { name: 'a GB18030 CSV with full-width digits and thousands separators', by: 'csv', ext: 'csv', file: () => gb18030(csvText(with1(with1([['填报地区：杭州市'], FLAT, P1, P2], 2, 7, '８００'), 3, 9, '9,000'))), check: ok(expected(), [[0, '', /GB18030/], [3, 'H', /全角/], [4, 'J', /千分位/]]) },
  { name: 'a CSV missing one column names it alone', by: 'csv', ext: 'csv', file: () => Buffer.from(csvText([FLAT.filter((_, j) => j !== 3), P1.filter((_, j) => j !== 3)]), 'utf8'), check: (r) => {
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.reason)).toEqual(['表头缺少列：园区类型']);
  } },
  { name: 'a CSV with 是 followed by a space and a quoted cell', by: 'csv', ext: 'csv', file: () => Buffer.from(csvText(with1([FLAT, P1, P2], 1, 18, '是 ')), 'utf8'), check: ok(expected().map(({ city: _c, ...r }) => r), [[2, 'S', /首尾空格/]]) },
  // LibreOffice writes these (converted in beforeAll)
  { name: 'LibreOffice xlsx from a UTF-8 CSV, every column kept as text', by: 'libreoffice', ext: 'xlsx', file: () => Buffer.alloc(0), lo: { source: () => Buffer.from(csvText([['填报地区：杭州市'], FLAT, P1, P2]), 'utf8'), sourceExt: 'csv', to: 'xlsx', infilter: `CSV:44,34,76,1,${Array.from({ length: 20 }, (_, i) => `${i + 1}/2`).join('/')}` }, check: ok(expected(), 2 * NUMBER_COLS) },
  { name: 'LibreOffice xlsx from a UTF-8 CSV, numbers recognised', by: 'libreoffice', ext: 'xlsx', file: () => Buffer.alloc(0), lo: { source: () => Buffer.from(csvText([['填报地区：杭州市'], FLAT, P1, P2]), 'utf8'), sourceExt: 'csv', to: 'xlsx', infilter: 'CSV:44,34,76,1' }, check: ok(expected(), 0) },
  { name: 'LibreOffice re-saves the notice layout xlsx (its own shared strings and styles)', by: 'libreoffice', ext: 'xlsx', file: () => Buffer.alloc(0), lo: { source: () => xlsx([{ name: '附件1', rows: NOTICE }]), sourceExt: 'xlsx', to: 'xlsx' }, check: ok(expected(), 0) },
  { name: 'LibreOffice re-saves the platform’s exported xlsx (merged multi-level header)', by: 'libreoffice', ext: 'xlsx', file: () => Buffer.alloc(0), lo: { source: () => exportXlsx(form, platformRows(), { values: { region: '杭州市' } }), sourceExt: 'xlsx', to: 'xlsx' }, check: ok(platformRows(), 0) },
  { name: 'LibreOffice re-saves a workbook whose data sheet is second', by: 'libreoffice', ext: 'xlsx', file: () => Buffer.alloc(0), lo: { source: () => xlsx([{ name: '填表说明', rows: [['说明']] }, { name: '附件1', rows: NOTICE }]), sourceExt: 'xlsx', to: 'xlsx' }, check: ok(expected(), 0) },
  { name: 'LibreOffice writes a GB18030 CSV (as a Chinese-locale office suite does)', by: 'libreoffice', ext: 'csv', file: () => Buffer.alloc(0), lo: { source: () => xlsx([{ name: 'Sheet1', rows: [['填报地区：杭州市'], FLAT, P1, P2] }]), sourceExt: 'xlsx', to: 'csv:Text - txt - csv (StarCalc):44,34,85' }, check: ok(expected(), [[0, '', /GB18030/]]) },
  { name: 'LibreOffice writes a UTF-8 CSV of the notice layout with text numbers', by: 'libreoffice', ext: 'csv', file: () => Buffer.alloc(0), lo: { source: () => xlsx([{ name: '附件1', rows: NOTICE, textNumbers: true }]), sourceExt: 'xlsx', to: 'csv:Text - txt - csv (StarCalc):44,34,76' }, check: ok(expected(), 0) },
];

function soffice(): string | undefined {
  try {
    return execFileSync('which', ['soffice'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
// LibreOffice's files only in `pnpm test:full` (five soffice runs, the slowest part of this file,
// see docs/PERFORMANCE.md); the daily set runs the exceljs and CSV files and skips these cases
const bin = fullRun() ? soffice() : undefined;
if (fullRun() && !bin) console.warn('跳过 LibreOffice 写出的文件：未安装 LibreOffice（soffice）。安装：apt-get install -y libreoffice-calc-nogui');

const dir = mkdtempSync(join(tmpdir(), 'yuanping-corpus-'));
const converted = new Map<string, Buffer>();
beforeAll(async () => {
  if (!bin) return;
  // one soffice run per conversion kind (a private profile so parallel runs do not collide)
  const groups = new Map<string, Array<{ i: number; c: Case }>>();
  cases.forEach((c, i) => {
    if (!c.lo) return;
    const key = `${c.lo.infilter ?? ''}|${c.lo.to}`;
    groups.set(key, [...(groups.get(key) ?? []), { i, c }]);
  });
  let g = 0;
  for (const [, list] of groups) {
    const src = join(dir, `g${g}`);
    const out = join(dir, `g${g}-out`);
    mkdirSync(src);
    const files: string[] = [];
    for (const { i, c } of list) {
      const lo = c.lo as NonNullable<Case['lo']>;
      const f = join(src, `case${i}.${lo.sourceExt}`);
      writeFileSync(f, await lo.source());
      files.push(f);
    }
    const first = (list[0] as { c: Case }).c.lo as NonNullable<Case['lo']>;
    execFileSync(
      bin,
      [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', ...(first.infilter ? [`--infilter=${first.infilter}`] : []), '--convert-to', first.to, '--outdir', out, ...files],
      { stdio: 'pipe', timeout: 600_000 },
    );
    for (const { i, c } of list) converted.set(c.name, readFileSync(join(out, `case${i}.${c.ext}`)));
    g++;
  }
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import corpus: files as counties send them', () => {
  it('holds at least 30 files in the daily set (exceljs and CSV), and LibreOffice’s in the full set', () => {
    expect(cases.filter((c) => c.by !== 'libreoffice').length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c.by === 'libreoffice').length).toBeGreaterThanOrEqual(7);
  });
  for (const c of cases) {
    it.skipIf(c.by === 'libreoffice' && !bin)(`${c.by}: ${c.name}`, async () => {
      const buf = c.by === 'libreoffice' ? converted.get(c.name) : await c.file();
      if (!buf) throw new Error('not converted');
      c.check(c.ext === 'xlsx' ? await importXlsx(form, buf) : importCsv(form, buf));
    });
  }
});

describe('top-level fields keep their type', () => {
  it('an integer 评价年度 (city-2023) is imported as the number 2023, from xlsx and from CSV', async () => {
    const data = { year: 2023, rows: [] };
    const fromXlsx = await importXlsx(city, await exportXlsx(city, data));
    const fromCsv = importCsv(city, exportCsv(city, data));
    for (const r of [fromXlsx, fromCsv]) {
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      expect(r.data.year).toBe(2023);
    }
  });
  it('a full-width year ２０２３ is read as 2023 with a warning', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = (await (async () => {
      await wb.xlsx.load((await exportXlsx(city, { year: 2023, rows: [] })) as unknown as ExcelJS.Buffer);
      return wb.worksheets[0];
    })()) as ExcelJS.Worksheet;
    ws.getCell('A2').value = '评价年度：２０２３';
    const r = await importXlsx(city, Buffer.from(await wb.xlsx.writeBuffer()));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.data.year).toBe(2023);
    expect(r.warnings.map((w) => [w.row, w.column])).toEqual([[2, 'A']]);
  });
});
