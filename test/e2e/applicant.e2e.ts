/**
 * Applicant journey: sign in → the open notices with their windows → the application form
 * rendered from the pack's schema → Chinese validation at the field → live evaluation with
 * the missed criteria → autosave (已保存, survives a reload) → upload refused by type →
 * submit with confirmation → status timeline → A4 print view. Then, on the repository's star
 * pack when it is published: values offered from the park's row of the county's summary table
 * (manifest `prefill`), filled in only where the applicant accepts, never over what was typed.
 */
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, newPage, recordMetric, RESULTS, shot, signIn, startEnv, stopEnv, type Env } from './support.js';
import { checkPage } from './checks.js';

let env: Env | undefined;

beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

describe('申报单位', () => {
  it('填报、即时评价、自动保存、提交、进度与打印', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env);
    await signIn(page, env.base, 'applicant-hz');
    // the home comes first after signing in; the notices are one link away
    await page.getByTestId('home').waitFor();
    await page.goto(`${env.base}/notices`);

    // the notices, with their windows
    const card = page.locator('[data-pack="demo-level"]');
    await card.waitFor();
    await expect(card.getByText('园区填报').first().isVisible()).resolves.toBe(true);
    await expect(card.getByText('进行中').first().isVisible()).resolves.toBe(true);
    await shot(page, 'applicant-01-notices');
    await checkPage(page, '申报单位·通知与申报');

    // open the record form
    await card.locator('[data-form="apply"]').getByRole('button', { name: /开始填报/ }).click();
    const name = page.locator('[id="root.basic.parkName"]');
    await name.waitFor();
    await name.fill('演示园');

    // Chinese validation at the field
    const area = page.locator('[id="root.basic.area"]');
    await area.fill('-5');
    await page.getByText('实际占地不能小于 0').first().waitFor();
    await page.waitForTimeout(400); // the message fades in
    await shot(page, 'applicant-02-validation', false);
    await checkPage(page, '申报单位·填写有误');
    await area.fill('40');
    await page.getByText('制造类').click();
    await page.locator('[id="root.operation.tenants"]').fill('35');
    await page.locator('[id="root.operation.tax"]').fill('1000');
    await page.getByText('三级', { exact: true }).first().click();

    // live evaluation: level 2 reached, for level 3 the tenants are short (35 < 50)
    const panel = page.locator('.yp-evaluation');
    await panel.locator('[data-outcome-level="2"]').waitFor();
    const next = await panel.locator('.yp-next').innerText();
    expect(next).toContain('距三级还差');
    expect(next).toContain('入驻单位数');
    expect(next).toContain('35');
    expect(next).toContain('50');
    // the computed field (x-compute) follows the data
    await expect(page.locator('[id="root.operation.taxPerTenant"]').inputValue()).resolves.toBe('28.57');

    // autosave
    await page.locator('[data-save-state="saved"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-save-state="saved"]').innerText()).toContain('已保存');
    await shot(page, 'applicant-03-evaluation', false);
    await checkPage(page, '申报单位·即时评价');
    const url = page.url();
    await page.reload();
    await page.locator('[id="root.operation.tenants"]').waitFor();
    await expect(page.locator('[id="root.operation.tenants"]').inputValue()).resolves.toBe('35');

    // timings on a page with the real clock (the fake clock stops performance.now within a task)
    // and the JavaScript a fresh visit to the application loads before the form shows
    const m = await newPage(env, 1400, 1000, { clock: false });
    await signIn(m, env.base, 'applicant-hz');
    // each script's bytes as gzip would make them (the built files, and the form's validator module from the server)
    const scripts = new Map<string, Promise<number>>();
    const fresh = await m.context().browser()?.newContext({ storageState: await m.context().storageState(), viewport: { width: 1400, height: 1000 } });
    const fp = fresh ? await fresh.newPage() : m;
    fp.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.set(new URL(r.url()).pathname, r.body().then((b) => gzipSync(b).length, () => 0));
    });
    const tm = Date.now();
    await fp.goto(url);
    await fp.locator('[id="root.operation.tenants"]').waitFor();
    const shownMs = Date.now() - tm;
    const atForm = await Promise.all(scripts.values());
    await fp.locator('[id="root.operation.tenants"]').fill('35');
    recordMetric('applicant.formShownAfterNavigationMs', shownMs);
    recordMetric('applicant.formTypedAfterNavigationMs', Date.now() - tm);
    recordMetric('applicant.jsGzipKBBeforeForm', Math.round(atForm.reduce((sum, n) => sum + n, 0) / 102.4) / 10);
    recordMetric('applicant.jsFilesBeforeForm', atForm.length);
    await fresh?.close();
    await m.goto(url);
    await m.locator('[id="root.operation.tenants"]').waitFor();
    const samples: number[] = [];
    for (const v of ['36', '49', '50', '51', '35']) {
      await m.locator('[id="root.operation.tenants"]').fill(v);
      await m.waitForTimeout(50);
      samples.push(Number(await m.locator('[data-eval-ms]').getAttribute('data-eval-ms')));
    }
    recordMetric('applicant.liveEvaluationMs(samples)', samples);
    await m.locator('[data-save-state="saved"]').waitFor({ timeout: 60_000 });
    await m.context().close();
    await page.reload();
    await page.locator('[id="root.operation.tenants"]').waitFor();

    // an upload refused by type, before it is sent
    await page.locator('input[type="file"]').first().setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.getByText('文件类型不符合要求').first().waitFor();
    await shot(page, 'applicant-04-upload-refused', false);
    // a real PNG is accepted (the server checks its content), shown with its name and size
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.locator('input[type="file"]').first().setInputFiles({ name: '营业执照.png', mimeType: 'image/png', buffer: png });
    await page.getByText('已上传：').first().waitFor();
    expect(await page.locator('[data-file-field="contact.license"]').innerText()).toContain('营业执照.png');
    await page.locator('[data-save-state="saved"]').waitFor({ timeout: 60_000 });

    // submit with confirmation
    await page.getByTestId('submit').click();
    // the park asked for 三级 and its data reaches 二级: the confirmation says so before it goes
    await page.locator('.ant-modal-confirm-title', { hasText: '提交前请注意' }).waitFor();
    expect(await page.getByTestId('submit-confirm').innerText()).toContain('您申请三级，按当前数据达到二级');
    await shot(page, 'applicant-05-confirm', false);
    await page.getByRole('button', { name: /仍然提交/ }).click();
    await page.getByTestId('status').getByText('已提交').waitFor();
    const timeline = await page.locator('.ant-timeline').innerText();
    expect(timeline).toContain('提交申报');
    await shot(page, 'applicant-06-submitted');
    await checkPage(page, '申报单位·已提交');

    // a county reviewer returns it with a comment → the applicant sees the comment
    const rev = await newPage(env);
    await signIn(rev, env.base, 'county-xihu');
    const id = url.split('/').pop() ?? '';
    const r = await apiCall(rev, 'POST', `/api/submissions/${id}/review`, { action: 'return', comment: '请补充入驻单位名单' });
    expect(r.status).toBe(200);
    await page.reload();
    await page.getByText('请补充入驻单位名单').first().waitFor();
    await shot(page, 'applicant-07-returned', false);
    await checkPage(page, '申报单位·被退回');

    // two windows on one draft: the second save is refused (ETag / If-Match → 412), nothing lost silently
    const other = await newPage(env);
    await signIn(other, env.base, 'applicant-hz');
    await other.goto(page.url());
    await other.locator('[id="root.basic.parkName"]').waitFor();
    await page.locator('[id="root.basic.parkName"]').fill('演示园（一）');
    await page.locator('[data-save-state="saved"]').waitFor({ timeout: 60_000 });
    await other.locator('[id="root.basic.parkName"]').fill('演示园（二）');
    await other.getByText('数据已被他人修改').first().waitFor({ timeout: 60_000 });
    await shot(other, 'applicant-07b-conflict', false);
    await other.getByRole('button', { name: /重新载入/ }).click();
    // the reload is asynchronous: wait for the stored value to replace the local edit
    await expect.poll(() => other.locator('[id="root.basic.parkName"]').inputValue(), { timeout: 60_000 }).toBe('演示园（一）');
    await other.context().close();

    // print view on A4
    await page.goto(`${env.base}/submissions/${id}/print`);
    await page.locator('section[data-print-form="apply"]').waitFor();
    const sheet = await page.locator('section[data-print-form="apply"]').innerText();
    expect(sheet).toContain('盖章');
    expect(sheet).toContain('演示园（一）');
    await shot(page, 'applicant-08-print');
    await checkPage(page, '申报单位·打印', { overflow: false });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.length).toBeGreaterThan(1000);

    // the whole application as one document: contents with page numbers, then every form
    for (const [formId, data] of [
      ['scores', { infra: { network: { self: 8, page: '3' } } }],
      ['outline', { summary: '演示园区位于……（概况）' }],
    ] as const) {
      const r = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: 'demo-level', formId, data });
      expect(r.status).toBe(201);
    }
    await page.goto(`${env.base}/print/demo-level`);
    await page.locator('[data-toc]').waitFor();
    await page.locator('[data-toc-page="outline"]').filter({ hasText: /\d/ }).waitFor();
    const toc = await page.locator('[data-toc]').innerText();
    expect(toc).toContain('目');
    expect(toc).toContain('演示评分表');
    expect(await page.locator('section[data-print-form]').count()).toBe(3);
    await shot(page, 'applicant-09-print-whole');
    // the contents' page numbers agree with the printed PDF (cover = page 1; every form starts a page)
    const whole = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pdfPages = (whole.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    const lastStart = Number(await page.locator('[data-toc-page="outline"]').innerText());
    recordMetric('print.wholeApplication', { pdfPages, tocStartOfLastForm: lastStart });
    expect(lastStart).toBeLessThanOrEqual(pdfPages);
  });

  it('真实通知包的表单（若已发布）也从其模式渲染', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1400, 1000, { clock: false });
    await signIn(page, env.base, 'applicant-hz');
    await page.goto(`${env.base}/notices`);
    await page.locator('[data-pack]').first().waitFor();
    const packs = await page.locator('[data-pack]').evaluateAll((els) => els.map((e) => e.getAttribute('data-pack') ?? ''));
    for (const id of packs.filter((p) => p !== 'demo-level')) {
      await page.goto(`${env.base}/notices`);
      await page.locator(`[data-pack="${id}"]`).waitFor();
      const forms = page.locator(`[data-pack="${id}"] [data-form]`);
      const n = await forms.count();
      for (let i = 0; i < n; i++) {
        await page.goto(`${env.base}/notices`);
        const f = page.locator(`[data-pack="${id}"] [data-form]`).nth(i);
        const formId = await f.getAttribute('data-form');
        await f.locator('button, a').first().click();
        await page.locator('.yp-form').waitFor();
        // a fresh visit to this form: shown and interactive after how long
        const t = Date.now();
        await page.reload();
        await page.locator('.yp-form input:not([type="file"]), .yp-form textarea, .yp-form button').first().waitFor();
        await page.locator('.yp-form input:not([type="file"]), .yp-form textarea, .yp-form button').first().focus();
        recordMetric(`real.${id}.${formId}.formShownAfterReloadMs`, Date.now() - t);
        // live evaluation time after typing into the first number field, if the form has one
        const num = page.locator('.yp-form .ant-input-number-input:not([readonly])').first();
        if ((await num.count()) > 0 && (await page.locator('[data-eval-ms]').count()) > 0) {
          await num.fill('12');
          await page.waitForTimeout(100);
          recordMetric(`real.${id}.${formId}.liveEvaluationMs`, Number(await page.locator('[data-eval-ms]').getAttribute('data-eval-ms')));
        }
        await page.locator('.yp-evaluation, .ant-empty').first().waitFor();
        await page.waitForTimeout(300);
        await shot(page, `applicant-real-${id}-${formId}`, false);
        await checkPage(page, `申报单位·${id}·${formId}`);
      }
    }
  });

  it('从其他表预填：列出来源，勾选后才填入，已填写的不被覆盖', async (t) => {
    if (!env) throw new Error('no env');
    const PACK = 'zj-2021-evaluation-star';
    const county = await newPage(env);
    await signIn(county, env.base, 'county-xihu');
    if ((await apiCall(county, 'GET', `/api/packs/${PACK}`)).status !== 200) t.skip();
    const page = await newPage(env);
    await signIn(page, env.base, 'applicant-hz');
    const me = await apiCall<{ user: { parkId: string } }>(page, 'GET', '/api/auth/me');
    const code = (await apiCall<{ creditCode: string }>(page, 'GET', `/api/parks/${me.body.user.parkId}`)).body.creditCode;
    // the county's summary table has the park's row
    const row = {
      city: '杭州市', county: '西湖区', parkCode: code, name: '西湖数字经济小微企业园', parkType: '生产制造类',
      land: 50, floorArea: 30000, firms: 20, employees: 400, leadingRelated: 12, revenue: 50000, tax: 520,
      highTech: 1, hiddenChampions: 0, littleGiants: 0, grade: 'B', participating: '是', currentStar: 2,
    };
    const put = await apiCall(county, 'PUT', `/api/tables/${PACK}/performance-summary`, { rows: [row] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // the applicant's draft: its own name for the park, the code, nothing else
    const c = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: PACK, formId: 'star-application', data: { basic: { name: '西湖园（申请表所填）', parkCode: code } } });
    expect(c.status, JSON.stringify(c.body)).toBe(201);

    await page.goto(`${env.base}/submissions/${c.body.id}`);
    const offers = page.getByTestId('prefill');
    await offers.waitFor();
    const text = await offers.innerText();
    expect(text).toContain('附件1《小微工业园绩效评价情况汇总表》');
    expect(text).toContain('实际用地面积(亩)');
    // an empty field is ticked; a field filled differently is offered, not ticked; an equal one is not listed
    await expect(offers.locator('[data-prefill-field="area.land"] input[type="checkbox"]').isChecked()).resolves.toBe(true);
    await expect(offers.locator('[data-prefill-field="basic.name"]').getAttribute('data-prefill-kind')).resolves.toBe('replace');
    await expect(offers.locator('[data-prefill-field="basic.name"] input[type="checkbox"]').isChecked()).resolves.toBe(false);
    expect(await offers.locator('[data-prefill-field="basic.parkCode"]').count()).toBe(0);
    await offers.screenshot({ path: join(RESULTS, 'applicant-10-prefill-offers.png') });

    // typed while the offer is open: kept, not overwritten by the accepted offer
    const firms = page.locator('[id="root.enterprises.total"]');
    await firms.fill('25');
    await page.getByTestId('prefill-accept').click();
    await page.getByText('在此期间已由您填写，未覆盖').first().waitFor();
    await expect(page.locator('[id="root.area.land"]').inputValue()).resolves.toBe('50');
    await expect(page.locator('[id="root.basic.name"]').inputValue()).resolves.toBe('西湖园（申请表所填）');
    await expect(firms.inputValue()).resolves.toBe('25');
    await page.getByText('已从附件1《小微工业园绩效评价情况汇总表》“实际用地面积(亩)”预填').first().waitFor();
    expect(await page.getByTestId('prefill').count()).toBe(0);
    await page.locator('[id="root.area.land"]').scrollIntoViewIfNeeded();
    await shot(page, 'applicant-11-prefilled', false);

    // saved: after a reload the filled values are there, and only the differing ones are offered
    await page.locator('[data-save-state="saved"]').waitFor({ timeout: 60_000 });
    await page.reload();
    await page.locator('[id="root.area.land"]').waitFor();
    await expect(page.locator('[id="root.area.land"]').inputValue()).resolves.toBe('50');
    const saved = await apiCall<{ data: { basic: Record<string, unknown>; area: Record<string, unknown>; enterprises: Record<string, unknown> } }>(page, 'GET', `/api/submissions/${c.body.id}`);
    expect(saved.body.data.basic).toMatchObject({ name: '西湖园（申请表所填）', parkType: '生产制造类', performanceGrade: 'B', currentStar: 2 });
    expect(saved.body.data.area).toMatchObject({ land: 50, built: 30000 });
    expect(saved.body.data.enterprises).toMatchObject({ total: 25, employees: 400 });
    await page.getByTestId('prefill').waitFor();
    const left = await page.getByTestId('prefill').locator('[data-prefill-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-prefill-field')).sort());
    expect(left).toEqual(['basic.name', 'enterprises.total']);
    await page.context().close();
    await county.context().close();
  });
});
