/**
 * Tests that type, not post (issue 11): for every form the applicant fills in every pack under
 * `schemas/`, the applicant opens it from the notices page, types or clicks a valid value into
 * every field they own (values from the pack's fixtures for that form, only the applicant's own
 * fields — core's `ownPart`), chooses a file for every file field and adds the rows of every list,
 * watches the autosave succeed, reloads and finds every value, and submits when the typed data is
 * complete. Every table a county or a city fills is typed cell by cell in the grid (a value each
 * required column's schema accepts), saved, found again after a reload and reported. A whole
 * application (several forms, created as the README does) opens in the browser, two of its forms
 * are typed, saved, found again and submitted. A last journey makes one field invalid, types on,
 * leaves the page (asked first), comes back and finds everything, the invalid value with its error
 * shown at once (in the error list and on the field) before anything is typed again.
 *
 * Each pack runs on a server whose clock is inside the window of the role that fills the form.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFormAjv, indexFields, isObject, loadPack, ownPart, validateSubmission, type NoticePack } from '@yuanping/core';
import { startE2EServer } from '../../apps/web/e2e/harness.js';
import { launch, shot, signIn, type Browser, type Page } from '../../apps/web/e2e/browser.js';
import { sampleFile } from './sample-files.js';
import { apiCall } from './support.js';
import { recordPage, waitOrExplain, type PageLog } from './page-log.js';

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
  kind: 'text' | 'number' | 'date' | 'select' | 'checkbox' | 'options' | 'checklist' | 'file' | 'files' | 'rows';
  /** for option fields: the index of each chosen option */
  indexes?: number[];
  /** for a file field (and a list of files): the types it accepts */
  accept?: string[];
  /** for a list of rows: each row's values, their paths under the row (`cooperation.0.name`) */
  rows?: Leaf[][];
}

/** Every value to type, with the way its field takes it (from the form schema). */
function leavesOf(pack: NoticePack, formId: string, data: Json): { leaves: Leaf[]; skipped: string[] } {
  const form = pack.forms.get(formId);
  if (!form) return { leaves: [], skipped: [] };
  const skipped: string[] = [];
  return { leaves: leavesIn(form.schema, form.schema, data, '', skipped), skipped };
}

