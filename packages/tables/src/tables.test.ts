import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  EXPORT_PROGRESS_ROWS,
  checkTableForm,
  computeRows,
  exportCsv,
  buildWorkbook,
  exportXlsx,
  importCsv,
  importXlsx,
  templateXlsx,
  type Row,
  type TableForm,
} from './index.js';

/** Example forms (not the real seed packs) live in test/tables/forms/. */
const load = (name: string): TableForm =>
  JSON.parse(readFileSync(new URL(`../../../test/tables/forms/${name}`, import.meta.url), 'utf8')) as TableForm;
const a1 = load('attachment1.schema.json');
const a2 = load('attachment2-sections.schema.json');
const a3 = load('attachment3-total.schema.json');

const park = (i: number, extra: Row = {}): Row => ({
  county: '上城区',
  parkCode: `P${String(i).padStart(4, '0')}`,
  parkName: `园区${i}`,
  parkType: '生产制造类',
  landArea: 100,
  floorArea: 80000,
  firms: 50,
  employees: 900,
  concentration: 62.5,
  revenue: 150000,
  tax: 3000 + i,
  aboveScale: 10,
  newAboveScale: 2,
  highTech: 3,
  hiddenChampions: 1,
  littleGiants: 0,
  participating: '是',
  ...extra,
});

async function sheetOf(buf: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('no sheet');
  return ws;
}

describe('checkTableForm', () => {
  it('accepts the example forms', () => {
    expect(checkTableForm(a1)).toEqual([]);
    expect(checkTableForm(a2)).toEqual([]);
    expect(checkTableForm(a3)).toEqual([]);
  });

  it('reports layout mistakes with pointers', () => {
    const bad: TableForm = {
      type: 'object',
      'x-table': { columns: ['a', 'zz'], colour: 'red', total: { label: '合计' } },
      properties: {
        rows: {
          type: 'array',
          items: {
            type: 'object',
            properties: { a: { type: 'string', 'x-total': 'sum' }, b: { type: 'number', 'x-compute': { '/': [{ var: 'a' }, { var: 'q' }] } } },
          },
        },
      },
    };
    const p = checkTableForm(bad, 'schemas/x/forms/t.schema.json');
    expect(p.map((x) => `${x.code} ${x.pointer}`)).toEqual(['TABLE_LAYOUT /x-table/colour', 'TABLE_LAYOUT /x-table/columns/1']);
    expect(p[1]?.message).toBe('表头引用的列“zz”不在 items.properties 中');
    const missing = checkTableForm({ ...bad, 'x-table': { columns: ['a'] } });
    expect(missing[0]?.message).toBe('列“b”没有出现在表头 columns 中');
    const cyc = checkTableForm({ ...bad, 'x-table': { columns: ['a', 'b'] } });
    expect(cyc.map((x) => x.message)).toContain('计算列“b”引用的列“q”不存在');
  });
});

