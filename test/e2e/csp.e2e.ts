/**
 * No eval in the browser (issue 13): the server's Content-Security-Policy has `script-src 'self'`
 * and a nonce, nothing more, and the forms still validate in Chinese — their validators come
 * precompiled from the server (apps/server/src/form-validators.ts) as same-origin modules. While
 * typing into the star application form (ApplicationPage), a county's summary table (TablePage)
 * and the workbench's form preview of a draft and its field form, the page reports no CSP
 * violation (the browser's `securitypolicyviolation` events) and no console error or page error;
 * an invalid value typed into each shows its Chinese message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, newPage, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';
import { watchCsp } from './csp-watch.js';

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

/** Everything the page reports that eval refused would cause: CSP violations, console errors, page errors. */
async function watch(page: Page): Promise<string[]> {
  const seen = await watchCsp(page);
  page.on('console', (m) => {
    if (m.type() === 'error') seen.push(`console ${m.text()} ${m.location().url}`);
  });
  page.on('pageerror', (e) => seen.push(`pageerror ${e.message}`));
  return seen;
}

/** The CSP the page was served with. */
async function scriptSrc(page: Page, url: string): Promise<string> {
  const r = await page.goto(url);
  const csp = (await r?.headerValue('content-security-policy')) ?? '';
  return /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
}

describe('CSP without eval: typing into forms', () => {
  it('the star application form validates in Chinese under the policy', async (t) => {
    if (!env) throw new Error('no env');
    const PACK = 'zj-2021-evaluation-star';
    const page = await newPage(env);
    const seen = await watch(page);
    await signIn(page, env.base, 'applicant-hz');
    seen.length = 0; // the sign-in page asks who is signed in (401) before anyone is
    if ((await apiCall(page, 'GET', `/api/packs/${PACK}`)).status !== 200) t.skip();
    const c = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: PACK, formId: 'star-application', data: {} });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const src = await scriptSrc(page, `${env.base}/submissions/${c.body.id}`);
    expect(src).not.toContain('unsafe-eval');
    const firms = page.locator('[id="root.enterprises.total"]');
    await firms.waitFor();
    await firms.fill('-5');
    await firms.press('Tab');
    await page.getByText('入驻企业总数不能小于 0').first().waitFor();
    // a valid value takes the message away
    await firms.fill('25');
    await firms.press('Tab');
    await page.getByText('入驻企业总数不能小于 0').waitFor({ state: 'detached' });
    const name = page.locator('[id="root.basic.name"]');
    await name.fill('西湖数字经济小微企业园');
    await page.locator('[data-save-state="saved"]').waitFor();
    await firms.fill('-1');
    await firms.press('Tab');
    await page.getByText('入驻企业总数不能小于 0').first().waitFor();
    await shot(page, 'csp-star-application', false);
    expect(seen, seen.join('\n')).toEqual([]);
  });

  it("a county's summary table validates its cells in Chinese under the policy", async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1400, 1000);
    const seen = await watch(page);
    await signIn(page, env.base, 'county-xihu');
    seen.length = 0;
    const src = await scriptSrc(page, `${env.base}/tables/demo-level/summary`);
    expect(src).not.toContain('unsafe-eval');
    const grid = page.getByTestId('grid');
    await grid.waitFor();
    await grid.click();
    await grid.evaluate((el, text) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, ['1\t演示园区1\t10\t5\t12.5\t\tA\t是', '2\t演示园区2\t20\t6\t25\t\tB\t是'].join('\r\n') + '\r\n');
    await page.waitForFunction(() => document.querySelector('[data-testid="grid"]')?.getAttribute('data-rows') === '2');
    await page.locator('.yp-grid-row[data-row="1"] [data-col="area"]').click();
    await page.keyboard.type('-1');
    await page.keyboard.press('Enter');
    const bad = page.locator('.yp-grid-row[data-row="1"] [data-col="area"]');
    await page.waitForFunction(() => document.querySelector('.yp-grid-row[data-row="1"] [data-col="area"]')?.getAttribute('title') === '占地不能小于 0');
    await expect(bad.getAttribute('title')).resolves.toBe('占地不能小于 0');
    await shot(page, 'csp-table', false);
    expect(seen, seen.join('\n')).toEqual([]);
  });

  it("the workbench's field form and the form preview of a draft validate in Chinese under the policy", async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1440, 900);
    const seen = await watch(page);
    await signIn(page, env.base, 'admin');
    seen.length = 0;
    const packs = await apiCall<Array<{ id: number; packId: string }>>(page, 'GET', '/api/packs');
    const from = packs.body.find((p) => p.packId === 'zj-2022-digital-demo');
    if (!from) throw new Error('no digital-demonstration pack');
    const dates = await apiCall<{ dates: Array<{ id: string; date: string }> }>(page, 'GET', `/api/pack-versions/${from.id}/dates`);
    const given = Object.fromEntries(dates.body.dates.filter((d) => !d.id.includes('#')).map((d) => [d.id, d.date.replace(/^2022/, '2023')]));
    const r = await apiCall<{ draft: { id: number } }>(page, 'POST', '/api/pack-drafts', { fromVersionId: from.id, newId: 'zj-2023-digital-csp', year: 2023, dates: given });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const src = await scriptSrc(page, `${env.base}/workbench/${r.body.draft.id}?tab=fields`);
    expect(src).not.toContain('unsafe-eval');
    await page.getByTestId('fields-editor').waitFor();
    const preview = page.getByTestId('fields-preview');
    await preview.getByText('入驻企业数', { exact: true }).waitFor();
    // the draft as loaded: a negative count is refused in the preview
    const firms = preview.getByLabel('入驻企业数');
    await firms.fill('-3');
    await firms.press('Tab');
    await preview.getByText('入驻企业数不能小于 0').first().waitFor();
    // the field form (its own precompiled validators): a maximum typed there reaches the preview once saved
    await page.locator('[data-field="basic.firms"]').click();
    const fieldForm = page.getByTestId('field-form');
    await fieldForm.getByText('修改字段：入驻企业数').waitFor();
    await fieldForm.getByLabel('最大值').fill('500');
    await page.getByText('已保存').waitFor();
    await firms.fill('600');
    await firms.press('Tab');
    await preview.getByText(/入驻企业数.*500/).first().waitFor();
    await shot(page, 'csp-workbench-preview', false);
    expect(seen, seen.join('\n')).toEqual([]);
  });
});
