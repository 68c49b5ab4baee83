/**
 * Dashboards and results (issue 16, items 6 and 7): the province sees the dashboards on the demo
 * data (two parks' applications, one decided) — every chart with its table and a PNG — and
 * publishes a result list for 公示 with a period, exported to xlsx (read back in LibreOffice); the
 * applicant sees the decided result on its home and the published list, and prints the result
 * document to PDF (rendered with pdftoppm and looked at).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, newPage, RESULTS, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';
import { checkPage } from './checks.js';

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

const apply = (name: string, area: number, tax: number, tenants: number) => ({
  basic: { parkName: name, category: 'make', area, target: '3' },
  operation: { tenants, tax, services: ['finance', 'legal'] },
});

async function submit(page: Page, key: string, data: unknown): Promise<string> {
  const c = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: 'demo-level', formId: 'apply', data });
  expect(c.status).toBe(201);
  expect((await apiCall(page, 'POST', `/api/submissions/${c.body.id}/submit`, {}, { 'idempotency-key': key })).status).toBe(200);
  return c.body.id;
}

async function review(page: Page, id: string, action: string): Promise<void> {
  const r = await apiCall(page, 'POST', `/api/submissions/${id}/review`, { action, comment: '同意' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** An xlsx download as LibreOffice reads it: its rows as CSV lines. */
function csvOf(file: string, dir: string): string[] {
  execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, file], { timeout: 600_000 });
  return readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.csv')) ?? 'x.csv'), 'utf8').trim().split('\n');
}

