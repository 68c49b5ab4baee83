/**
 * What a keyboard or screen-reader user gets on an application: required and invalid fields
 * announced (aria-required, aria-invalid, aria-describedby pointing at the message), the skip
 * link to the form's actions as the first stop of Tab, Ctrl+S saving at once, a focus ring
 * that is not the error colour, and antd's parts named in Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage } from './checks.js';
import { apiCall, newPage, NOW, shot, signIn, startEnv, stopEnv, type Env } from './support.js';

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

describe('无障碍：读屏与键盘', () => {
  it('必填与错误可被读出，跳转链接，Ctrl+S 保存，焦点框不是错误色', async () => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1440, 900);
    await signIn(page, env.base, 'applicant-hz');
    const c = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: 'demo-level', formId: 'apply', data: {} });
    expect(c.status).toBe(201);
    await page.goto(`${env.base}/submissions/${c.body.id}`);
    const name = page.locator('[id="root.basic.parkName"]');
    await name.waitFor();

    // required fields say so (the demo form's required text and number fields, and its radio group)
    await expect(name.getAttribute('aria-required')).resolves.toBe('true');
    await expect(page.locator('[id="root.basic.area"]').getAttribute('aria-required')).resolves.toBe('true');
    expect(await page.locator('[role="radiogroup"][aria-required="true"]').count()).toBeGreaterThan(0);

    // an invalid value: aria-invalid, and aria-describedby names an element that holds the message
    const area = page.locator('[id="root.basic.area"]');
    await area.fill('-5');
    await page.getByText('实际占地不能小于 0').first().waitFor();
    await expect(area.getAttribute('aria-invalid')).resolves.toBe('true');
    const described = (await area.getAttribute('aria-describedby')) ?? '';
    const texts = await page.evaluate((ids) => ids.split(' ').map((id) => document.getElementById(id)?.textContent ?? ''), described);
    expect(texts.join(' ')).toContain('实际占地不能小于 0');
    await checkPage(page, '填写有误的申请表');

    // the focus ring is blue, the error border red: a focused wrong field shows both, distinguishably
    await area.focus();
    const styles = await area.evaluate((el) => {
      // the field's box: the nearest element that draws a border (with a unit or the error icon,
      // antd wraps the number input in an affix wrapper, and that wrapper has the border)
      let box: Element = el;
      for (let e: Element | null = el; e; e = e.parentElement) {
        if (getComputedStyle(e).borderTopStyle !== 'none') {
          box = e;
          break;
        }
      }
      const s = getComputedStyle(box);
      return { outline: `${s.outlineStyle} ${s.outlineColor}`, border: s.borderTopColor };
    });
    expect(styles.outline).toBe('solid rgb(31, 95, 173)');
    expect(styles.border).toBe('rgb(196, 29, 29)');
    await area.fill('40');

    // a date typed the way people write it (2016/5/18) is read and shown as 2016-05-18, not refused
    const opened = page.locator('[id="root.basic.opened"]');
    await opened.click();
    await opened.fill('2016/5/18');
    await opened.press('Enter');
    await expect(opened.inputValue()).resolves.toBe('2016-05-18');
    await expect(opened.getAttribute('aria-invalid')).resolves.not.toBe('true');

    // antd's number steppers are named in Chinese
    expect(await page.locator('[aria-label="Increase Value"], [aria-label="Decrease Value"]').count()).toBe(0);
    expect(await page.locator('[aria-label="增加"]').count()).toBeGreaterThan(0);

    // the skip link is the first Tab stop, and takes the focus to the form's actions
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    // the header's links come first: tab until the skip link has the focus
    for (let i = 0; i < 12 && !(await page.evaluate(() => document.activeElement?.classList.contains('yp-skip'))); i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到提交与操作');
    await shot(page, 'a11y-01-skip-link', false);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('yp-actions');

    // Ctrl+S: what was typed is saved now, not after the autosave's pause (the page's clock is
    // stopped, so the autosave's timer cannot be what sends it)
    await page.locator('[data-save-state="saved"]').waitFor();
    await page.clock.pauseAt(new Date(new Date(NOW).getTime() + 86_400_000));
    await name.fill('键盘保存园');
    await page.locator('[data-save-state="dirty"]').waitFor();
    const put = page.waitForRequest((r) => r.method() === 'PUT' && r.url().includes(`/api/submissions/${c.body.id}`));
    await page.keyboard.press('Control+s');
    expect((await put).postDataJSON()).toMatchObject({ data: { basic: { parkName: '键盘保存园', opened: '2016-05-18' } } });
    await page.locator('[data-save-state="saved"]').waitFor();
    await page.clock.resume();
    await page.context().close();
  });
});
