/**
 * Reviewer journey: county → city → province on the submissions of their own area.
 * The queue with filters, the review page (data, evaluation, self score beside the
 * reviewer's score with a reason), comment and pass / recommend (quota counter) / approve,
 * and the applicant's timeline showing every step with its comment. Then, on the repository's
 * star pack, the applicant's ticks (`x-review: confirm`) confirmed item by item: pass refused
 * until every item is confirmed, a dispute with its reason, the county's verdicts seen by the city.
 */
import { readFileSync } from 'node:fs';
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

async function createAndSubmit(page: Page, formId: string, data: unknown): Promise<string> {
  const c = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: 'demo-level', formId, data });
  expect(c.status).toBe(201);
  const s = await apiCall<{ status: string }>(page, 'POST', `/api/submissions/${c.body.id}/submit`, {}, { 'idempotency-key': `e2e-${formId}` });
  expect(s.status).toBe(200);
  return c.body.id;
}

async function act(page: Page, action: string, comment: string): Promise<void> {
  await page.getByTestId('comment').fill(comment);
  await page.locator(`[data-action="${action}"]`).click();
  await page.locator('.ant-message').waitFor();
}

describe('审核人', () => {
  it('县级审核（含重新评分）→ 市级推荐（名额）→ 省级评定', async () => {
    if (!env) throw new Error('no env');
    const app = await newPage(env);
    await signIn(app, env.base, 'applicant-hz');
    const applyId = await createAndSubmit(app, 'apply', {
      basic: { parkName: '审核演示园', category: 'make', area: 60, target: '3' },
      operation: { tenants: 55, tax: 2000, services: ['finance', 'legal'] },
    });
    const scoresId = await createAndSubmit(app, 'scores', {
      infra: { network: { self: 9, page: '3' }, platform: { self: 8, page: '5' } },
      service: { staff: { self: 14, page: '8' }, events: { self: 12, page: '11' } },
    });

    // county: the queue of their area, filtered to what waits for them
    const county = await newPage(env);
    await signIn(county, env.base, 'county-xihu');
    await county.goto(`${env.base}/review`);
    await county.locator('.ant-table-row').first().waitFor();
    expect(await county.locator('.ant-table-row').count()).toBe(2);
    await shot(county, 'reviewer-01-county-queue');
    // antd's measure row in the selectable queue (aria-hidden-focus): known, see every-page.e2e.ts
    await checkPage(county, '县级·审核工作台', { skipAxeRules: ['aria-hidden-focus'] });

    // scorecard: self score beside the reviewer's, re-scored with a reason
    await county.goto(`${env.base}/review/${scoresId}`);
    const card = county.getByTestId('scorecard');
    await card.waitFor();
    expect(await card.innerText()).toContain('43');
    // three items re-scored in the table itself, each with its reason
    const rescore = async (label: string, score: string, reason: string) => {
      const row = card.locator('tr[data-score-item]', { hasText: label });
      await row.getByLabel(`${label}审核评分`).fill(score);
      await row.getByLabel(`${label}改分理由`).fill(reason);
    };
    await rescore('活动组织', '10', '活动记录仅 6 次，按标准扣 2 分');
    await rescore('网络覆盖', '8', '部分楼宇未覆盖');
    // a changed score without a reason is not saved
    const staff = card.locator('tr[data-score-item]', { hasText: '专职人员' });
    await staff.getByLabel('专职人员审核评分').fill('13');
    await card.getByTestId('save-scores').click();
    await county.getByText('请为改分的 1 项填写理由').waitFor();
    await staff.getByLabel('专职人员改分理由').fill('专职人员社保证明缺 1 人');
    // the total counts the typed scores before they are saved
    expect(await card.getByTestId('reviewed-total').innerText()).toBe('39');
    await card.getByTestId('score-filter').getByText('本次改分 3 项').click();
    expect(await card.locator('tr[data-score-item]').count()).toBe(3);
    await shot(county, 'reviewer-02-rescore-inline');
    await card.getByTestId('save-scores').click();
    await county.getByText('已保存 3 项改分').waitFor();
    await card.getByTestId('score-filter').getByText('审核分与自评分不同').click();
    expect(await card.locator('tr[data-score-item]').count()).toBe(3);
    expect(await card.getByTestId('reviewed-total').innerText()).toBe('39');
    const text = await card.innerText();
    for (const r of ['活动记录仅 6 次', '部分楼宇未覆盖', '专职人员社保证明缺 1 人']) expect(text).toContain(r);
    const rescores = await apiCall<{ rescores: Array<{ score: number; reason: string }> }>(county, 'GET', `/api/submissions/${scoresId}`);
    expect(rescores.body.rescores.map((r) => r.score).sort((a, b) => a - b)).toEqual([8, 10, 13]);
    await shot(county, 'reviewer-02-rescore');
    await act(county, 'pass', '材料齐全，同意上报');
    await county.getByTestId('status').getByText('县级审核通过').waitFor();

    // the application: data and evaluation, then pass
    await county.goto(`${env.base}/review/${applyId}`);
    await county.locator('.yp-evaluation').waitFor();
    expect(await county.locator('.yp-evaluation').innerText()).toContain('三级');
    await shot(county, 'reviewer-03-county-review');
    await checkPage(county, '县级·审核页');
    await act(county, 'pass', '数据属实');
    await county.getByTestId('status').getByText('县级审核通过').waitFor();

    // another county's reviewer does not see it
    const other = await newPage(env);
    await signIn(other, env.base, 'county-haishu');
    await other.goto(`${env.base}/review/${applyId}`);
    await other.getByText('找不到申报').waitFor();

    // city: quota counter, recommend
    const city = await newPage(env);
    await signIn(city, env.base, 'city-hz');
    await city.goto(`${env.base}/review`);
    await city.getByTestId('quotas').waitFor();
    expect(await city.getByTestId('quotas').innerText()).toContain('0/8');
    await city.goto(`${env.base}/review/${applyId}`);
    await act(city, 'recommend', '推荐');
    await city.getByTestId('status').getByText('市级已推荐').waitFor();
    await city.goto(`${env.base}/review`);
    await city.getByTestId('quotas').waitFor();
    expect(await city.getByTestId('quotas').innerText()).toContain('1/8');
    await shot(city, 'reviewer-04-city-quota');
    await checkPage(city, '市级·推荐名额');

    // province: approve
    const prov = await newPage(env);
    await signIn(prov, env.base, 'province');
    await prov.goto(`${env.base}/review/${applyId}`);
    await act(prov, 'approve', '评定通过');
    await prov.getByTestId('status').getByText('省级评定通过').waitFor();
    await shot(prov, 'reviewer-05-province');
    await checkPage(prov, '省级·评定');

    // the applicant's timeline
    await app.goto(`${env.base}/submissions/${applyId}`);
    await app.locator('.ant-timeline').waitFor();
    const tl = await app.locator('.ant-timeline').innerText();
    for (const t of ['提交申报', '审核通过', '数据属实', '推荐', '评定通过']) expect(tl).toContain(t);
    await shot(app, 'reviewer-06-applicant-timeline', false);
    await checkPage(app, '申报单位·办理进度');
  });

  it('勾选项逐项确认：未确认不能通过，有异议须说明理由，上级可见县级的确认', async (t) => {
    if (!env) throw new Error('no env');
    const PACK = 'zj-2021-evaluation-star';
    const county = await newPage(env);
    await signIn(county, env.base, 'county-xihu');
    if ((await apiCall(county, 'GET', `/api/packs/${PACK}`)).status !== 200) t.skip();

    // the applicant's star application (its figures agree with the county's summary table row)
    const app = await newPage(env);
    await signIn(app, env.base, 'applicant-hz');
    const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'rules', PACK, 'fixtures', '01-m3-at-boundaries.json'), 'utf8')) as { input: Record<string, Record<string, unknown>> };
    const me = await apiCall<{ user: { parkId: string } }>(app, 'GET', '/api/auth/me');
    const code = (await apiCall<{ creditCode: string }>(app, 'GET', `/api/parks/${me.body.user.parkId}`)).body.creditCode;
    const input = structuredClone(fixture.input);
    input.basic = { ...input.basic, parkCode: code };
    // at the e2e clock (2021-08-21) the pack receives 4/5★ applications only (1–3★ closed on 08-20, seed 000 三（一）3)
    input.request = { ...input.request, requestedLevel: '4' };
    const row = {
      city: '杭州市', county: '西湖区', parkCode: code, name: input.basic.name, parkType: '生产制造类',
      land: 50, floorArea: 30000, firms: 20, employees: 400, leadingRelated: 12, revenue: 50000, tax: 500,
      aboveScale: 2, newAboveScale: 0, highTech: 1, hiddenChampions: 0, littleGiants: 0,
      grade: 'B', participating: '是', evalScore: 80, currentStar: 2,
    };
    expect((await apiCall(county, 'PUT', `/api/tables/${PACK}/performance-summary`, { rows: [row] })).status).toBe(200);
    const c = await apiCall<{ id: string }>(app, 'POST', '/api/submissions', { packId: PACK, formId: 'star-application', data: input });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const sub = await apiCall<{ status: string }>(app, 'POST', `/api/submissions/${c.body.id}/submit`, {}, { 'idempotency-key': 'e2e-confirm-star' });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);

    // county: every ticked item listed, the pass refused while items wait
    await county.goto(`${env.base}/review/${c.body.id}`);
    const card = county.getByTestId('confirmations');
    await card.waitFor();
    const total = (input.services?.serviceFunctions as unknown[]).length + (input.services?.commitments as unknown[]).length + (input.operations?.items as unknown[]).length
      + (input.facilities?.infrastructure as unknown[]).length + (input.facilities?.amenities as unknown[]).length + 1 + (input.industry?.features as unknown[]).length + (input.digital?.items as unknown[]).length;
    expect(await county.getByTestId('confirm-open').innerText()).toContain(`${total} 项`);
    await county.getByTestId('confirm-hint').waitFor();
    await county.locator('[data-action="pass"]').click();
    const refusal = county.locator('.ant-modal-confirm');
    await refusal.getByText('未经县级审核人确认').waitFor();
    expect(await refusal.innerText()).toContain(`${total} 项`);
    await refusal.getByRole('button').last().click();
    await refusal.waitFor({ state: 'detached' });

    // a dispute needs a reason; it is shown with the reviewer and the reason
    const fire = card.locator('[data-confirm-field="facilities.infrastructure"] [data-confirm-item=\'"fire"\']');
    await fire.locator('[data-dispute]').click();
    const disputeModal = county.locator('.ant-modal-confirm');
    await disputeModal.getByRole('button', { name: /提出异议/ }).click();
    await county.getByText('请填写异议理由').waitFor();
    await disputeModal.getByTestId('dispute-reason').fill('现场未见消防控制室');
    await disputeModal.getByRole('button', { name: /提出异议/ }).click();
    await fire.locator('[data-verdict="county:disputed"]').waitFor();
    expect(await fire.innerText()).toContain('现场未见消防控制室');
    await county.getByTestId('confirm-all').click();
    await county.getByTestId('confirm-open').getByText('尚有 1 项').waitFor();
    await card.screenshot({ path: join(RESULTS, 'reviewer-07-confirmations-dispute.png') });
    // still refused: the disputed item is not confirmed
    await county.locator('[data-action="pass"]').click();
    await county.locator('.ant-modal-confirm').getByText('有异议 1 项').waitFor();
    await county.locator('.ant-modal-confirm').getByRole('button').last().click();
    await county.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    // checked again on site: confirmed; the dispute stays in the timeline
    await fire.locator('[data-confirm]').click();
    await fire.locator('[data-verdict="county:confirmed"]').waitFor();
    await county.getByTestId('confirm-open').getByText('已全部确认').waitFor();
    const timeline = await county.locator('.ant-timeline').innerText();
    expect(timeline).toContain('确认勾选项');
    expect(timeline).toContain('有异议：园区已建成的基础设施 · 消防——现场未见消防控制室');
    await county.locator('.ant-timeline').screenshot({ path: join(RESULTS, 'reviewer-08a-confirmation-timeline.png') });
    await act(county, 'pass', '勾选项已逐项核实');
    await county.getByTestId('status').getByText('县级审核通过').waitFor();
    await shot(county, 'reviewer-08-county-confirmed');
    await checkPage(county, '县级·逐项确认');
    // the applicant sees the county's confirmations and the dispute with its reason in its own timeline
    await app.goto(`${env.base}/submissions/${c.body.id}`);
    await app.locator('.ant-timeline').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => app.locator('.ant-timeline').first().innerText(), { timeout: 30_000 }).toContain('有异议：园区已建成的基础设施 · 消防——现场未见消防控制室');
    await app.locator('.ant-timeline').first().scrollIntoViewIfNeeded();
    await app.locator('.ant-timeline').first().screenshot({ path: join(RESULTS, 'reviewer-08b-applicant-timeline-confirmations.png') });
    // the reviewer prints the park's whole application: the contents and the form with its pages numbered
    const [printed] = await Promise.all([county.waitForEvent('popup'), county.getByTestId('print-whole').click()]);
    await printed.locator('[data-print-ready="true"]').waitFor({ timeout: 60_000 });
    const pages = Number(await printed.locator('.yp-print').getAttribute('data-pages'));
    expect(await printed.locator('[data-toc-page="star-application"]').innerText()).toBe('2');
    expect(await printed.locator('[data-print-form="star-application"]').innerText()).toContain(input.basic.name as string);
    expect(await printed.locator('.yp-foot').last().innerText()).toBe(`第 ${pages} 页\u3000共 ${pages} 页`);
    await printed.close();

    // city: sees the county's verdict on every item, confirms its own
    const city = await newPage(env);
    await signIn(city, env.base, 'city-hz');
    await city.goto(`${env.base}/review/${c.body.id}`);
    const cityCard = city.getByTestId('confirmations');
    await cityCard.waitFor();
    expect(await cityCard.locator('[data-verdict="county:confirmed"]').count()).toBe(total);
    expect(await city.getByTestId('confirm-open').innerText()).toContain(`${total} 项`);
    await city.getByTestId('confirm-all').click();
    await city.getByTestId('confirm-open').getByText('已全部确认').waitFor();
    await act(city, 'recommend', '推荐');
    await city.getByTestId('status').getByText('市级已推荐').waitFor();
    await shot(city, 'reviewer-09-city-confirmed');
  });
});

