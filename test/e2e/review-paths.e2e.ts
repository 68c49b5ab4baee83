/**
 * Review paths of the 2021 star pack in the browser (seed 000 三（一）、三（二）), on 2021-08-20 —
 * the last day of 1–3★ and the first of 4/5★: the city sees 评定通过 / 不予通过 / 退回修改 on a 2★
 * application and decides it (filed with the province); on a 4★ one it sees 推荐 and the province
 * then rates it, its return labelled 退回市级 and landing in the city's queue. The province has
 * nothing to do on the 2★ one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2EServer, type E2EServer } from '../../apps/web/e2e/harness.js';
import { launch, shot, signIn, type Browser, type Page } from '../../apps/web/e2e/browser.js';
import { apiCall } from './support.js';
import { checkPage } from './checks.js';

const PACK = 'zj-2021-evaluation-star';
const NOW = '2021-08-20T10:00:00+08:00';
const fixture = (name: string) => (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'rules', PACK, 'fixtures', name), 'utf8')) as { input: Record<string, unknown> }).input;

let server: E2EServer | undefined;
let browser: Browser | undefined;
beforeAll(async () => {
  server = await startE2EServer({ now: NOW });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function page(user: string, width = 1440, height = 900): Promise<Page> {
  if (!browser || !server) throw new Error('no env');
  const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const p = await ctx.newPage();
  await p.clock.install({ time: new Date(NOW) });
  p.on('pageerror', (e) => console.error('页面错误：', e.message));
  await signIn(p, server.url, user);
  return p;
}

/** the level confirms every item the applicant ticked, then takes `action` (through the API) */
async function confirmAndAct(p: Page, id: string, action: string): Promise<void> {
  const st = await apiCall<{ fields: Array<{ field: string; items: Array<{ item: unknown }> }>; me: { required: boolean } }>(p, 'GET', `/api/submissions/${id}/confirmations`);
  const items = st.body.fields.flatMap((f) => f.items.map((i) => ({ field: f.field, item: i.item, verdict: 'confirmed' })));
  if (st.body.me.required && items.length) expect((await apiCall(p, 'POST', `/api/submissions/${id}/confirmations`, { items })).status).toBe(201);
  if (action) expect((await apiCall(p, 'POST', `/api/submissions/${id}/review`, { action, comment: '同意' })).status).toBe(200);
}

async function buttons(p: Page): Promise<string[]> {
  const card = p.locator('#yp-review-actions');
  await card.waitFor();
  return card.locator('[data-action]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-action')}:${(e.textContent ?? '').replace(/\s/g, '')}`));
}

describe('审核路径（星级评定：一至三星级市级评定，四星级、五星级省级评定）', () => {
  it('市级评定二星级并报备省级；四星级由市级推荐、省级评定，省级退回到市级', async (t) => {
    if (!server) throw new Error('no env');
    const app = await page('applicant-hz');
    if ((await apiCall(app, 'GET', `/api/packs/${PACK}`)).status !== 200) t.skip();
    const ids: Record<string, string> = {};
    for (const [k, file] of [['two', '08-m2-grade-c.json'], ['four', '14-m4-at-boundaries.json']] as const) {
      const c = await apiCall<{ id: string }>(app, 'POST', '/api/submissions', { packId: PACK, formId: 'star-application', data: fixture(file) });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      const s = await apiCall(app, 'POST', `/api/submissions/${c.body.id}/submit`, {}, { 'idempotency-key': `e2e-paths-${k}` });
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      ids[k] = c.body.id;
    }
    const two = ids.two as string;
    const four = ids.four as string;
    const county = await page('county-xihu');
    await confirmAndAct(county, two, 'pass');
    await confirmAndAct(county, four, 'pass');

    // city, 2★: decides it itself
    const city = await page('city-hz');
    await confirmAndAct(city, two, '');
    await city.goto(`${server.url}/review/${two}`);
    expect(await buttons(city)).toEqual(['approve:评定通过', 'reject:不予通过', 'return:退回修改']);
    expect(await city.getByTestId('review-path').innerText()).toContain('一至三星级：设区市评定，结果报备省小微园办');
    await shot(city, 'review-paths-01-city-2star', false);
    await checkPage(city, '市级·一至三星级评定');
    await city.getByTestId('comment').fill('评定为二星级');
    await city.locator('[data-action="approve"]').click();
    await city.getByTestId('status').getByText('市级评定通过（结果报备省级）').waitFor();
    await shot(city, 'review-paths-02-city-2star-decided', false);

    // city, 4★: recommends it up
    await confirmAndAct(city, four, '');
    await city.goto(`${server.url}/review/${four}`);
    expect(await buttons(city)).toEqual(['recommend:推荐', 'reject:不予通过', 'return:退回修改']);
    await shot(city, 'review-paths-03-city-4star', false);
    await city.getByTestId('comment').fill('同意推荐');
    await city.locator('[data-action="recommend"]').click();
    await city.getByTestId('status').getByText('市级已推荐').waitFor();

    // province: rates the 4★ one; its return goes one level down, to the city
    const province = await page('province');
    await confirmAndAct(province, four, '');
    await province.goto(`${server.url}/review/${four}`);
    expect(await buttons(province)).toEqual(['approve:评定通过', 'reject:不予通过', 'return:退回市级']);
    await shot(province, 'review-paths-04-province-4star', false);
    await checkPage(province, '省级·四星级评定');
    await province.getByTestId('comment').fill('请市里核实亩均税收');
    await province.locator('[data-action="return"]').click();
    await province.getByTestId('status').getByText('县级审核通过，待市级审核推荐').waitFor();
    // the 2★ result is filed with the province: seen, nothing to do
    await province.goto(`${server.url}/review/${two}`);
    await province.getByText('本级无需办理').waitFor();
    expect(await province.locator('[data-action]').count()).toBe(0);
    await shot(province, 'review-paths-05-province-2star-filed', false);

    // the city's page on a phone after the return
    const phone = await page('city-hz', 390, 844);
    await phone.goto(`${server.url}/review/${four}`);
    await phone.locator('[data-action="recommend"]').waitFor();
    await shot(phone, 'review-paths-06-city-phone-returned', true);
  });
});
