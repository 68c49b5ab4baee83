/**
 * The wrap estimate (`wrappedLines`, which sizes every wrapped row of the official sheets) against
 * what LibreOffice prints: every wrapped text of every pack's blank template and of the two graded
 * exports (header titles, notes, 说明 paragraphs) is printed by soffice in a cell of its width, and
 * the lines it printed are counted from the PDF (pdftotext's word boxes). The estimate may be taller
 * than LibreOffice (Excel's columns are narrower than LibreOffice's for the same width, and the
 * estimate must hold in both), never shorter: a shorter estimate cuts text in print.
 * In pnpm test:full only (soffice).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '@yuanping/cli';
import { which } from '../support/which.js';
import { loadPack } from '@yuanping/core';
import { templateXlsx, wrappedLines, type TableForm } from '@yuanping/tables';

const repo = join(import.meta.dirname, '..', '..');
const soffice = which('soffice');
const pdftotext = which('pdftotext');
if (!soffice || !pdftotext) console.warn('跳过：未安装 LibreOffice（soffice）或 poppler-utils（pdftotext），无法对照折行估算。');

const dir = mkdtempSync(join(tmpdir(), 'yuanping-wrap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Item {
  text: string;
  width: number;
  bold: boolean;
}

/** The wrapped 11 pt texts of a sheet, one a paragraph, with the width of their (merged) cell. */
function wrappedTexts(ws: ExcelJS.Worksheet, into: Map<string, Item>): void {
  const colWidth = (c: number): number => ws.getColumn(c).width ?? ws.properties.defaultColWidth ?? 8.43;
  ws.eachRow((row, r) =>
    row.eachCell((cell, c) => {
      if (typeof cell.value !== 'string' || !cell.alignment?.wrapText) return;
      if (cell.isMerged && cell.master.address !== cell.address) return;
      if ((cell.font?.size ?? 11) !== 11) return; // the title (16 pt) is sized apart
      let c2 = c;
      while (c2 < ws.columnCount && ws.getCell(r, c2 + 1).isMerged && ws.getCell(r, c2 + 1).master.address === cell.address) c2++;
      let width = 0;
      for (let k = c; k <= c2; k++) width += colWidth(k);
      for (const text of cell.value.split('\n')) {
        const it = { text, width, bold: cell.font?.bold === true };
        into.set(JSON.stringify(it), it);
      }
    }),
  );
}

describe.skipIf(!soffice || !pdftotext)('wrap estimate against LibreOffice', () => {
  it('every wrapped text of the templates and graded exports: never fewer lines than LibreOffice prints', async () => {
    const items = new Map<string, Item>();
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const grading = join(dir, 'grading.xlsx');
      expect(await main(['--root', repo, 'cohort', '--pack', 'zj-2021-evaluation-star', '--step', 'grading', join(repo, 'examples/zj-2021-evaluation-star/attachment1-20-parks.xlsx'), '--out', grading])).toBe(0);
      const city = join(dir, 'city.xlsx');
      expect(await main(['--root', repo, 'cohort', '--pack', 'city-2023-guidance', '--step', 'evaluation', join(repo, 'examples/city-2023-guidance/evaluation-summary.xlsx'), '--out', city])).toBe(0);
      for (const f of [grading, city]) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(f);
        wrappedTexts(wb.worksheets[0] as ExcelJS.Worksheet, items);
      }
    } finally {
      quiet.mockRestore();
    }
    for (const id of ['zj-2021-evaluation-star', 'zj-2018-construction', 'zj-2022-digital-demo', 'city-2023-guidance']) {
      const pack = await loadPack(id, { root: repo });
      for (const f of pack.forms.values()) {
        if (f.kind !== 'table') continue;
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load((await templateXlsx(f.schema as TableForm)) as unknown as ExcelJS.Buffer);
        wrappedTexts(wb.worksheets[0] as ExcelJS.Worksheet, items);
      }
    }
    // one sheet a width: a marker “#i” in column A beside text i in column B, rows tall enough
    const byWidth = new Map<number, Item[]>();
    for (const it of items.values()) byWidth.set(it.width, [...(byWidth.get(it.width) ?? []), it]);
    const wb = new ExcelJS.Workbook();
    const sheets: Item[][] = [];
    for (const [width, list] of byWidth) {
      const ws = wb.addWorksheet(`w${sheets.length}`, { pageSetup: { paperSize: 9, orientation: 'landscape', scale: 100, fitToPage: false } });
      ws.getColumn(1).width = 6;
      ws.getColumn(2).width = width;
      list.forEach((it, i) => {
        ws.getCell(i + 1, 1).value = `#${i}`;
        ws.getCell(i + 1, 1).alignment = { vertical: 'top' };
        const c = ws.getCell(i + 1, 2);
        c.value = it.text;
        c.alignment = { wrapText: true, vertical: 'top' };
        if (it.bold) c.font = { bold: true };
        ws.getRow(i + 1).height = (wrappedLines(it.text, width) + 2) * 16;
      });
      sheets.push(list);
    }
    writeFileSync(join(dir, 'wrap.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
    execFileSync(soffice as string, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'wrap.xlsx')], { stdio: 'pipe', timeout: 300_000 });
    const xml = execFileSync(pdftotext as string, ['-bbox-layout', join(dir, 'wrap.pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // the lines LibreOffice printed for each text: the distinct tops of the words right of the markers
    const printed: Array<Map<number, Set<number>>> = [];
    for (const page of xml.split('<page ').slice(1)) {
      const words = [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), w: m[3] as string }));
      const markers = words.filter((w) => /^#\d+$/.test(w.w) && w.x < 60).sort((a, b) => a.y - b.y);
      if (!markers.length) continue;
      if (markers[0]?.w === '#0') printed.push(new Map());
      const lines = printed[printed.length - 1] as Map<number, Set<number>>;
      for (const w of words) {
        if (w.x < 60) continue;
        const m = [...markers].reverse().find((k) => k.y <= w.y + 1);
        if (!m) continue;
        const i = Number(m.w.slice(1));
        lines.set(i, (lines.get(i) ?? new Set()).add(Math.round(w.y)));
      }
    }
    expect(printed).toHaveLength(sheets.length);
    let compared = 0;
    let taller = 0;
    const short: string[] = [];
    sheets.forEach((list, s) =>
      list.forEach((it, i) => {
        const lo = printed[s]?.get(i)?.size ?? 0;
        if (lo === 0) return; // a column wider than the page prints on the next page across: not counted
        compared++;
        const est = wrappedLines(it.text, it.width);
        if (est < lo) short.push(`${it.width} ${it.text}: ${est} < ${lo}`);
        if (est > lo) taller++;
      }),
    );
    console.log(`折行估算对照 LibreOffice：${compared} 段，估少 ${short.length}，估多 ${taller}`);
    expect(compared).toBeGreaterThan(200);
    expect(short).toEqual([]);
  });
});