describe('computeRows', () => {
  it('fills 亩均税收 = 税收 / 用地 rounded to 2 decimals; an unusable input leaves it empty', () => {
    // 3001 / 100 = 30.01; 1000 / 3 = 333.333… → 333.33; land 0 → null (no division by zero)
    const { rows } = computeRows(a1, [park(1), park(2, { tax: 1000, landArea: 3 }), park(3, { landArea: 0 })]);
    expect(rows.map((r) => r.taxPerMu)).toEqual([30.01, 333.33, null]);
  });

  it('builds the total row: sums per column, and "recompute" re-evaluates a ratio on the totals', () => {
    // 附件3: mfgArea 10.5 + 20.25 = 30.75 ; firmTarget 100 + 250 = 350
    const r = computeRows(a3, [
      { county: '甲县', newBuilt: 1, upgraded: 2, mfgParks: 3, mfgArea: 10.5, mfgFirms: 40, svcParks: 1, svcFloor: 1.2, svcFirms: 9, firmTarget: 100 },
      { county: '乙县', newBuilt: 0, upgraded: 1, mfgParks: 1, mfgArea: 20.25, mfgFirms: 10, svcParks: 0, svcFloor: 0.1, svcFirms: 0, firmTarget: 250 },
    ]);
    // svcFloor 1.2 + 0.1 is 1.3000000000000003 in floating point → 1.3
    expect(r.total).toEqual({ county: '总计', newBuilt: 1, upgraded: 3, mfgParks: 4, mfgArea: 30.75, mfgFirms: 50, svcParks: 1, svcFloor: 1.3, svcFirms: 9, firmTarget: 350 });
    // recompute: total ratio = Σtax / Σland (not a sum of ratios)
    const form: TableForm = {
      type: 'object',
      'x-table': { total: { label: '合计', column: 'n' } },
      properties: {
        rows: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              n: { type: 'string' },
              tax: { type: 'number', 'x-total': 'sum' },
              land: { type: 'number', 'x-total': 'sum' },
              perMu: { type: 'number', 'x-precision': 2, 'x-compute': { '/': [{ var: 'tax' }, { var: 'land' }] }, 'x-total': 'recompute' },
            },
          },
        },
      },
    };
    // rows: 10/1 = 10, 30/2 = 15 ; total 40/3 = 13.33 (the sum of ratios would be 25)
    const t = computeRows(form, [{ n: 'a', tax: 10, land: 1 }, { n: 'b', tax: 30, land: 2 }]);
    expect(t.total).toEqual({ n: '合计', tax: 40, land: 3, perMu: 13.33 });
    // a json-logic total: the largest tax of the rows (max of 10, 30 = 30)
    const items = (form.properties as { rows: { items: { properties: Record<string, unknown> } } }).rows.items.properties;
    const withMax: TableForm = {
      ...form,
      properties: { rows: { type: 'array', items: { type: 'object', properties: { ...items, tax: { type: 'number', 'x-total': { max: { map: [{ var: 'rows' }, { var: 'tax' }] } } } } } } },
    };
    expect(checkTableForm(withMax)).toEqual([]);
    expect(computeRows(withMax, [{ n: 'a', tax: 10, land: 1 }, { n: 'b', tax: 30, land: 2 }]).total).toEqual({ n: '合计', tax: 30, land: 3, perMu: 10 });
  });
});

