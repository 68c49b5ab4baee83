import { packMeaning, SECTION_LABELS, type MeaningOptions, type MeaningSection, type Statement } from './meaning.js';
import type { NoticePack } from './types.js';

/**
 * The semantic diff of two packs: what the notice says differently, one line per
 * changed threshold, maximum, cap, quota, date, option, rule or cohort-step setting,
 * compared on the packs' meaning (meaning.ts), not their files. A thing added or
 * removed is one line (its parts are not listed again); an item moved is one line;
 * items renumbered because one was inserted are one summary line.
 * The CLI (`yuanping diff`) and the web app's admin page both show this.
 */
export type DiffKind = 'added' | 'removed' | 'changed' | 'moved' | 'renumbered';

export interface DiffLine {
  section: MeaningSection;
  /** Chinese name of the section (基本信息, 参数, 名额 …) */
  sectionLabel: string;
  kind: DiffKind;
  /** the thing changed, in Chinese */
  subject: string;
  attribute?: string;
  before?: string;
  after?: string;
  /** the whole line, in Chinese */
  text: string;
}

export const DIFF_KIND_LABELS: Record<DiffKind, string> = {
  added: '新增',
  removed: '删除',
  changed: '修改',
  moved: '移动',
  renumbered: '重新编号',
};

interface Owner {
  section: MeaningSection;
  subject: string;
  attrs: Map<string, Statement>;
  order?: number;
  within: string[];
  first: number;
}

function owners(list: Statement[]): Map<string, Owner> {
  const out = new Map<string, Owner>();
  list.forEach((s, i) => {
    let o = out.get(s.owner);
    if (!o) {
      o = { section: s.section, subject: s.subject, attrs: new Map(), within: [], first: i };
      if (s.order !== undefined) o.order = s.order;
      out.set(s.owner, o);
    }
    o.attrs.set(s.key, s);
    for (const w of s.within ?? []) if (!o.within.includes(w)) o.within.push(w);
  });
  return out;
}

const SECTION_ORDER: MeaningSection[] = ['manifest', 'parameters', 'dates', 'quotas', 'items', 'forms', 'rules', 'cohort'];
const onlyDigitsDiffer = (a: string, b: string) => a !== b && a.replace(/\d+(\.\d+)?/g, '#') === b.replace(/\d+(\.\d+)?/g, '#');

