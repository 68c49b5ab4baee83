/**
 * The whole application as one bound document (seed 004: 申请表、评分表和申报材料装订成册并编制目录和页码),
 * printed to PDF by headless Chromium and read back with pdftotext (poppler): the PDF has exactly
 * the pages the view laid out, every page carries 第 n 页 共 N 页, the contents' page numbers are
 * where each form, section and material really lands, the uploaded materials are in the document
 * (each PDF page and the image a page of their own, the video listed with its duration), and the
 * scorecard's 佐证材料页码 (x-pages-of) print the pages where the materials they name really are.
 * The applicant's typed page numbers that disagree are marked on screen only, and the mark goes
 * once they are corrected.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, newPage, recordMetric, RESULTS, shot, signIn, startEnv, stopEnv, type Env, type Page } from './support.js';
import { checkPage } from './checks.js';
import { mp4 } from './sample-files.js';

const root = join(import.meta.dirname, '..', '..');
const PACK = 'zj-2022-digital-demo';
const fixture = (name: string) => (JSON.parse(readFileSync(join(root, 'rules', PACK, 'fixtures', `${name}.json`), 'utf8')) as { input: Record<string, unknown> }).input;

let env: Env | undefined;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await stopEnv(env);
});

async function upload(page: Page, submissionId: string, field: string, filename: string, body: Buffer, type: string): Promise<string> {
  const r = await page.evaluate(
    async ({ url, data, type }) => {
      const me = await fetch('/api/auth/me').then((x) => x.json() as Promise<{ csrfToken: string }>);
      const res = await fetch(url, { method: 'POST', headers: { 'x-csrf-token': me.csrfToken, 'content-type': type }, body: Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0)) });
      return { status: res.status, body: (await res.json()) as { id: string } };
    },
    { url: `/api/submissions/${submissionId}/attachments?field=${encodeURIComponent(field)}&filename=${encodeURIComponent(filename)}`, data: body.toString('base64'), type },
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

async function save(page: Page, id: string, data: unknown): Promise<void> {
  const cur = await apiCall<{ version: number }>(page, 'GET', `/api/submissions/${id}`);
  const r = await apiCall(page, 'PUT', `/api/submissions/${id}`, { data }, { 'if-match': `"${cur.body.version}"` });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** The printed PDF's text, one string per page, whitespace removed (lines wrap anywhere in a table cell). */
function pdfPages(file: string): string[] {
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
  return text
    .split('\f')
    .slice(0, -1)
    .map((p) => p.replace(/\s+/g, ''));
}

const fmt = (pages: number[]): string => {
  const s = [...new Set(pages)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && (s[j + 1] as number) === (s[j] as number) + 1) j++;
    out.push(j > i ? `${s[i]}–${s[j]}` : String(s[i]));
    i = j + 1;
  }
  return out.join('、');
};