describe('xlsx export in the official layout', () => {
  it('writes the attachment line, the merged title, 填报地区, three merged header rows, number formats and computed values', async () => {
    const buf = await exportXlsx(a1, [park(1), park(2)], { values: { region: '杭州市' } });
    const ws = await sheetOf(buf);
    expect(ws.name).toBe('附件1');
    expect(ws.getCell('A1').value).toBe('附件1');
    expect(ws.getCell('A2').value).toBe('小微工业园绩效评价情况汇总表');
    expect(ws.getCell('A3').value).toBe('填报地区：杭州市');
    // header rows 4–6; 20 columns: 4 + 12 + 1 + 3
    expect(ws.getCell('A4').value).toBe('县(市、区)');
    expect(ws.getCell('A6').value).toBe('县(市、区)'); // merged A4:A6 (slave shows the master value)
    expect(ws.getCell('A6').isMerged).toBe(true);
    expect(ws.getCell('E4').value).toBe('评价指标基础数据值');
    expect(ws.getCell('P4').value).toBe('评价指标基础数据值'); // E4:P4 merged over 12 columns
    expect(ws.getCell('Q4').value).toBe('亩均效益指标');
    expect(ws.getCell('E5').value).toBe('园区基本信息');
    expect(ws.getCell('G5').value).toBe('入园企业情况');
    expect(ws.getCell('L5').value).toBe('企业培育情况');
    expect(ws.getCell('E6').value).toBe('实际用地面积（亩）');
    expect(ws.getCell('Q5').value).toBe('亩均税收（万元/亩）');
    expect(ws.getCell('T4').value).toBe('不参评原因');
    // data from row 7; 亩均税收 3001 / 100 = 30.01 with format 0.00
    expect(ws.getCell('B7').value).toBe('P0001');
    expect(ws.getCell('Q7').value).toBe(30.01);
    expect(ws.getCell('Q7').numFmt).toBe('0.00');
    expect(ws.getCell('G7').numFmt).toBe('0');
    expect(ws.getCell('A9').value).toBe('备注：主导产业集聚度=主导产业及产业关联企业数/园内企业总数');
  });

  it('the streamed export is the in-memory workbook’s sheet: print setup (centred, scale, header rows), frozen header, merges, widths, drop-downs, cells', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => park(i + 1));
    const streamed = await sheetOf(await exportXlsx(a1, rows, { values: { region: '杭州市' } }));
    const memory = await sheetOf(Buffer.from(await buildWorkbook(a1, rows, { values: { region: '杭州市' } }).xlsx.writeBuffer()));
    expect(streamed.pageSetup.horizontalCentered).toBe(true);
    expect(streamed.pageSetup.orientation).toBe('landscape');
    expect(streamed.pageSetup.printTitlesRow).toBe('4:6');
    const setup = (ws: ExcelJS.Worksheet) => {
      const { horizontalCentered, orientation, paperSize, scale, fitToPage, printTitlesRow, printTitlesColumn, margins } = ws.pageSetup;
      return { horizontalCentered, orientation, paperSize, scale, fitToPage, printTitlesRow, printTitlesColumn, margins, footer: ws.headerFooter.oddFooter };
    };
    expect(setup(streamed)).toEqual(setup(memory));
    expect(streamed.views).toEqual(memory.views);
    expect(streamed.views[0]).toMatchObject({ state: 'frozen', ySplit: 6 });
    expect(Object.keys(streamed.model.merges).sort()).toEqual(Object.keys(memory.model.merges).sort());
    expect(streamed.columns.map((c) => c.width)).toEqual(memory.columns.map((c) => c.width));
    expect(streamed.rowCount).toBe(memory.rowCount);
    for (let r = 1; r <= memory.rowCount; r++) {
      expect(streamed.getRow(r).height, `row ${r}`).toBe(memory.getRow(r).height);
      for (let c = 1; c <= memory.columnCount; c++) {
        const [x, y] = [streamed.getCell(r, c), memory.getCell(r, c)];
        expect([x.value, x.numFmt, x.style.border, x.style.fill, x.style.font?.bold], `${r},${c}`).toEqual([y.value, y.numFmt, y.style.border, y.style.fill, y.style.font?.bold]);
      }
    }
    // one drop-down rule per enum column over all its data rows
    expect(streamed.getCell('D7').dataValidation).toMatchObject({ type: 'list', formulae: ['"生产制造类,生产性服务类"'] });
    expect(streamed.getCell('D46').dataValidation).toMatchObject({ type: 'list' });
  });

  it('reports its progress in steps of EXPORT_PROGRESS_ROWS rows, the same file; a throw from the report stops the writing', async () => {
    const rows = Array.from({ length: EXPORT_PROGRESS_ROWS * 2 + 5 }, (_, i) => park(i + 1));
    const seen: number[] = [];
    const withProgress = await exportXlsx(a1, rows, { values: { region: '杭州市' }, onProgress: (n) => void seen.push(n) });
    expect(seen).toEqual([EXPORT_PROGRESS_ROWS, EXPORT_PROGRESS_ROWS * 2]);
    const a = await sheetOf(withProgress);
    const b = await sheetOf(await exportXlsx(a1, rows, { values: { region: '杭州市' } }));
    expect(a.rowCount).toBe(b.rowCount);
    expect(a.getCell(`B${7 + rows.length - 1}`).value).toBe(b.getCell(`B${7 + rows.length - 1}`).value);
    await expect(exportXlsx(a1, rows, { onProgress: () => Promise.reject(new Error('stop')) })).rejects.toThrow('stop');
  });

  it('round-trips: export then import gives the same rows (computed columns recomputed)', async () => {
    const rows = [park(1), park(2, { grade: 'A', reason: undefined }), park(3, { participating: '否', reason: '新建成三年过渡期' })];
    const res = await importXlsx(a1, await exportXlsx(a1, rows, { values: { region: '杭州市' } }));
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    expect(res.data.region).toBe('杭州市');
    const expected = computeRows(a1, rows).rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    expect(res.rows).toEqual(expected);
  });

  it('the template is the blank official sheet', async () => {
    const ws = await sheetOf(await templateXlsx(a3));
    expect(ws.getCell('A2').value).toBe('2018-2022年小微企业园建设规划目标');
    expect(ws.getCell('B5').value).toBe('按建设方式');
    expect(ws.getCell('D6').value).toBe('生产制造类');
    expect(ws.getCell('G6').value).toBe('生产性服务等其他类');
    expect(ws.getCell('H7').value).toBe('建筑面积（万平米）');
    // 4 header rows (4–7), 10 blank rows (8–17), the total label row 18
    expect(ws.getCell('A18').value).toBe('总计');
    expect(ws.getCell('B8').value).toBeNull();
    const res = await importXlsx(a3, await templateXlsx(a3));
    expect(res).toEqual({ ok: true, rows: [], data: { rows: [] }, warnings: [] });
  });
});

