/**
 * Administrator journey: the packs and their versions, the fixtures run, an edit whose
 * check results (file + JSON pointer) appear as you type, publish a new version, and the
 * diff against the previous one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

async function openFile(page: Page, file: string): Promise<void> {
  await page.getByTestId('file-select').click();
  await page.locator('.ant-select-item-option', { hasText: file }).first().click();
}

describe('管理员', () => {
  it('版本、样例、随输入检查、发布与差异', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env);
    await signIn(page, env.base, 'admin');
    await page.locator('[data-pack="demo-level"]').click();
    await page.getByText('内容哈希').waitFor();
    await shot(page, 'admin-01-overview');

    // fixtures
    await page.getByRole('tab', { name: '运行样例' }).click();
    await page.getByTestId('fixtures-summary').waitFor();
    expect(await page.getByTestId('fixtures-summary').innerText()).toContain('未通过 0 个');
    await shot(page, 'admin-02-fixtures');

    // edit: a rule reading a field the form does not have → a problem with its file and pointer
    await page.getByRole('tab', { name: '编辑与发布' }).click();
    await page.getByTestId('check-ok').waitFor();
    await openFile(page, 'level.rules.json');
    const editor = page.getByTestId('pack-editor');
    const original = await editor.inputValue();
    await editor.fill(original.replace('"operation.tenants"', '"operation.tenantz"'));
    await page.getByTestId('problems').waitFor();
    const problems = await page.getByTestId('problems').innerText();
    expect(problems).toContain('rules/demo-level/level.rules.json');
    expect(problems).toContain('tenantz');
    await shot(page, 'admin-03-check-as-you-type', false);
    await editor.fill(original);
    await page.getByTestId('check-ok').waitFor();

    // change a parameter and publish a new version
    await openFile(page, 'pack.json');
    const manifest = await page.getByTestId('pack-editor').inputValue();
    await page.getByTestId('pack-editor').fill(manifest.replace(/("avgTaxPerUnit":\s*\{[^}]*"value":\s*)20/, '$125'));
    await page.getByTestId('check-ok').waitFor();
    await page.getByTestId('publish').click();
    await page.getByText('已发布第 2 版').waitFor();

    // the diff against version 1
    await page.getByRole('tab', { name: '与上一版差异' }).click();
    await page.getByText('/parameters/avgTaxPerUnit/value').waitFor();
    const diff = await page.locator('.ant-tabs-tabpane-active').innerText();
    expect(diff).toContain('20');
    expect(diff).toContain('25');
    await shot(page, 'admin-04-diff');
  });
});
