/**
 * The workbench's 表单字段 (a form's fields with a live preview) and 专家模式 (CodeMirror), as an
 * administrator uses them on a draft of next year's digital-demonstration pack:
 * - in the fields editor the 入驻企业数 field of the application form gets a new title and a
 *   maximum; the preview beside it (the applicant's form) shows the new title at once, and a number
 *   above the maximum typed into the preview is refused with the new maximum;
 * - the draft is saved and checked; the form file holds the new title and maximum;
 * - in the expert mode a comma is deleted from the manifest: the Chinese syntax marker is at that
 *   line (lint gutter and the problem list beside, which names the line); the comma put back, the
 *   check passes again; a new key's completion lists the manifest's keys (its meta-schema), a
 *   cohort step's keys and a form field's x- keywords;
 * - back in the fields editor a field is added after 入驻企业数 (no key typed), made a number in
 *   万元, moved above 入驻企业数 (the table and the saved file); last, 入驻企业数 is removed: the
 *   checker lists the eligibility rule that still reads it (the rule by its Chinese name) and
 *   publishing is refused until it is mended.
 * Desktop and phone screenshots of both tabs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiCall, newPage, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';
import { checkPage } from './checks.js';

const FROM = 'zj-2022-digital-demo';

// a server and database of its own for each journey and each attempt: CI's one retry really
// retries (the first attempt's draft, published version or accounts would refuse a second)
let env: Env | undefined;
beforeEach(async () => {
  env = await startEnv();
});
afterEach(async () => {
  await stopEnv(env);
  env = undefined;
});

async function draftOfNextYear(page: Page): Promise<{ id: number; url: string }> {
  const packs = await apiCall<Array<{ id: number; packId: string }>>(page, 'GET', '/api/packs');
  const from = packs.body.find((p) => p.packId === FROM);
  if (!from) throw new Error('no digital-demonstration pack');
  const dates = await apiCall<{ dates: Array<{ id: string; date: string }> }>(page, 'GET', `/api/pack-versions/${from.id}/dates`);
  const given = Object.fromEntries(dates.body.dates.filter((d) => !d.id.includes('#')).map((d) => [d.id, d.date.replace(/^2022/, '2023')]));
  const r = await apiCall<{ draft: { id: number } }>(page, 'POST', '/api/pack-drafts', { fromVersionId: from.id, newId: 'zj-2023-digital-demo', year: 2023, dates: given });
  expect(r.status).toBe(201);
  return { id: r.body.draft.id, url: `/workbench/${r.body.draft.id}` };
}

describe('工作台：表单字段与专家模式', () => {
  it('改字段标题与上限，预览随之变化；专家模式中输入语法错误，在出错的行看到中文提示', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1440, 900);
    await signIn(page, env.base, 'admin');
    const draft = await draftOfNextYear(page);
    await page.goto(`${env.base}${draft.url}?tab=fields`);
    await page.getByTestId('fields-editor').waitFor();
    await page.getByTestId('check-state').waitFor();

    // the application form; the field 入驻企业数 (basic.firms)
    const preview = page.getByTestId('fields-preview');
    await preview.getByText('入驻企业数', { exact: true }).waitFor();
    await page.locator('[data-field="basic.firms"]').click();
    const fieldForm = page.getByTestId('field-form');
    await fieldForm.getByText('修改字段：入驻企业数').waitFor();
    await fieldForm.getByLabel('标题').fill('入驻企业数量');
    await fieldForm.getByLabel('最大值').fill('500');
    // the preview is the applicant's form, rebuilt from the draft as typed
    await preview.getByText('入驻企业数量', { exact: true }).waitFor();
    expect(await preview.getByText('入驻企业数', { exact: true }).count()).toBe(0);
    const firms = preview.getByLabel('入驻企业数量');
    await firms.fill('600');
    await firms.press('Tab');
    await preview.getByText(/入驻企业数量.*500/).first().waitFor();
    await page.getByText('已保存').waitFor();
    await page.getByTestId('check-state').filter({ hasText: '检查通过' }).waitFor();
    const saved = await apiCall<{ files: Record<string, { properties: { basic: { properties: { firms: { title: string; maximum: number } } } } }> }>(page, 'GET', `/api/pack-drafts/${draft.id}`);
    const firmsSchema = saved.body.files['schemas/zj-2023-digital-demo/forms/application.schema.json']!.properties.basic.properties.firms;
    expect(firmsSchema).toMatchObject({ title: '入驻企业数量', maximum: 500 });
    await shot(page, 'workbench-fields-01-desktop');
    await checkPage(page, '工作台·表单字段');

    // the expert mode: the manifest with a comma deleted after "year": 2023
    await page.getByRole('tab', { name: '专家模式' }).click();
    const editor = page.getByTestId('pack-editor');
    await editor.locator('.cm-content').waitFor();
    const line = page.locator('.cm-line', { hasText: '"year": 2023,' });
    await line.waitFor();
    const lineNo = 1 + (await page.locator('.cm-line').evaluateAll((els) => els.findIndex((e) => (e.textContent ?? '').includes('"year": 2023,'))));
    expect(lineNo).toBeGreaterThan(1);
    await line.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    // the marker: the Chinese message names the line the comma is missing after (the error is found at the next key)
    const problem = page.getByTestId('expert-problems').locator('[data-problem-line]').first();
    await problem.waitFor();
    const text = await problem.innerText();
    expect(text).toContain('缺少逗号');
    const markedLine = Number(await problem.getAttribute('data-problem-line'));
    expect([lineNo, lineNo + 1]).toContain(markedLine);
    expect(text).toContain(`第 ${markedLine} 行`);
    await page.getByTestId('syntax-alert').waitFor();
    // the lint marker in the editor, at that line
    const marked = page.locator('.cm-lintRange-error').first();
    await marked.waitFor();
    const markedText = await page.locator('.cm-line').evaluateAll((els) => els.findIndex((e) => e.querySelector('.cm-lintRange-error')) + 1);
    expect(markedText).toBe(markedLine);
    await shot(page, 'workbench-expert-01-syntax-error');
    await checkPage(page, '工作台·专家模式');
    // a click on the problem puts the cursor there; the comma typed back, the check passes again
    await problem.click();
    await page.locator('.cm-line', { hasText: '"year": 2023' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await page.getByTestId('syntax-alert').waitFor({ state: 'detached' });
    await page.getByText('已保存').waitFor();
    await page.getByTestId('check-state').filter({ hasText: '检查通过' }).waitFor();

    // completion from the manifest's meta-schema: a new key under "year" offers the manifest's keys
    await page.locator('.cm-line', { hasText: '"year": 2023,' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"');
    await page.keyboard.press('Control+Space');
    const completions = page.locator('.cm-tooltip-autocomplete');
    await completions.waitFor();
    // keys the manifest does not have yet, each with its type in Chinese and its description
    const offered = await completions.innerText();
    expect(offered).toContain('documentNumber');
    expect(offered).toContain('文号');
    expect(offered).not.toMatch(/\b(string|object|array|number|integer|boolean)\b/);
    await page.keyboard.press('Escape');
    for (let i = 0; i < 6 && (await page.getByTestId('syntax-alert').count()) > 0; i++) await page.keyboard.press('Control+z');
    await page.getByTestId('syntax-alert').waitFor({ state: 'detached' });
    expect(await page.locator('.cm-line', { hasText: '"year": 2023,' }).count()).toBe(1);

    // completion in a form file (the form meta-schema: our x- keywords in Chinese) and in a cohort step file
    const openFile = async (typed: string, prefix: string) => {
      await page.getByTestId('file-select').click();
      await page.keyboard.type(typed);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: prefix }).first().click();
    };
    const completeAfter = async (lineText: string, typed: string): Promise<string> => {
      await page.locator('.cm-line', { hasText: lineText }).first().click();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type(typed);
      const list = page.locator('.cm-tooltip-autocomplete');
      // asked again when the first request found the editor still taking the file in (a loaded machine)
      for (let i = 0; i < 4 && !(await list.isVisible()); i++) {
        await page.keyboard.press('Control+Space');
        await list.waitFor({ timeout: 8_000 }).catch(() => undefined);
      }
      await list.waitFor();
      const text = await list.innerText();
      await page.keyboard.press('Escape');
      for (let i = 0; i < 8 && (await page.getByTestId('syntax-alert').count()) > 0; i++) await page.keyboard.press('Control+z');
      await page.getByTestId('syntax-alert').waitFor({ state: 'detached' });
      return text;
    };
    await openFile('群体评价', '群体评价：');
    await page.locator('.cm-line').first().waitFor();
    const cohortLine = (await page.locator('.cm-line').nth(1).innerText()).trim();
    const cohortOffered = await completeAfter(cohortLine, '"');
    expect(cohortOffered).toContain('grades');
    expect(cohortOffered).toContain('rewards');
    await shot(page, 'workbench-expert-03-cohort-completion');
    await openFile('申请表', '表单：');
    // the first field of the form (the text far down is not drawn until scrolled to)
    await page.locator('.cm-line', { hasText: '"title": "申请单位（公章）",' }).waitFor();
    const formOffered = await completeAfter('"title": "申请单位（公章）",', '"');
    expect(formOffered).toContain('x-unit');
    expect(formOffered).toContain('x-file');

    // phone: both tabs
    const phone = await newPage(env, 390, 844);
    await signIn(phone, env.base, 'admin');
    await phone.goto(`${env.base}${draft.url}?tab=fields`);
    await phone.getByTestId('fields-preview').getByText('入驻企业数量', { exact: true }).waitFor();
    await shot(phone, 'workbench-fields-02-phone');
    await checkPage(phone, '工作台·表单字段（手机）');
    await phone.goto(`${env.base}${draft.url}?tab=expert`);
    await phone.locator('.cm-content').waitFor();
    await shot(phone, 'workbench-expert-02-phone');
    await checkPage(phone, '工作台·专家模式（手机）');

    // add, retype, move and remove fields (desktop)
    await page.goto(`${env.base}${draft.url}?tab=fields`);
    await page.getByTestId('fields-editor').waitFor();
    await page.getByTestId('check-state').filter({ hasText: '检查通过' }).waitFor();
    await page.locator('[data-field="basic.firms"]').click();
    await page.getByTestId('field-add').click();
    await fieldForm.getByText('修改字段：新字段').waitFor();
    const added = page.locator('[data-field="basic.field1"]');
    await added.waitFor();
    await fieldForm.getByLabel('标题').fill('年度数字化投入');
    await fieldForm.getByLabel('类型').selectOption({ label: '数值' });
    await fieldForm.getByLabel('单位').waitFor();
    await fieldForm.getByLabel('单位').fill('万元');
    await preview.getByText('年度数字化投入', { exact: false }).first().waitFor();
    // moved above 入驻企业数: the table lists it first (and the saved file, below)
    await page.getByTestId('field-up').click();
    const order = async () => page.locator('[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')));
    await expect.poll(async () => { const o = await order(); return o.indexOf('basic.field1') < o.indexOf('basic.firms'); }).toBe(true);
    await preview.getByText('年度数字化投入').first().waitFor();
    await shot(page, 'workbench-fields-03a-moved');
    await page.getByText('已保存').waitFor();
    await page.getByTestId('check-state').filter({ hasText: '检查通过' }).waitFor();
    type Props = Record<string, Record<string, unknown>>;
    const after = await apiCall<{ files: Record<string, { properties: { basic: { properties: Props; required: string[] } } }> }>(page, 'GET', `/api/pack-drafts/${draft.id}`);
    const basic = after.body.files['schemas/zj-2023-digital-demo/forms/application.schema.json']!.properties.basic;
    const keys = Object.keys(basic.properties);
    expect(keys.indexOf('field1')).toBe(keys.indexOf('firms') - 1);
    expect(basic.properties.field1).toEqual({ title: '年度数字化投入', type: 'number', minimum: 0, 'x-unit': '万元' });
    await shot(page, 'workbench-fields-03-added');

    // 入驻企业数 removed: the rule that reads it is listed by its name, publishing refused
    await page.locator('[data-field="basic.firms"]').click();
    await fieldForm.getByText('修改字段：入驻企业数量').waitFor();
    await page.getByTestId('field-remove').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /^删\s*除$/ }).click();
    const refs = page.getByTestId('field-references');
    await refs.waitFor();
    const refText = await refs.innerText();
    // named as the administrator knew it: its title in last year's published pack (RULE_UNKNOWN_FACT)
    expect(refText).toContain('规则引用的事实“入驻企业数（已删除的字段）”');
    expect(refText).not.toContain('basic.firms');
    expect(refText).toMatch(/规则集：.+ › 规上企业数不能大于入驻企业数/);
    await page.getByTestId('check-state').filter({ hasText: '个错误' }).waitFor();
    expect(await page.locator('[data-field="basic.firms"]').count()).toBe(0);
    await page.getByText('已保存').waitFor();
    await shot(page, 'workbench-fields-04-removed');
    await checkPage(page, '工作台·表单字段（删除字段后）');
    const check = await apiCall<{ problems: Array<{ code: string; message: string }> }>(page, 'GET', `/api/pack-drafts/${draft.id}/check`);
    const unknownFact = check.body.problems.filter((p) => p.code === 'RULE_UNKNOWN_FACT');
    expect(unknownFact.length).toBeGreaterThan(0);
    for (const p of unknownFact) expect(p.message).toContain('入驻企业数（已删除的字段）');
    await page.getByRole('tab', { name: '发布' }).click();
    await page.getByText(/还有 \d+ 个错误，改正后才能发布/).waitFor();
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    const removed = await apiCall<{ files: Record<string, { properties: { basic: { properties: Props; required: string[] } } }> }>(page, 'GET', `/api/pack-drafts/${draft.id}`);
    const basic2 = removed.body.files['schemas/zj-2023-digital-demo/forms/application.schema.json']!.properties.basic;
    expect(basic2.properties.firms).toBeUndefined();
    expect(basic2.required).not.toContain('firms');
  }, 600_000);
});
