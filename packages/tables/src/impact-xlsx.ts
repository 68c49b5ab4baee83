/** The impact preview (core's `impactOf`) as an xlsx workbook: one row per changed outcome, Chinese headers. */
import ExcelJS from 'exceljs';
import type { ImpactReport } from '@yuanping/core';

export async function impactXlsx(report: ImpactReport, title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('结果变化');
  ws.addRow([title]);
  ws.addRow([`共 ${report.submissions} 份申报，${report.changes.length} 项结果变化`]);
  ws.addRow(['园区', '规则集', '之前', '之后', '变化原因']).font = { bold: true };
  for (const c of report.changes) ws.addRow([c.label, c.ruleSetTitle, c.before, c.after, c.reasons.join('\n')]);
  ws.columns.forEach((col, i) => (col.width = [30, 24, 14, 14, 90][i] ?? 14));
  ws.getColumn(5).alignment = { wrapText: true, vertical: 'top' };
  const sum = wb.addWorksheet('规则集');
  sum.addRow(['规则集', '比较的申报数', '结果变化数']).font = { bold: true };
  for (const r of report.ruleSets) sum.addRow([r.title, r.evaluated, r.changed]);
  sum.columns.forEach((col, i) => (col.width = [30, 14, 14][i] ?? 14));
  if (report.failures.length) {
    const f = wb.addWorksheet('未能计算');
    f.addRow(['申报', '规则集', '原因']).font = { bold: true };
    for (const x of report.failures) f.addRow([x.submission, x.ruleSet, x.message]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