describe('看板与评定结果公示', () => {
  let decided = '';

  it('省级看板：报送进度、状态漏斗、等级分布、指标分布，每张图都有表格并可导出图片', async () => {
    if (!env) throw new Error('no env');
    // the demo data: a Hangzhou park decided, a Ningbo park submitted
    const hz = await newPage(env);
    await signIn(hz, env.base, 'applicant-hz');
    decided = await submit(hz, 'results-hz', apply('结果演示园', 60, 2000, 55));
    const nb = await newPage(env);
    await signIn(nb, env.base, 'applicant-nb');
    await submit(nb, 'results-nb', apply('宁波演示园', 40, 600, 31));
    const county = await newPage(env);
    await signIn(county, env.base, 'county-xihu');
    await review(county, decided, 'pass');
    const city = await newPage(env);
    await signIn(city, env.base, 'city-hz');
    await review(city, decided, 'recommend');
    const province = await newPage(env);
    await signIn(province, env.base, 'province');
    await review(province, decided, 'approve');

    // a grading run over ten parks given as records (the API; the cohort page's run is table.e2e's): its grades on the dashboard
    const ran = await province.evaluate(async () => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const records = Array.from({ length: 10 }, (_, i) => ({ name: `分档园区${i + 1}`, tax: 100 - i, taxPerArea: 1, joined: true }));
      const r = await fetch('/api/cohort-runs', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ packId: 'demo-level', stepId: 'grading', records }) });
      return r.status;
    });
    expect(ran).toBe(201);
    await province.getByRole('link', { name: '看板' }).click();
    await province.goto(`${env.base}/dashboard/demo-level`);
    const dash = province.getByTestId('dashboard');
    await dash.waitFor();
    // every chart drawn (a canvas), with its table
    for (const id of ['progress', 'funnel', 'levels-level', 'indicator-taxPerMu', 'indicator-tenants']) {
      await province.locator(`[data-testid="chart-${id}"] canvas`).waitFor();
    }
    const progress = province.getByTestId('dash-progress');
    const hzRow = progress.locator('tr', { hasText: '杭州市' });
    expect((await hzRow.locator('td').allInnerTexts()).slice(1, 4)).toEqual(['1', '1', '1']);
    expect((await progress.locator('tr', { hasText: '宁波市' }).locator('td').allInnerTexts()).slice(1, 4)).toEqual(['1', '1', '1']);
    expect((await progress.locator('tr', { hasText: '温州市' }).locator('td').allInnerTexts()).slice(1, 4)).toEqual(['0', '0', '0']);
    const funnel = await province.getByTestId('dash-funnel').locator('tbody').first().innerText();
    expect(funnel.replace(/\s+/g, ' ')).toContain('已提交 2 县级审核通过 1 市级推荐 1 省级评定通过 1');
    // the per-unit tax: 2000 / 60 = 33.33 (Hangzhou), 600 / 40 = 15.00 (Ningbo); the median of both 24.17
    const tax = province.getByTestId('dash-indicator-taxPerMu');
    expect(await tax.locator('tr', { hasText: '杭州市' }).innerText()).toContain('33.33');
    expect(await tax.locator('tr', { hasText: '宁波市' }).innerText()).toContain('15.00');
    expect(await tax.locator('tr', { hasText: '合计' }).innerText()).toContain('24.17');
    // the level mix: both applications reached a level (their stored outcomes), by city
    const levels = province.getByTestId('dash-levels-level');
    const levelRows = await levels.locator('tbody tr').allInnerTexts();
    expect(levelRows.some((r) => r.startsWith('杭州市'))).toBe(true);
    // the grade mix of the latest grading run, by its groups (no grouping: one row 全部): A档 20% of 10, all 10 counted
    await province.locator('[data-testid="chart-grades-grading"] canvas').waitFor();
    const gradeRow = await province.getByTestId('dash-grades-grading').locator('tbody tr', { hasText: '全部' }).locator('td').allInnerTexts();
    expect(gradeRow[0]).toBe('全部');
    expect(gradeRow[1]).toBe('2');
    expect(gradeRow[gradeRow.length - 1]).toBe('10');
    // the chart as a PNG
    const [png] = await Promise.all([province.waitForEvent('download'), province.getByTestId('chart-indicator-taxPerMu-png').click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const pngFile = join(RESULTS, 'results-chart-export.png');
    await png.saveAs(pngFile);
    expect(readFileSync(pngFile).subarray(1, 4).toString('latin1')).toBe('PNG');
    await checkPage(province, '看板');
    await shot(province, 'results-01-dashboard');
    await province.setViewportSize({ width: 390, height: 844 });
    await province.locator('[data-testid="chart-progress"] canvas').waitFor();
    await checkPage(province, '看板（手机）');
    await shot(province, 'results-02-dashboard-phone');
    await province.setViewportSize({ width: 1400, height: 1000 });
  });

  it('省级发布评定结果公示（公示期），导出 xlsx；申报单位看到评定结果、公示名单，打印结果文书为 PDF', async () => {
    if (!env) throw new Error('no env');
    const province = await newPage(env);
    await signIn(province, env.base, 'province');
    await province.getByRole('link', { name: '结果公示' }).click();
    await province.goto(`${env.base}/results/demo-level`);
    const candidates = province.getByTestId('candidates');
    await candidates.locator('.ant-table-row').first().waitFor();
    expect(await candidates.locator('.ant-table-row').count()).toBe(1);
    expect(await candidates.locator('.ant-table-row').innerText()).toContain('西湖区');
    expect(await province.getByTestId('showing').innerText()).toContain('当前没有正在公示的评定结果');
    // the period typed in
    const form = province.getByTestId('publish-form');
    await form.getByLabel('公示开始日期').fill('2021-08-21');
    await form.getByLabel('公示结束日期').fill('2021-08-27');
    await form.getByTestId('publish').click();
    await province.getByText('已发布公示：2021-08-21 至 2021-08-27，共 1 个园区').waitFor();
    const showing = province.getByTestId('showing');
    await showing.locator('.ant-table-row').first().waitFor();
    expect(await showing.innerText()).toContain('公示期：2021-08-21 至 2021-08-27');
    expect(await province.getByTestId('publication').first().innerText()).toContain('公示中');
    await checkPage(province, '结果公示（省级）');
    await shot(province, 'results-03-published');
    // the published list exported, as LibreOffice reads it
    const [download] = await Promise.all([province.waitForEvent('download'), showing.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toContain('评定结果公示');
    const dir = mkdtempSync(join(tmpdir(), 'yp-results-'));
    const file = join(dir, 'results.xlsx');
    await download.saveAs(file);
    const csv = csvOf(file, dir);
    expect(csv[0]).toBe('设区市,区县,园区,申报材料,评定结果,评定日期');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(/^杭州市,西湖区,.+,附件1 演示等级申请表,.+,2021-08-21$/);
    // the publication is audited
    const admin = await newPage(env);
    await signIn(admin, env.base, 'admin');
    const audit = await apiCall<Array<{ action: string; after: { startsOn: string; endsOn: string } }>>(admin, 'GET', '/api/audit?entity=pack&entityId=demo-level');
    expect(audit.body.find((e) => e.action === 'results.publish')?.after).toMatchObject({ startsOn: '2021-08-21', endsOn: '2021-08-27' });

    // the applicant: the decided result on its home, the list in the period, the document as a PDF
    const app = await newPage(env);
    await signIn(app, env.base, 'applicant-hz');
    await app.goto(`${env.base}/home`);
    const result = app.getByTestId('result').first();
    await result.waitFor();
    const resultText = await result.innerText();
    expect(resultText).toMatch(/^评定结果：/);
    await app.getByRole('link', { name: '结果公示' }).click();
    await app.goto(`${env.base}/results/demo-level`);
    await app.getByTestId('showing').locator('.ant-table-row').first().waitFor();
    expect(await app.getByTestId('candidates').count()).toBe(0);
    await checkPage(app, '结果公示（申报单位）');
    await app.setViewportSize({ width: 390, height: 844 });
    await checkPage(app, '结果公示（申报单位，手机）');
    await shot(app, 'results-04-applicant-list-phone');
    await app.setViewportSize({ width: 1400, height: 1000 });

    await app.goto(`${env.base}/home`);
    await app.getByRole('link', { name: '结果文书' }).first().click();
    await app.waitForURL(`**/submissions/${decided}/result/print`);
    const doc = app.getByTestId('result-document');
    await doc.waitFor();
    expect(await app.getByTestId('doc-result').innerText()).toBe(resultText);
    const docText = await doc.innerText();
    expect(docText).toContain('西湖区');
    expect(docText).toContain('公示期 2021-08-21 至 2021-08-27');
    await checkPage(app, '评定结果文书');
    await shot(app, 'results-05-document');
    const pdf = join(RESULTS, 'results-document.pdf');
    writeFileSync(pdf, await app.pdf({ preferCSSPageSize: true, printBackground: true }));
    expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(/Pages:\s+1\b/);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString('utf8').replace(/\s+/g, '');
    expect(text).toContain(resultText.replace(/\s+/g, ''));
    expect(text).toContain('评定结果告知书');
    expect(text).not.toContain('打印/另存为PDF');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdf, join(RESULTS, 'results-06-document-pdf')]);
  });

  it('群体评价结果超过 1,000 条：结果表向服务器分页读取，第 11 页为第 1,001 名起；按分档筛选、按名称查找、名次倒序都由服务器完成', async () => {
    if (!env) throw new Error('no env');
    const city = await newPage(env);
    await signIn(city, env.base, 'city-hz');
    // a run over 2,500 parks made through the API (every fiftieth does not take part: 50 unranked)
    const N = 2500;
    const records = Array.from({ length: N }, (_, i) => ({ name: `大表园区${String(i).padStart(4, '0')}`, tax: 100000 - i, taxPerArea: 1, joined: i % 50 !== 49 }));
    const made = await apiCall<{ id: string; recordCount: number }>(city, 'POST', '/api/cohort-runs', { packId: 'demo-level', stepId: 'grading', records });
    expect(made.status).toBe(201);
    expect(made.body.recordCount).toBe(N);
    await city.goto(`${env.base}/cohort?run=${made.body.id}`);
    const table = city.getByTestId('cohort-table');
    const rows = table.locator('tbody .ant-table-row');
    /** the 名次 and 名称 cells of the rows shown, once the first row's rank is `first` */
    const shown = async (first: string) => {
      await city.waitForFunction(
        (f) => document.querySelector('[data-testid="cohort-table"] tbody .ant-table-row td')?.textContent === f,
        first,
        { timeout: 60_000 },
      );
      const cells = await rows.evaluateAll((trs) => trs.map((tr) => [tr.children[0]?.textContent ?? '', tr.children[1]?.textContent ?? '']));
      return { ranks: cells.map((c) => c[0]), names: cells.map((c) => c[1]) };
    };
    await city.getByText(`共 ${N.toLocaleString('zh-CN')} 条，按名次分页读取`, { exact: false }).waitFor();
    const first = await shown('1');
    expect(first.ranks).toHaveLength(100);
    expect(first.names[0]).toBe('大表园区0000');
    expect(await table.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${N} 条`);
    // page by page to page 11: ranks 1,001–1,100 (read from the server, not the detail's first 1,000)
    const next = table.locator('.ant-pagination-next');
    await next.click();
    expect((await shown('101')).ranks.at(-1)).toBe('200');
    for (let p = 3; p <= 11; p++) {
      await next.click();
      await shown(String((p - 1) * 100 + 1));
    }
    const eleventh = await shown('1001');
    expect(eleventh.ranks).toEqual(Array.from({ length: 100 }, (_, i) => String(1001 + i)));
    // rank 1,001 is the 1,021st park (20 before it do not take part); its figure (税收) from its input row
    expect(eleventh.names[0]).toBe('大表园区1020');
    expect(await rows.first().locator('td').nth(3).innerText()).toBe(String(100000 - 1020));
    await expect.poll(() => table.locator('.ant-pagination-item-active').innerText()).toBe('11');
    await checkPage(city, '群体评价（大表分页）');
    await shot(city, 'results-05-cohort-page-11');

    // one grade: A is 20 % of the 2,450 graded, 490 parks — filtered by the server, back on page 1
    await table.locator('th[data-col="g"] .ant-table-filter-trigger').click();
    const menu = city.locator('.ant-table-filter-dropdown:visible');
    await menu.getByText('A（490）').click();
    await menu.getByRole('button', { name: /确\s*定/ }).click();
    const graded = await shown('1');
    expect(await table.locator('.ant-pagination-total-text').innerText()).toBe('共 490 条');
    expect(graded.ranks).toHaveLength(100);
    expect(await rows.locator('td:nth-child(5)').allInnerTexts()).toEqual(Array.from({ length: 100 }, () => 'A'));
    // the same filter, ranks the other way round (the sort is the server's): rank 490 first
    await table.locator('th[data-col="rank"]').click();
    await table.locator('th[data-col="rank"]').click();
    expect((await shown('490')).ranks.slice(0, 3)).toEqual(['490', '489', '488']);
    await shot(city, 'results-06-cohort-grade-a-desc');
    // a part of the name (with the grade filter still on): 大表园区012x are ten A parks
    const search = table.getByTestId('list-search');
    await search.fill('大表园区012');
    await search.press('Enter');
    await city.waitForFunction(() => document.querySelector('[data-testid="cohort-table"] .ant-pagination-total-text')?.textContent === '共 10 条', undefined, { timeout: 60_000 });
    expect((await rows.locator('td:nth-child(2)').allInnerTexts()).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `大表园区012${i}`));
    await city.setViewportSize({ width: 390, height: 844 });
    await checkPage(city, '群体评价（大表分页，手机）');
    await shot(city, 'results-07-cohort-phone');
  });
});
