/**
 * A wide table printed on several A4 landscape pages: a group header (a title over several columns)
 * that a page break splits is merged on each page and titled on each, so no printed page shows a
 * cut title. The page breaks are worked out here from the sheet itself with Excel's column metric
 * (a width of w characters is w × 7 + 5 pixels at 96 dpi in Calibri 11), the scale and the repeated
 * key columns the sheet declares.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildWorkbook, templateXlsx, tableLayout, wrappedLines, type TableForm } from '@yuanping/tables';

const repo = join(import.meta.dirname, '..', '..');
const form = JSON.parse(readFileSync(join(repo, 'schemas/city-2023-guidance/forms/evaluation-summary.schema.json'), 'utf8')) as TableForm;

describe('group headers across printed pages', () => {
  it('the 34-column city-2023 summary: every group-header merge lies on one page and each part carries the title', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await templateXlsx(form)) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    const scale = ws.pageSetup.scale as number;
    const avail = (((297 - 2 * 10.16) / 25.4) * 96) / (scale / 100);
    const px = (c: number): number => Math.round((ws.getColumn(c).width ?? ws.properties.defaultColWidth ?? 8.43) * 7 + 5);
    expect(ws.pageSetup.printTitlesColumn).toBe('A:B');
    const repeatPx = px(1) + px(2);
    const pageOf: number[] = [];
    let page = 0;
    let used = 0;
    for (let c = 1; c <= ws.columnCount; c++) {
      if (used > 0 && used + px(c) > (page ? avail - repeatPx : avail)) {
        page++;
        used = 0;
      }
      used += px(c);
      pageOf[c] = page;
    }
    expect(page).toBeGreaterThanOrEqual(2); // 34 columns at a legible scale take three pages or more
    const layout = tableLayout(form);
    const section = layout.sections[0];
    if (!section) throw new Error('no section');
    const groupRow = 1 + (layout.attachment ? 1 : 0) + layout.preamble.length + 1; // the first header row
    const merges = (ws.model as unknown as { merges: string[] }).merges.map((m) => m.split(':').map((a) => ws.getCell(a)));
    const inGroupRow = merges.filter(([a, b]) => a && b && Number(a.row) === groupRow && Number(b.row) === groupRow);
    expect(inGroupRow.length).toBeGreaterThan(0);
    for (const [a, b] of inGroupRow) {
      const [from, to] = [Number((a as ExcelJS.Cell).col), Number((b as ExcelJS.Cell).col)];
      expect(pageOf[from], `${(a as ExcelJS.Cell).address}:${(b as ExcelJS.Cell).address}`).toBe(pageOf[to]);
    }
    // a group the breaks split: the same title at the start of each part
    const titles = new Map<string, number>();
    for (let c = 1; c <= ws.columnCount; c++) {
      const cell = ws.getCell(groupRow, c);
      if (cell.isMerged && cell.master.address !== cell.address) continue;
      if (typeof cell.value === 'string' && cell.value) titles.set(cell.value, (titles.get(cell.value) ?? 0) + 1);
    }
    const split = [...titles].filter(([, n]) => n > 1);
    expect(split.length).toBeGreaterThan(0);
  });

  it('the notes below a table with repeated key columns: whole on every page, none in the key columns', async () => {
    // the 2021 附件1 export: 4 repeated columns, a form note and the legend of added columns
    const summary = tableForms().find((f) => f.name.endsWith('/performance-summary'));
    if (!summary) throw new Error('no performance-summary form');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await templateXlsx(summary.form)) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    const repeat = 4;
    expect(ws.pageSetup.printTitlesColumn).toBe('A:D');
    const merges = (ws.model as unknown as { merges: string[] }).merges.map((m) => m.split(':').map((a) => ws.getCell(a)) as [ExcelJS.Cell, ExcelJS.Cell]);
    const noteRows = [...new Set(merges.filter(([a]) => typeof a.value === 'string' && /^(注|备注)：/.test(a.value)).map(([a]) => Number(a.row)))];
    expect(noteRows).toHaveLength(2);
    for (const r of noteRows) {
      for (let c = 1; c <= repeat; c++) expect(ws.getCell(r, c).value, `${r}/${c}`).toBeNull();
      const parts = merges.filter(([a]) => Number(a.row) === r);
      // one part a printed page (two pages), side by side, each holding the whole note
      expect(parts.length).toBe(2);
      expect(Number(parts[0]?.[0].col)).toBe(repeat + 1);
      expect(Number(parts[1]?.[0].col)).toBe(Number(parts[0]?.[1].col) + 1);
      expect(Number(parts[1]?.[1].col)).toBe(ws.columnCount);
      expect(parts[1]?.[0].value).toBe(parts[0]?.[0].value);
    }
  });
});

describe('a table of several sections in print', () => {
  it('repeats no header rows: each section brings its own (2018 附件2: page 2 showed section 1’s header above section 3’s)', async () => {
    const forms = tableForms();
    const multi = forms.filter(({ form }) => tableLayout(form).sections.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const { name, form } of forms) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await templateXlsx(form)) as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      if (tableLayout(form).sections.length > 1) expect(ws.pageSetup.printTitlesRow, name).toBeUndefined();
      else expect(ws.pageSetup.printTitlesRow, name).toMatch(/^\d+:\d+$/);
    }
  });

  it('starts a page at a section that would otherwise begin at a page’s foot (2018 附件2: 开工建设 on page 2 with its header)', () => {
    const plan = tableForms().find((f) => f.name.endsWith('/plan-2019'));
    if (!plan) throw new Error('no plan-2019 form');
    const ws = buildWorkbook(plan.form, {}, { blankRows: 10 }).worksheets[0] as ExcelJS.Worksheet;
    // the three sections' header rows: the section title in column A beside its first header row
    const tops: number[] = [];
    for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 2).value === '序号') tops.push(r);
    expect(tops).toHaveLength(3);
    // by hand, at 100 %: the rows above the table 15 + 30 + 15 + 15 = 75 pt, each section a 36 pt
    // header and 10 rows of 15 pt (186 pt): two sections reach 447 of the page's 523 pt, the third
    // (186) does not fit under them
    expect((ws.model as unknown as { rowBreaks: Array<{ id: number }> }).rowBreaks.map((b) => b.id)).toEqual([(tops[2] as number) - 1]);
  });
});

/** Every table form of the repository's packs. */
const tableForms = (): Array<{ name: string; form: TableForm }> =>
  readdirSync(join(repo, 'schemas')).flatMap((pack) => {
    const manifest = JSON.parse(readFileSync(join(repo, 'schemas', pack, 'pack.json'), 'utf8')) as { forms: Array<{ id: string; kind: string; schema: string }> };
    return manifest.forms.filter((f) => f.kind === 'table').map((f) => ({ name: `${pack}/${f.id}`, form: JSON.parse(readFileSync(join(repo, 'schemas', pack, f.schema), 'utf8')) as TableForm }));
  });

