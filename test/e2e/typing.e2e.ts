/**
 * Tests that type, not post (issue 11): for every form the applicant fills in every pack under
 * `schemas/`, the applicant opens it from the notices page, types or clicks a valid value into
 * every field they own (values from the pack's fixtures for that form, only the applicant's own
 * fields — core's `ownPart`), watches the autosave succeed, reloads and finds every value, and
 * submits when the typed data is complete. A second journey makes one field invalid, types on,
 * leaves the page (asked first), comes back and finds everything.
 *
 * Each pack runs on a server whose clock is inside that pack's applicant window.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexFields, isObject, loadPack, ownPart, validateSubmission, type NoticePack } from '@yuanping/core';
import { startE2EServer } from '../../apps/web/e2e/harness.js';
import { launch, shot, signIn, type Browser, type Page } from '../../apps/web/e2e/browser.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const packIds = readdirSync(join(ROOT, 'schemas')).filter((id) => existsSync(join(ROOT, 'schemas', id, 'pack.json')));

type Json = Record<string, unknown>;

/** The forms the applicant fills (as the server decides them). */
function applicantForms(pack: NoticePack) {
  const stageForms = new Set((pack.manifest.workflow?.stages ?? []).filter((s) => s.role === 'applicant').flatMap((s) => s.forms ?? []));
  const park = [...pack.forms.values()].filter((f) => (f.decl.scope ?? 'park') === 'park');
  return stageForms.size > 0 ? park.filter((f) => stageForms.has(f.id)) : park;
}

/** A day inside the pack's applicant window (its opening day), as the server's clock. */
function clockFor(pack: NoticePack): string {
  const st = (pack.manifest.workflow?.stages ?? []).find((s) => s.role === 'applicant' && s.window?.opens);
  return st?.window?.opens ? `${st.window.opens}T10:00:00+08:00` : '2021-08-21T10:00:00+08:00';
}

/** The applicant's part of the first fixture input of a rule set on the form that the form accepts as a draft. */
function valuesFor(pack: NoticePack, formId: string): Json | null {
  const form = pack.forms.get(formId);
  if (!form) return null;
  let best: Json | null = null;
  for (const { fixture } of pack.fixtures) {
    if (pack.ruleSets.get(fixture.ruleSet)?.ruleSet.form !== formId || !isObject(fixture.input)) continue;
    const own = ownPart(form.schema, fixture.input, 'applicant') as Json;
    const r = validateSubmission(form, own);
    if (r.valid) return own;
    if (!best && r.errors.every((e) => e.code === 'required')) best = own;
  }
  return best;
}

interface Leaf {
  path: string;
  value: unknown;
  kind: 'text' | 'number' | 'date' | 'select' | 'checkbox' | 'options' | 'checklist';
  /** for option fields: the index of each chosen option */
  indexes?: number[];
}

