/**
 * The administrator's workbench through the spreadsheet round trip: next year's digital-demonstration
 * pack made with the wizard, its workbook downloaded from the page, edited as a civil servant would in
 * Excel (here exceljs; then re-saved by LibreOffice headless when it is installed, so the file uploaded
 * is another program's) with the same four changes as the wizard journey in workbench.e2e.ts:
 * - points moved between three scorecard items: 序号2 3 → 2, 序号3 2 → 3, 序号4 3 → 2;
 * - one item added to 数字技术赋能 (1 point: the group stays 45);
 * - Hangzhou's cap 8 → 10 (the parameter the quota refers to);
 * - the eligible grades tightened from A、B to A;
 * uploaded on the page: the readable diff lists exactly those changes (and no other), the check passes;
 * applied to the draft, which then shows the same diff against last year and is published.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiCall, newPage, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';
import { checkPage } from './checks.js';

// a server and database of its own for each journey and each attempt: CI's one retry really
// retries (the first attempt's draft or published version would refuse a second)
let env: Env | undefined;
beforeEach(async () => {
  env = await startEnv();
});
afterEach(async () => {
  await stopEnv(env);
  env = undefined;
});

const dir = mkdtempSync(join(tmpdir(), 'yp-e2e-workbook-'));
const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
const flat = (s: string) => s.replace(/\s+/g, '');
// the draft's identifier in the list of drafts, and the programs the page names (用 Excel、WPS 或 LibreOffice)
const LATIN = ['zj-2023-digital-demo', 'WPS', 'LibreOffice'];

/** The row whose column `keyColumn` holds `key`, and the column under `header`. */
function cellOf(wb: ExcelJS.Workbook, sheet: string, key: string, header: string, keyColumn = 1): ExcelJS.Cell {
  const ws = wb.getWorksheet(sheet)!;
  let col = 0;
  ws.getRow(1).eachCell((c, i) => {
    if (c.value === header) col = i;
  });
  expect(col, `${sheet} has a column ${header}`).toBeGreaterThan(0);
  for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(keyColumn).value === key) return ws.getRow(r).getCell(col);
  throw new Error(`no row ${key} in ${sheet}`);
}

/** The four changes, each checked against the value the wizard copied from last year. */
function edit(wb: ExcelJS.Workbook): void {
  const set = (sheet: string, key: string, header: string, before: unknown, after: unknown, keyColumn = 1) => {
    const c = cellOf(wb, sheet, key, header, keyColumn);
    expect(c.value, `${sheet} ${key} ${header}`).toEqual(before);
    c.value = after as ExcelJS.CellValue;
  };
  set('参数', 'capHangzhou', '值', 8, 10);
  set('参数', 'eligibleGrades', '值', 'A、B', 'A');
  set('评分项', 'i02', '满分', 3, 2, 3);
  set('评分项', 'i03', '满分', 2, 3, 3);
  set('评分项', 'i04', '满分', 3, 2, 3);
  // a new item: a row inserted below 序号4, its identifier left empty (the server proposes one)
  const ws = wb.getWorksheet('评分项')!;
  let at = 0;
  for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(3).value === 'i04') at = r + 1;
  ws.spliceRows(at, 0, ['scorecard', 'scores', '', '序号38 数据安全·应急演练', 'digital', 1, '', '每年至少开展一次数据安全应急演练。']);
}

/** LibreOffice headless opens the workbook and writes it again as xlsx (its own file, not exceljs's). */
function resaveWithLibreOffice(file: string): string {
  const out = join(dir, 'libreoffice');
  mkdirSync(out, { recursive: true });
  execFileSync(soffice!, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', out, file], { stdio: 'ignore' });
  const written = join(out, file.split('/').pop()!);
  expect(existsSync(written)).toBe(true);
  return written;
}

async function upload(page: Page, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: '上传修改后的工作簿' }).click();
  await (await chooser).setFiles(file);
  await page.getByTestId('workbook-diff').waitFor();
}

/** The diff's rows shown on the page, each as its section and its text (without spaces): 参数|修改参数“…”：值8家→10家. */
async function diffRows(page: Page): Promise<string[]> {
  return page.locator('[data-testid="workbook-diff"] [data-section]').evaluateAll((sections) =>
    sections.flatMap((s) => Array.from(s.querySelectorAll<HTMLElement>('.ant-list-item')).map((li) => `${s.getAttribute('data-section')}|${li.innerText.replace(/\s+/g, '')}`)),
  );
}

