import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '@yuanping/cli';
import { exportCsv, readXlsx, type TableForm } from '@yuanping/tables';
import { loadPack } from '@yuanping/core';
import { captureCliOutput } from '../support/cli-output.js';

const repo = join(import.meta.dirname, '..', '..');
const fixture = JSON.parse(readFileSync(join(repo, 'rules', 'zj-2021-evaluation-star', 'cohort-fixtures', 'c03-twenty-parks.json'), 'utf8')) as {
  records: Array<Record<string, unknown>>;
  expect: { distribution: Record<string, number> };
};
const io = captureCliOutput();

describe('yuanping cohort', () => {
  it('grades a JSON list of 附件1 rows and prints the result with explanations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yp-cohort-'));
    const file = join(dir, 'rows.json');
    writeFileSync(file, JSON.stringify(fixture.records));
    expect(await main(['--root', repo, 'cohort', '--pack', 'zj-2021-evaluation-star', '--step', 'grading', file])).toBe(0);
    const r = JSON.parse(io.out) as { result: { distribution: Record<string, number>; records: Array<{ explanation: string[] }> } };
    expect(r.result.distribution).toEqual(fixture.expect.distribution);
    expect(r.result.records[0]!.explanation.join('')).toMatch(/名额/);
  });
  it('writes the official-layout xlsx with the results beside the table, and reads a CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yp-cohort-'));
    const json = join(dir, 'rows.json');
    writeFileSync(json, JSON.stringify(fixture.records));
    const xlsx = join(dir, 'result.xlsx');
    expect(await main(['--root', repo, 'cohort', '--pack', 'zj-2021-evaluation-star', '--step', 'grading', json, '--out', xlsx])).toBe(0);
    const [sheet] = await readXlsx(readFileSync(xlsx));
    // the notice's own 绩效评价档次 column holds the grades (x-result); 名次 and 说明 are the pack's added columns
    const rows = sheet!.rows;
    const head = rows.find((r) => r.includes('绩效评价档次') && r.includes('名次')) ?? [];
    expect(head).toContain('说明');
    const g = head.indexOf('绩效评价档次');
    const grades = rows.map((r) => r[g]).filter((v): v is string => typeof v === 'string' && /^[ABCD]$/.test(v));
    const counts: Record<string, number> = {};
    for (const v of grades) counts[v] = (counts[v] ?? 0) + 1;
    const expected = Object.fromEntries(Object.entries(fixture.expect.distribution as Record<string, number>).filter(([k, n]) => /^[ABCD]$/.test(k) && n > 0));
    expect(counts).toEqual(expected);
    expect(JSON.stringify(rows)).not.toContain('评定结果');
  });
  it('refuses a whole file for one bad row, naming sheet, row and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yp-cohort-'));
    const tpl = join(dir, 'blank.xlsx');
    expect(await main(['--root', repo, 'template', '--pack', 'zj-2021-evaluation-star', '--form', 'performance-summary', '--out', tpl])).toBe(0);
    expect(existsSync(tpl)).toBe(true);
    // a CSV written from the JSON rows, with one number cell replaced by text
    const json = join(dir, 'rows.json');
    writeFileSync(json, JSON.stringify(fixture.records));
    const good = join(dir, 'good.xlsx');
    expect(await main(['--root', repo, 'cohort', '--pack', 'zj-2021-evaluation-star', '--step', 'grading', json, '--out', good])).toBe(0);
    // the official CSV of the same rows grades the same; then one number cell becomes text
    const pack = await loadPack('zj-2021-evaluation-star', { root: repo });
    const form = pack.forms.get('performance-summary')!.schema as TableForm;
    const csvText = exportCsv(form, fixture.records).toString('utf8');
    const okCsv = join(dir, 'ok.csv');
    writeFileSync(okCsv, csvText);
    io.out = '';
    expect(await main(['--root', repo, 'cohort', '--pack', 'zj-2021-evaluation-star', '--step', 'grading', okCsv])).toBe(0);
    expect((JSON.parse(io.out) as { result: { distribution: unknown } }).result.distribution).toEqual(fixture.expect.distribution);
    const lines = csvText.split(/\r?\n/);
    const dataLine = lines.findIndex((l) => l.includes(String(fixture.records[4]!.parkCode ?? fixture.records[4]!.name ?? 'R05')));
    expect(dataLine).toBeGreaterThan(0);
    const cells = lines[dataLine]!.split(',');
    const numIdx = cells.findIndex((c, i) => i > 3 && /^\d+(\.\d+)?$/.test(c));
    cells[numIdx] = '一百';
    lines[dataLine] = cells.join(',');
    const badCsv = join(dir, 'bad.csv');
    writeFileSync(badCsv, lines.join('\n'));
    expect(await main(['--root', repo, 'cohort', '--pack', 'zj-2021-evaluation-star', '--step', 'grading', badCsv])).toBe(1);
    expect(io.err).toMatch(new RegExp(`工作表“CSV” 第 ${dataLine + 1} 行 第 [A-Z]+ 列`));
    expect(io.err).toContain('整个文件未导入');
  });
  it('usage errors exit 2', async () => {
    expect(await main(['--root', repo, 'cohort', '--pack', 'zj-2021-evaluation-star', '--step', 'nope', 'x.json'])).toBe(2);
    expect(await main(['--root', repo, 'template', '--pack', 'zj-2021-evaluation-star', '--form', 'star-application'])).toBe(2);
  });
});
