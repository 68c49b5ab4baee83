import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '@yuanping/cli';
import { captureCliOutput } from '../support/cli-output.js';

const repo = join(import.meta.dirname, '..', '..');
const PACK = 'zj-2022-digital-demo';
let root = '';
const io = captureCliOutput();
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yp-workbook-cli-'));
  for (const d of ['schemas', 'rules']) cpSync(join(repo, d, PACK), join(root, d, PACK), { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const manifest = () => JSON.parse(readFileSync(join(root, 'schemas', PACK, 'pack.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };

/** Sets 参数!C3 (capHangzhou's value: header row, capDefault, capHangzhou) and saves under a new name. */
async function editCap(from: string, to: string, value: unknown): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(from);
  const row = wb.getWorksheet('参数')!.getRow(3);
  expect(row.getCell(1).value).toBe('capHangzhou');
  row.getCell(3).value = value as ExcelJS.CellValue;
  await wb.xlsx.writeFile(to);
}

describe('yuanping workbook export / import', () => {
  it('a bad cell: its address and reason, exit 1, no file written', async () => {
    const x = join(root, 'w.xlsx');
    expect(await main(['--root', root, 'workbook', 'export', PACK, '--out', x])).toBe(0);
    const bad = join(root, 'bad.xlsx');
    await editCap(x, bad, '八');
    io.out = '';
    expect(await main(['--root', root, 'workbook', 'import', PACK, bad])).toBe(1);
    expect(io.out).toContain('WORKBOOK_CELL_TYPE');
    expect(io.out).toContain('参数!C3');
    expect(manifest().parameters.capHangzhou!.value).toBe(8);
  });

  it('Hangzhou 8 → 10: the diff is shown, then the file is written (the fixtures written for 8 now fail: exit 1)', async () => {
    const x = join(root, 'w.xlsx');
    const edited = join(root, 'edited.xlsx');
    await editCap(x, edited, 10);
    io.out = '';
    expect(await main(['--root', root, 'workbook', 'import', PACK, edited, '--dry-run'])).toBe(1);
    expect(io.out).toContain('capHangzhou）：值 8 家 → 10 家');
    expect(io.out).toContain('共 1 处变化');
    expect(manifest().parameters.capHangzhou!.value).toBe(8);
    io.out = '';
    expect(await main(['--root', root, 'workbook', 'import', PACK, edited])).toBe(1);
    expect(io.out).toContain('FIXTURE_MISMATCH');
    expect(io.out).toContain(`已写入：schemas/${PACK}/pack.json`);
    expect(manifest().parameters.capHangzhou!.value).toBe(10);
    // the same workbook again: nothing left to change
    io.out = '';
    await main(['--root', root, 'workbook', 'import', PACK, edited]);
    expect(io.out).toContain('两个通知包的内容没有差别');
  });
});