describe('整份申报装订成册', () => {
  it('目录、每页页码与评分表的佐证材料页码都指向材料实际所在的页（Chromium 打印 PDF，pdftotext 核对）', async (t) => {
    if (!env) throw new Error('no env');
    const page = await newPage(env, 1300, 1000, { clock: false });
    // a chunk the page cannot load (another build replaced apps/web/dist) would otherwise show only as a time-out
    page.on('response', (r) => {
      if (r.status() === 404 && r.url().includes('/assets/')) console.error('资源缺失：', r.url());
    });
    await signIn(page, env.base, 'applicant-hz');
    if ((await apiCall(page, 'GET', `/api/packs/${PACK}`)).status !== 200) t.skip();

    // the three forms of the park's application
    const ids: Record<string, string> = {};
    const materialsText = fixture('m01-materials-complete') as { profile: string; implementation: Record<string, string> };
    const marked = (name: string, body: string) => `${name}起点标记。\n${body}\n${name}终点标记。`;
    const data: Record<string, unknown> = {
      application: fixture('e01-eligible-grade-a'),
      scorecard: fixture('s02-typical-self'),
      materials: {
        profile: materialsText.profile,
        implementation: {
          planning: marked('规划', materialsText.implementation.planning ?? ''),
          measures: marked('举措', materialsText.implementation.measures ?? ''),
          highlights: marked('亮点', materialsText.implementation.highlights ?? ''),
        },
        evidence: {},
      },
    };
    for (const form of ['application', 'scorecard', 'materials']) {
      const r = await apiCall<{ id: string }>(page, 'POST', '/api/submissions', { packId: PACK, formId: form, data: data[form] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[form] = r.body.id;
    }

    // the materials: two PDFs made by Chromium (3 and 2 pages), an image, a video
    const maker = await newPage(env, 800, 600, { clock: false });
    const pdfOf = async (label: string, n: number) => {
      await maker.setContent(`<body style="font:40px sans-serif">${Array.from({ length: n }, (_, i) => `<div style="height:950px">${label} 原件第${i + 1}页</div>`).join('')}</body>`);
      return maker.pdf({ format: 'A4' });
    };
    await maker.setContent('<div style="width:600px;height:420px;background:#e8f0fe;font:36px sans-serif;padding:40px">荣誉证书（图片）</div>');
    const png = await maker.screenshot({ clip: { x: 0, y: 0, width: 600, height: 420 } });
    const cert = await upload(page, ids.materials as string, 'evidence.creditCertificate', '信用代码证.pdf', await pdfOf('信用代码证', 3), 'application/pdf');
    const contract = await upload(page, ids.materials as string, 'evidence.partnerDocuments.0', '服务合同.pdf', await pdfOf('服务合同', 2), 'application/pdf');
    const honour = await upload(page, ids.materials as string, 'evidence.honours.0', '荣誉证书.png', png, 'image/png');
    const video = await upload(page, ids.materials as string, 'video', '平台演示.mp4', mp4(), 'video/mp4');
    await save(page, ids.materials as string, { ...(data.materials as object), evidence: { creditCertificate: cert, partnerDocuments: [contract], honours: [honour] }, video });

    // the bound document
    await page.goto(`${env.base}/print/${PACK}`);
    await page.locator('[data-print-ready="true"]').waitFor({ timeout: 60_000 });
    const total = Number(await page.locator('.yp-print').getAttribute('data-pages'));
    expect(await page.locator('.yp-page').count()).toBe(total);
    // the applicant typed 10, 11, … (a guess): the view marks them, on screen only
    const issues = page.getByTestId('page-ref-issues');
    await issues.waitFor();
    expect(await issues.innerText()).toContain('序号1 规划与组织·规划（2分） · 佐证材料页码：填写“10”');
    await shot(page, 'print-01-issues', false);
    await page.locator('[data-print-form="scorecard"] .yp-page').first().screenshot({ path: join(RESULTS, 'print-02-scorecard-marked.png') });

    const file = join(RESULTS, 'print-whole-application.pdf');
    writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const info = execFileSync('pdfinfo', [file]).toString();
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(total);
    expect(info).toMatch(/Page size:\s+59\d(\.\d+)? x 84\d(\.\d+)? pts \(A4\)/);
    const text = pdfPages(file);
    expect(text.length).toBe(total);
    const on = (needle: string) => text.flatMap((p, i) => (p.includes(needle.replace(/\s+/g, '')) ? [i + 1] : []));

    // nothing is cut off at the foot of a page: on screen no page overflows, and in the PDF every
    // character of the long texts is there (a page's content is clipped, never pushed to a page of its own)
    const overflowing = await page.locator('.yp-page-body').evaluateAll((els) => els.filter((e) => e.scrollHeight > e.clientHeight + 1).length);
    expect(overflowing).toBe(0);
    const count = (hay: string, word: string) => hay.split(word).length - 1;
    for (const [name, word] of [['planning', '规划'], ['measures', '举措'], ['highlights', '亮点']] as const) {
      const source = materialsText.implementation[name] ?? '';
      expect(count(source, word)).toBeGreaterThan(100);
      expect(count(text.join(''), word), name).toBeGreaterThanOrEqual(count(source, word));
    }
    // every page carries its number and the total; nothing meant for the screen is printed
    text.forEach((p, i) => expect(p, `page ${i + 1}`).toContain(`第${i + 1}页共${total}页`));
    expect(text.join('')).not.toContain('填写：');

    // the contents: each entry's page is where its title (or the material's first page) really is
    const toc = await page.locator('[data-toc-anchor]').evaluateAll((els) =>
      els.map((e) => ({ anchor: e.getAttribute('data-toc-anchor') ?? '', pages: e.textContent ?? '', title: e.parentElement?.querySelector('.yp-toc-t')?.textContent ?? '' })),
    );
    const firstPage = (s: string) => Number(s.split(/[–、]/)[0]);
    for (const e of toc) {
      expect(e.pages, e.title).toMatch(/^\d/);
      if (e.anchor.startsWith('att:')) continue;
      const title = e.title.replace(/^附件\d\u3000/, '');
      expect(on(title).filter((n) => n > 1), e.title).toContain(firstPage(e.pages));
      expect(Math.min(...on(title).filter((n) => n > 1)), e.title).toBe(firstPage(e.pages));
    }
    const tocOf = (anchor: string) => toc.find((e) => e.anchor === anchor)?.pages;
    // the materials: each PDF page and the image a page of the document, where the contents say
    const certPages = on('信用代码证.pdf第');
    expect(certPages.length).toBe(3);
    expect(tocOf(`att:${cert}`)).toBe(fmt(certPages));
    certPages.forEach((n, i) => expect(text[n - 1]).toContain(`信用代码证.pdf第${i + 1}/3页`));
    const contractPages = on('服务合同.pdf第');
    expect(contractPages.length).toBe(2);
    expect(tocOf(`att:${contract}`)).toBe(fmt(contractPages));
    const honourPages = on('荣誉证书.png第');
    expect(honourPages.length).toBe(1);
    expect(tocOf(`att:${honour}`)).toBe(fmt(honourPages));
    // the video is listed with its duration (it goes in on the electronic copy)
    const videoPages = on('附：平台演示.mp4');
    expect(videoPages.length).toBe(1);
    expect(text[(videoPages[0] as number) - 1]).toContain('时长5分12秒');
    expect(tocOf(`att:${video}`)).toBe(fmt(videoPages));

    // where each material the scorecard names really is, read from the PDF
    const span = (from: string, to: string) => {
      const a = Math.min(...on(from));
      const b = Math.max(...on(to));
      return Array.from({ length: b - a + 1 }, (_, i) => a + i);
    };
    const where: Record<string, number[]> = {
      'materials.implementation.planning': span('（一）园区数字化建设的规划、内容和投资情况', '规划终点标记'),
      'materials.implementation.measures': span('（二）园区数字化管理、服务的应用和举措', '举措终点标记'),
      'materials.implementation.highlights': span('（三）园区数字化建设、管理、服务的特色亮点和成效', '亮点终点标记'),
      'materials.evidence.creditCertificate': certPages,
      'materials.evidence.partnerDocuments': contractPages,
      'materials.evidence.honours': honourPages,
      'materials.video': videoPages,
    };
    const schema = JSON.parse(readFileSync(join(root, 'schemas', PACK, 'forms', 'scorecard.schema.json'), 'utf8')) as {
      properties: { scores: { properties: Record<string, { properties: { page: { 'x-pages-of'?: string[] } } }> } };
    };
    const cells = new Map(
      (await page.locator('[data-page-ref]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-page-ref'), e.getAttribute('data-computed')] as const))).map(([k, v]) => [k, v]),
    );
    const scorecardPages = text.slice(firstPage(tocOf('scorecard') ?? '0') - 1, firstPage(tocOf('materials') ?? '0') - 1).join('');
    const items = Object.entries(schema.properties.scores.properties);
    expect(items.length).toBe(37);
    for (const [item, s] of items) {
      const refs = s.properties.page['x-pages-of'] ?? [];
      expect(refs.length, item).toBeGreaterThan(0);
      const expected = fmt(refs.flatMap((r) => where[r] ?? []));
      expect(cells.get(`scorecard.scores.${item}.page`), item).toBe(expected);
      expect(scorecardPages, item).toContain(expected);
    }
    recordMetric('print.boundDocument', { pages: total, tocEntries: toc.length });

    // the applicant corrects one item: its mark goes, the others stay
    const planning = cells.get('scorecard.scores.i01a.page') as string;
    const card = (await apiCall<{ data: { scores: Record<string, Record<string, unknown>> } }>(page, 'GET', `/api/submissions/${ids.scorecard}`)).body.data;
    await save(page, ids.scorecard as string, { ...card, scores: { ...card.scores, i01a: { ...card.scores.i01a, page: planning.replace('–', '-') } } });
    await page.reload();
    await page.locator('[data-print-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-page-ref="scorecard.scores.i01a.page"]').getAttribute('data-status')).toBe('ok');
    expect(await page.locator('[data-page-ref="scorecard.scores.i02.page"]').getAttribute('data-status')).toBe('mismatch');
    expect(await page.locator('[data-issue="scorecard.scores.i01a.page"]').count()).toBe(0);
    expect(await page.locator('[data-issue="scorecard.scores.i02.page"]').count()).toBe(1);
    await shot(page, 'print-03-whole-document');
    await checkPage(page, '整份申报材料', { overflow: false });
    // and the layout does not move for it: same pages, same numbers
    expect(Number(await page.locator('.yp-print').getAttribute('data-pages'))).toBe(total);
  });
});

