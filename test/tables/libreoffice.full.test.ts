import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeRows, exportCsv, importXlsx } from '@yuanping/tables';
import { attachment1, makeRows } from './make-1200.js';

function soffice(): string | undefined {
  try {
    return execFileSync('which', ['soffice'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const bin = soffice();
if (!bin) console.warn('跳过：未安装 LibreOffice（soffice），无法测试其他程序写出的 xlsx。安装：apt-get install -y libreoffice-calc-nogui');

describe('an xlsx written by another program (LibreOffice)', () => {
  it.skipIf(!bin)('imports an xlsx that soffice converted from our CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yuanping-lo-'));
    try {
      const rows = makeRows(40);
      const csv = join(dir, 'attachment1.csv');
      writeFileSync(csv, exportCsv(attachment1, rows));
      // 44 = comma, 34 = double quote, 76 = UTF-8; a private profile so parallel runs do not collide
      execFileSync(
        bin as string,
        [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', '--outdir', dir, csv],
        { stdio: 'pipe', timeout: 600_000 },
      );
      const r = await importXlsx(attachment1, readFileSync(join(dir, 'attachment1.xlsx')));
      if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 5)));
      expect(r.rows).toEqual(computeRows(attachment1, rows).rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