/** Every value to type, with the way its field takes it (from the form schema). */
function leavesOf(pack: NoticePack, formId: string, data: Json): { leaves: Leaf[]; skipped: string[] } {
  const form = pack.forms.get(formId);
  if (!form) return { leaves: [], skipped: [] };
  const fields = indexFields(form.schema);
  const leaves: Leaf[] = [];
  const skipped: string[] = [];
  const walk = (v: unknown, path: string) => {
    const fi = fields.get(path);
    if (!fi) return;
    if (fi.type === 'object' && isObject(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`.replace(/^\./, ''));
      return;
    }
    const s = fi.schema;
    if (s['x-file'] !== undefined) return skipped.push(`${path}（上传文件）`) && undefined;
    if (fi.type === 'array') {
      const opts = fi.items?.options;
      if (opts && Array.isArray(v)) leaves.push({ path, value: v, kind: 'checklist', indexes: v.map((x) => opts.findIndex((o) => o.value === x)) });
      else skipped.push(`${path}（多行列表）`);
      return;
    }
    if (fi.options) {
      const i = fi.options.findIndex((o) => o.value === v);
      leaves.push({ path, value: v, kind: fi.options.length > 4 ? 'select' : 'options', indexes: [i] });
      return;
    }
    if (fi.type === 'boolean') return leaves.push({ path, value: v, kind: 'checkbox' }) && undefined;
    if (fi.type === 'number' || fi.type === 'integer') return leaves.push({ path, value: v, kind: 'number' }) && undefined;
    leaves.push({ path, value: v, kind: s.format === 'date' ? 'date' : 'text' });
  };
  for (const [k, v] of Object.entries(data)) walk(v, k);
  return { leaves, skipped };
}

const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);

/** Types or clicks one value into its field, as a person does. */
async function typeLeaf(page: Page, leaf: Leaf): Promise<void> {
  const id = `root.${leaf.path}`;
  switch (leaf.kind) {
    case 'text':
    case 'number': {
      const el = byId(page, id);
      await el.scrollIntoViewIfNeeded();
      await el.click();
      // the browser's own input events, whole value at once (a 74-field scorecard typed key by key takes minutes on a loaded machine)
      await el.fill(String(leaf.value));
      return;
    }
    case 'date': {
      const el = byId(page, id);
      await el.click();
      await el.fill(String(leaf.value));
      await el.press('Enter');
      return;
    }
    case 'select':
    case 'options':
      // a list (select) or buttons (radio), whichever the form's ui chose
      if ((await byId(page, id).evaluate((el) => el.tagName)) === 'SELECT') await byId(page, id).selectOption(String(leaf.indexes?.[0] ?? 0));
      else await byId(page, `${id}-${leaf.indexes?.[0] ?? 0}`).check();
      return;
    case 'checkbox': {
      const el = byId(page, id);
      if ((await el.count()) > 0 && (await el.getAttribute('type')) === 'checkbox') {
        // "no" is a value too: ticked and unticked, as a person answering it does
        if (leaf.value === false) await el.setChecked(true);
        await el.setChecked(leaf.value === true);
      }
      else await byId(page, `${id}-${leaf.value === true ? 0 : 1}`).check();
      return;
    }
    case 'checklist':
      for (const i of leaf.indexes ?? []) await byId(page, `${id}-${i}`).check();
      return;
  }
}

/** Whether the page shows the value typed into the field. */
async function shows(page: Page, leaf: Leaf): Promise<boolean> {
  const id = `root.${leaf.path}`;
  switch (leaf.kind) {
    case 'text':
    case 'date':
      return (await byId(page, id).inputValue()) === String(leaf.value);
    case 'number':
      return Number((await byId(page, id).inputValue()).replace(/,/g, '')) === leaf.value;
    case 'select':
    case 'options':
      if ((await byId(page, id).evaluate((el) => el.tagName)) === 'SELECT') return (await byId(page, id).inputValue()) === String(leaf.indexes?.[0] ?? '');
      return byId(page, `${id}-${leaf.indexes?.[0] ?? 0}`).isChecked();
    case 'checkbox': {
      const el = byId(page, id);
      if ((await el.count()) > 0 && (await el.getAttribute('type')) === 'checkbox') return (await el.isChecked()) === (leaf.value === true);
      return byId(page, `${id}-${leaf.value === true ? 0 : 1}`).isChecked();
    }
    case 'checklist':
      for (const i of leaf.indexes ?? []) if (!(await byId(page, `${id}-${i}`).isChecked())) return false;
      return true;
  }
}

async function waitSaved(page: Page): Promise<void> {
  await page.locator('[data-save-state="saved"]').waitFor({ timeout: 30_000 });
}

/** Every form field of the page mounted (the form mounts its groups one by one when idle). */
async function allMounted(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.yp-pending').length === 0, undefined, { timeout: 60_000 });
}

let browser: Browser | undefined;
const servers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

async function pageOn(clock: string): Promise<{ page: Page; base: string }> {
  const server = await startE2EServer({ now: clock });
  servers.push(server);
  browser ??= await launch();
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('页面错误：', e.message));
  await signIn(page, server.url, 'applicant-hz');
  return { page, base: server.url };
}

/** Opens a form from the notices page (a new draft, or the draft already there). */
async function openForm(page: Page, base: string, packId: string, formId: string): Promise<string> {
  await page.goto(`${base}/notices`);
  const card = page.locator(`[data-pack="${packId}"]`);
  await card.waitFor();
  await card.locator(`[data-form="${formId}"]`).getByRole('button').first().click();
  await page.waitForURL(/\/submissions\/[^/]+$/);
  await page.locator('.yp-form').first().waitFor();
  return page.url();
}

describe.each(packIds)('每张表单在浏览器中输入（%s）', (packId) => {
  it('申报单位逐项输入、自动保存、刷新后仍在、可提交的提交', async () => {
    const pack = await loadPack(packId, { root: ROOT });
    const forms = applicantForms(pack).filter((f) => f.kind !== 'table');
    if (forms.length === 0) {
      // a pack whose forms are all filled by counties and cities (tables: test/e2e/table.e2e.ts)
      expect(applicantForms(pack).length).toBe(0);
      return;
    }
    const { page, base } = await pageOn(clockFor(pack));
    for (const form of forms) {
      const data = valuesFor(pack, form.id);
      expect(data, `${packId}/${form.id}: 没有可用的样例数据`).not.toBeNull();
      const { leaves, skipped } = leavesOf(pack, form.id, data ?? {});
      if (skipped.length) console.info(`${packId}/${form.id} 未在浏览器中输入：${skipped.join('、')}`);
      const url = await openForm(page, base, packId, form.id);
      await allMounted(page);
      for (const leaf of leaves) await typeLeaf(page, leaf);
      await waitSaved(page);
      await shot(page, `typing-${packId}-${form.id}`, false);
      // the server has exactly what was typed (its own computed fields added)
      await page.reload();
      await page.locator('.yp-form').first().waitFor();
      await allMounted(page);
      const missing: string[] = [];
      for (const leaf of leaves) if (!(await shows(page, leaf))) missing.push(leaf.path);
      expect(missing, `${packId}/${form.id} 刷新后不见的值`).toEqual([]);
      // submit when what was typed is complete (files and lists typed elsewhere are not)
      const complete = skipped.length === 0 && validateSubmission(form, data).valid;
      if (complete) {
        await page.getByTestId('submit').click();
        await page.locator('.ant-modal-confirm').getByRole('button', { name: /提交/ }).click();
        await page.getByTestId('status').filter({ hasText: '已提交' }).waitFor({ timeout: 30_000 });
      }
      console.info(`${packId}/${form.id}：输入 ${leaves.length} 项${complete ? '，已提交' : ''}；${url}`);
    }
  }, 900_000);
});

describe('无效的值不丢失，离开前询问', () => {
  it('一个无效的值之后继续输入、离开、回来，全部都在', async () => {
    const packId = packIds.find((id) => existsSync(join(ROOT, 'schemas', id, 'pack.json')) && id.includes('star')) ?? packIds[0] ?? '';
    const pack = await loadPack(packId, { root: ROOT });
    const form = applicantForms(pack).find((f) => f.kind === 'record');
    if (!form) throw new Error('no record form');
    const data = valuesFor(pack, form.id) ?? {};
    const { leaves } = leavesOf(pack, form.id, data);
    const texts = leaves.filter((l) => l.kind === 'text' || l.kind === 'number');
    // the first field that has a constraint a typed value can break: a number with a minimum, else a string with a pattern or a length
    const fields = indexFields(form.schema);
    const bad = texts.find((l) => {
      const s = fields.get(l.path)?.schema ?? {};
      return typeof s.minimum === 'number' || typeof s.pattern === 'string';
    });
    if (!bad) throw new Error('no field to make invalid');
    const badSchema = fields.get(bad.path)?.schema ?? {};
    const badValue = typeof badSchema.minimum === 'number' ? String(badSchema.minimum - 1) : '无效';
    const { page, base } = await pageOn(clockFor(pack));
    const url = await openForm(page, base, packId, form.id);
    await allMounted(page);
    const el = byId(page, `root.${bad.path}`);
    await el.click();
    await el.pressSequentially(badValue);
    const after = texts.filter((l) => l !== bad).slice(0, 30);
    for (const leaf of after) await typeLeaf(page, leaf);
    await waitSaved(page);
    // the error is listed with a link to its field
    const list = page.getByTestId('error-list');
    await list.waitFor();
    const listed = await list.locator('[data-error-path]').evaluateAll((els) => els.map((e) => e.getAttribute('data-error-path')));
    expect(listed).toContain(bad.path);
    await list.locator(`[data-error-path="${bad.path}"]`).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`root.${bad.path}`);
    await shot(page, 'typing-invalid-kept', false);
    // an edit not yet saved: leaving by the page's own 返回 asks first; staying keeps the page
    await typeLeaf(page, { ...after[0]!, value: after[0]!.kind === 'number' ? 7 : '改动' });
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.getByRole('button', { name: /^返\s*回$/ }).click();
    expect(asked).toContain('尚未保存');
    expect(page.url()).toBe(url);
    await waitSaved(page);
    await page.getByRole('button', { name: /^返\s*回$/ }).click();
    await page.waitForURL(/\/notices/);
    await page.goto(url);
    await page.locator('.yp-form').first().waitFor();
    await allMounted(page);
    expect(await byId(page, `root.${bad.path}`).inputValue()).toBe(badValue);
    const missing: string[] = [];
    for (const leaf of after.slice(1)) if (!(await shows(page, leaf))) missing.push(leaf.path);
    expect(missing).toEqual([]);
  }, 600_000);
});
