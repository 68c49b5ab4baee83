/**
 * The bound document's pagination, without the DOM: blocks of measured height packed onto A4
 * pages of a fixed content height. Each part (the cover with the contents, each form) starts on
 * a new page; a whole-page block (a page of a PDF material, an image) takes a page of its own;
 * a text block too long for the room left is split at a line (the caller gives a slice's height);
 * a heading stays with what follows; a row of a ruled table that continues on a new page gets
 * the table's header again and a top rule. Every block lists the anchors (form, field path,
 * attachment) it shows, so where each part, field and material lands is known: the contents'
 * page numbers and a page-number field's pages are read from `anchors`.
 */

export interface LayoutBlock {
  key: string;
  /** the part the block belongs to; a new part starts on a new page */
  part: number;
  /** 'page': fills one page by itself (a material page) */
  kind: 'flow' | 'page';
  anchors: readonly string[];
  /** measured height (px) of a flow block, without the top rule of a table row */
  height: number;
  keepWithNext?: boolean;
  /** a row of ruled table `table`: the first row of a table on a page needs the top rule */
  table?: string;
  /** the key of this table row's header row, repeated on a page where the table continues */
  header?: string;
  /** characters of splittable text in the block (absent: not splittable) */
  textLength?: number;
}

export interface Placed {
  key: string;
  /** for a split text block: the characters [from, to) on this page */
  slice?: [number, number];
  /** continues a block begun on an earlier page */
  cont?: boolean;
  /** first row of its table on this page: draw the top rule */
  first?: boolean;
}

export interface LaidPage {
  /** 1-based page number in the document */
  n: number;
  part: number;
  items: Placed[];
}

export interface Layout {
  pages: LaidPage[];
  /** anchor → the sorted page numbers where it appears */
  anchors: Map<string, number[]>;
}

export interface PackOptions {
  /** the content height of a page (px) */
  pageHeight: number;
  /** the top rule of the first table row on a page (px) */
  ruleHeight: number;
  /** height of characters [from, to) of a splittable block, as rendered (continuation: no first-line indent) */
  measureSlice(key: string, from: number, to: number, cont: boolean): number;
}

export function paginate(blocks: readonly LayoutBlock[], o: PackOptions): Layout {
  const pages: LaidPage[] = [];
  const byKey = new Map(blocks.map((b) => [b.key, b]));
  let page: LaidPage | null = null;
  let used = 0;
  let lastTable: string | undefined;
  const open = (part: number) => {
    page = { n: pages.length + 1, part, items: [] };
    pages.push(page);
    used = 0;
    lastTable = undefined;
  };
  const cur = (): LaidPage => page as unknown as LaidPage;
  const rule = (b: LayoutBlock) => (b.table !== undefined && lastTable !== b.table ? o.ruleHeight : 0);
  const put = (b: LayoutBlock, h: number, extra: Omit<Placed, 'key'> = {}) => {
    const first = b.table !== undefined && lastTable !== b.table;
    cur().items.push({ key: b.key, ...extra, ...(first ? { first: true } : {}) });
    used += h + (first ? o.ruleHeight : 0);
    lastTable = b.table;
  };
  /** a new page for the rest of `b`'s part; a table row gets its header first */
  const turn = (b: LayoutBlock) => {
    open(b.part);
    const head = b.header !== undefined && b.header !== b.key ? byKey.get(b.header) : undefined;
    if (head) put(head, head.height, { cont: true });
  };
  let part = -1;
  blocks.forEach((b, i) => {
    if (b.part !== part || !page) {
      part = b.part;
      open(b.part);
    }
    if (b.kind === 'page') {
      if (cur().items.length) open(b.part);
      cur().items.push({ key: b.key });
      used = Infinity; // nothing else on this page
      return;
    }
    if (used === Infinity) turn(b);
    if (b.textLength !== undefined && b.textLength > 0) {
      let from = 0;
      for (let guard = 0; guard < 10_000; guard++) {
        const cont = from > 0;
        const room = o.pageHeight - used - rule(b);
        const rest = o.measureSlice(b.key, from, b.textLength, cont);
        if (rest <= room) {
          put(b, rest, from === 0 ? {} : { slice: [from, b.textLength], cont: true });
          return;
        }
        // the most characters that fit in the room left (heights only grow with more text)
        let lo = 0;
        let hi = b.textLength - from;
        while (lo < hi) {
          const mid = Math.ceil((lo + hi) / 2);
          if (o.measureSlice(b.key, from, from + mid, cont) <= room) lo = mid;
          else hi = mid - 1;
        }
        if (lo === 0) {
          if (cur().items.length === 0 || (cur().items.length === 1 && b.header !== undefined)) {
            // not even one line fits an empty page: place the rest and let the page clip it
            put(b, room, { slice: [from, b.textLength], ...(cont ? { cont } : {}) });
            return;
          }
          turn(b);
          continue;
        }
        put(b, room, { slice: [from, from + lo], ...(cont ? { cont } : {}) });
        from += lo;
        turn(b);
      }
      return;
    }
    // a heading keeps the headings after it and the first line (or row) of what they head
    let keep = 0;
    for (let j = i; blocks[j]?.keepWithNext; j++) {
      const next = blocks[j + 1];
      if (!next || next.part !== b.part || next.kind === 'page') break;
      keep += next.textLength ? o.measureSlice(next.key, 0, 1, false) : next.height + (next.table !== undefined ? o.ruleHeight : 0);
      if (keep > o.pageHeight / 3) break;
    }
    if (used + rule(b) + b.height + keep > o.pageHeight && cur().items.length > 0) turn(b);
    put(b, b.height);
  });
  const anchors = new Map<string, number[]>();
  for (const p of pages) {
    for (const it of p.items) {
      for (const a of byKey.get(it.key)?.anchors ?? []) {
        const list = anchors.get(a) ?? [];
        if (list[list.length - 1] !== p.n) list.push(p.n);
        anchors.set(a, list);
      }
    }
  }
  return { pages, anchors };
}

/** Page numbers as written in a page-number cell: 5、8–10 (consecutive pages as a range). */
export function formatPages(pages: readonly number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    out.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return out.join('、');
}

/**
 * The pages an applicant typed: "12", "12-15", "第12—15页", "P3、5~6", "3,4". Null when the text
 * holds no page number at all (or a range runs backwards or absurdly far).
 */
export function parsePages(text: string): number[] | null {
  const t = text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const out = new Set<number>();
  const re = /(\d+)\s*(?:[-–—~～至到]+\s*(\d+))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a || b - a > 2000) return null;
    for (let p = a; p <= b; p++) out.add(p);
  }
  return out.size ? [...out].sort((x, y) => x - y) : null;
}

export function samePages(a: readonly number[], b: readonly number[]): boolean {
  const x = [...new Set(a)].sort((p, q) => p - q);
  const y = [...new Set(b)].sort((p, q) => p - q);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** The anchors of a field path in a form: the form, then each path prefix (`f`, `f.a`, `f.a.b`). */
export function anchorsOf(formId: string, path: string): string[] {
  const out = [formId];
  let cur = formId;
  for (const seg of path.split('.').filter(Boolean)) {
    cur = `${cur}.${seg}`;
    out.push(cur);
  }
  return out;
}

/** The material references of an `x-pages-of` keyword: `<form id>` or `<form id>.<field path>`. */
export function pageRefsOf(keyword: unknown): string[] {
  const list = typeof keyword === 'string' ? [keyword] : Array.isArray(keyword) ? keyword : [];
  return list.filter((r): r is string => typeof r === 'string' && r.trim() !== '').map((r) => r.trim());
}
