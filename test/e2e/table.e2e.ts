/**
 * Table form journey: a county fills a 1,200-row summary table in the virtual grid —
 * paste from Excel (tab-separated), rows rendered on demand, keyboard navigation and
 * typing, computed columns and totals, cell errors in Chinese, autosave, the table's
 * top-level fields — and reports it; the city sees the combined rows (each with its county)
 * and who has reported, fills the combined table's own top-level fields, exports and
 * reports it to the province, which sees the city's part.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '@yuanping/tables';
import { newPage, recordMetric, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';
import { checkPage } from './checks.js';

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

const ROWS = 1200;

function tsv(): string {
  const grades = ['A', 'B', 'C', 'D'];
  const lines: string[] = [];
  for (let i = 1; i <= ROWS; i++) {
    // seq, name, area, tenants, tax, (computed per-area tax left empty), grade, joined
    lines.push([i, `演示园区${i}`, 10 + (i % 90), 5 + (i % 60), (i % 50) * 12.5, '', grades[i % 4], i % 7 === 0 ? '否' : '是'].join('\t'));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Every cell of a downloaded xlsx, as text. */
async function xlsxCells(file: string | null): Promise<string[]> {
  if (!file) throw new Error('no download');
  return (await readXlsx(await readFile(file))).flatMap((s) => s.rows).flat().map(String);
}

/** Waits for the page's autosave of the top-level fields to be answered. */
async function savedPreamble(page: Page): Promise<void> {
  await page.getByTestId('table-save').getByText('已保存').waitFor({ timeout: 15_000 });
}