/** The leaves of `data` under `prefix`, its fields those of `schema` (an object schema; `root` holds the definitions). */
function leavesIn(root: Json, schema: Json, data: Json, prefix: string, skipped: string[]): Leaf[] {
  // the fields of this object, its $refs resolved against the form's definitions
  const fields = indexFields({ ...root, ...schema });
  const leaves: Leaf[] = [];
  const walk = (v: unknown, rel: string) => {
    const fi = fields.get(rel);
    if (!fi) return;
    const path = prefix ? `${prefix}.${rel}` : rel;
    if (fi.type === 'object' && isObject(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, `${rel}.${k}`);
      return;
    }
    const s = fi.schema;
    const fileSpec = (x: unknown) => (isObject(x) && isObject(x['x-file']) ? x['x-file'] : null);
    if (fileSpec(s)) return leaves.push({ path, value: v, kind: 'file', accept: (fileSpec(s)?.accept as string[] | undefined) ?? [] }) && undefined;
    if (fi.type === 'array') {
      const opts = fi.items?.options;
      const items = isObject(s.items) ? s.items : {};
      if (opts && Array.isArray(v)) leaves.push({ path, value: v, kind: 'checklist', indexes: v.map((x) => opts.findIndex((o) => o.value === x)) });
      else if (fileSpec(items) && Array.isArray(v)) leaves.push({ path, value: v, kind: 'files', accept: (fileSpec(items)?.accept as string[] | undefined) ?? [] });
      else if (Array.isArray(v) && v.every(isObject) && isObject(items.properties)) {
        leaves.push({ path, value: v, kind: 'rows', rows: v.map((row, i) => leavesIn(root, items, row, `${path}.${i}`, skipped)) });
      } else skipped.push(`${path}（列表）`);
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
  return leaves;
}

/** The file a person would choose for a file field: of an accepted type, named after the example's file where it has one. */
function fileFor(leaf: Leaf, value: unknown, i = 0): { name: string; mimeType: string; buffer: Buffer } {
  const stem = typeof value === 'string' && /[^/]+\.[a-z0-9]+$/i.test(value) ? (value.split('/').pop() ?? '').replace(/\.[^.]+$/, '') : `${leaf.path}-${i + 1}`;
  return sampleFile(leaf.accept, stem);
}

/** Chooses a file in a file field, as a person does (the button opens the file chooser), and waits for the upload. */
async function chooseFile(page: Page, path: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const box = page.locator(`[data-file-field="${path}"]`);
  await box.scrollIntoViewIfNeeded();
  const chooser = page.waitForEvent('filechooser');
  await box.getByRole('button').first().click();
  await (await chooser).setFiles(file);
  await box.getByText(`已上传：${file.name}`).waitFor({ timeout: 120_000 });
}

/** Adds one item to a list field by its 添加 button. */
async function addItem(page: Page, path: string): Promise<void> {
  const add = page.locator(`[id="root.${path}__add"]`);
  await add.scrollIntoViewIfNeeded();
  await add.click();
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
    case 'file':
      await chooseFile(page, leaf.path, fileFor(leaf, leaf.value));
      return;
    case 'files': {
      const list = Array.isArray(leaf.value) ? leaf.value : [];
      for (let i = 0; i < list.length; i++) {
        await addItem(page, leaf.path);
        await chooseFile(page, `${leaf.path}.${i}`, fileFor(leaf, list[i], i));
      }
      return;
    }
    case 'rows':
      for (const row of leaf.rows ?? []) {
        await addItem(page, leaf.path);
        for (const cell of row) await typeLeaf(page, cell);
      }
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
    case 'file':
      return (await page.locator(`[data-file-field="${leaf.path}"]`).getByText(`已上传：${fileFor(leaf, leaf.value).name}`).count()) === 1;
    case 'files': {
      const list = Array.isArray(leaf.value) ? leaf.value : [];
      for (let i = 0; i < list.length; i++) {
        if ((await page.locator(`[data-file-field="${leaf.path}.${i}"]`).getByText(`已上传：${fileFor(leaf, list[i], i).name}`).count()) !== 1) return false;
      }
      return (await page.locator(`[data-file-field="${leaf.path}.${list.length}"]`).count()) === 0;
    }
    case 'rows':
      for (const row of leaf.rows ?? []) for (const cell of row) if (!(await shows(page, cell))) return false;
      return (await byId(page, `${id}.${leaf.rows?.length ?? 0}`).count()) === 0;
  }
}

/** Each page's log (requests, console, dialogs): a step not confirmed fails with it. */
const logs = new WeakMap<Page, PageLog>();
async function confirmed(page: Page, what: ReturnType<Page['locator']>, step: string): Promise<void> {
  const log = logs.get(page);
  if (log) await waitOrExplain(page, log, what, step);
  else await what.waitFor({ timeout: 120_000 });
}

async function waitSaved(page: Page): Promise<void> {
  await confirmed(page, page.locator('[data-save-state="saved"]'), '自动保存');
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

async function pageOn(clock: string, user = 'applicant-hz'): Promise<{ page: Page; base: string }> {
  const server = await startE2EServer({ now: clock });
  servers.push(server);
  browser ??= await launch();
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('页面错误：', e.message));
  logs.set(page, recordPage(page));
  await signIn(page, server.url, user);
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
      // submit when what was typed is complete
      const complete = skipped.length === 0 && validateSubmission(form, data).valid;
      if (complete) {
        await page.getByTestId('submit').click();
        await page.locator('.ant-modal-confirm').getByRole('button', { name: /提交/ }).click();
        await confirmed(page, page.getByTestId('status').filter({ hasText: '已提交' }), `${packId}/${form.id} 提交`);
      }
      console.info(`${packId}/${form.id}：输入 ${leaves.length} 项${complete ? '，已提交' : ''}；${url}`);
    }
  }, 900_000);
});