describe('xlsx import refuses the whole file on one bad row', () => {
  it('names sheet, row, column and reason for a text in a number column, a bad enum and an empty required cell', async () => {
    const buf = await exportXlsx(a1, [park(1), park(2), park(3)]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    ws.getCell('E8').value = '100亩'; // row 8 = park 2, column E = 实际用地面积
    ws.getCell('D9').value = '农业类'; // park 3 type
    ws.getCell('C9').value = null; // park 3 name (required)
    const res = await importXlsx(a1, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors).toEqual([
      { sheet: '附件1', row: 8, column: 'E', title: '实际用地面积（亩）', reason: '应填数字，单元格是文本“100亩”（请去掉单位等文字）', section: 'rows', index: 1, key: 'landArea' },
      { sheet: '附件1', row: 9, column: 'C', title: '园区名称', reason: '必填项为空', section: 'rows', index: 2, key: 'parkName' },
      { sheet: '附件1', row: 9, column: 'D', title: '园区类型', reason: '“农业类”不是可选值，可选：生产制造类、生产性服务类', section: 'rows', index: 2, key: 'parkType' },
    ]);
  });

  it('reports JSON Schema constraints (minimum, maximum) in Chinese', async () => {
    const res = await importXlsx(a1, await exportXlsx(a1, [park(1, { concentration: 120 }), park(2, { firms: -1 })]));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors.map((e) => [e.row, e.column])).toEqual([
      [7, 'I'],
      [8, 'G'],
    ]);
    expect(res.errors[0]?.reason).toContain('100');
  });

  it('a sheet without the header is refused with the missing columns named', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['甲', '乙']);
    const res = await importXlsx(a1, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors[0]?.reason).toContain('没有找到表头');
  });
});