describe('汇总表', () => {
  it('真实通知包的汇总表（若已发布）也从其模式渲染', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env);
    await signIn(page, env.base, 'county-xihu');
    await page.goto(`${env.base}/review`);
    await page.getByText('汇总表').first().waitFor();
    const links = await page.locator('a[href^="/tables/"]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    for (const href of links.filter((h) => !h.includes('/demo-level/'))) {
      await page.goto(env.base + href);
      await page.getByTestId('grid').or(page.locator('.ant-alert-error')).first().waitFor();
      await shot(page, `table-real-${href.split('/').slice(2).join('-')}`, false);
      await checkPage(page, `县级·${href}`);
    }
    // the city's own tables, multi-section ones with a heading and a grid per section
    const city = await newPage(env);
    await signIn(city, env.base, 'city-hz');
    await city.goto(`${env.base}/review`);
    await city.getByText('汇总表').first().waitFor();
    const cityLinks = await city.locator('a[href^="/tables/"]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    for (const href of [...new Set(cityLinks)].filter((h) => !h.includes('/demo-level/'))) {
      await city.goto(env.base + href);
      await city.getByTestId('grid').or(city.locator('.ant-alert-error')).first().waitFor();
      const headings = await city.getByTestId('grid-section').count();
      if (headings > 0) expect(await city.getByTestId('grid').count()).toBe(headings);
      await shot(city, `table-real-city-${href.split('/').slice(2).join('-')}`);
      await checkPage(city, `市级·${href}`);
      // a multi-section table this unit fills: every section is editable and saved with the top-level fields
      const sections = await city.locator('[data-section]').evaluateAll((els) => els.map((e) => e.getAttribute('data-section') ?? ''));
      const preamble = city.locator('input[data-testid^="preamble-"]').first();
      if (sections.length > 1 && (await city.getByTestId('section-add-row').count()) > 0) {
        const second = city.locator(`[data-section="${sections[1]}"]`);
        await second.getByTestId('section-add-row').click();
        const cell = second.locator('.yp-grid-row[data-row="0"] [data-col="name"]');
        await cell.click();
        await city.keyboard.type('Park-2');
        await city.keyboard.press('Enter');
        if ((await preamble.count()) > 0) await preamble.fill('测试地区');
        // the autosave sends the whole data object (every section + the top-level fields); the page's clock is installed, so run the timer
        const put = city.waitForRequest((r) => r.method() === 'PUT' && r.url().includes('/api/tables/'));
        await city.clock.runFor(1500);
        const body = (await put).postDataJSON() as { data: Record<string, unknown> };
        expect((body.data[sections[1] ?? ''] as Array<Record<string, unknown>>)[0]?.name).toBe('Park-2');
        if ((await preamble.count()) > 0) expect(Object.values(body.data)).toContain('测试地区');
        // the server answers (a past notice's window may be closed here: then the page shows the refusal)
        await city.getByTestId('table-save').filter({ hasNotText: '保存中' }).waitFor();
        await shot(city, `table-real-sections-${href.split('/').slice(2).join('-')}`, false);
      }
    }
  });

  it('1,200 行：粘贴、按需渲染、键盘编辑、合计与自动保存', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1400, 1000, { clock: false });
    await signIn(page, env.base, 'county-xihu');
    await page.goto(`${env.base}/tables/demo-level/summary`);
    const grid = page.getByTestId('grid');
    await grid.waitFor();
    await shot(page, 'table-01-empty', false);

    // paste 1,200 rows copied from Excel
    await grid.click();
    const t0 = Date.now();
    await grid.evaluate((el, text) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, tsv());
    await page.waitForFunction((n) => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === String(n), ROWS);
    recordMetric('table.paste1200RowsMs', Date.now() - t0);
    const rendered = await page.locator('.yp-grid-row').count();
    expect(rendered).toBeLessThan(80);
    recordMetric('table.rowsInDomOf1200', rendered);
    // computed column: 税收 / 占地 for row 1 (area 11, tax 12.5 → 1.14)
    expect(await page.locator('.yp-grid-row[data-row="0"] [data-col="taxPerArea"]').innerText()).toBe('1.14');
    await shot(page, 'table-02-pasted', false);

    // keyboard: move to row 3, column 占地, type a value, Enter commits and moves down
    await page.locator('.yp-grid-row[data-row="0"] [data-col="area"]').click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const samples: number[] = [];
    for (const v of ['120', '130', '140']) {
      const ts = Date.now();
      await page.keyboard.type(v);
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        ([row, val]) => document.querySelector(`.yp-grid-row[data-row="${row}"] [data-col="area"]`)?.textContent === val,
        [String(2 + samples.length), v] as const,
      );
      samples.push(Date.now() - ts);
    }
    recordMetric('table.typeAndCommitMs(samples, includes automation round trips)', samples);
    expect(await page.locator('.yp-grid-row[data-row="2"] [data-col="area"]').innerText()).toBe('120');

    // a negative value is refused at the cell, in Chinese
    await page.keyboard.press('ArrowUp');
    await page.keyboard.type('-1');
    await page.keyboard.press('Enter');
    const bad = page.locator('.yp-grid-row[data-row="4"] [data-col="area"]');
    await expect(bad.getAttribute('title')).resolves.toBe('占地不能小于 0');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.type('15');
    await page.keyboard.press('Enter');

    // ctrl+End: the last row, rendered on demand
    await page.keyboard.press('Control+End');
    await page.locator(`.yp-grid-row[data-row="${ROWS - 1}"]`).waitFor();
    expect(await page.locator('.yp-grid-row').count()).toBeLessThan(80);
    expect(await page.getByTestId('grid-total').innerText()).toContain('合计');
    await page.getByTestId('table-save').getByText('已保存').waitFor({ timeout: 15_000 });
    await shot(page, 'table-03-bottom', false);

    // reporting names the table's required top-level fields first; then they are filled and saved
    await page.getByRole('button', { name: /报\s*送/ }).click();
    await page.getByTestId('table-preamble').locator('.ant-form-item-explain-error').first().waitFor();
    expect(await page.getByTestId('table-preamble').locator('.ant-form-item-explain-error').count()).toBe(2);
    expect(await page.locator('.ant-modal-confirm').count()).toBe(0);
    await page.getByTestId('preamble-unit').fill('西湖区经信局');
    await page.getByTestId('preamble-contact').fill('张工');
    await savedPreamble(page);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="table-preamble"] .ant-form-item-explain-error').length === 0);

    // report it to the city
    await page.getByRole('button', { name: /报\s*送/ }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /报\s*送/ }).click();
    await page.getByTestId('table-status').getByText('已报送').waitFor();

    // the city: the combined rows (read-only, each with its county) and who has reported
    const city = await newPage(env, 1400, 1000, { clock: false });
    await signIn(city, env.base, 'city-hz');
    await city.goto(`${env.base}/tables/demo-level/summary`);
    const parts = city.getByTestId('table-parts');
    await parts.waitFor();
    const cityGrid = city.getByTestId('grid');
    expect(await cityGrid.getAttribute('data-rows')).toBe(String(ROWS));
    expect(await parts.innerText()).toMatch(/已报送 1 \/ \d+/);
    expect(await parts.locator('tr', { hasText: '西湖区' }).innerText()).toContain('已报送');
    expect(await parts.locator('tr', { hasText: '西湖区' }).innerText()).toContain('西湖区经信局');
    expect(await parts.locator('tr', { hasText: '上城区' }).innerText()).toContain('未填报');
    expect(await city.locator('.yp-grid-row[data-row="0"] [data-testid="grid-source"]').innerText()).toBe('西湖区');
    expect(await city.locator('.yp-grid-row[data-row="2"] [data-col="area"]').innerText()).toBe('120');
    expect(await city.locator('.yp-grid-row').count()).toBeLessThan(80);
    // the rows are the county's: typing does not change them
    await city.locator('.yp-grid-row[data-row="0"] [data-col="area"]').click();
    await city.keyboard.type('9');
    await city.keyboard.press('Enter');
    expect(await city.locator('.yp-grid-row[data-row="0"] [data-col="area"]').innerText()).toBe('11');
    await shot(city, 'table-04-city', false);
    await checkPage(city, '市级·汇总表');

    // the city's own top-level fields: required ones named on reporting, others checked as typed
    const preambleErrors = city.getByTestId('table-preamble').locator('.ant-form-item-explain-error');
    await city.getByTestId('submit-combined').click();
    await preambleErrors.first().waitFor();
    expect(await preambleErrors.count()).toBe(2);
    expect(await city.locator('.ant-modal-confirm').count()).toBe(0);
    await city.getByTestId('preamble-phone').fill('电话');
    await city.waitForFunction(() => document.querySelectorAll('[data-testid="table-preamble"] .ant-form-item-explain-error').length === 3);
    expect(await city.getByTestId('submit-combined').isDisabled()).toBe(true);
    await shot(city, 'table-05-city-preamble-errors', false);
    await city.getByTestId('preamble-unit').fill('杭州市经信局');
    await city.getByTestId('preamble-contact').fill('李工');
    const put = city.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/api/tables/demo-level/summary') && (r.request().postDataJSON() as { preamble?: { phone?: string } }).preamble?.phone === '0571-87654321');
    await city.getByTestId('preamble-phone').fill('0571-87654321');
    expect((await put).status()).toBe(200);
    expect((await put).request().postDataJSON()).toEqual({ preamble: { unit: '杭州市经信局', contact: '李工', phone: '0571-87654321' } });
    await savedPreamble(city);
    await city.waitForFunction(() => document.querySelectorAll('[data-testid="table-preamble"] .ant-form-item-explain-error').length === 0);

    // the combined table as the official xlsx, named after the city, with its top-level fields and every row;
    // over 1,000 rows it is written as a job on the server: its progress (percentage, rows of the total),
    // a 取消 button while it runs, then the file downloaded and a 下载 button to fetch it again
    const [tableFile, exportShown] = await Promise.all([
      city.waitForEvent('download'),
      city
        .waitForFunction(() => {
          const count = document.querySelector('[data-testid="export-job-count"]')?.textContent;
          const pct = document.querySelector('[data-testid="export-job"] .ant-progress-text')?.textContent;
          return count && pct ? { count, pct } : null;
        }, undefined, { polling: 20 })
        .then((h) => h.jsonValue()),
      city.getByTestId('export-xlsx').click(),
    ]);
    expect(exportShown?.count).toMatch(new RegExp(`^已处理 [0-9,]+ / ${ROWS.toLocaleString('zh-CN')} 行$`));
    expect(exportShown?.pct).toMatch(/^\d+%$/);
    expect(tableFile.suggestedFilename()).toMatch(/杭州市\.xlsx$/);
    const exportCard = city.getByTestId('export-job');
    await exportCard.getByText(`导出已完成：共 ${ROWS.toLocaleString('zh-CN')} 行`).waitFor();
    expect(await exportCard.getAttribute('data-job-status')).toBe('succeeded');
    expect(await exportCard.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await shot(city, 'table-04b-city-export-job', false);
    // the file again from the job (the result kept on the server)
    const [again] = await Promise.all([city.waitForEvent('download'), city.getByTestId('export-job-download').click()]);
    expect(again.suggestedFilename()).toBe(tableFile.suggestedFilename());
    // the user's recent jobs list it
    const recent = await city.evaluate(async () => ((await (await fetch('/api/jobs?kind=export.xlsx')).json()) as Array<{ status: string; total: number }>)[0]);
    expect(recent).toMatchObject({ status: 'succeeded', total: ROWS });
    const cells = await xlsxCells(await tableFile.path());
    expect(cells.some((c) => c.includes('杭州市经信局'))).toBe(true);
    expect(cells).toContain(`演示园区${ROWS}`);

    // a second tab of the same office, opened before the report: its report is refused by the server afterwards
    const stale = await newPage(env, 1400, 1000, { clock: false });
    await signIn(stale, env.base, 'city-hz');
    await stale.goto(`${env.base}/tables/demo-level/summary`);
    await stale.getByTestId('submit-combined').waitFor();

    // report to the province: the confirmation names the counties that have not reported
    await city.getByTestId('submit-combined').click();
    const confirm = city.getByTestId('submit-confirm');
    await confirm.waitFor();
    expect(await confirm.innerText()).toMatch(/尚有 \d+ 个下级单位未报送/);
    expect(await confirm.innerText()).toContain('上城区');
    await shot(city, 'table-06-city-confirm', false);
    const submitted = city.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/tables/demo-level/summary/submit'));
    await city.locator('.ant-modal-confirm').getByRole('button', { name: /报\s*送/ }).click();
    expect((await submitted).status()).toBe(200);
    await city.getByTestId('table-status').getByText('已报送').waitFor();
    expect(await city.getByTestId('submit-combined').count()).toBe(0);
    await city.locator('.ant-modal-confirm').waitFor({ state: 'hidden' });
    await shot(city, 'table-07-city-submitted', false);

    await stale.getByTestId('submit-combined').click();
    await stale.getByTestId('submit-confirm').waitFor();
    const refused = stale.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/submit'));
    await stale.locator('.ant-modal-confirm').getByRole('button', { name: /报\s*送/ }).click();
    expect(((await (await refused).json()) as { code: string }).code).toBe('INVALID_STATE');
    await expect(stale.getByTestId('table-refusal').getAttribute('data-code')).resolves.toBe('INVALID_STATE');
    await stale.locator('.ant-modal-confirm').waitFor({ state: 'hidden' });
    // the page then shows the table as it stands: reported, nothing left to report
    await stale.getByTestId('table-status').getByText('已报送').waitFor();
    expect(await stale.getByTestId('submit-combined').count()).toBe(0);
    await shot(stale, 'table-08-city-refused', false);

    // the province sees the city's report: the city's status and top-level fields, the rows with their city
    const province = await newPage(env, 1400, 1000, { clock: false });
    await signIn(province, env.base, 'province');
    await province.goto(`${env.base}/tables/demo-level/summary`);
    const cities = province.getByTestId('table-parts');
    await cities.waitFor();
    expect(await cities.locator('tr', { hasText: '杭州市' }).innerText()).toContain('已报送');
    expect(await cities.locator('tr', { hasText: '杭州市' }).innerText()).toContain('杭州市经信局');
    expect(await province.getByTestId('grid').getAttribute('data-rows')).toBe(String(ROWS));
    expect(await province.locator('.yp-grid-row[data-row="0"] [data-testid="grid-source"]').innerText()).toBe('杭州市');
    expect(await province.getByTestId('submit-combined').count()).toBe(0);
    await shot(province, 'table-09-province', false);
    await checkPage(province, '省级·汇总表');
    const [provinceFile] = await Promise.all([province.waitForEvent('download'), province.getByTestId('export-xlsx').click()]);
    expect(provinceFile.suggestedFilename()).toMatch(/浙江省\.xlsx$/);
    expect(await xlsxCells(await provinceFile.path())).toContain(`演示园区${ROWS}`);

    // and grades the parks by quota over the combined rows: distribution and ranked figures as charts
    await city.goto(`${env.base}/cohort`);
    await city.locator('.ant-select').first().click();
    await city.locator('.ant-select-item-option', { hasText: '示例通知' }).click();
    // the chosen notice's step shown (运行分档 is disabled until its detail has loaded)
    await city.locator('.ant-select-selection-item', { hasText: '演示分档' }).first().waitFor();
    await city.getByTestId('run-cohort').click();
    // the run is a job on the server: its progress (已处理 N / M) and a 取消 button until it ends
    // read at the moment it shows (the job may end, and the card go, a second later)
    const shown = await (
      await city.waitForFunction(() => {
        const count = document.querySelector('[data-testid="cohort-job-count"]')?.textContent;
        return count ? { count, cancel: document.querySelector('[data-testid="cohort-job-cancel"]')?.textContent ?? '' } : null;
      }, undefined, { polling: 50 })
    ).jsonValue();
    expect(shown?.count).toMatch(new RegExp(`^已处理 [0-9,]+ / ${ROWS.toLocaleString('zh-CN')} 条$`));
    expect(shown?.cancel).toMatch(/取\s*消/);
    await city.getByTestId('chart-distribution').locator('canvas').waitFor();
    await city.getByText(`已完成分档：${ROWS} 条记录`).waitFor();
    const ranked = await city.getByTestId('cohort-table').innerText();
    expect(ranked).toContain('演示园区');
    expect(ranked).toContain('A档名额');
    // antd speaks Chinese (zh_CN), pagination included
    // (a run of more than 1,000 records is paged from the server 100 at a time, without a page-size changer)
    expect(await city.locator('.ant-pagination').innerText()).toContain(`共 ${ROWS} 条`);
    expect(await city.locator('.ant-pagination-jump-next').first().getAttribute('title')).toBe('向后 5 页');
    await shot(city, 'table-10-cohort');
    await checkPage(city, '市级·群体评价');
    // the run as the official xlsx with the results appended
    const [runFile] = await Promise.all([city.waitForEvent('download'), city.getByTestId('export-xlsx').click()]);
    expect(runFile.suggestedFilename()).toMatch(/杭州市\.xlsx$/);
    // a second run cancelled at once: it ends as cancelled and saves nothing (the runs listed stay as they were);
    // should the job have ended before the cancel reached the server, the page says so (JOB_ALREADY_ENDED)
    const runCount = () => city.evaluate(async () => ((await (await fetch('/api/cohort-runs')).json()) as unknown[]).length);
    const runsBefore = await runCount();
    await city.getByTestId('run-cohort').click();
    // the job may end before the click lands (then there is no 取消 left, or the server says it has ended)
    const clicked = await city.getByTestId('cohort-job-cancel').click({ timeout: 5000 }).then(
      () => true,
      () => false,
    );
    const said = clicked
      ? await Promise.race([
          city.getByText('已取消分档，没有保存任何结果').waitFor().then(() => 'cancelled'),
          city.getByText(/任务已经结束/).waitFor().then(() => 'ended'),
        ])
      : 'ended';
    // counted once the job has ended (on a busy machine the click can miss a job that is still running)
    await city.getByTestId('cohort-job').waitFor({ state: 'detached' });
    const runsAfter = await runCount();
    expect(runsAfter).toBe(said === 'cancelled' ? runsBefore : runsBefore + 1);
  });

  it('中文输入法（IME）直接在选中的单元格输入：组字开始编辑，首字不丢', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env);
    await signIn(page, env.base, 'county-haishu');
    await page.goto(`${env.base}/tables/demo-level/summary`);
    await page.getByRole('button', { name: '添加行' }).click();
    const cell = page.locator('.yp-grid-row[data-row="0"] [data-col="name"]');
    await cell.click();
    // a real input method session in Chromium (DevTools protocol): keydown 229, composition start/update, then the committed text
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, key: 'Process', code: 'KeyZ' });
    await cdp.send('Input.imeSetComposition', { text: 'z', selectionStart: 1, selectionEnd: 1 });
    await cdp.send('Input.imeSetComposition', { text: 'zhong', selectionStart: 5, selectionEnd: 5 });
    await cdp.send('Input.insertText', { text: '中' });
    // the editor is open with the composed text; typing goes on in it
    const editor = page.locator('.yp-grid-row[data-row="0"] input.yp-cell-input');
    await editor.waitFor();
    expect(await editor.inputValue()).toBe('中');
    await cdp.send('Input.imeSetComposition', { text: 'wen', selectionStart: 3, selectionEnd: 3 });
    await cdp.send('Input.insertText', { text: '文园区' });
    await page.keyboard.press('Enter');
    expect(await cell.innerText()).toBe('中文园区');
    await page.getByTestId('table-save').getByText('已保存').waitFor({ timeout: 15_000 });
    await shot(page, 'table-ime', false);
  });
});
