/**
 * Write a pack's workbook: a 说明 sheet naming the pack and its content hash, then one sheet per
 * table (sheets.ts) with Chinese headers. Read-only columns are shaded; editable ones are white.
 * Text and date cells are stored as text (number format @) so that Excel, WPS and LibreOffice
 * keep `2023-09-20` and codes like `330100` as written.
 */
import ExcelJS from 'exceljs';
import type { NoticePack } from '@yuanping/core';
import { README_SHEET, type SheetSpec } from './model.js';
import { packSheets } from './sheets.js';

const SHADE: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
const HEAD: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

/** The 说明 sheet's rows that import reads back: label → value. */
export const README_KEYS = { pack: '通知包', hash: '内容哈希' } as const;

function writeReadme(wb: ExcelJS.Workbook, pack: NoticePack, sheets: SheetSpec[]): void {
  const ws = wb.addWorksheet(README_SHEET);
  ws.columns = [{ width: 16 }, { width: 100 }];
  ws.addRow([README_KEYS.pack, pack.id]);
  ws.addRow([README_KEYS.hash, pack.hash]);
  ws.addRow(['标题', pack.manifest.title]);
  ws.addRow([]);
  ws.addRow(['怎么用', '在白色的单元格里修改，灰色的列（标识、名称等）不要改；不要增删行、列或工作表。保存后在“通知包管理 → 工作簿”上传（或 yuanping workbook import），先看检查结果和差异，确认后才写入通知包。']);
  ws.addRow(['', '有错的单元格会被指出（工作表、行、列和原因），整个工作簿不会应用任何修改，改正后再上传。']);
  ws.addRow([]);
  for (const s of sheets) ws.addRow([s.name, s.note]);
  ws.getColumn(1).font = { bold: true };
  ws.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
}

function writeSheet(wb: ExcelJS.Workbook, spec: SheetSpec): void {
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({ width: c.width }));
  const head = ws.addRow(spec.columns.map((c) => c.header));
  head.font = { bold: true };
  head.eachCell((cell) => {
    cell.fill = HEAD;
  });
  for (const r of spec.rows) {
    const row = ws.addRow(r.cells.map((v) => (v === null ? null : typeof v === 'boolean' ? (v ? '是' : '否') : v)));
    spec.columns.forEach((_c, i) => {
      const cell = row.getCell(i + 1);
      const b = r.bindings[i];
      if (!b) cell.fill = SHADE;
      const kind = b?.kind;
      if (typeof cell.value === 'string' || kind === 'text' || kind === 'date' || kind === 'list') cell.numFmt = '@';
      cell.alignment = { vertical: 'top', wrapText: spec.columns[i]!.width >= 30 };
    });
  }
}

/** The pack's workbook as an ExcelJS workbook. */
export function buildPackWorkbook(pack: NoticePack): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '园评 Yuanping';
  const sheets = packSheets(pack.files, pack.id);
  writeReadme(wb, pack, sheets);
  for (const s of sheets) writeSheet(wb, s);
  return wb;
}

/** The pack's workbook as xlsx bytes. */
export async function exportPackWorkbook(pack: NoticePack): Promise<Buffer> {
  return Buffer.from(await buildPackWorkbook(pack).xlsx.writeBuffer());
}
