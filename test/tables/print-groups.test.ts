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
import { templateXlsx, tableLayout, wrappedLines, type TableForm } from '@yuanping/tables';

const repo = join(import.meta.dirname, '..', '..');
const form = JSON.parse(readFileSync(join(repo, 'schemas/city-2023-guidance/forms/evaluation-summary.schema.json'), 'utf8')) as TableForm;

describe('group headers across printed pages', () => {
  it('the 34-column city-2023 summary: every group-header merge lies on one page and each part carries the title', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await templateXlsx(form)) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    const scale = ws.pageSetup.scale as number;
    const avail = (((297 - 2 * 10.16) / 25.4) * 96) / (scale / 100);
    const px = (c: number): number => Math.round((ws.getColumn(c).width ?? 8) * 7 + 5);
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
          for (let k = c; k <= c2; k++) width += ws.getColumn(k).width ?? 8;
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
