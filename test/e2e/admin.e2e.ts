/**
 * Administrator journey: the packs and their versions, the fixtures run, an edit in the expert
 * mode (CodeMirror) whose check results (file + JSON pointer → line) appear as you type, publish a
 * new version, and the diff against the previous one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, newPage, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';
import { checkPage } from './checks.js';

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

async function openFile(page: Page, label: string): Promise<void> {
  await page.getByTestId('file-select').click();
  // typed: the list shows only the files it names (a long list is virtual: an option out of view is not there)
  await page.keyboard.type(label);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
}

/** The editor's whole text replaced, as a paste would (CodeMirror shows only the lines in view: the text is not read back from the page). */
async function replaceText(page: Page, text: string): Promise<void> {
  // CodeMirror's own select-all (the page holds only the lines in view: a select-all of the page's text would take only those)
  await page.locator('[data-testid="pack-editor"] .cm-content').focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(text);
}

describe('管理员', () => {
  it('版本、样例、随输入检查、发布与差异', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env);
    await signIn(page, env.base, 'admin');
    await page.locator('[data-pack="demo-level"]').click();
    await page.getByText('数据截止').first().waitFor(); // the overview (no content hash on the page: users see no internal ids)
    await shot(page, 'admin-01-overview');
    await checkPage(page, '管理员·通知包概览');

    // fixtures
    await page.getByRole('tab', { name: '运行样例' }).click();
    await page.getByTestId('fixtures-summary').waitFor();
    expect(await page.getByTestId('fixtures-summary').innerText()).toContain('未通过 0 个');
    await shot(page, 'admin-02-fixtures');
    await checkPage(page, '管理员·运行样例');

    // edit: a rule reading a field the form does not have → a problem at its file and line
    await page.getByRole('tab', { name: '编辑与发布' }).click();
    await page.getByTestId('check-ok').waitFor();
    await page.locator('[data-testid="pack-editor"] .cm-content').waitFor();
    const current = await apiCall<Array<{ id: number; packId: string }>>(page, 'GET', '/api/packs');
    const versionId = current.body.find((p) => p.packId === 'demo-level')!.id;
    const detail = await apiCall<{ files: Record<string, unknown> }>(page, 'GET', `/api/pack-versions/${versionId}`);
    const textOf = (file: string) => `${JSON.stringify(detail.body.files[file], null, 2)}\n`;
    await openFile(page, '规则集');
    const original = textOf('rules/demo-level/level.rules.json');
    await replaceText(page, original.replace('"operation.tenants"', '"operation.tenantz"'));
    await page.getByTestId('expert-problems').waitFor();
    const problems = await page.getByTestId('expert-problems').innerText();
    expect(problems).toContain('规则集');
    expect(problems).toContain('tenantz');
    const line = original.split('\n').findIndex((l) => l.includes('"operation.tenants"')) + 1;
    expect(problems).toContain(`第 ${line} 行`);
    // the problem clicked: the editor scrolls to its line, marked there
    await page.getByTestId('expert-problems').locator(`[data-problem-line="${line}"]`).first().click();
    await page.locator('.cm-line', { hasText: '"operation.tenantz"' }).locator('.cm-lintRange-error').waitFor();
    await shot(page, 'admin-03-check-as-you-type', false);
    await replaceText(page, original);
    await page.getByTestId('check-ok').waitFor();

    // change a threshold and a parameter, and publish a new version
    await replaceText(page, original.replace(/("name": "l2\.tenants"[\s\S]*?"value": )30/, '$135'));
    await openFile(page, '通知包清单');
    await replaceText(page, textOf('schemas/demo-level/pack.json').replace(/("avgTaxPerUnit":\s*\{[^}]*"value":\s*)20/, '$125'));
    await page.getByTestId('check-ok').waitFor();
    await page.getByTestId('publish').click();
    await page.getByText('已发布第 2 版').waitFor();

    // the diff against version 1: the two changes in Chinese, grouped, and nothing else
    await page.getByRole('tab', { name: '与上一版差异' }).click();
    await page.getByTestId('pack-diff').waitFor();
    expect(await page.getByTestId('pack-diff-summary').innerText()).toContain('共 2 处变化');
    const param = await page.locator('[data-section="参数"]').innerText();
    expect(param).toContain('参数（1）');
    // named as the administrator reads it, without the parameter's id (avgTaxPerUnit)
    expect(param.replace(/\s+/g, '')).toContain('参数“全省平均单位税收”：值20万元/亩→25万元/亩');
    expect(param).not.toContain('avgTaxPerUnit');
    const rules = await page.locator('[data-section="规则与计算"]').innerText();
    expect(rules.replace(/\s+/g, '')).toContain('规则集“演示等级评定”的规则“二级·入驻”：条件“入驻单位数≥”30→35');
    expect(await page.locator('[data-testid="pack-diff"] [data-section]').count()).toBe(2);
    await shot(page, 'admin-04-diff');
    await checkPage(page, '管理员·版本差异');
  });
});