/** A value of a table column that its schema accepts, as a person types it (text for the cell editor). */
function cellText(root: Json, col: Json): string {
  const s = col;
  const opts = optionsOfSchema(s);
  if (opts) return opts[0]?.label ?? '';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'boolean') return '是';
  if (t === 'number' || t === 'integer') {
    const min = typeof s.minimum === 'number' ? s.minimum : 0;
    const max = typeof s.maximum === 'number' ? s.maximum : Infinity;
    return String(min + 1 <= max ? min + 1 : min);
  }
  if (s.format === 'date') return '2021-06-22';
  if (typeof s.pattern === 'string') {
    // codes as the notices write them: a county's division code, a month, a mobile and a fixed-line number
    const re = new RegExp(s.pattern);
    const v = ['330106', '2021-06', '2021-06-22', '13800000001', '0571-88888888'].find((x) => re.test(x));
    if (!v) throw new Error(`没有符合 ${s.pattern} 的样例值（${String(root.title)}）`);
    return v;
  }
  const title = typeof s.title === 'string' ? s.title : '内容';
  const max = typeof s.maxLength === 'number' ? s.maxLength : 100;
  return `${title}样例`.slice(0, max);
}

/** The choices of a field (`oneOf` of consts with titles, or `enum`), as the grid shows them. */
function optionsOfSchema(s: Json): Array<{ value: unknown; label: string }> | undefined {
  if (Array.isArray(s.oneOf) && s.oneOf.every((o) => isObject(o) && 'const' in o)) return (s.oneOf as Array<{ const: unknown; title?: string }>).map((o) => ({ value: o.const, label: o.title ?? String(o.const) }));
  if (Array.isArray(s.enum)) return s.enum.map((v) => ({ value: v, label: String(v) }));
  return undefined;
}

/** The value a cell's text stands for (what the grid stores): an option's value, a number, a yes, else the text. */
function cellValue(col: Json, text: string): unknown {
  const opts = optionsOfSchema(col);
  if (opts) return opts.find((o) => o.label === text)?.value;
  const t = Array.isArray(col.type) ? col.type.find((x) => x !== 'null') : col.type;
  if (t === 'boolean') return text === '是';
  if (t === 'number' || t === 'integer') return Number(text);
  return text;
}

/** The choices a field offers as a person picks them (its options, yes/no), or none. */
function choicesOf(col: Json): Array<{ value: unknown; label: string }> | undefined {
  const t = Array.isArray(col.type) ? col.type.find((x) => x !== 'null') : col.type;
  return optionsOfSchema(col) ?? (t === 'boolean' ? [{ value: true, label: '是' }, { value: false, label: '否' }] : undefined);
}

/** A row's conditional requirements: `if`/`then`/`else` (alone or in `allOf`), `dependencies`, `dependentRequired`. */
function conditionsOf(item: Json): Array<{ when: Json | null; then?: Json; else?: Json; present?: string; requires?: string[] }> {
  const out: Array<{ when: Json | null; then?: Json; else?: Json; present?: string; requires?: string[] }> = [];
  const clause = (x: unknown) => {
    if (!isObject(x)) return;
    if (isObject(x.if)) out.push({ when: x.if, ...(isObject(x.then) ? { then: x.then } : {}), ...(isObject(x.else) ? { else: x.else } : {}) });
    for (const sub of Array.isArray(x.allOf) ? x.allOf : []) clause(sub);
  };
  clause(item);
  for (const key of ['dependencies', 'dependentRequired'] as const) {
    const deps = item[key];
    if (!isObject(deps)) continue;
    for (const [present, d] of Object.entries(deps)) {
      if (Array.isArray(d)) out.push({ when: null, present, requires: d as string[] });
      else if (isObject(d)) out.push({ when: null, present, then: d });
    }
  }
  return out;
}

/**
 * One row of a table section that its schema accepts, as the unit that fills it types it: a value
 * for every required column it owns (not computed, not another role's `x-role`), and for the columns
 * a condition then requires (参评 = 是 → 评价得分); the fields a condition tests are tried with each of
 * their choices until the row is valid with what this role may type. Throws when no choice is.
 */
