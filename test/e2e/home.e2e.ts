/**
 * Work surfaces (issue 16): each role's home, the bell, 催报. A county reviewer's home shows what
 * waits for it and its deadline; a city sends 催报 to its unreported counties, which see it on their
 * home; an applicant sees a return in the bell and on its home, then the decided result.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, newPage, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

const APPLY = {
  basic: { parkName: '首页演示园', category: 'make', area: 60, target: '3' },
  operation: { tenants: 55, tax: 2000, services: ['finance', 'legal'] },
};

async function createAndSubmit(page: Page, key: string): Promise<string> {
  const c = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: 'demo-level', formId: 'apply', data: APPLY });
  expect(c.status).toBe(201);
  const s = await apiCall<{ status: string }>(page, 'POST', `/api/submissions/${c.body.id}/submit`, {}, { 'idempotency-key': key });
  expect(s.status).toBe(200);
  return c.body.id;
}

async function act(page: Page, action: string, comment: string): Promise<void> {
  await page.getByTestId('comment').fill(comment);
  await page.locator(`[data-action="${action}"]`).click();
  await page.locator('.ant-message').waitFor();
}

describe('首页、通知与催报', () => {
  it('县级审核人的首页：待审核数与本级截止日期', async () => {
    if (!env) throw new Error('no env');
    const app = await newPage(env);
    await signIn(app, env.base, 'applicant-hz');
    await createAndSubmit(app, 'home-county-1');

    const county = await newPage(env);
    await signIn(county, env.base, 'county-xihu');
    // signing in lands on the home
    const counts = county.getByTestId('counts');
    await counts.waitFor();
    expect(county.url()).toMatch(/\/home$/);
    expect(await counts.innerText()).toMatch(/待审核\s*1/);
    // the county stage of the demo notice closes on 08-28: seven days from the e2e clock (08-21)
    const deadlines = await county.getByTestId('deadlines').innerText();
    expect(deadlines).toContain('县级审核：2021-08-28 截止');
    expect(deadlines).toContain('还有 7 天');
    // the parks of the county and whether they have submitted
    const parks = county.locator('[data-testid="progress"][data-pack="demo-level"]');
    expect(await parks.getByTestId('progress-count').innerText()).toBe('已提交 1/1');
    await shot(county, 'home-01-county');
    await county.getByRole('link', { name: '去处理' }).click();
    await county.locator('.ant-table-row').first().waitFor();
    expect(county.url()).toMatch(/\/review$/);
  });

  it('市级向未报送的县催报，被催报的县在首页看到', async () => {
    if (!env) throw new Error('no env');
    const city = await newPage(env);
    await signIn(city, env.base, 'city-hz');
    const card = city.locator('[data-testid="progress"][data-pack="demo-level"][data-form="summary"]');
    await card.waitFor();
    expect(await card.getByTestId('progress-count').innerText()).toBe('已报送 0/13');
    // the quota card: a compact city × used/limit table
    const quota = city.getByTestId('quota-table');
    expect(await quota.locator('tr[data-org="330100"]').innerText()).toContain('0/8');
    await shot(city, 'home-02-city-before');
    await card.getByLabel('催报附言').fill('请于 8 月 25 日前报送');
    await card.getByTestId('remind-all').click();
    await city.getByText('已向 13 个单位发送催报').waitFor();
    // at once again: refused, nobody is reminded twice within a day
    await card.getByTestId('remind-all').click();
    await city.getByText(/小时内都已催报过/).waitFor();
    await shot(city, 'home-03-city-reminded');

    const county = await newPage(env);
    await signIn(county, env.base, 'county-xihu');
    const reminders = county.getByTestId('reminders');
    await reminders.waitFor();
    const text = await reminders.innerText();
    expect(text).toContain('杭州市催报');
    expect(text).toContain('演示情况汇总表');
    expect(text).toContain('请于 8 月 25 日前报送');
    expect(Number(await county.getByTestId('bell-count').locator('.ant-scroll-number').first().getAttribute('title'))).toBeGreaterThanOrEqual(1);
    await shot(county, 'home-04-county-reminded');
    // the phone
    await county.setViewportSize({ width: 390, height: 844 });
    await shot(county, 'home-05-county-reminded-phone');
    await county.setViewportSize({ width: 1400, height: 1000 });
    // the reminder leads to the table; "知道了" clears it from the home
    await reminders.getByText('知道了').first().click();
    await reminders.waitFor({ state: 'detached' });

    // a chosen county is not reminded twice the same day either
    const chosen = await apiCall<{ code: string }>(city, 'POST', '/api/reminders', { packId: 'demo-level', formId: 'summary', targets: ['330102'] });
    expect(chosen.status).toBe(429);
    expect(chosen.body.code).toBe('REMIND_TOO_SOON');
  });

  it('申报单位：铃铛里看到退回及意见，首页待办；评定后首页与申报页显示评定结果', async () => {
    if (!env) throw new Error('no env');
    const app = await newPage(env);
    await signIn(app, env.base, 'applicant-hz');
    const id = await createAndSubmit(app, 'home-applicant-1');

    const county = await newPage(env);
    await signIn(county, env.base, 'county-xihu');
    await county.goto(`${env.base}/review/${id}`);
    await county.locator('.yp-evaluation').waitFor();
    await act(county, 'return', '请补充入驻企业名单');
    await county.getByTestId('status').getByText('已退回修改').waitFor();

    // the applicant: the bell counts it; the list shows the return with the comment
    await app.goto(`${env.base}/home`);
    await app.getByTestId('todo').waitFor();
    expect(await app.getByTestId('todo').innerText()).toContain('请补充入驻企业名单');
    await app.getByTestId('bell').click();
    const note = app.locator('[data-testid="bell-list"] [data-kind="submission.return"]');
    await note.waitFor();
    expect(await note.innerText()).toContain('已退回修改');
    expect(await note.innerText()).toContain('请补充入驻企业名单');
    expect(await note.getAttribute('data-read')).toBe('0');
    await shot(app, 'home-06-applicant-bell', false);
    await note.click();
    await app.waitForURL(`**/submissions/${id}`);

    // resubmitted, passed, recommended, approved
    const again = await apiCall(app, 'POST', `/api/submissions/${id}/submit`, {}, { 'idempotency-key': 'home-applicant-2' });
    expect(again.status).toBe(200);
    expect((await apiCall(county, 'POST', `/api/submissions/${id}/review`, { action: 'pass', comment: '同意' })).status).toBe(200);
    const city = await newPage(env);
    await signIn(city, env.base, 'city-hz');
    expect((await apiCall(city, 'POST', `/api/submissions/${id}/review`, { action: 'recommend', comment: '推荐' })).status).toBe(200);
    const prov = await newPage(env);
    await signIn(prov, env.base, 'province');
    expect((await prov.getByTestId('counts').innerText())).toMatch(/待评定\s*1/);
    await prov.goto(`${env.base}/review/${id}`);
    await act(prov, 'approve', '评定通过');
    await prov.getByTestId('status').getByText('省级评定通过').waitFor();

    await app.goto(`${env.base}/home`);
    const result = app.getByTestId('applications').locator('tr', { hasText: '省级评定通过' }).getByTestId('result');
    await result.waitFor();
    expect(await result.innerText()).toBe('评定结果：三级');
    await app.getByTestId('bell').click();
    const decided = app.locator('[data-testid="bell-list"] [data-kind="submission.approve"]');
    await decided.waitFor();
    expect(await decided.innerText()).toContain('评定结果：三级');
    await shot(app, 'home-07-applicant-result');
    await app.setViewportSize({ width: 390, height: 844 });
    await app.keyboard.press('Escape');
    await shot(app, 'home-08-applicant-result-phone');
    await app.setViewportSize({ width: 1400, height: 1000 });
    await app.goto(`${env.base}/submissions/${id}`);
    await app.getByTestId('decided-result').waitFor();
    expect(await app.getByTestId('decided-result').innerText()).toContain('评定结果：三级');
  });

  it('审核列表：排序、筛选、查找、列宽与列设置记住、导出 Excel（LibreOffice 打开核对）、批量通过', async () => {
    if (!env) throw new Error('no env');
    const app = await newPage(env);
    await signIn(app, env.base, 'applicant-hz');
    const ids = [await createAndSubmit(app, 'list-1'), await createAndSubmit(app, 'list-2')];

    const county = await newPage(env);
    await signIn(county, env.base, 'county-xihu');
    await county.goto(`${env.base}/review`);
    const list = county.getByTestId('review-queue');
    await list.locator('.ant-table-row').first().waitFor();
    expect(await list.locator('.ant-table-row').count()).toBeGreaterThanOrEqual(2);

    // sort by the submission time, descending: the newest first
    const at = list.locator('thead th[data-col="at"]');
    await at.click();
    await at.click();
    const times = await list.locator('.ant-table-row td:nth-child(7)').allInnerTexts();
    expect([...times].sort().reverse()).toEqual(times);
    // search narrows the list; clearing it brings the rows back
    await list.getByLabel('在列表中查找').fill('没有这个园区');
    await list.getByText('没有符合条件的申报').waitFor();
    await list.getByLabel('在列表中查找').fill('');
    await list.locator('.ant-table-row').first().waitFor();

    // hide a column and widen another: remembered after a reload
    await list.getByTestId('columns-button').click();
    await county.getByTestId('column-chooser').getByText('所在地').click();
    await county.keyboard.press('Escape');
    const park = list.locator('thead th[data-col="park"]');
    const w0 = (await park.boundingBox())?.width ?? 0;
    const handle = park.locator('.yp-col-resize');
    const box = await handle.boundingBox();
    if (!box) throw new Error('no resize handle');
    await county.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await county.mouse.down();
    await county.mouse.move(box.x + 120, box.y + box.height / 2, { steps: 5 });
    await county.mouse.up();
    await county.reload();
    await list.locator('.ant-table-row').first().waitFor();
    expect(await list.locator('thead th', { hasText: '所在地' }).count()).toBe(0);
    const w1 = (await list.locator('thead th[data-col="park"]').boundingBox())?.width ?? 0;
    expect(w1).toBeGreaterThan(w0 + 60);
    await shot(county, 'home-09-review-list');

    // export what the list shows; the file as LibreOffice reads it
    const [download] = await Promise.all([county.waitForEvent('download'), list.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toBe('审核列表.xlsx');
    const dir = mkdtempSync(join(tmpdir(), 'yp-list-'));
    const file = join(dir, 'list.xlsx');
    await download.saveAs(file);
    execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, file], { timeout: 600_000 });
    const csv = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.csv')) ?? 'list.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('园区,通知,表单,状态,提交时间');
    expect(csv.length - 1).toBe(await list.locator('.ant-table-row').count());
    expect(csv.slice(1).every((l) => l.includes('西湖数字经济小微企业园'))).toBe(true);

    // pass two at once
    for (const id of ids) {
      const row = list.locator('.ant-table-row', { has: county.locator(`a[href="/review/${id}"]`) });
      await row.locator('.ant-checkbox-input').check();
    }
    expect(await list.getByTestId('selected-count').innerText()).toBe('已选 2 项');
    await list.getByTestId('bulk-review').click();
    await county.getByLabel('审核意见').fill('材料齐全，批量通过');
    await county.getByRole('button', { name: '确 定' }).click();
    await county.getByText('已处理 2 件').waitFor();
    for (const id of ids) {
      const s = await apiCall<{ status: string }>(county, 'GET', `/api/submissions/${id}`);
      expect(s.body.status).toBe('county_passed');
    }
  });
});
