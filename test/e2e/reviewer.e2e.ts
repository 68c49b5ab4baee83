/**
 * Reviewer journey: county → city → province on the submissions of their own area.
 * The queue with filters, the review page (data, evaluation, self score beside the
 * reviewer's score with a reason), comment and pass / recommend (quota counter) / approve,
 * and the applicant's timeline showing every step with its comment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, newPage, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';

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
    await county.locator('.ant-table-row').first().waitFor();
    expect(await county.locator('.ant-table-row').count()).toBe(2);
    await shot(county, 'reviewer-01-county-queue');

    // scorecard: self score beside the reviewer's, re-scored with a reason
    await county.goto(`${env.base}/review/${scoresId}`);
    const card = county.getByTestId('scorecard');
    await card.waitFor();
    expect(await card.innerText()).toContain('43');
    await card.locator('tr', { hasText: '活动组织' }).getByRole('button', { name: /重新评分/ }).click();
    const modal = county.locator('.ant-modal-confirm');
    await modal.locator('input').first().fill('10');
    await modal.locator('textarea').fill('活动记录仅 6 次，按标准扣 2 分');
    await modal.getByRole('button', { name: /保存评分/ }).click();
    await card.getByTestId('reviewed-total').waitFor();
    expect(await card.getByTestId('reviewed-total').innerText()).toBe('41');
    expect(await card.innerText()).toContain('活动记录仅 6 次');
    await shot(county, 'reviewer-02-rescore');
    await act(county, 'pass', '材料齐全，同意上报');
    await county.getByTestId('status').getByText('县级审核通过').waitFor();

    // the application: data and evaluation, then pass
    await county.goto(`${env.base}/review/${applyId}`);
    await county.locator('.yp-evaluation').waitFor();
    expect(await county.locator('.yp-evaluation').innerText()).toContain('三级');
    await shot(county, 'reviewer-03-county-review');
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
    await city.getByTestId('quotas').waitFor();
    expect(await city.getByTestId('quotas').innerText()).toContain('0/8');
    await city.goto(`${env.base}/review/${applyId}`);
    await act(city, 'recommend', '推荐');
    await city.getByTestId('status').getByText('市级已推荐').waitFor();
    await city.goto(`${env.base}/review`);
    await city.getByTestId('quotas').waitFor();
    expect(await city.getByTestId('quotas').innerText()).toContain('1/8');
    await shot(city, 'reviewer-04-city-quota');

    // province: approve
    const prov = await newPage(env);
    await signIn(prov, env.base, 'province');
    await prov.goto(`${env.base}/review/${applyId}`);
    await act(prov, 'approve', '评定通过');
    await prov.getByTestId('status').getByText('省级评定通过').waitFor();
    await shot(prov, 'reviewer-05-province');

    // the applicant's timeline
    await app.goto(`${env.base}/submissions/${applyId}`);
    await app.locator('.ant-timeline').waitFor();
    const tl = await app.locator('.ant-timeline').innerText();
    for (const t of ['提交申报', '审核通过', '数据属实', '推荐', '评定通过']) expect(tl).toContain(t);
    await shot(app, 'reviewer-06-applicant-timeline', false);
  });
});
