/**
 * The graded exports and every template as a real client opens them: LibreOffice (headless)
 * converts the CLI's `yuanping cohort --out` xlsx and every pack's blank template to CSV and PDF.
 * The official columns must hold the results, the PDF pages A4 landscape at ≥ 8 pt. In pnpm test:full
 * only (LibreOffice converting twenty files takes a minute or more on a busy machine).
 *
 * Expected grades worked out by hand from the sample files (examples/):
 * - 2021 附件1, 20 parks R01…R20 of one city with 综合评价得分 100, 99, …, 81: A ≤ 20 % → 4 (R01–R04),
 *   B ≈ 30 % → 6 (R05–R10), C ≈ 45 % → 9 (R11–R19), D the rest → 1 (R20).
 * - city-2023 summary, 7 parks (P1–P3, P5–P8): P6 is not inside a provincial-level development zone, so
 *   it is not evaluated (起草说明 三（一））. The scores are the pack's (功效系数法; its own cohort
 *   fixtures check them): P1 107, P5 91.75, P8 90, P2 83, P7 80, P3 61. By hand from there: the score
 *   lines A ≥ 85, B ≥ 70 make P1, P5, P8 the A parks, rewarded 100, 80, 70 (万元) by rank (seed 002).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '@yuanping/cli';
import { which } from '../support/which.js';
import { loadPack } from '@yuanping/core';
import { parseCsv, tableLayout, templateXlsx, type TableForm } from '@yuanping/tables';

const repo = join(import.meta.dirname, '..', '..');
const soffice = which('soffice');
const pdfinfo = which('pdfinfo');
if (!soffice) console.warn('跳过：未安装 LibreOffice（soffice），无法按真实客户端检查导出。安装：apt-get install -y libreoffice-calc-nogui');

const dir = mkdtempSync(join(tmpdir(), 'yuanping-graded-'));
const files: Record<string, string> = {};
/** templates of several sections: each brings its own header, none is repeated */
const multiSection = new Set<string>();
const convert = (to: string, out: string, inputs: string[]): void => {
  execFileSync(soffice as string, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', to, '--outdir', out, ...inputs], { stdio: 'pipe', timeout: 600_000 });
};
const csvOf = (name: string): string[][] => parseCsv(readFileSync(join(dir, 'csv', `${name}.csv`), 'utf8'));

beforeAll(async () => {
  if (!soffice) return;
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    files.grading = join(dir, 'grading.xlsx');
    expect(await main(['--root', repo, 'cohort', '--pack', 'zj-2021-evaluation-star', '--step', 'grading', join(repo, 'examples/zj-2021-evaluation-star/attachment1-20-parks.xlsx'), '--out', files.grading])).toBe(0);
    files.city = join(dir, 'city.xlsx');
    expect(await main(['--root', repo, 'cohort', '--pack', 'city-2023-guidance', '--step', 'evaluation', join(repo, 'examples/city-2023-guidance/evaluation-summary.xlsx'), '--out', files.city])).toBe(0);
  } finally {
    quiet.mockRestore();
  }
  // every table form's blank template
  mkdirSync(join(dir, 'tpl'));
  for (const id of ['zj-2021-evaluation-star', 'zj-2018-construction', 'zj-2022-digital-demo', 'city-2023-guidance']) {
    const pack = await loadPack(id, { root: repo });
    for (const f of pack.forms.values()) {
      if (f.kind !== 'table') continue;
      const file = join(dir, 'tpl', `${id}--${f.id}.xlsx`);
      writeFileSync(file, await templateXlsx(f.schema as TableForm));
      if (tableLayout(f.schema as TableForm).sections.length > 1) multiSection.add(file);
    }
  }
  const all = [files.grading, files.city, ...readdirSync(join(dir, 'tpl')).map((f) => join(dir, 'tpl', f))];
  convert('csv:Text - txt - csv (StarCalc):44,34,76', join(dir, 'csv'), [files.grading, files.city]);
  convert('pdf', join(dir, 'pdf'), all);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The header row holding `title`, and the column of each title asked for. */
function columns(rows: string[][], titles: string[]): { header: number; at: Record<string, number> } {
  const header = rows.findIndex((r) => titles.every((t) => r.includes(t)));
  const at = Object.fromEntries(titles.map((t) => [t, (rows[header] ?? []).indexOf(t)]));
  return { header, at };
}

describe.skipIf(!soffice)('graded exports opened by LibreOffice', () => {
  it('2021 附件1: the notice’s 绩效评价档次 column holds the grades; 名次 and 说明 are added', () => {
    const rows = csvOf('grading');
    const { header, at } = columns(rows, ['园区编码', '绩效评价档次', '名次', '说明']);
    expect(header).toBeGreaterThanOrEqual(0);
    const grade: Record<string, string> = {};
    for (const r of rows.slice(header + 1)) if (/^R\d\d$/.test(r[at['园区编码'] as number] ?? '')) grade[r[at['园区编码'] as number] as string] = r[at['绩效评价档次'] as number] as string;
    const want: Record<string, string> = {};
    for (let i = 1; i <= 20; i++) want[`R${String(i).padStart(2, '0')}`] = i <= 4 ? 'A' : i <= 10 ? 'B' : i <= 19 ? 'C' : 'D';
    expect(grade).toEqual(want);
    // the legend below the table (right of the repeated key columns, once a printed page)
    expect(rows.some((r) => r.some((c) => c.includes('本平台增设')))).toBe(true);
    expect(rows.flat().some((c) => c === '评定结果')).toBe(false);
  });

  it('city-2023: 综合得分, 评定结果 and 奖励 filled for the efficacy step (the A parks get 100, 80, 70)', () => {
    const rows = csvOf('city');
    const { header, at } = columns(rows, ['园区编码', '综合得分', '评定结果', '奖励']);
    expect(header).toBeGreaterThanOrEqual(0);
    const data = rows.slice(header + 1).filter((r) => /^P\d$/.test(r[at['园区编码'] as number] ?? ''));
    expect(data).toHaveLength(7);
    const a = data.filter((r) => r[at['评定结果'] as number] === 'A');
    expect(a.map((r) => [r[at['园区编码'] as number], Number(r[at['奖励'] as number])])).toEqual([
      ['P1', 100],
      ['P5', 80],
      ['P8', 70],
    ]);
    for (const r of data) {
      if (r[at['评定结果'] as number] === '不参评') continue;
      expect(Number(r[at['综合得分'] as number])).toBeGreaterThan(0);
    }
    expect(data.filter((r) => r[at['评定结果'] as number] === '不参评').map((r) => r[at['园区编码'] as number])).toEqual(['P6']);
  });

  it.skipIf(!pdfinfo)('every graded export and template prints on A4 landscape at ≥ 8 pt with its header rows repeated (one section) or each section’s own', async () => {
    const pdfs = readdirSync(join(dir, 'pdf'));
    expect(pdfs).toHaveLength(readdirSync(join(dir, 'tpl')).length + 2);
    for (const pdf of pdfs) {
      const info = execFileSync(pdfinfo as string, [join(dir, 'pdf', pdf)], { encoding: 'utf8' });
      expect(info, pdf).toMatch(/Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)/);
    }
    for (const xlsx of [files.grading as string, files.city as string, ...readdirSync(join(dir, 'tpl')).map((f) => join(dir, 'tpl', f))]) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(xlsx) as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      expect(ws.pageSetup.orientation, xlsx).toBe('landscape');
      expect(ws.pageSetup.fitToPage, xlsx).toBeFalsy();
      // 11 pt × scale ≥ 8 pt
      expect(ws.pageSetup.scale, xlsx).toBeGreaterThanOrEqual(73);
      if (multiSection.has(xlsx)) expect(ws.pageSetup.printTitlesRow, xlsx).toBeUndefined();
      else expect(ws.pageSetup.printTitlesRow, xlsx).toMatch(/^\d+:\d+$/);
    }
  });
});
