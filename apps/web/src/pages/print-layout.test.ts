import { describe, expect, it } from 'vitest';
import { anchorsOf, formatPages, pageRefsOf, paginate, parsePages, samePages, type LayoutBlock } from './print-layout.js';

const flow = (key: string, part: number, height: number, more: Partial<LayoutBlock> = {}): LayoutBlock => ({ key, part, kind: 'flow', anchors: [key], height, ...more });
/** text of `len` characters, 10 per line, 20 px a line */
const lines = (from: number, to: number) => Math.ceil((to - from) / 10) * 20;
const opts = { pageHeight: 100, ruleHeight: 1, measureSlice: (_k: string, from: number, to: number) => lines(from, to) };

describe('paginate', () => {
  it('starts each part on a new page and packs flow blocks', () => {
    const l = paginate([flow('cover', 0, 90), flow('a', 1, 40), flow('b', 1, 40), flow('c', 1, 40), flow('d', 2, 10)], opts);
    expect(l.pages.map((p) => p.items.map((i) => i.key))).toEqual([['cover'], ['a', 'b'], ['c'], ['d']]);
    expect(l.anchors.get('c')).toEqual([3]);
  });

  it('gives a whole-page block a page of its own', () => {
    const l = paginate([flow('h', 0, 10), { key: 'p1', part: 0, kind: 'page', anchors: ['m'], height: 0 }, { key: 'p2', part: 0, kind: 'page', anchors: ['m'], height: 0 }, flow('after', 0, 10)], opts);
    expect(l.pages.map((p) => p.items.map((i) => i.key))).toEqual([['h'], ['p1'], ['p2'], ['after']]);
    expect(l.anchors.get('m')).toEqual([2, 3]);
  });

  it('splits long text at a line and records every page it covers', () => {
    const l = paginate([flow('h', 0, 30), flow('t', 0, 0, { textLength: 95 })], opts);
    // 30 px used: 3 lines (30 characters) fit on page 1, 5 lines on page 2, the last 15 characters on page 3
    expect(l.pages.map((p) => p.items)).toEqual([
      [{ key: 'h' }, { key: 't', slice: [0, 30] }],
      [{ key: 't', slice: [30, 80], cont: true }],
      [{ key: 't', slice: [80, 95], cont: true }],
    ]);
    expect(l.anchors.get('t')).toEqual([1, 2, 3]);
  });

  it('keeps a heading with the first line of what follows', () => {
    const l = paginate([flow('x', 0, 75), flow('h', 0, 10, { keepWithNext: true }), flow('t', 0, 0, { textLength: 10 })], opts);
    expect(l.pages.map((p) => p.items.map((i) => i.key))).toEqual([['x'], ['h', 't']]);
  });

  it('repeats a table header and draws the top rule where a table continues', () => {
    const rows = [flow('head', 0, 20, { table: 't' }), ...[1, 2, 3, 4, 5].map((n) => flow(`r${n}`, 0, 20, { table: 't', header: 'head' }))];
    const l = paginate(rows, opts);
    expect(l.pages.map((p) => p.items)).toEqual([
      [{ key: 'head', first: true }, { key: 'r1' }, { key: 'r2' }, { key: 'r3' }],
      [{ key: 'head', cont: true, first: true }, { key: 'r4' }, { key: 'r5' }],
    ]);
  });
});

describe('page numbers', () => {
  it('formats consecutive pages as ranges', () => {
    expect(formatPages([7, 5, 6, 12, 9, 9])).toBe('5–7、9、12');
    expect(formatPages([])).toBe('');
  });
  it('reads what applicants type', () => {
    expect(parsePages('12')).toEqual([12]);
    expect(parsePages('12-15')).toEqual([12, 13, 14, 15]);
    expect(parsePages('第 3—4 页、P7，９')).toEqual([3, 4, 7, 9]);
    expect(parsePages('见附件')).toBeNull();
    expect(parsePages('15-12')).toBeNull();
    expect(samePages([3, 4], [4, 3, 3])).toBe(true);
    expect(samePages([3], [3, 4])).toBe(false);
  });
  it('names anchors and references', () => {
    expect(anchorsOf('m', 'a.b')).toEqual(['m', 'm.a', 'm.a.b']);
    expect(pageRefsOf(['m.a', ' ', 3, 'n'])).toEqual(['m.a', 'n']);
    expect(pageRefsOf('m')).toEqual(['m']);
  });
});