function rowFor(root: Json, item: Json, role: string): Array<{ col: string; text: string }> {
  const cols = isObject(item.properties) ? item.properties : {};
  const need = Array.isArray(item.required) ? (item.required as string[]) : [];
  const colOf = (k: string): Json => (isObject(cols[k]) ? (cols[k] as Json) : {});
  const typable = (k: string) => {
    const c = colOf(k);
    return c['x-compute'] === undefined && (typeof c['x-role'] !== 'string' || c['x-role'] === role);
  };
  const conds = conditionsOf(item);
  const ajv = createFormAjv();
  const valid = ajv.compile({ ...(isObject(root.definitions) ? { definitions: root.definitions } : {}), ...item });
  const tested = [...new Set(conds.flatMap((c) => (c.when && isObject(c.when.properties) ? Object.keys(c.when.properties) : c.present ? [c.present] : [])))].filter(
    (k) => typable(k) && choicesOf(colOf(k)),
  );
  // every combination of the tested fields' choices (first choices first)
  let combos: Array<Record<string, { value: unknown; label: string }>> = [{}];
  for (const k of tested) combos = combos.flatMap((c) => (choicesOf(colOf(k)) ?? []).map((o) => ({ ...c, [k]: o })));
  for (const combo of combos.slice(0, 256)) {
    const texts = new Map<string, string>();
    const data: Json = {};
    const put = (k: string, schema: Json) => {
      if (texts.has(k) || !typable(k)) return;
      const text = combo[k]?.label ?? cellText(root, schema);
      texts.set(k, text);
      data[k] = combo[k]?.value ?? cellValue(schema, text);
    };
    for (const k of need) put(k, colOf(k));
    for (const k of Object.keys(combo)) put(k, colOf(k));
    // what the conditions then require, until nothing more is added
    for (let pass = 0; pass < 5; pass++) {
      const before = texts.size;
      for (const c of conds) {
        const holds = c.when ? ajv.validate({ type: 'object', ...c.when }, data) : c.present !== undefined && data[c.present] !== undefined;
        const branch = c.when ? (holds ? c.then : c.else) : holds ? c.then : undefined;
        const req = [...(c.requires && holds ? c.requires : []), ...(branch && Array.isArray(branch.required) ? (branch.required as string[]) : [])];
        const props = branch && isObject(branch.properties) ? branch.properties : {};
        for (const k of req) put(k, { ...colOf(k), ...(isObject(props[k]) ? (props[k] as Json) : {}) });
      }
      if (texts.size === before) break;
    }
    if (valid(data)) return [...texts].map(([col, text]) => ({ col, text }));
  }
  throw new Error(`${String(root.title)}：没有一行能由${role}按条件填全（${tested.join('、') || '无可选的条件字段'}）`);
}

/** The table forms a county or a city fills, each with the role that fills it and a day inside that role's window for it. */
function tableForms(pack: NoticePack): Array<{ formId: string; role: 'county' | 'city'; clock: string }> {
  const out: Array<{ formId: string; role: 'county' | 'city'; clock: string }> = [];
  for (const f of pack.forms.values()) {
    const scope = f.decl.scope ?? 'park';
    if (f.kind !== 'table' || (scope !== 'county' && scope !== 'city')) continue;
    const stages = (pack.manifest.workflow?.stages ?? []).filter((st) => (st.forms ?? []).includes(f.id));
    const st = stages.find((x) => x.role === scope) ?? stages[0];
    out.push({ formId: f.id, role: scope, clock: st?.window?.opens ? `${st.window.opens}T10:00:00+08:00` : clockFor(pack) });
  }
  return out;
}

