/** A list as an xlsx workbook (one sheet, a header row, the rows as shown), saved by the browser. exceljs is loaded on demand. */
import { saveBlob } from '../lib/download';

export interface SheetColumn {
  title: string;
  width?: number;
}

export async function downloadXlsx(filename: string, sheet: string, columns: SheetColumn[], rows: Array<Array<string | number | null>>): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet.slice(0, 31));
  ws.columns = columns.map((c) => ({ header: c.title, width: c.width ?? Math.min(60, Math.max(10, c.title.length * 2 + 4)) }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) ws.addRow(r);
  const buf = await wb.xlsx.writeBuffer();
  saveBlob(new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), filename);
}