describe('通知包工作簿', () => {
  it('向导生成下一年度草稿，下载工作簿改四处（评分项分值、新增一项、杭州市名额、申报档次），上传后差异恰为这些变化，检查通过，应用并发布', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1440, 900);
    await signIn(page, env.base, 'admin');
    await page.getByRole('link', { name: '通知包工作台' }).click();
    await page.getByTestId('wizard').waitFor();
    await page.getByRole('combobox', { name: '上一年度的通知包' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '数字化示范' }).first().click();
    await page.getByTestId('wizard-dates').waitFor();
    expect(await page.getByLabel('新通知包标识').inputValue()).toBe('zj-2023-digital-demo');
    await page.getByTestId('wizard-create').click();
    await page.waitForURL(/\/workbench\/\d+$/);
    const draftUrl = page.url();
    await page.getByTestId('check-state').waitFor();

    // from the draft to its workbook: the draft is chosen already
    await page.getByTestId('to-workbook').click();
    await page.waitForURL(/\/workbook\?draft=\d+$/);
    const dl = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载工作簿' }).click();
    const file = join(dir, 'workbook.xlsx');
    await (await dl).saveAs(file);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    edit(wb);
    let edited = join(dir, 'edited.xlsx');
    writeFileSync(edited, Buffer.from(await wb.xlsx.writeBuffer()));
    if (soffice) edited = resaveWithLibreOffice(edited);
    else console.warn('LibreOffice 未安装：上传 exceljs 写的工作簿');
    expect(readFileSync(edited).subarray(0, 2).toString()).toBe('PK');

    await upload(page, edited);
    const title = flat(await page.getByTestId('workbook-result').locator('.ant-card-head-title').first().innerText());
    expect(title).toContain('与草稿相比6处变化');
    // exactly the four changes: two parameters, three items' points, one item added — nothing else
    // (the quota refers to the parameter and is not listed again; the groups' sums are unchanged)
    const rows = await diffRows(page);
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.startsWith('参数|'))).toEqual([
      expect.stringContaining('推荐数量上限（杭州市330100）'),
      expect.stringContaining('可申报的上年度绩效评价档次'),
    ]);
    expect(rows[0]).toContain('8家→10家');
    expect(rows[1]).toContain('A、B→A');
    const items = rows.filter((r) => r.startsWith('评分项|'));
    expect(items).toHaveLength(4);
    expect(items.find((r) => r.includes('序号2数字技术手段·信息基础设施'))).toContain('3→2');
    expect(items.find((r) => r.includes('序号3数字技术手段·信息安全'))).toContain('2→3');
    expect(items.find((r) => r.includes('序号4数字技术手段·人行'))).toContain('3→2');
    expect(items.find((r) => r.includes('数据安全·应急演练'))).toMatch(/^评分项\|新增/);
    // the check passes; the fixtures copied from last year are one line, not a list burying the changes
    expect(await page.getByTestId('workbook-check').innerText()).toBe('检查通过');
    expect(await page.getByTestId('workbook-blocked').count()).toBe(0);
    await shot(page, 'workbook-01-diff');
    await checkPage(page, '工作簿·上传结果', { allowLatin: LATIN });

    // the same upload on a phone
    const phone = await newPage(env, 390, 844);
    await signIn(phone, env.base, 'admin');
    await phone.goto(`${env.base}/workbook?draft=${draftUrl.split('/').pop()}`);
    await phone.getByRole('button', { name: '下载工作簿' }).waitFor();
    await upload(phone, edited);
    expect(await diffRows(phone)).toEqual(rows);
    await shot(phone, 'workbook-phone-01-diff');
    await checkPage(phone, '工作簿·上传结果（手机）', { allowLatin: LATIN });
    await phone.context().close();

    // applied to the draft; back on the draft, the diff against last year lists the same changes
    await page.getByTestId('workbook-apply').click();
    await page.getByText(/已应用到草稿/).waitFor();
    const id = Number(draftUrl.split('/').pop());
    const after = await apiCall<{ files: Record<string, { parameters?: Record<string, { value: unknown }> }> }>(page, 'GET', `/api/pack-drafts/${id}`);
    const params = after.body.files['schemas/zj-2023-digital-demo/pack.json']?.parameters;
    expect(params?.capHangzhou?.value).toBe(10);
    expect(params?.eligibleGrades?.value).toEqual(['A']);
    await page.getByTestId('back-to-draft').click();
    await page.waitForURL(draftUrl);
    await page.getByTestId('check-state').waitFor();
    expect(await page.getByTestId('check-state').innerText()).toBe('检查通过');
    await page.getByRole('tab', { name: '与上一年度差异' }).click();
    await page.getByTestId('pack-diff').waitFor();
    const section = async (label: string) => flat(await page.locator(`[data-section="${label}"]`).innerText());
    const p = await section('参数');
    expect(p).toContain('参数（2）');
    expect(p).toContain('参数“推荐数量上限（杭州市330100）”：值8家→10家');
    expect(p).toContain('参数“可申报的上年度绩效评价档次”：值A、B→A');
    const i = await section('评分项');
    expect(i).toContain('评分项（4）');
    expect(i).toContain('数据安全·应急演练');
    const sections = await page.locator('[data-testid="pack-diff"] [data-section]').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
    // besides: the year and dates the wizard moved, and the forms' titles naming the year
    expect(sections.filter((s) => s !== '基本信息' && s !== '日期与办理时间' && s !== '表单、字段与选项').sort()).toEqual(['参数', '评分项']);
    await shot(page, 'workbook-02-draft-diff');

    // published as version 1, current
    await page.getByRole('tab', { name: '发布' }).click();
    await page.getByTestId('publish').click();
    await page.locator('.ant-modal-confirm-title', { hasText: '已发布为第 1 版，现为当前版本' }).waitFor();
    const versions = await apiCall<Array<{ packId: string; version: number }>>(page, 'GET', '/api/packs');
    expect(versions.body.filter((v) => v.packId === 'zj-2023-digital-demo').map((v) => v.version)).toEqual([1]);
  }, 900_000);
});
