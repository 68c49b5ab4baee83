/**
 * People and places as an administrator does them in the browser:
 * a county reviewer created, three parks imported from an xlsx (one bad credit code refused with
 * its row first), a password reset that the user must replace at sign-in, the audit page showing
 * those actions. (The pack's workbook round trip is workbook.e2e.ts.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../apps/server/src/ids.js';
import { apiCall, newPage, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';
import { checkPage } from './checks.js';

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

const dir = mkdtempSync(join(tmpdir(), 'yp-e2e-people-'));
const code = (first17: string) => `${first17}${creditCodeCheckChar(first17)}`;

async function parksFile(name: string, third: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('园区');
  ws.addRow(['园区全称', '统一社会信用代码', '所在县级单位代码', '联系人', '联系电话']);
  ws.addRow(['萧山一园', code('91330109MA2EEE001'), '330109', '', '']);
  ws.addRow(['萧山二园', code('91330109MA2EEE002'), '330109', '', '']);
  ws.addRow(['萧山三园', third, '330109', '', '']);
  const file = join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

/** A choice from the list of the form field labelled `label`. */
async function pick(page: Page, label: string, text: string | RegExp): Promise<void> {
  const field = page.locator('.ant-form-item', { has: page.locator(`label[title="${label}"]`) });
  await field.locator('.ant-select-selector').click();
  // a long list shows only its first rows: typed, as a person would, it shows the one wanted
  if (typeof text === 'string' && (await field.locator('.ant-select-show-search').count())) await page.keyboard.type(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
}

describe('账户与园区', () => {
  it('新建县级审核人、导入园区（错误行被拒）、重置密码后须改密码、审计日志', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1440, 900);
    await signIn(page, env.base, 'admin');
    await page.getByRole('link', { name: '账户与园区' }).click();
    await page.getByText('新建账户').waitFor();

    // a county reviewer (the form's fields by their labels inside its card: the accounts table's
    // sortable headers are labelled 用户名, 姓名 … too)
    const newAccount = page.locator('.ant-card', { has: page.locator('.ant-card-head-title', { hasText: /^新建账户$/ }) });
    await newAccount.getByLabel('用户名').fill('county-xs-e2e');
    await newAccount.getByLabel('姓名').fill('萧山区审核人');
    await pick(page, '角色', '县级审核');
    // the unit picked by its name, not typed as a code
    await pick(page, '单位', '萧山区');
    await page.getByLabel('初始密码').fill('first-pass-1');
    await page.getByRole('button', { name: '创 建' }).click();
    await page.getByText('已创建账户 county-xs-e2e').waitFor();

    // parks: the third credit code's check character is wrong → refused with its row, nothing imported
    const good = code('91330109MA2EEE003');
    const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '导入园区' }).click();
    await (await chooser).setFiles(await parksFile('bad.xlsx', bad));
    await page.getByText('没有导入任何一行').waitFor();
    const refused = await page.locator('.ant-table').first().innerText();
    expect(refused).toContain('4');
    expect(refused).toContain('统一社会信用代码');
    expect(refused).toContain(bad);
    await shot(page, 'people-01-import-refused');
    const chooser2 = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '导入园区' }).click();
    await (await chooser2).setFiles(await parksFile('good.xlsx', good));
    await page.getByText('已导入 3 个园区').waitFor();

    // reset the reviewer's password
    const row = page.locator('tr', { hasText: 'county-xs-e2e' });
    await row.getByRole('button', { name: '重置密码' }).click();
    await page.getByPlaceholder('临时密码（至少 8 位）').fill('temp-pass-9');
    await page.getByRole('button', { name: '重 置' }).click();
    await page.getByText('下次登录须设置新密码').waitFor();
    await row.getByText('待改密码').waitFor();
    await shot(page, 'people-02-accounts');

    // the reviewer signs in with the temporary password and must set a new one first
    const user = await newPage(env, 390, 844);
    await user.goto(env.base + '/');
    await user.locator('#username').fill('county-xs-e2e');
    await user.locator('#password').fill('temp-pass-9');
    await user.getByRole('button', { name: /登\s*录/ }).click();
    await user.getByText('管理员为您设置了临时密码').waitFor();
    await shot(user, 'people-03-must-change-phone');
    await user.getByLabel('临时密码').fill('temp-pass-9');
    await user.getByLabel('新密码', { exact: true }).fill('mine-2026-x');
    await user.getByLabel('再输入一次新密码').fill('mine-2026-x');
    await user.getByRole('button', { name: '设置新密码' }).click();
    await user.getByTestId('whoami').waitFor();
    expect(await user.getByTestId('whoami').innerText()).toContain('萧山区审核人');

    // a new county under Hangzhou, renamed in place
    const units = page.getByTestId('org-units');
    await pick(page, '上级单位', '杭州市');
    // the next free code under Hangzhou is proposed (nobody has to look it up); the official one typed over it
    await expect.poll(async () => units.getByLabel('单位代码').inputValue()).toMatch(/^3301\d\d$/);
    const proposed = await units.getByLabel('单位代码').inputValue();
    const existing = await apiCall<Array<{ code: string }>>(page, 'GET', '/api/org-units');
    expect(existing.body.map((u) => u.code)).toContain('330102');
    expect(existing.body.map((u) => u.code)).not.toContain(proposed);
    await units.getByLabel('单位名称').fill('测试新区');
    await units.getByLabel('单位代码').fill('330198');
    await units.getByRole('button', { name: '新建单位' }).click();
    await page.getByText('已新建单位“测试新区”').waitFor();
    // the tree opens at the new unit
    const node = units.locator('[data-org="330198"]');
    await node.getByRole('button', { name: '给“测试新区”改名' }).click();
    await node.locator('textarea').fill('测试新区（改）');
    await node.locator('textarea').press('Enter');
    await page.getByText('已将“测试新区”改名为“测试新区（改）”').waitFor();
    await shot(page, 'people-06-org-units');

    // an applicant account for a park registered on the spot in that county
    await newAccount.getByLabel('用户名').fill('applicant-new-e2e');
    await newAccount.getByLabel('姓名').fill('新园区填报人');
    await pick(page, '角色', '申报单位');
    await pick(page, '园区', '登记新园区');
    await page.getByLabel('园区全称').fill('测试新区一号园');
    await page.getByLabel('统一社会信用代码').fill(code('91330198MA2EEE009'));
    await pick(page, '所在县级单位', '测试新区（改）');
    await page.getByLabel('初始密码').fill('first-pass-2');
    await page.getByRole('button', { name: '创 建' }).click();
    await page.getByText('已创建账户 applicant-new-e2e').waitFor();
    // the list is read again after the message (accounts and parks are two requests): wait for the park's name
    await page.locator('tr', { hasText: 'applicant-new-e2e' }).filter({ hasText: '测试新区一号园' }).waitFor();
    const created = await apiCall<Array<{ username: string; parkId: string | null; orgCode: string | null }>>(page, 'GET', '/api/users');
    const account = created.body.find((u) => u.username === 'applicant-new-e2e')!;
    const park = await apiCall<{ name: string; countyCode: string }>(page, 'GET', `/api/parks/${account.parkId}`);
    expect(park.body).toMatchObject({ name: '测试新区一号园', countyCode: '330198' });
    expect(account.orgCode).toBe('330198');

    // the audit page: those actions, the filters picked from lists, entries named (no ids)
    await page.getByRole('link', { name: '审计日志' }).click();
    await pick(page, '操作', '账户（全部）');
    await page.getByRole('button', { name: '查 询' }).click();
    await page.getByText('修改密码').first().waitFor();
    const log = await page.locator('.ant-table').innerText();
    for (const a of ['创建账户', '重置密码', '修改密码']) expect(log).toContain(a);
    expect(log).toContain('账户“萧山区审核人”');
    expect(log).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await pick(page, '操作', '园区（全部）');
    await page.getByRole('button', { name: '查 询' }).click();
    await page.getByText('共 4 条').waitFor();
    await pick(page, '操作', '单位（全部）');
    await pick(page, '单位', '杭州市');
    await page.getByRole('button', { name: '查 询' }).click();
    await page.getByText('单位改名').first().waitFor();
    expect(await page.locator('.ant-table').innerText()).toContain('单位“测试新区（改）”');
    await shot(page, 'people-04-audit');
    await checkPage(page, '审计日志');
    // the 申报 filter: the Hangzhou park's application (a draft) found by typing the park's name
    const applicant = await newPage(env);
    await signIn(applicant, env.base, 'applicant-hz');
    const sub = await apiCall<{ id: string }>(applicant, 'POST', '/api/submissions', { packId: 'zj-2022-digital-demo', data: {} });
    expect(sub.status).toBe(201);
    const parkName = (await apiCall<{ park: { name: string } }>(applicant, 'GET', '/api/auth/me')).body.park.name;
    await applicant.context().close();
    await page.goto(env.base + '/audit');
    await pick(page, '申报', parkName.slice(0, 4));
    await page.getByRole('button', { name: '查 询' }).click();
    await page.getByText('新建申报').first().waitFor();
    const subLog = await page.locator('.ant-table').innerText();
    expect(subLog).toContain(`申报“${parkName}`);
    expect(subLog).not.toContain('登录');
    await shot(page, 'people-04b-audit-submission');
    const phone = await newPage(env, 390, 844);
    await signIn(phone, env.base, 'admin');
    await phone.goto(env.base + '/audit');
    await phone.getByTestId('audit-list').locator('.ant-list-item').first().waitFor();
    const list = await phone.getByTestId('audit-list').innerText();
    expect(list).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await shot(phone, 'people-05-audit-phone');
    await checkPage(phone, '审计日志（手机）');
  });
});
