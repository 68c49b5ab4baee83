/**
 * The checks every journey runs on each page it opens (`await checkPage(page, '名称')`):
 *
 * - accessibility: axe-core (injected into the page) finds no serious or critical violation;
 * - Chinese only: the page's visible text, and the names screen readers read (aria-label,
 *   title, placeholder, alt), hold no Latin word outside a short allowlist (units, grade
 *   letters, file types, file names), so no pack hash, rule-set id, role id or English
 *   label of a component library reaches a user (the text of a file as written — the expert
 *   mode's JSON, inside `[data-source-text]` — is the file, not the page's words; the names of
 *   the editor's own elements are still checked);
 * - phone: nothing is wider than the window, except inside a container that scrolls
 *   sideways (a table, the grid).
 *
 * A failure names the page and every offender, so one run shows everything that is wrong.
 */
import { createRequire } from 'node:module';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS as RESULTS_DIR } from '../../apps/web/e2e/browser.js';
import type { Page } from './support.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Latin words a Chinese page may show: units, grade letters, file types, formats, well-known abbreviations. */
export const LATIN_ALLOWLIST: readonly string[] = [
  // grade and level letters, ordinals written with letters
  'A', 'B', 'C', 'D', 'E', 'S',
  // units
  'm', 'km', 'cm', 'mm', 'kg', 't', 'kW', 'kWh', 'MW', 'KB', 'MB', 'GB', 'h', 'min', 's', 'ms',
  // file types and formats
  'xlsx', 'xls', 'csv', 'CSV', 'pdf', 'PDF', 'Excel', 'doc', 'docx', 'jpg', 'jpeg', 'png', 'JPG', 'PNG', 'mp4', 'MP4', 'MOV', 'AVI', 'zip', 'ZIP', 'JSON', 'json', 'Word',
  // abbreviations that are the ordinary Chinese way of writing these things
  'GDP', 'ID', 'IT', 'AI', 'APP', 'App', 'Tab', 'Enter', 'Esc', 'Ctrl', 'Shift', 'Delete', 'Backspace',
];

export interface CheckOptions {
  /** Latin words this page may show besides the allowlist (data a test typed, e.g. a user name). */
  allowLatin?: readonly string[];
  /** Axe rules to leave out on this page, each with the reason in the calling test. */
  skipAxeRules?: readonly string[];
  /** Check that nothing is wider than the window (default: yes). */
  overflow?: boolean;
  /**
   * A known, not yet fixed defect of this page (the reason, in Chinese, naming the issue): its
   * problems are written to test-results/page-checks.txt and printed instead of failing the
   * journey. Every use is listed by `grep -rn knownDefect test/e2e` and in the issue's note.
   */
  knownDefect?: string;
}

export interface PageProblems {
  axe: string[];
  latin: string[];
  overflow: string[];
}

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}

/** axe-core's serious and critical violations, one line per rule with up to three of its elements. */
export async function axeProblems(page: Page, skip: readonly string[] = []): Promise<string[]> {
  const has = await page.evaluate(() => 'axe' in window);
  if (!has) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (disabled: string[]) => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: unknown[] }> } };
    const rules = Object.fromEntries(disabled.map((r) => [r, { enabled: false }]));
    const r = await w.axe.run(document, { resultTypes: ['violations'], rules });
    return JSON.parse(JSON.stringify(r.violations)) as unknown[];
  }, [...skip]);
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}（${v.help}）：${v.nodes.slice(0, 3).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary?.split('\n').slice(1, 2).join(' ').trim() ?? ''}`).join('；')}${v.nodes.length > 3 ? `；…共 ${v.nodes.length} 处` : ''}`);
}

