/**
 * Importing a file into a table, and filling it from the parks' applications, as a county
 * reviewer does it (2021 star pack, 附件1 绩效评价情况汇总表): the reviewer uploads an xlsx written
 * by exceljs in the official layout with two bad cells (a number written with its unit, a park
 * type that is no choice) and a full-width number; sees the rows in the grid with both bad cells
 * marked and the problems listed by sheet / row / column; clicks each problem, fixes its cell by
 * typing (the type from the cell's list); saves (replace, confirmed); reloads and finds the rows.
 * Then 从园区申报带入: the park that submitted its application is shown with the values it brings,
 * and added as a row. On a phone, a second upload is previewed and cancelled: nothing saved.
 * The other packs' summary tables fill the same way, each from a park's application submitted
 * through the API: the city-2023 绩效评价汇总表 (a city reviewer; this year's and last year's
 * figures) and, on a server whose clock is inside the 2022 window, the zj-2022 附件4 推荐汇总表
 * (设区市 filled from the account's city, shown by its name, stored as its code). Both take only
 * what the county has passed (`status`): the park is offered once the county reviewer passes it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportXlsx, type TableForm } from '@yuanping/tables';
import { startE2EServer } from '../../apps/web/e2e/harness.js';
import { apiCall, newPage, RESULTS, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';
import { checkPage } from './checks.js';

const PACK = 'zj-2021-evaluation-star';
const FORM = 'performance-summary';
const ROOT = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', PACK, 'forms', `${FORM}.schema.json`), 'utf8')) as TableForm;
const fixture = (pack: string, name: string): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(ROOT, 'rules', pack, 'fixtures', name), 'utf8')) as { input: Record<string, unknown> }).input;
const application = fixture(PACK, '14-m4-at-boundaries.json');

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

const park = (i: number, over: Record<string, unknown> = {}) => ({
  city: '杭州市',
  county: '西湖区',
  parkCode: `33010600${i}`,
  name: `西湖第${'一二三'[i - 1]}小微园`,
  parkType: '生产制造类',
  land: 100 + i,
  floorArea: 50000,
  firms: 40 + i,
  employees: 800,
  leadingRelated: 30,
  revenue: 20000,
  tax: 1500,
  aboveScale: 10,
  newAboveScale: 2,
  highTech: 5,
  hiddenChampions: 1,
  littleGiants: 0,
  grade: 'A',
  participating: '是',
  evalScore: 90 - i,
  ...over,
});

/**
 * The county's file: the official layout as exceljs writes it, then edited as a clerk's file is —
 * 实际用地面积 of the first park written as “102亩”, the second park's type “农业类”, the third
 * park's 入园企业数 in full-width digits “４３” (read, with a warning).
 */
async function countyFile(): Promise<string> {
  const buf = await exportXlsx(schema, { region: '杭州市', rows: [park(1), park(2), park(3)] });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  const col = (title: string): number => {
    for (let r = 1; r <= 10; r++) {
      const row = ws.getRow(r);
      for (let c = 1; c <= row.cellCount; c++) if (String(row.getCell(c).value ?? '').startsWith(title)) return c;
    }
    throw new Error(`no column ${title}`);
  };
  const rowOf = (code: string): number => {
    const c = col('园区编码');
    for (let r = 1; r <= ws.rowCount; r++) if (String(ws.getRow(r).getCell(c).value) === code) return r;
    throw new Error(`no row ${code}`);
  };
  ws.getRow(rowOf('330106001')).getCell(col('实际用地面积')).value = '102亩';
  ws.getRow(rowOf('330106002')).getCell(col('园区类型')).value = '农业类';
  ws.getRow(rowOf('330106003')).getCell(col('入园企业数')).value = '４３';
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, '附件1-西湖区-有错.xlsx');
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

const cell = (page: Page, row: number, col: string) => page.locator(`.yp-grid-row[data-row="${row}"] [data-col="${col}"]`);
/** Latin the page shows from the data: the application's park code (P…) */
const allowLatin = ['P330100001'];