describe('sections (附件2 style) and duplicate leaf titles (附件3 style)', () => {
  it('exports three sections with the section title merged down the left column, and imports them back', async () => {
    const data = {
      completed: [
        { serial: 1, name: '甲园', address: '甲路1号', type: '生产制造类', industry: '装备', mode: '政府主导', planLand: 80, planFloor: 8, finishDate: '2019-06' },
        { serial: 2, name: '乙园', type: '生产性服务等其他类', planLand: 60.5 },
      ],
      upgraded: [{ serial: 1, name: '丙园', content: '消防改造', land: 50, floor: 4.2, finishDate: '2019-12' }],
      started: [],
    };
    const buf = await exportXlsx(a2, data);
    const ws = await sheetOf(buf);
    expect(ws.getCell('A4').value).toBe('可建成');
    expect(ws.getCell('A6').value).toBe('可建成'); // merged A4:A6 (header + 2 rows)
    expect(ws.getCell('B4').value).toBe('序号');
    expect(ws.getCell('G4').value).toBe('开发建设模式');
    expect(ws.getCell('A7').value).toBe('完成改造提升');
    expect(ws.getCell('G7').value).toBe('改造提升内容');
    expect(ws.getCell('A9').value).toBe('开工建设');
    expect(ws.getCell('J9').value).toBe('计划开工时间');
    const res = await importXlsx(a2, buf);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    expect(res.data).toEqual(data);
  });

  it('附件3: the two 园区数量 columns are told apart by their header groups; the 总计 row is skipped on import', async () => {
    const rows = [
      { county: '甲县', newBuilt: 1, upgraded: 2, mfgParks: 3, mfgArea: 10.5, mfgFirms: 40, svcParks: 7, svcFloor: 1.2, svcFirms: 9, firmTarget: 100 },
    ];
    const buf = await exportXlsx(a3, rows);
    const ws = await sheetOf(buf);
    expect(ws.getCell('A9').value).toBe('总计');
    // the 总计 row sums by formula (an edited cell recomputes in Excel / WPS), its cached result written too
    expect(ws.getCell('D9').value).toEqual({ formula: 'SUM(D8:D8)', result: 3 });
    const res = await importXlsx(a3, buf);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    expect(res.rows).toEqual(rows);
  });
});

describe('CSV', () => {
  it('exports UTF-8 with BOM and one header row; imports it back', () => {
    const rows = [park(1, { parkName: '园区,"一"' }), park(2)];
    const buf = exportCsv(a1, rows);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFF县(市、区),园区编码,园区名称,园区类型,实际用地面积（亩）,建筑面积（平方米）,入园企业数（家）,入园企业从业人数（人）,主导产业集聚度（%）,营业收入(产值)（万元）,税收总额（万元）,规上、限上企业数量（家）,新增规上、限上企业数（家）,高新技术企业数（家）,隐形冠军及培育企业数（家）,专精特新“小巨人”企业数（家）,亩均税收（万元/亩）,绩效评价档次,是否参评,不参评原因',
    );
    expect(text).toContain('"园区,""一"""');
    const res = importCsv(a1, buf);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    expect(res.rows).toEqual(computeRows(a1, rows).rows);
  });

  it('writes the 填报地区 line first and reads it back; sections round-trip as blocks', () => {
    const res = importCsv(a1, exportCsv(a1, [park(1)], { values: { region: '宁波市' } }));
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    expect(res.data.region).toBe('宁波市');
    const data = {
      completed: [{ serial: 1, name: '甲园', type: '生产制造类', planLand: 80 }],
      upgraded: [],
      started: [{ serial: 1, name: '乙园', startDate: '2019-03' }],
    };
    const back = importCsv(a2, exportCsv(a2, data));
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(back.data).toEqual(data);
  });

  it('duplicate titles are written as 分组/列 and read back', () => {
    const rows = [{ county: '甲县', newBuilt: 1, upgraded: 0, mfgParks: 3, mfgArea: 1, mfgFirms: 4, svcParks: 5, svcFloor: 6, svcFirms: 7, firmTarget: 8 }];
    const buf = exportCsv(a3, rows);
    expect(buf.toString('utf8')).toContain('2018-2022年小微企业园建设规划目标/按园区类型/生产制造类/园区数量');
    const res = importCsv(a3, buf);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    expect(res.rows).toEqual(rows);
  });

  it('refuses a non-numeric text in a number column and a decimal in an integer column', () => {
    const text = exportCsv(a1, [park(1), park(2)]).toString('utf8').replace(',900,', ',九百,').replace(',50,', ',50.5,');
    const res = importCsv(a1, text);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors).toEqual([
      { sheet: 'CSV', row: 2, column: 'G', title: '入园企业数（家）', reason: '应填整数，单元格是 50.5', section: 'rows', index: 0, key: 'firms' },
      { sheet: 'CSV', row: 2, column: 'H', title: '入园企业从业人数（人）', reason: '应填数字，单元格是文本“九百”（请去掉单位等文字）', section: 'rows', index: 0, key: 'employees' },
    ]);
  });
});