/** Latin words in the visible text and the accessible names of the page, outside the allowlist. */
export async function latinProblems(page: Page, allow: readonly string[] = []): Promise<string[]> {
  const texts = await page.evaluate(() => {
    // the text of a file as written (an editor's JSON, marked data-source-text) is the file, not the page's words
    let body = document.body.innerText;
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('[data-source-text]'))) body = body.replace(el.innerText, ' ');
    const out: string[] = [body];
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 || r.height > 0 || el.getClientRects().length > 0;
    };
    for (const el of Array.from(document.body.querySelectorAll('[aria-label], [title], [placeholder], img[alt]'))) {
      if (el.closest('[aria-hidden="true"]') && !el.hasAttribute('placeholder')) continue;
      if (!visible(el)) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  });
  const ok = new Set([...LATIN_ALLOWLIST, ...allow]);
  const found = new Map<string, string>();
  for (const text of texts) {
    // file names (演示.xlsx, 材料-1.pdf) and numbers with units or exponents are not words
    // and key combinations (Ctrl+V) are how the keys are written on the keyboard
    const cleaned = text
      .replace(/[\w\u4e00-\u9fff\-（）()]+\.(xlsx|xls|csv|pdf|docx?|jpe?g|png|mp4|zip)\b/gi, ' ')
      .replace(/\b(Ctrl|Shift|Alt|Cmd)\+[A-Za-z0-9]+/g, ' ')
      // a web address is an address, not words (a link printed on the paper copy)
      .replace(/\bhttps?:\/\/[^\s，。；、）)]+/g, ' ');
    for (const m of cleaned.matchAll(/[A-Za-z0-9][A-Za-z0-9_-]*/g)) {
      // a number's unit (10kg, 5MB) is the unit
      const w = m[0].replace(/^[\d_-]+/, '');
      if (!w || ok.has(w)) continue;
      // one capital letter is a code (a grade, a letter a code excludes: “不含 I、O、Z、S、V”), not a word
      if (/^[A-Z]$/.test(w)) continue;
      // capitals and digits together, with a digit, are a code (a park code ZJ330106001, a unified
      // social credit code 91330106MA2H…), not a word; a word in capitals alone (DRAFT) still counts
      if (/^[A-Z0-9]+$/.test(m[0]) && /\d/.test(m[0])) continue;
      if (!found.has(w)) {
        const at = (m.index ?? 0) + m[0].length - w.length;
        found.set(w, cleaned.slice(Math.max(0, at - 20), at + w.length + 20).replace(/\s+/g, ' '));
      }
    }
  }
  return [...found].map(([w, ctx]) => `「${w}」在「${ctx}」`);
}

/** Elements that reach past the window's right edge without a sideways-scrolling container around them. */
export async function overflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el: Element | null): boolean => {
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        if ((s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') && e.clientWidth < e.scrollWidth + 1) {
          if (e.getBoundingClientRect().right <= width + 1) return true;
        }
      }
      return false;
    };
    const out: string[] = [];
    // a bar of fixed height whose content does not fit spills over the page below it
    for (const bar of Array.from(document.querySelectorAll('header, [role="banner"]'))) {
      if (bar.scrollHeight > bar.clientHeight + 1) out.push(`页头内容高 ${bar.scrollHeight}px，超出页头 ${bar.clientHeight}px，盖住了页面`);
    }
    if (document.documentElement.scrollWidth > width + 1) out.push(`页面宽 ${document.documentElement.scrollWidth}px，窗口宽 ${width}px`);
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1) continue;
      const s = getComputedStyle(el);
      if (s.position === 'fixed' || s.visibility === 'hidden') continue;
      if (scrolls(el.parentElement)) continue;
      // report the outermost offender only
      const parent = el.parentElement;
      if (parent && parent !== document.body && parent.getBoundingClientRect().right > width + 1 && !scrolls(parent.parentElement)) continue;
      const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 2).join('.')}` : '');
      out.push(`${name} 右缘 ${Math.round(r.right)}px`);
      if (out.length > 8) break;
    }
    return out;
  });
}

/** All problems of the page as it is now. */
/**
 * Waits until no finite CSS animation or transition is running (a date picker fading out after
 * Enter, a modal zooming in), so the checks see the page as it settles, not a frame of its motion:
 * axe measured a closing popup's half-transparent days as a contrast failure. Endless animations
 * (spinners, skeletons) are not waited for.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document
        .getAnimations()
        .filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity).length === 0,
    undefined,
    { timeout: 60_000, polling: 100 },
  );
}

export async function pageProblems(page: Page, opts: CheckOptions = {}): Promise<PageProblems> {
  await settled(page);
  return {
    axe: await axeProblems(page, opts.skipAxeRules),
    latin: await latinProblems(page, opts.allowLatin),
    overflow: opts.overflow === false ? [] : await overflowProblems(page),
  };
}

/**
 * The page's problems (serious/critical axe violations, Latin words outside the allowlist, sideways
 * overflow) fail the journey, naming the page and every offender. `E2E_CHECKS=report` (for a
 * survey of many pages in one run) writes them to test-results/page-checks.txt and prints them
 * instead.
 */
export async function checkPage(page: Page, name: string, opts: CheckOptions = {}): Promise<void> {
  const p = await pageProblems(page, opts);
  const lines = [
    ...p.axe.map((l) => `无障碍：${l}`),
    ...p.latin.map((l) => `英文：${l}`),
    ...p.overflow.map((l) => `超出窗口：${l}`),
  ];
  if (!lines.length) return;
  const text = `页面「${name}」（${page.url()}，${page.viewportSize()?.width ?? '?'}px 宽）有 ${lines.length} 个问题：\n${lines.join('\n')}`;
  if (process.env.E2E_CHECKS !== 'report' && !opts.knownDefect) throw new Error(text);
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(join(RESULTS_DIR, 'page-checks.txt'), (opts.knownDefect ? `已知缺陷：${opts.knownDefect}\n` : '') + text + '\n\n');
  console.warn(text);
}