describe.each(packIds)('县、市的汇总表在浏览器中输入（%s）', (packId) => {
  it('填报单位逐格输入、自动保存、刷新后仍在、报送', async () => {
    const pack = await loadPack(packId, { root: ROOT });
    const tables = tableForms(pack);
    if (tables.length === 0) {
      expect([...pack.forms.values()].filter((f) => f.kind === 'table' && (f.decl.scope === 'county' || f.decl.scope === 'city'))).toEqual([]);
      return;
    }
    for (const t of tables) {
      const form = pack.forms.get(t.formId);
      if (!form) throw new Error(t.formId);
      const root = form.schema as Json;
      const { page, base } = await pageOn(t.clock, t.role === 'county' ? 'county-xihu' : 'city-hz');
      await page.goto(`${base}/tables/${packId}/${t.formId}`);
      await page.getByTestId('grid').first().waitFor();
      const props = isObject(root.properties) ? root.properties : {};
      const required = Array.isArray(root.required) ? (root.required as string[]) : [];
      const sectionFields = Object.entries(props).filter(([, v]) => isObject(v) && v.type === 'array').map(([k]) => k);
      const typed: Array<{ section: string; col: string; text: string; numeric: boolean }> = [];
      for (const [i, sec] of sectionFields.entries()) {
        const arr = props[sec] as Json;
        const item = isObject(arr.items) ? arr.items : {};
        const cols = isObject(item.properties) ? item.properties : {};
        // a row this unit can complete: its required columns and what their conditions then require
        const row = rowFor(root, item, t.role);
        // one row, as the unit adds it: the section's own 添加行 (several sections), else the page's
        const box = sectionFields.length > 1 ? page.locator(`[data-section="${sec}"]`) : page;
        if (sectionFields.length > 1) await box.getByTestId('section-add-row').click();
        else await page.getByRole('button', { name: /^添加行$/ }).click();
        const grid = sectionFields.length > 1 ? box.getByTestId('grid') : page.getByTestId('grid').nth(i);
        for (const { col, text } of row) {
          const cs = isObject(cols[col]) ? (cols[col] as Json) : {};
          const cell = grid.locator(`.yp-grid-row[data-row="0"] [data-col="${col}"]`);
          await cell.scrollIntoViewIfNeeded();
          await cell.click();
          // the cell's editor: a list for a column with choices, else a text box
          await page.keyboard.press('Enter');
          const editor = grid.locator('.yp-cell-input');
          if ((await editor.evaluate((el) => el.tagName)) === 'SELECT') await editor.selectOption({ label: text });
          else await editor.fill(text);
          await editor.press('Enter');
          typed.push({ section: sec, col, text, numeric: cs.type === 'number' || cs.type === 'integer' });
        }
      }
      // the table's own required top-level fields
      for (const k of required.filter((x) => !sectionFields.includes(x))) {
        const ps = isObject(props[k]) ? (props[k] as Json) : {};
        if (optionsOfSchema(ps)) {
          await page.getByTestId(`preamble-${k}`).click();
          await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
        } else if (ps.type === 'number' || ps.type === 'integer') await page.getByTestId('table-preamble').getByRole('spinbutton').first().fill(cellText(root, ps));
        else await page.getByTestId(`preamble-${k}`).fill(cellText(root, ps));
      }
      await confirmed(page, page.getByTestId('table-save').and(page.locator('[data-save-state="saved"]')), `${packId}/${t.formId} 自动保存`);
      await shot(page, `typing-table-${packId}-${t.formId}`, false);
      await page.reload();
      await page.getByTestId('grid').first().waitFor();
      const lost: string[] = [];
      for (const c of typed) {
        const grid = sectionFields.length > 1 ? page.locator(`[data-section="${c.section}"]`).getByTestId('grid') : page.getByTestId('grid').first();
        const shown = (await grid.locator(`.yp-grid-row[data-row="0"] [data-col="${c.col}"]`).innerText()).trim();
        if (c.numeric ? Number(shown.replace(/,/g, '')) !== Number(c.text) : shown !== c.text) lost.push(`${c.section}.0.${c.col}：${shown}≠${c.text}`);
      }
      expect(lost, `${packId}/${t.formId} 刷新后不见的值`).toEqual([]);
      // reported: every row is complete (its conditions met), the top-level fields typed
      await page.getByRole('button', { name: /^报\s*送$/ }).click();
      await page.locator('.ant-modal-confirm').getByRole('button', { name: /^报\s*送$/ }).click();
      await confirmed(page, page.getByTestId('table-status').filter({ hasText: '已报送' }).or(page.getByTestId('table-refusal')).first(), `${packId}/${t.formId} 报送`);
      const refusal = page.getByTestId('table-refusal');
      expect((await refusal.count()) ? await refusal.innerText() : '', `${packId}/${t.formId} 报送被拒`).toBe('');
      console.info(`${packId}/${t.formId}（${t.role === 'county' ? '县' : '市'}）：输入 ${typed.length} 格，已报送`);
    }
  }, 900_000);
});

/** The same leaves under a form of a whole application (its fields' ids are `root.<form>.<path>`). */
function underForm(formId: string, leaves: Leaf[]): Leaf[] {
  return leaves.map((l) => ({ ...l, path: `${formId}.${l.path}`, ...(l.rows ? { rows: l.rows.map((r) => underForm(formId, r)) } : {}) }));
}

