/**
 * A wide table printed on several A4 landscape pages: a group header (a title over several columns)
 * that a page break splits is merged on each page and titled on each, so no printed page shows a
 * cut title. The page breaks are worked out here from the sheet itself with Excel's column metric
 * (a width of w characters is w × 7 + 5 pixels at 96 dpi in Calibri 11), the scale and the repeated
 * key columns the sheet declares.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { templateXlsx, tableLayout, type TableForm } from '@yuanping/tables';

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
});