/** Compare two meanings (packMeaning of the old and the new pack). */
export function diffMeanings(before: Statement[], after: Statement[]): DiffLine[] {
  const A = owners(before);
  const B = owners(after);
  const out: Array<DiffLine & { rank: number }> = [];
  const push = (o: Owner, rank: number, line: Omit<DiffLine, 'section' | 'sectionLabel'>) =>
    out.push({ section: o.section, sectionLabel: SECTION_LABELS[o.section], rank, ...line });
  const renumbered = new Map<MeaningSection, string[]>();

  for (const [id, o] of B) {
    const old = A.get(id);
    if (!old) {
      if (o.within.some((w) => B.has(w) && !A.has(w))) continue; // part of something added
      const parts = [...o.attrs.values()].filter((s) => s.key !== 'label' && s.key !== 'exists' && s.key !== 'title').map((s) => `${s.attribute} ${s.value}`);
      push(o, o.first, { kind: 'added', subject: o.subject, text: `新增${o.subject}${parts.length ? `（${parts.join('；')}）` : ''}` });
      continue;
    }
    const otherChange = [...o.attrs].some(([key, s]) => key !== 'label' && key !== 'exists' && key !== 'title' && old.attrs.get(key)?.value !== s.value);
    for (const [key, s] of o.attrs) {
      const was = old.attrs.get(key);
      if (was?.value === s.value) continue;
      // an expansion of something whose source did not change (a parameter or quota it refers to, a generated total): reported where it changed
      if (was && was.source !== undefined && was.source === s.source) continue;
      // a part of a scorecard item that only echoes the item's label: the item says it
      if (s.key === 'exists' && o.within.some((w) => w.startsWith('item:'))) continue;
      if (was && (key === 'label' || key === 'exists' || key === 'title') && onlyDigitsDiffer(was.value, s.value)) {
        if (otherChange) continue; // 评分项“…（4分）”：满分 3 → 4 already names it by its new label
        const list = renumbered.get(o.section) ?? [];
        list.push(`${was.value} → ${s.value}`);
        renumbered.set(o.section, list);
        continue;
      }
      const before = was?.value ?? '（无）';
      push(o, o.first, { kind: 'changed', subject: o.subject, attribute: s.attribute, before, after: s.value, text: `${o.subject}：${s.attribute} ${before} → ${s.value}` });
    }
    for (const [key, was] of old.attrs) {
      if (o.attrs.has(key)) continue;
      push(o, o.first, { kind: 'changed', subject: o.subject, attribute: was.attribute, before: was.value, after: '（无）', text: `${o.subject}：${was.attribute} ${was.value} → （无）` });
    }
  }
  for (const [id, o] of A) {
    if (B.has(id)) continue;
    if (o.within.some((w) => A.has(w) && !B.has(w))) continue; // part of something removed
    push(o, -1, { kind: 'removed', subject: o.subject, text: `删除${o.subject}` });
  }
  for (const line of moves(A, B)) out.push(line);
  for (const [section, list] of renumbered) {
    out.push({
      section,
      sectionLabel: SECTION_LABELS[section],
      rank: Number.MAX_SAFE_INTEGER,
      kind: 'renumbered',
      subject: `${list.length} 项`,
      text: `${list.length} 项的名称只有数字不同（序号、分值随增删项目改变，或年份随年度改变）：${list.slice(0, 3).join('；')}${list.length > 3 ? ' …' : ''}`,
    });
  }
  out.sort((x, y) => SECTION_ORDER.indexOf(x.section) - SECTION_ORDER.indexOf(y.section) || x.rank - y.rank);
  return out.map(({ rank: _rank, ...l }) => l);
}

/** Items whose place among the others changed: the fewest that explain the new order (outside a longest common subsequence). */
function moves(A: Map<string, Owner>, B: Map<string, Owner>): Array<DiffLine & { rank: number }> {
  const common = [...B.keys()].filter((k) => A.get(k)?.order !== undefined && B.get(k)?.order !== undefined);
  const seqA = [...common].sort((x, y) => A.get(x)!.order! - A.get(y)!.order!);
  const seqB = [...common].sort((x, y) => B.get(x)!.order! - B.get(y)!.order!);
  const n = seqA.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = n - 1; j >= 0; j--) dp[i]![j] = seqA[i] === seqB[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const keep = new Set<string>();
  for (let i = 0, j = 0; i < n && j < n; ) {
    if (seqA[i] === seqB[j]) {
      keep.add(seqA[i]!);
      i++;
      j++;
    } else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) i++;
    else j++;
  }
  const out: Array<DiffLine & { rank: number }> = [];
  seqB.forEach((id, j) => {
    if (keep.has(id)) return;
    const o = B.get(id)!;
    const prev = j > 0 ? B.get(seqB[j - 1]!)!.subject : undefined;
    const where = prev ? `移到${prev}之后` : '移到最前';
    out.push({ section: o.section, sectionLabel: SECTION_LABELS[o.section], rank: o.first, kind: 'moved', subject: o.subject, text: `${o.subject}：位置改变，${where}` });
  });
  return out;
}

/** The semantic diff of two loaded packs. */
export function diffPacks(a: NoticePack, b: NoticePack, opts: MeaningOptions = {}): DiffLine[] {
  return diffMeanings(packMeaning(a, opts), packMeaning(b, opts));
}

/** The diff as text, grouped by section: 【参数】 then one indented line per change. */
export function formatDiffText(lines: DiffLine[]): string {
  if (!lines.length) return '两个通知包的内容没有差别';
  const out: string[] = [];
  let section: MeaningSection | undefined;
  for (const l of lines) {
    if (l.section !== section) {
      section = l.section;
      out.push(`【${l.sectionLabel}】`);
    }
    out.push(`  ${l.text}`);
  }
  out.push(`共 ${lines.length} 处变化`);
  return out.join('\n');
}