describe('整份申报在浏览器中打开和输入', () => {
  it('打开整份申报（多张表单），在其中两张表单输入，保存、刷新后仍在、提交', async () => {
    // the first pack whose applicant fills two forms or more (each with example data)
    let chosen: { pack: NoticePack; forms: ReturnType<typeof applicantForms> } | null = null;
    for (const id of packIds) {
      const pack = await loadPack(id, { root: ROOT });
      const forms = applicantForms(pack).filter((f) => f.kind !== 'table');
      if (forms.length >= 2 && forms.every((f) => valuesFor(pack, f.id))) {
        chosen = { pack, forms };
        break;
      }
    }
    if (!chosen) throw new Error('no pack with two applicant forms');
    const { pack, forms } = chosen;
    const { page, base } = await pageOn(clockFor(pack));
    // a whole application, as the README creates it: no formId
    const created = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: pack.id, data: {} });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await page.goto(`${base}/submissions/${created.body.id}`);
    await page.locator('.yp-form').first().waitFor();
    await allMounted(page);
    const two = forms.slice(0, 2);
    const leaves = two.flatMap((f) => underForm(f.id, leavesOf(pack, f.id, valuesFor(pack, f.id) ?? {}).leaves));
    for (const leaf of leaves) await typeLeaf(page, leaf);
    await waitSaved(page);
    await shot(page, 'typing-bundle', false);
    await page.reload();
    await page.locator('.yp-form').first().waitFor();
    await allMounted(page);
    const missing: string[] = [];
    for (const leaf of leaves) if (!(await shows(page, leaf))) missing.push(leaf.path);
    expect(missing, '整份申报刷新后不见的值').toEqual([]);
    // every form of the application typed and complete: it is submitted
    if (two.length === forms.length && two.every((f) => validateSubmission(f, valuesFor(pack, f.id)).valid)) {
      await page.getByTestId('submit').click();
      await page.locator('.ant-modal-confirm').getByRole('button', { name: /提交/ }).click();
      await confirmed(page, page.getByTestId('status').filter({ hasText: '已提交' }), `${pack.id} 整份申报提交`);
    } else console.info(`${pack.id}：整份申报有 ${forms.length} 张表单，只输入了两张，未提交`);
    console.info(`${pack.id} 整份申报：在 ${two.map((f) => f.id).join('、')} 输入 ${leaves.length} 项`);
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
    // the invalid value comes back with its error at once, before any edit: in the list (the badge)
    // and on the field (its message, announced by aria-invalid / aria-describedby)
    const back = page.getByTestId('error-list');
    await back.locator(`[data-error-path="${bad.path}"]`).waitFor({ timeout: 60_000 });
    const message = (await back.locator(`[data-error-path="${bad.path}"]`).innerText()).trim();
    expect(message).not.toBe('');
    const field = byId(page, `root.${bad.path}`);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const described = (await field.getAttribute('aria-describedby')) ?? '';
    expect(described).toContain(`root.${bad.path}__error`);
    expect(await byId(page, `root.${bad.path}__error`).innerText()).toContain(message);
    expect(await page.locator('[data-save-state]').getAttribute('data-save-state')).toBe('idle');
    await shot(page, 'typing-invalid-reopened', false);
    const missing: string[] = [];
    for (const leaf of after.slice(1)) if (!(await shows(page, leaf))) missing.push(leaf.path);
    expect(missing).toEqual([]);
  }, 600_000);
});

/**
 * A save in flight when the person submits (a slow network, a loaded server): the submit waits for
 * that save and then goes through — it is neither refused as "not saved yet" nor sent before the
 * edit. Each save is held on the wire (the page's own request, released after a moment) while the
 * submit or the report is confirmed.
 */
