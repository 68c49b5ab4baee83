/**
 * Bulk import of accounts and parks from an xlsx: the first sheet, a header row naming the
 * columns (in any order), then one row each. Every row is checked before anything is stored;
 * a problem names its row, column and reason. The columns are declared once here and give the
 * template the page offers for download.
 */
import ExcelJS from 'exceljs';
import { readXlsx, type GridCell } from '@yuanping/tables';
import { formatMessage, type ErrorCode } from '@yuanping/core';

export interface ImportColumn<K extends string> {
  key: K;
  header: string;
  required: boolean;
}

export const USER_COLUMNS = [
  { key: 'username', header: '用户名', required: true },
  { key: 'displayName', header: '姓名', required: true },
  { key: 'role', header: '角色', required: true },
  { key: 'orgCode', header: '单位代码', required: false },
  { key: 'creditCode', header: '园区统一社会信用代码', required: false },
  { key: 'mobile', header: '手机号码', required: false },
  { key: 'password', header: '初始密码', required: true },
] as const satisfies ReadonlyArray<ImportColumn<string>>;

export const PARK_COLUMNS = [
  { key: 'name', header: '园区全称', required: true },
  { key: 'creditCode', header: '统一社会信用代码', required: true },
  { key: 'countyCode', header: '所在县级单位代码', required: true },
  { key: 'contactName', header: '联系人', required: false },
  { key: 'contactMobile', header: '联系电话', required: false },
] as const satisfies ReadonlyArray<ImportColumn<string>>;

/** Role names as written in the workbook (Chinese), or the role codes. */
export const ROLE_NAMES: Record<string, 'applicant' | 'county' | 'city' | 'province' | 'admin'> = {
  申报单位: 'applicant',
  县级审核: 'county',
  市级审核: 'city',
  省级评定: 'province',
  管理员: 'admin',
  applicant: 'applicant',
  county: 'county',
  city: 'city',
  province: 'province',
  admin: 'admin',
};

export interface ImportProblem {
  /** the row as the spreadsheet numbers it (1 is the header) */
  row: number;
  /** the column's header, or empty for the whole row */
  column: string;
  code: ErrorCode;
  message: string;
}

export interface ImportRow<K extends string> {
  row: number;
  values: Record<K, string>;
}

function text(c: GridCell | undefined): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return String(c).trim();
}

/** The rows of the first sheet by the columns' headers, or the problems of reading it. */
export async function readImportSheet<K extends string>(bytes: Buffer, columns: ReadonlyArray<ImportColumn<K>>): Promise<{ rows: ImportRow<K>[]; problems: ImportProblem[] }> {
  const bad = (code: ErrorCode, detail: Record<string, unknown>, row = 0, column = ''): ImportProblem => ({ row, column, code, message: formatMessage(code, detail) });
  let sheets: Awaited<ReturnType<typeof readXlsx>>;
  try {
    sheets = await readXlsx(bytes);
  } catch (e) {
    return { rows: [], problems: [bad('WORKBOOK_UNREADABLE', { detail: e instanceof Error ? e.message : String(e) })] };
  }
  const grid = sheets[0]?.rows ?? [];
  const head = (grid[0] ?? []).map(text);
  const at = new Map<K, number>();
  const problems: ImportProblem[] = [];
  for (const c of columns) {
    const i = head.indexOf(c.header);
    if (i >= 0) at.set(c.key, i);
    else if (c.required) problems.push(bad('WORKBOOK_HEADER', { sheet: sheets[0]?.sheet ?? '', cell: '第 1 行', expected: c.header, actual: '（没有这一列）' }, 1, c.header));
  }
  if (problems.length) return { rows: [], problems };
  const rows: ImportRow<K>[] = [];
  grid.slice(1).forEach((cells, i) => {
    if (cells.every((c) => text(c) === '')) return;
    const values = {} as Record<K, string>;
    for (const c of columns) values[c.key] = text(at.has(c.key) ? cells[at.get(c.key)!] : undefined);
    rows.push({ row: i + 2, values });
  });
  return { rows, problems };
}

/** An empty template: the header row, text cells (codes keep their leading digits). */
export async function importTemplate<K extends string>(columns: ReadonlyArray<ImportColumn<K>>, sheet: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.columns = columns.map((c) => ({ header: c.header, width: Math.max(14, c.header.length * 2 + 4), style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