describe('wrapped titles are not cut in print', () => {
  it('counts the lines LibreOffice printed: full-width quotes, and a closing mark that never starts a line', () => {
    // the 2021 附件1 leaf title in its old 16-wide column: LibreOffice printed 专精特新“小巨 / 人”企业数（家 / ）
    expect(wrappedLines('专精特新“小巨人”企业数（家）', 16)).toBe(3);
    // 7 full-width characters a line in a 16-wide cell; the closing bracket takes 家 down with it
    expect(wrappedLines('一二三四五六七', 16)).toBe(1);
    expect(wrappedLines('一二三四五六七八', 16)).toBe(2);
    expect(wrappedLines('一二三四五六（家）', 16)).toBe(2);
    expect(wrappedLines('第一行\n第二行', 30)).toBe(2);
  });

  it('is not taller than LibreOffice printed where spaces, digits and Latin letters are narrow', () => {
    // line counts LibreOffice 7.4 printed (Carlito + Noto Sans CJK) for texts of the packs' exports
    // in cells of these widths; the estimate before counted every half-width character 7 px and
    // left 10 px of padding, and gave one line more for each
    const printed: Array<[string, number, number]> = [
      ['在省级以上开发区内', 11, 2],
      ['入园企业从业人数（人）', 13, 2],
      ['亩均税收（本年）（万元/亩）', 15.5, 2],
      ['县(市、区)', 8, 2],
      ['专精特新“小巨人”企业数（家）', 17, 2],
      ['分档：“杭州市 / 生产制造类”组名额基数为参与竞争名额的记录数 20；B档名额 20 × 30% = 6，四舍五入得 6 个；本记录在竞争名额的记录中列第 5 位，占 B档第 1 个名额。', 80, 2],
      ['指标“亩均效益·亩均税收增速”：增长率 25%（本年 50，上年 40）；满意值 20%，不允许值 -20%；功效分 100（功效分 105 超出 [60, 100]，取 100） × 权重 0.05 = 5。', 80, 2],
    ];
    for (const [text, width, lines] of printed) expect(wrappedLines(text, width), text).toBe(lines);
    // never fewer lines than printed: a number is not broken, a closing mark goes down with the character before it
    expect(wrappedLines('分档：按分数线分档，本记录总分 61.00；未达到A档分数线（总分不低于 85（含））；未达到B档分数线（总分不低于 70（含））；定为C档（最后一档，取其余记录）。', 80)).toBeGreaterThanOrEqual(2);
    expect(wrappedLines('一二三四五六七12345.67', 16)).toBe(2);
    // a word longer than the line is broken where it overflows
    expect(wrappedLines('x'.repeat(60), 10)).toBe(Math.ceil((60 * 887) / 2048 * (11 * 96 / 72) / 70));
  });

  it('every header title of every template has rows tall enough for its wrapped lines (16 pt a line)', async () => {
    const forms = tableForms();
    expect(forms.length).toBeGreaterThanOrEqual(8);
    for (const { name, form } of forms) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await templateXlsx(form)) as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      // the header cells of every section: bold on a grey or light-blue fill
      const isHeader = (r: number, c: number): boolean => {
        const cell = ws.getCell(r, c);
        const fill = cell.fill;
        return cell.font?.bold === true && fill?.type === 'pattern' && fill.pattern === 'solid';
      };
      let checked = 0;
      for (let r = 1; r <= ws.rowCount; r++) {
        for (let c = 1; c <= ws.columnCount; c++) {
          const cell = ws.getCell(r, c);
          if (cell.isMerged && cell.master.address !== cell.address) continue;
          if (typeof cell.value !== 'string' || !cell.value || !isHeader(r, c)) continue;
          const bottom = ws.rowCount;
          // the merge's extent: columns right and rows down whose master is this cell
          let c2 = c;
          while (c2 < ws.columnCount && ws.getCell(r, c2 + 1).isMerged && ws.getCell(r, c2 + 1).master.address === cell.address) c2++;
          let r2 = r;
          while (r2 < bottom && ws.getCell(r2 + 1, c).isMerged && ws.getCell(r2 + 1, c).master.address === cell.address) r2++;
          let width = 0;
          // a column of the sheet's default width (9) has no width of its own
          for (let k = c; k <= c2; k++) width += ws.getColumn(k).width ?? ws.properties.defaultColWidth ?? 8.43;
          let height = 0;
          for (let k = r; k <= r2; k++) height += ws.getRow(k).height ?? 15;
          expect(height, `${name} ${cell.address} “${cell.value}”`).toBeGreaterThanOrEqual(wrappedLines(cell.value, width) * 16);
          checked++;
        }
      }
      expect(checked, name).toBeGreaterThan(2);
    }
  });
});