describe('保存尚未答复时提交：等保存完成后提交', () => {
  /** Holds the page's next PUT to `path` until released; resolves when the page has sent it. */
  async function holdNextSave(page: Page, path: RegExp): Promise<{ sent: Promise<void>; release: () => void }> {
    let release = () => undefined as void;
    const released = new Promise<void>((r) => (release = r));
    let sent = () => undefined as void;
    const wasSent = new Promise<void>((r) => (sent = r));
    let held = false;
    await page.route(path, async (route) => {
      if (route.request().method() !== 'PUT' || held) return route.continue();
      held = true;
      sent();
      await released;
      await route.continue();
    });
    return { sent: wasSent, release };
  }

  it('申报：自动保存在途时点提交', async () => {
    const pack = await loadPack(packIds.find((id) => id.includes('star')) ?? packIds[0] ?? '', { root: ROOT });
    const form = applicantForms(pack).find((f) => f.kind === 'record' && valuesFor(pack, f.id) && validateSubmission(f, valuesFor(pack, f.id)).valid);
    if (!form) throw new Error('no complete record form');
    const data = valuesFor(pack, form.id) ?? {};
    const text = leavesOf(pack, form.id, data).leaves.find((l) => l.kind === 'text' && typeof l.value === 'string' && !(indexFields(form.schema).get(l.path)?.schema.pattern));
    if (!text) throw new Error('no text field');
    const { page, base } = await pageOn(clockFor(pack));
    const created = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: pack.id, formId: form.id, data });
    expect(created.status).toBe(201);
    await page.goto(`${base}/submissions/${created.body.id}`);
    await page.locator('.yp-form').first().waitFor();
    await allMounted(page);
    const hold = await holdNextSave(page, /\/api\/submissions\/[^/]+$/);
    await typeLeaf(page, { ...text, value: `${String(text.value)}（改）` });
    await hold.sent;
    await page.getByTestId('submit').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /提交/ }).click();
    // the submit is waiting for the save: answered a moment later
    await page.waitForTimeout(1500);
    expect(await page.getByText('还不能提交').count()).toBe(0);
    hold.release();
    await confirmed(page, page.getByTestId('status').filter({ hasText: '已提交' }), '保存在途时的提交');
    expect(await page.getByText('还不能提交').count()).toBe(0);
    // what was submitted has the edit
    const got = await apiCall<{ data: Json }>(page, 'GET', `/api/submissions/${created.body.id}`);
    expect(String(text.path.split('.').reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), got.body.data))).toBe(`${String(text.value)}（改）`);
  }, 600_000);

  it('汇总表：自动保存在途时点报送', async () => {
    // the first table a county or a city fills with a text field above the grid
    let chosen: { pack: NoticePack; t: ReturnType<typeof tableForms>[number]; field: string } | null = null;
    for (const id of packIds) {
      const pack = await loadPack(id, { root: ROOT });
      for (const t of tableForms(pack)) {
        const props = (pack.forms.get(t.formId)?.schema.properties ?? {}) as Json;
        const field = Object.keys(props).find((k) => isObject(props[k]) && props[k].type === 'string' && !optionsOfSchema(props[k]) && !props[k].pattern);
        if (field) chosen ??= { pack, t, field };
      }
    }
    if (!chosen) throw new Error('no table with a text field above the grid');
    const { pack, t, field } = chosen;
    const form = pack.forms.get(t.formId);
    if (!form) throw new Error(t.formId);
    const root = form.schema as Json;
    const props = root.properties as Json;
    // a complete table through the API (its rows as the unit would type them), then one edit on the page
    const data: Json = {};
    for (const [k, v] of Object.entries(props)) {
      if (!isObject(v)) continue;
      if (v.type === 'array' && isObject(v.items)) {
        const cols = (isObject(v.items.properties) ? v.items.properties : {}) as Json;
        data[k] = [Object.fromEntries(rowFor(root, v.items, t.role).map(({ col, text }) => [col, cellValue(cols[col] as Json, text)]))];
      } else if ((root.required as string[] | undefined)?.includes(k)) data[k] = cellValue(v, cellText(root, v));
    }
    const { page, base } = await pageOn(t.clock, t.role === 'county' ? 'county-xihu' : 'city-hz');
    const put = await apiCall<{ errors?: unknown[] }>(page, 'PUT', `/api/tables/${pack.id}/${t.formId}`, { data });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await page.goto(`${base}/tables/${pack.id}/${t.formId}`);
    await page.getByTestId('grid').first().waitFor();
    const hold = await holdNextSave(page, new RegExp(`/api/tables/${pack.id}/${t.formId}$`));
    await page.getByTestId(`preamble-${field}`).fill('改过的表头');
    await hold.sent;
    await page.getByRole('button', { name: /^报\s*送$/ }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /^报\s*送$/ }).click();
    await page.waitForTimeout(1500);
    expect(await page.getByText('最近的修改尚未保存成功').count()).toBe(0);
    hold.release();
    await confirmed(page, page.getByTestId('table-status').filter({ hasText: '已报送' }).or(page.getByTestId('table-refusal')).first(), '保存在途时的报送');
    expect(await page.getByTestId('table-refusal').count()).toBe(0);
    const got = await apiCall<{ own: { status: string; data: Json } }>(page, 'GET', `/api/tables/${pack.id}/${t.formId}`);
    expect(got.body.own).toMatchObject({ status: 'submitted', data: { [field]: '改过的表头' } });
  }, 600_000);
});
