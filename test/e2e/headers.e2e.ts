/**
 * The built web app under the server's Content-Security-Policy (scripts: this origin and a nonce
 * per page, no eval: the forms' validators come precompiled from the server; inline styles allowed — headers.ts):
 * no page, the sign-in page or those behind it, reports a CSP violation (asserted; the list is also
 * written to test-results/csp-violations.txt). The sign-in page's first visit transfers at most the budget
 * (compressed, headers included, as the browser received it; apps/web/e2e/transfer.ts), recorded in test-results/metrics.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, newPage, recordMetric, RESULTS, shot, signIn, startEnv, stopEnv, type Env } from './support.js';
import { watchCsp } from './csp-watch.js';
import { countTransfer, describeTransfer, FIRST_VISIT_BUDGET_KB } from '../../apps/web/e2e/transfer.js';

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

describe('Content-Security-Policy', () => {
  it('the sign-in page loads without a CSP violation; nor any page behind it', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1440, 900, { clock: false });
    const violations = await watchCsp(page);
    // the first visit, as transferred (compressed), headers included (apps/web/e2e/transfer.ts, also printed by `pnpm bench`)
    const transfer = await countTransfer(page);
    await page.goto(env.base + '/');
    await page.locator('#username').waitFor();
    await page.waitForLoadState('networkidle');
    const bytes = transfer();
    recordMetric('firstVisit', bytes);
    console.log(`首次访问（登录页）：传输 ${describeTransfer(bytes)}`);
    expect(bytes.files).toBeGreaterThan(3);
    expect(bytes.transferred / 1024).toBeLessThanOrEqual(FIRST_VISIT_BUDGET_KB);
    // the app's own styles apply (antd's run-time styles carry the nonce): the button is blue
    const bg = await page.getByRole('button', { name: /登\s*录/ }).evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(bg).not.toBe('rgba(0, 0, 0, 0)');
    await shot(page, 'csp-login', false);
    expect(violations).toEqual([]);

    await signIn(page, env.base, 'applicant-hz');
    for (const path of ['/home', '/notices']) {
      await page.goto(env.base + path);
      await page.getByTestId('whoami').waitFor();
      await page.waitForLoadState('networkidle');
    }
    const c = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: 'demo-level', formId: 'apply', data: {} });
    expect(c.status).toBe(201);
    await page.goto(`${env.base}/submissions/${c.body.id}`);
    await page.locator('[id="root.basic.parkName"]').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, 'csp-application', false);
    for (const [user, paths] of [
      ['county-xihu', ['/home', '/review', '/tables/demo-level/summary']],
      ['city-hz', ['/review', '/cohort']],
      ['admin', ['/admin']],
    ] as const) {
      await page.context().clearCookies();
      await signIn(page, env.base, user);
      for (const path of paths) {
        await page.goto(env.base + path);
        await page.getByTestId('whoami').waitFor();
        await page.waitForLoadState('networkidle');
      }
    }
    await shot(page, 'csp-admin', false);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'csp-violations.txt'), violations.join('\n') + '\n');
    expect(violations, `CSP 违规 ${violations.length} 处`).toEqual([]);
  });
});