describe('汇总表：导入 Excel 与从园区申报带入', () => {
  it('县级审核人上传有两处错误的 xlsx，在表格中改正后保存；再从园区申报带入一行', async (t) => {
    if (!env) throw new Error('no env');
    const file = await countyFile();

    // a park of 西湖区 has submitted its star application (4★, inside 8-20…8-25): set up through the API
    const applicant = await newPage(env, 1440, 900, { clock: false });
    await signIn(applicant, env.base, 'applicant-hz');
    if ((await apiCall(applicant, 'GET', `/api/packs/${PACK}`)).status !== 200) t.skip();
    const created = await apiCall<{ id: string }>(applicant, 'POST', '/api/submissions', { packId: PACK, formId: 'star-application', data: application });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sent = await apiCall(applicant, 'POST', `/api/submissions/${created.body.id}/submit`, {}, { 'idempotency-key': 'e2e-table-import' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);

    const page = await newPage(env, 1440, 900, { clock: false });
    await signIn(page, env.base, 'county-xihu');
    await page.goto(`${env.base}/tables/${PACK}/${FORM}`);
    await page.getByTestId('grid').waitFor();
    expect(await page.getByTestId('grid').getAttribute('data-rows')).toBe('0');

    // choose the file: uploaded, read, shown in the grid — nothing saved yet
    let puts = 0;
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().includes('/api/tables/')) puts++;
    });
    await page.getByTestId('import-file').setInputFiles(file);
    const panel = page.getByTestId('import-panel');
    await panel.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '3');
    expect(await page.getByTestId('import-summary').innerText()).toContain('2 处错误（已改正 0 处）');
    expect(await page.getByTestId('import-summary').innerText()).toMatch(/已自动规整/);
    // both bad cells marked on their cells, with the file's text still in them
    await expect.poll(() => cell(page, 0, 'land').getAttribute('aria-invalid')).toBe('true');
    expect(await cell(page, 0, 'land').innerText()).toBe('102亩');
    expect(await cell(page, 1, 'parkType').getAttribute('aria-invalid')).toBe('true');
    expect(await cell(page, 1, 'parkType').innerText()).toBe('农业类');
    // the full-width 入园企业数 was read as 43
    expect(await cell(page, 2, 'firms').innerText()).toBe('43');
    const problems = page.getByTestId('import-problems');
    const errorRows = problems.locator('tbody tr').filter({ hasText: '错误' });
    expect(await errorRows.count()).toBe(2);
    const texts = await errorRows.allInnerTexts();
    expect(texts[0]).toMatch(/附件1[\s\S]*实际用地面积[\s\S]*102亩/);
    expect(texts[1]).toMatch(/园区类型[\s\S]*农业类/);
    expect(puts).toBe(0);
    await shot(page, 'table-import-01-preview', true);
    await checkPage(page, '县级·导入预览', { allowLatin });

    // fix the first by typing: click its problem (the cell is selected), type the number, Enter
    await errorRows.nth(0).click();
    await page.keyboard.type('102');
    await page.keyboard.press('Enter');
    await expect.poll(() => cell(page, 0, 'land').getAttribute('aria-invalid')).toBeNull();
    expect(await cell(page, 0, 'land').innerText()).toBe('102');
    // the second: its problem, Enter opens the cell's list, choose the type, Enter
    await problems.locator('tbody tr').filter({ hasText: '农业类' }).click();
    await page.keyboard.press('Enter');
    await page.locator('select.yp-cell-input').selectOption({ label: '生产制造类' });
    await page.keyboard.press('Enter');
    await expect.poll(() => cell(page, 1, 'parkType').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByTestId('import-summary').innerText()).toContain('已改正 2 处');
    expect(puts).toBe(0);
    await shot(page, 'table-import-02-fixed', false);

    // a row added before saving, typed into, then deleted again (the selected cell's row, confirmed)
    await page.getByTestId('import-add-row').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '4');
    expect(await page.getByTestId('import-summary').innerText()).toContain('预览中现有 4 行');
    await cell(page, 3, 'name').dblclick();
    await page.keyboard.type('西湖新增小微园');
    await page.keyboard.press('Enter');
    expect(await cell(page, 3, 'name').innerText()).toBe('西湖新增小微园');
    await cell(page, 3, 'name').click();
    expect(await page.getByTestId('import-delete-row').innerText()).toContain('删除第 4 行');
    await page.getByTestId('import-delete-row').click();
    const del = page.locator('.ant-modal-confirm').filter({ hasText: '删除第 4 行' });
    await del.waitFor();
    expect(await del.innerText()).toContain('这是在预览中添加的行。（园区名称：西湖新增小微园）');
    await del.getByRole('button', { name: /删\s*除/ }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '3');
    await del.waitFor({ state: 'detached' });
    expect(await page.getByTestId('import-summary').innerText()).not.toContain('预览中现有');
    expect(await cell(page, 2, 'name').innerText()).toBe('西湖第三小微园');
    expect(puts).toBe(0);

    // save, replacing the (empty) table's rows: confirmed first
    await page.getByTestId('import-save').click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('导入的 3 行');
    await confirm.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('table-save').getByText('已保存').waitFor({ timeout: 60_000 });
    await panel.waitFor({ state: 'detached' });

    // reloaded: the rows are the table's
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '3');
    expect(await cell(page, 0, 'land').innerText()).toBe('102');
    expect(await cell(page, 1, 'parkType').innerText()).toBe('生产制造类');
    expect(await cell(page, 2, 'firms').innerText()).toBe('43');
    expect(await cell(page, 0, 'name').innerText()).toBe('西湖第一小微园');
    expect(await page.getByTestId('preamble-region').inputValue()).toBe('杭州市');

    // 从园区申报带入: the park that submitted, with what it brings, before anything is filled
    await page.getByTestId('prefill-open').click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '从园区申报带入' });
    const offered = dialog.getByTestId('prefill-parks').locator('tbody tr.ant-table-row');
    await offered.first().waitFor();
    expect(await offered.count()).toBe(1);
    const offer = await offered.first().innerText();
    expect(offer).toContain('新增一行');
    expect(offer).toContain('园区编码：P330100001');
    expect(offer).toContain('园区名称：某小微企业园');
    expect(offer).toContain('县(市、区)：西湖区');
    expect(await dialog.getByTestId('prefill-top').innerText()).toContain('填报地区（设区市）：杭州市（已相同）');
    expect(await page.getByTestId('grid').getAttribute('data-rows')).toBe('3');
    await shot(page, 'table-import-03-prefill', false);
    await checkPage(page, '县级·从园区申报带入', { allowLatin });
    await dialog.getByTestId('prefill-apply').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '4');
    await page.getByTestId('table-save').getByText('已保存').waitFor({ timeout: 60_000 });
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '4');
    expect(await cell(page, 3, 'name').innerText()).toBe('某小微企业园');
    expect(await cell(page, 3, 'parkCode').innerText()).toBe('P330100001');
    expect(await cell(page, 3, 'county').innerText()).toBe('西湖区');
    expect(await cell(page, 3, 'city').innerText()).toBe('杭州市');
    await shot(page, 'table-import-04-after-prefill', false);

    // on a phone: the same file previewed, then cancelled — nothing saved
    const phone = await newPage(env, 390, 844, { clock: false });
    await signIn(phone, env.base, 'county-xihu');
    await phone.goto(`${env.base}/tables/${PACK}/${FORM}`);
    await phone.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '4');
    await phone.getByTestId('import-file').setInputFiles(file);
    await phone.getByTestId('import-panel').waitFor();
    await phone.getByTestId('import-mode').getByText('追加到现有行之后').click();
    // the file's first row (with the 102亩 error) deleted before saving: its error is shown as gone
    await phone.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '3');
    await cell(phone, 0, 'city').click();
    await phone.getByTestId('import-delete-row').click();
    const delPhone = phone.locator('.ant-modal-confirm').filter({ hasText: '删除第 1 行' });
    await delPhone.waitFor();
    expect(await delPhone.innerText()).toContain('这一行来自文件');
    await delPhone.getByRole('button', { name: /删\s*除/ }).click();
    await phone.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '2');
    await delPhone.waitFor({ state: 'detached' });
    expect(await phone.getByTestId('import-summary').innerText()).toContain('2 处错误（已改正 0 处，所在行已删除 1 处）');
    expect(await phone.getByTestId('import-summary').innerText()).toContain('预览中现有 2 行');
    expect(await phone.getByTestId('import-problems').locator('tbody tr').filter({ hasText: '行已删除' }).count()).toBe(1);
    expect(await cell(phone, 0, 'name').innerText()).toBe('西湖第二小微园');
    await shot(phone, 'table-import-05-phone-preview', true);
    await checkPage(phone, '县级·导入预览（手机）', { allowLatin });
    await phone.getByTestId('import-cancel').click();
    await phone.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '4');
    await phone.reload();
    await phone.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '4');
  }, 600_000);

  /**
   * A park's application submitted through the API, then the table as the reviewer fills it in
   * the browser: 从园区申报带入 shows the park with what it brings, 带入 adds the row, the table
   * saves itself, and a reload shows the values kept.
   */
  async function fillFromApplication(
    e: Env,
    o: { pack: string; appForm: string; data: Record<string, unknown>; reviewer: string; table: string; key: string; name: string; shotName: string; expectCells: Record<string, string>; expectTop?: string },
  ): Promise<Page> {
    const applicant = await newPage(e, 1440, 900, { clock: false });
    await signIn(applicant, e.base, 'applicant-hz');
    const created = await apiCall<{ id: string }>(applicant, 'POST', '/api/submissions', { packId: o.pack, formId: o.appForm, data: o.data });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sent = await apiCall(applicant, 'POST', `/api/submissions/${created.body.id}/submit`, {}, { 'idempotency-key': `e2e-prefill-${o.pack}` });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);

    const page = await newPage(e, 1440, 900, { clock: false });
    await signIn(page, e.base, o.reviewer);
    await page.goto(`${e.base}/tables/${o.pack}/${o.table}`);
    await page.getByTestId('grid').waitFor();
    expect(await page.getByTestId('grid').getAttribute('data-rows')).toBe('0');
    const dialog = page.locator('.ant-modal').filter({ hasText: '从园区申报带入' });
    // the table takes what the county has passed (`status`): submitted only, the park is not offered yet
    await page.getByTestId('prefill-open').click();
    await dialog.getByTestId('prefill-empty').waitFor();
    expect(await dialog.innerText()).toContain('本表只带入以下状态的申报：县级审核通过，待市级审核推荐');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    // the county passes it (confirming what the applicant ticked, if the level must)
    const county = await newPage(e, 1440, 900, { clock: false });
    await signIn(county, e.base, 'county-xihu');
    const st = await apiCall<{ fields: Array<{ field: string; items: Array<{ item: unknown }> }>; me: { required: boolean } }>(county, 'GET', `/api/submissions/${created.body.id}/confirmations`);
    const items = (st.body.fields ?? []).flatMap((f) => f.items.map((i) => ({ field: f.field, item: i.item, verdict: 'confirmed' })));
    if (st.body.me?.required && items.length) expect((await apiCall(county, 'POST', `/api/submissions/${created.body.id}/confirmations`, { items })).status).toBe(201);
    const passed = await apiCall(county, 'POST', `/api/submissions/${created.body.id}/review`, { action: 'pass', comment: '同意' });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    await county.context().close();

    await page.getByTestId('prefill-open').click();
    const offered = dialog.getByTestId('prefill-parks').locator('tbody tr.ant-table-row');
    await offered.first().waitFor();
    expect(await offered.count()).toBe(1);
    const offer = await offered.first().innerText();
    expect(offer).toContain('新增一行');
    expect(offer).toContain(`园区编码：${o.key}`);
    expect(offer).toContain(`园区名称：${o.name}`);
    if (o.expectTop) expect(await dialog.getByTestId('prefill-top').innerText()).toContain(o.expectTop);
    await shot(page, o.shotName, false);
    await checkPage(page, `从园区申报带入（${o.pack}）`, { allowLatin: [o.key] });
    await dialog.getByTestId('prefill-apply').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '1');
    await page.getByTestId('table-save').getByText('已保存').waitFor({ timeout: 60_000 });
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '1');
    for (const [col, want] of Object.entries(o.expectCells)) expect(await cell(page, 0, col).innerText(), col).toBe(want);
    await shot(page, `${o.shotName}-saved`, false);
    return page;
  }

  it('市级审核人把园区提交的绩效评价申报带入 2023 年绩效评价汇总表（本年、上年数据），保存后重新打开仍在', async () => {
    if (!env) throw new Error('no env');
    const p01 = fixture('city-2023-guidance', 'p01-eligible.json');
    await fillFromApplication(env, {
      pack: 'city-2023-guidance',
      appForm: 'evaluation',
      data: p01,
      reviewer: 'city-hz',
      table: 'evaluation-summary',
      key: 'Y001',
      name: '示例园',
      shotName: 'table-prefill-city2023',
      // by hand from the fixture p01: 用地 100 / 100 亩, 税收 3000 / 2500 万元, 入园企业 50 / 40; 亩均税收 3000 / 100 = 30 computed in the table
      expectCells: { parkCode: 'Y001', name: '示例园', county: '高新区', landMu: '100', landMuPrev: '100', tax: '3000', taxPrev: '2500', firms: '50', firmsPrev: '40', taxPerMu: '30' },
    });
  }, 600_000);

  it('市级审核人把园区提交的示范园区申请带入 2022 年附件4 推荐汇总表，设区市由账户所在市带入', async () => {
    if (!env) throw new Error('no env');
    // the 2022 window (08-18…09-20): a server whose clock is inside it, in the same browser
    const server = await startE2EServer({ now: '2022-09-01T10:00:00+08:00' });
    try {
      const e: Env = { server, browser: env.browser, base: server.url };
      const page = await fillFromApplication(e, {
        pack: 'zj-2022-digital-demo',
        appForm: 'application',
        data: fixture('zj-2022-digital-demo', 'e01-eligible-grade-a.json'),
        reviewer: 'city-hz',
        table: 'recommendation',
        key: 'ZJ330106001',
        name: '示范小微企业园',
        shotName: 'table-prefill-2022',
        expectTop: '设区市：杭州市（将填入）',
        expectCells: { name: '示范小微企业园', parkCode: 'ZJ330106001', countyName: '西湖区', parkType: '生产制造类', grade2021: 'A', contact: '李四', mobile: '13800000000' },
      });
      // the account's city, chosen in the 设区市 list (stored as its code 330100, shown by its name)
      expect(await page.getByTestId('table-preamble').innerText()).toContain('杭州市');
    } finally {
      await server.close();
    }
  }, 600_000);
});
