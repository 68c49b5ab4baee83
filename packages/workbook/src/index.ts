/**
 * @yuanping/workbook — a pack's tables as one xlsx workbook (a sheet each, Chinese headers) and
 * the edited workbook read back into the pack's files: every cell checked, the changed pack
 * checked by `checkPackFully` and compared by the readable diff, nothing half-applied.
 * Used by `yuanping workbook export|import`, the server's workbook routes and the web page.
 */
export { exportPackWorkbook, buildPackWorkbook } from './export.js';
export { importPackWorkbook, type CellProblem, type WorkbookImport } from './import.js';
export { packSheets } from './sheets.js';
export type { SheetSpec, SheetColumn, SheetRow, Binding, CellKind, CellValue } from './model.js';
