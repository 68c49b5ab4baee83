import type { CohortStep, NumberOrParam } from './meta/cohort-step.schema.js';
import { buildCondition as build, setComputed, type Condition } from './logic.js';
import { getField, type CohortRecord } from './fields.js';
import { asNumber, fmt, fmtFixed, pct, roundTo, type Rounding } from './numbers.js';
import { compareNumbers } from '@yuanping/core/browser';
import {
  CohortConfigError,
  type BreakdownItem,
  type CohortCapResult,
  type CohortGroupResult,
  type CohortRecordResult,
  type CohortResult,
  type OrgUnit,
  type RunCohortOptions,
} from './types.js';

type Indicator = NonNullable<CohortStep['score']>['indicators'][number];
type Level = NonNullable<CohortStep['grades']>['levels'][number];
type SortValue = number | string | undefined;

interface Work {
  index: number;
  record: CohortRecord;
  out: CohortRecordResult;
  /** raw indicator values (after growth), aligned with step.score.indicators */
  values: (number | null)[];
  /** primary rank value, then tie-break values */
  sortKeys: SortValue[];
  ranked: boolean;
  /**
   * Explanation lines: plain strings for rare events, block codes (L_*) for the common ones. The
   * text is rendered from the stored decisions on the first read of `out.explanation`, so a
   * 100,000-record run does not build a million strings nobody reads.
   */
  flags: number;
  notes?: [phase: number, text: string][];
  /** position among the group's quota competitors (0-based) */
  pos?: number;
  cap?: { meta: CapMeta; index: number };
  rewardPos?: number;
  /** population bounds used for this record's indicators */
  bounds?: { min: number; max: number }[] | undefined;
}

const L_SCORE = 1;
const L_RANK = 2;
const L_GRADE = 4;
const L_CAP = 8;
const L_REWARD = 16;
/** phases of the plain-text notes: where they appear among the rendered blocks */
const P_START = 0;
const P_BEFORE_GRADE = 2;
const P_CAP = 3;
const P_REWARD = 4;

interface CapMeta {
  title: string;
  capWord: string;
  cap: number;
  n: number;
  tieNote: string;
}

/** Renderers of the block codes, filled in as the phases run. */
interface Renderers {
  breakdown?: (w: Work) => BreakdownItem[];
  score?: (w: Work) => string[];
  rank?: (w: Work) => string;
  grade: Map<string, (w: Work) => string>;
  reward?: (w: Work) => string;
}

function renderLines(w: Work, r: Renderers): string[] {
  const out: string[] = [];
  const notes = (phase: number): void => {
    for (const [p, t] of w.notes ?? []) if (p === phase) out.push(t);
  };
  notes(P_START);
  if (w.flags & L_SCORE && r.score) out.push(...r.score(w));
  if (w.flags & L_RANK && r.rank) out.push(r.rank(w));
  notes(P_BEFORE_GRADE);
  if (w.flags & L_GRADE) out.push(r.grade.get(w.out.group)?.(w) ?? '');
  notes(P_CAP);
  if (w.flags & L_CAP && w.cap) out.push(renderCap(w.cap.meta, w.cap.index));
  notes(P_REWARD);
  if (w.flags & L_REWARD && r.reward) out.push(r.reward(w));
  return out;
}

/** The result of one record; `explanation` is rendered on first read (and by JSON.stringify). */
class RecordResult implements CohortRecordResult {
  key: string;
  group: string;
  label?: string;
  score?: number;
  bonus?: number;
  rank?: number;
  grade?: string;
  seat?: number;
  reward?: number;
  selected?: boolean;
  excluded?: { id: string; reason: string };
  vetoed?: { id: string; reason: string };
  exempt?: { id: string; reason: string };
  #work: Work | undefined;
  #renderers: Renderers | undefined;
  #cache: string[] | undefined;
  #breakdown: BreakdownItem[] | undefined;

  constructor(key: string, group: string) {
    this.key = key;
    this.group = group;
  }

  bind(work: Work, renderers: Renderers): void {
    this.#work = work;
    this.#renderers = renderers;
  }

  get explanation(): string[] {
    if (!this.#cache) this.#cache = this.#work && this.#renderers ? renderLines(this.#work, this.#renderers) : [];
    return this.#cache;
  }

  set explanation(v: string[]) {
    this.#cache = v;
  }

  get breakdown(): BreakdownItem[] {
    if (!this.#breakdown) this.#breakdown = this.#work && this.#renderers?.breakdown ? this.#renderers.breakdown(this.#work) : [];
    return this.#breakdown;
  }

  set breakdown(v: BreakdownItem[]) {
    this.#breakdown = v;
  }

  toJSON(): CohortRecordResult {
    return { ...this, breakdown: this.breakdown, explanation: this.explanation };
  }

  /** Lets go of the rendered explanation and breakdown (rendered again if read again). */
  forget(): void {
    this.#cache = undefined;
    this.#breakdown = undefined;
  }
}

/**
 * Lets go of a record's rendered explanation and breakdown once they have been written out (a
 * large run writes its records in batches and need not keep every explanation); read again, they
 * are rendered again. Records not made by runCohortStep are left as they are.
 */
export function forgetRendered(r: CohortRecordResult): void {
  if (r instanceof RecordResult) r.forget();
}

function renderCap(m: CapMeta, i: number): string {
  return i < m.n
    ? `${m.title}：${m.capWord}，本记录在本单位列第 ${i + 1} 位，入选。`
    : `${m.title}：${m.capWord}，本记录在本单位列第 ${i + 1} 位，${m.tieNote && i < m.cap ? m.tieNote : '超出名额'}，未入选。`;
}

/** The data a condition is evaluated on: the record itself, or a copy with `$` when the condition reads it. */
function test(cond: Condition, w: Work): boolean {
  if (!cond.usesComputed) return cond(w.record);
  setComputed({ score: w.out.score ?? null, bonus: w.out.bonus ?? 0 });
  const r = cond(w.record);
  setComputed(undefined);
  return r;
}

function say(w: Work, text: string, phase = P_START): void {
  (w.notes ??= []).push([phase, text]);
}


const ORDER_WORD = { desc: '从高到低', asc: '从低到高' } as const;

export function runCohortStep(step: CohortStep, records: readonly CohortRecord[], options: RunCohortOptions = {}): CohortResult {
  const parameters = options.parameters ?? {};
  const orgNames = new Map<string, OrgUnit>((options.orgUnits ?? []).map((u) => [u.code, u]));
  const warnings: string[] = [];

  const param: ParamFn = (v: NumberOrParam | undefined, pointer: string, what: string): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'number') return v;
    const value = parameters[v.param];
    const n = asNumber(value);
    if (n === undefined) {
      throw new CohortConfigError(
        'COHORT_PARAM_MISSING',
        `${what}引用的包参数“${v.param}”未设置或不是数字（当前值：${JSON.stringify(value) ?? '未设置'}）`,
        pointer,
      );
    }
    return n;
  };
  param.parameters = parameters;
  const orgName = (code: string): string => orgNames.get(code)?.name ?? code;
  const units = orgIndex(options.orgUnits ?? []);
  const renderers: Renderers = { grade: new Map() };

  // ---------- prepare records ----------
  const works: Work[] = records.map((record, index) => {
    const keyValue = getField(record, step.key);
    const key = keyValue === undefined || keyValue === null || keyValue === '' ? `#${index + 1}` : String(keyValue);
    const labelValue = step.label ? getField(record, step.label) : undefined;
    const groupValues = (step.grades?.groupBy ?? []).map((f) => {
      const v = getField(record, f);
      if (v === undefined || v === null) return '（空）';
      const level = step.grades?.rollUp?.[f];
      return orgName(level ? upTo(units, String(v), level) : String(v));
    });
    const out = new RecordResult(key, groupValues.length ? groupValues.join(' / ') : '');
    if (labelValue !== undefined && labelValue !== null) out.label = String(labelValue);
    const w: Work = { index, record, out, values: [], sortKeys: [], ranked: false, flags: 0 };
    out.bind(w, renderers);
    if (keyValue === undefined || keyValue === null || keyValue === '') {
      exclude(w, 'missing-key', `缺少主键字段“${step.key}”的值`);
    }
    return w;
  });

  // ---------- exclusions and vetoes ----------
  const levelCodes = new Set((step.grades?.levels ?? []).map((l) => l.grade));
  const exclusions = (step.exclusions ?? []).map((e, i) => {
    if (e.action === 'grade' && (!e.grade || !levelCodes.has(e.grade))) {
      throw new CohortConfigError('COHORT_BAD_GRADE', `一票否决“${e.id}”给定的档次“${e.grade ?? ''}”不在 grades.levels 中`, `/exclusions/${i}/grade`);
    }
    return { e, cond: build(e.when, parameters) };
  });
  for (const w of works) {
    if (w.out.excluded) continue;
    for (const { e, cond } of exclusions) {
      if (!test(cond, w)) continue;
      if (e.action === 'grade' && e.grade) {
        w.out.vetoed = { id: e.id, reason: e.reason };
        w.out.grade = e.grade;
        say(w, `一票否决：${e.reason}，直接定为 ${levelTitle(step, e.grade)}，不占名额。`);
      } else {
        exclude(w, e.id, e.reason);
      }
      break;
    }
  }

  // ---------- scoring ----------
  const score = step.score;
  if (score) renderers.score = scoreAll(step, works, param, warnings, renderers);

  // ---------- ranking ----------
  const rank: NonNullable<CohortStep['rank']> = step.rank ?? {};
  const primaryOrder = rank.order ?? 'desc';
  const tieBreak = rank.tieBreak ?? [];
  const orders: ('asc' | 'desc')[] = [primaryOrder, ...tieBreak.map((t) => t.order ?? 'desc')];
  const hasRanking = Boolean(rank.field) || Boolean(score);
  const precision = score?.precision ?? 2;
  const primaryName = rank.title ? `“${rank.title}”` : rank.field ? `“${rank.field}”` : '总分';
  if (!hasRanking && (step.grades || step.caps || step.rewards)) {
    throw new CohortConfigError('COHORT_NO_RANKING', '分档、限额或奖励需要排名依据：请声明 score（计分）或 rank.field（排名字段）', '/rank');
  }
  if (hasRanking) {
    for (const w of works) {
      if (w.out.excluded || w.out.vetoed) continue;
      const primary = rank.field ? asNumber(getField(w.record, rank.field)) : w.out.score;
      if (primary === undefined) {
        exclude(w, 'missing-rank-value', `排名字段“${rank.field ?? 'score'}”没有数值，无法排名`);
        continue;
      }
      w.sortKeys = [primary, ...tieBreak.map((t) => sortable(getField(w.record, t.field)))];
      w.ranked = true;
    }
  }
  const cmpFull = (a: Work, b: Work): number => compareKeys(a.sortKeys, b.sortKeys, orders);
  const sameFull = (a: Work, b: Work): boolean => compareKeys(a.sortKeys, b.sortKeys, orders) === 0;
  const samePrimary = (a: Work, b: Work): boolean => a.sortKeys[0] === b.sortKeys[0];
  const byRank = (list: Work[]): Work[] =>
    list.sort((a, b) => cmpFull(a, b) || (a.out.key < b.out.key ? -1 : a.out.key > b.out.key ? 1 : a.index - b.index));

  // group records (grades.groupBy; one group when not grouped)
  const groups = new Map<string, Work[]>();
  for (const w of works) {
    const list = groups.get(w.out.group);
    if (list) list.push(w);
    else groups.set(w.out.group, [w]);
  }

  const groupResults: CohortGroupResult[] = [];
  const rankedCount = new Map<string, number>();
  const tb = tieBreak.length ? `，同分依次比较 ${tieBreak.map((t) => `${t.title ?? t.field}（${ORDER_WORD[t.order ?? 'desc']}）`).join('、')}` : '';
  renderers.rank = (w) => {
    const shown = typeof w.sortKeys[0] === 'number' ? fmtFixed(w.sortKeys[0], rank.field ? 2 : precision) : '';
    const inGroup = w.out.group ? `在“${w.out.group}”组内` : '';
    return `${inGroup}按${primaryName}${ORDER_WORD[primaryOrder]}排名第 ${w.out.rank ?? ''} 名（共 ${rankedCount.get(w.out.group) ?? 0} 个参与排名；${primaryName} ${shown}${tb}）。`;
  };
  for (const [groupName, members] of groups) {
    const ranked = byRank(members.filter((w) => w.ranked));
    const inGroup = groupName ? `在“${groupName}”组内` : '';
    let r = 0;
    rankedCount.set(groupName, ranked.length);
    ranked.forEach((w, i) => {
      const prev = ranked[i - 1];
      if (!prev || !sameFull(prev, w)) r = i + 1;
      w.out.rank = r;
      w.flags |= L_RANK;
    });
    void inGroup;
    if (step.grades) {
      groupResults.push(gradeGroup(step, step.grades, groupName, members, ranked, param, {
        samePrimary,
        sameFull,
        precision,
        primaryName,
        renderers,
      }));
    } else {
      groupResults.push({
        group: groupName,
        size: members.length,
        base: ranked.length,
        seats: {},
        counts: {},
        exempt: 0,
        excluded: members.filter((w) => w.out.excluded).length,
      });
    }
  }

  // ---------- caps per org unit ----------
  let caps: CohortCapResult[] | undefined;
  if (step.caps) caps = applyCaps(step, step.caps, works, param, options.orgUnits ?? [], byRank, sameFull);

  // ---------- rewards ----------
  let rewardTotal: number | undefined;
  if (step.rewards) {
    const rw = step.rewards;
    const unit = rw.unit ?? '';
    const amounts = (rw.byPosition ?? []).map((a, i) => param(a, `/rewards/byPosition/${i}`, `第 ${i + 1} 名奖励`) ?? 0);
    const otherwise = param(rw.otherwise, '/rewards/otherwise', '其余奖励');
    const grades = new Set(rw.grades);
    const pools = new Map<string, Work[]>();
    for (const w of works) {
      if (!w.ranked || !w.out.grade || !grades.has(w.out.grade) || w.out.vetoed) continue;
      const k = (rw.scope ?? 'all') === 'group' ? w.out.group : '';
      const list = pools.get(k);
      if (list) list.push(w);
      else pools.set(k, [w]);
    }
    rewardTotal = 0;
    renderers.reward = (w) => {
      const position = w.rewardPos ?? 0;
      const amount = w.out.reward ?? 0;
      const scopeWord = (rw.scope ?? 'all') === 'group' && w.out.group ? `“${w.out.group}”组` : '';
      return amounts[position - 1] !== undefined
        ? `奖励：在${scopeWord}获奖档次（${rw.grades.join('、')}）中列第 ${position} 位，奖励 ${fmt(amount)}${unit}。`
        : `奖励：在${scopeWord}获奖档次（${rw.grades.join('、')}）中列第 ${position} 位（前 ${amounts.length} 位以外），奖励 ${fmt(amount)}${unit}。`;
    };
    for (const [, pool] of pools) {
      byRank(pool);
      let pos = 0;
      pool.forEach((w, i) => {
        const prev = pool[i - 1];
        if (!prev || !sameFull(prev, w)) pos = i + 1;
        const byPos = amounts[pos - 1];
        const amount = byPos ?? otherwise;
        const scopeWord = (rw.scope ?? 'all') === 'group' && w.out.group ? `“${w.out.group}”组` : '';
        if (amount === undefined) {
          say(w, `奖励：在${scopeWord}获奖档次（${rw.grades.join('、')}）中列第 ${pos} 位，无对应奖励金额。`, P_REWARD);
          return;
        }
        w.out.reward = amount;
        rewardTotal = (rewardTotal ?? 0) + amount;
        w.rewardPos = pos;
        w.flags |= L_REWARD;
      });
    }
  }

  // ---------- distribution ----------
  const distribution: Record<string, number> = {};
  for (const l of step.grades?.levels ?? []) distribution[l.grade] = 0;
  distribution.excluded = 0;
  for (const w of works) {
    if (w.out.excluded) distribution.excluded = (distribution.excluded ?? 0) + 1;
    else if (w.out.grade) distribution[w.out.grade] = (distribution[w.out.grade] ?? 0) + 1;
  }

  const result: CohortResult = { stepId: step.id, records: works.map((w) => w.out), groups: groupResults, distribution, warnings };
  if (caps) result.caps = caps;
  if (rewardTotal !== undefined) {
    result.rewardTotal = roundTo(rewardTotal, 6);
    result.rewardUnit = step.rewards?.unit ?? '';
  }
  return result;
}

/** Org units by code and by name (a table often holds the county's name, not its code). */
function orgIndex(units: OrgUnit[]): Map<string, OrgUnit> {
  const m = new Map<string, OrgUnit>();
  for (const u of units) if (!m.has(u.name)) m.set(u.name, u);
  for (const u of units) m.set(u.code, u);
  return m;
}

/** The code of the ancestor of `codeOrName` at `level` (itself if it is at that level); unknown → unchanged. */
function upTo(index: Map<string, OrgUnit>, codeOrName: string, level: string): string {
  let u = index.get(codeOrName);
  const seen = new Set<string>();
  while (u && u.level !== level && u.parent && !seen.has(u.code)) {
    seen.add(u.code);
    u = index.get(u.parent);
  }
  return u && u.level === level ? u.code : codeOrName;
}

function exclude(w: Work, id: string, reason: string): void {
  w.out.excluded = { id, reason };
  w.ranked = false;
  w.out.rank = undefined;
  w.out.grade = undefined;
  say(w, `不参评：${reason}。`);
}

function levelTitle(step: CohortStep, grade: string): string {
  const l = step.grades?.levels.find((x) => x.grade === grade);
  return l?.title ?? `${grade} 档`;
}

function sortable(v: unknown): SortValue {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** Compare sort keys; missing values always sort last, whatever the order. */
function compareKeys(a: SortValue[], b: SortValue[], orders: ('asc' | 'desc')[]): number {
  for (let i = 0; i < orders.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    let c: number;
    if (typeof x === 'number' && typeof y === 'number') c = x - y;
    else c = String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    if (c !== 0) return orders[i] === 'asc' ? c : -c;
  }
  return 0;
}

// ======================================================================
// scoring by the efficacy coefficient method
// ======================================================================

type ParamFn = ((v: NumberOrParam | undefined, pointer: string, what: string) => number | undefined) & { parameters: Record<string, unknown> };

function scoreAll(
  step: CohortStep,
  works: Work[],
  param: ParamFn,
  warnings: string[],
  renderers: Renderers,
): ((w: Work) => string[]) | undefined {
  const score = step.score;
  if (!score) return undefined;
  const precision = score.precision ?? 2;
  const indicators = score.indicators;

  // 1. raw values (with growth), missing policy
  for (const w of works) {
    if (w.out.excluded) continue;
    for (const ind of indicators) {
      const cur = asNumber(getField(w.record, ind.field));
      let value: number | null = cur ?? null;
      let problem: string | undefined;
      if (cur === undefined) problem = `“${ind.title}”（${ind.field}）缺少数值`;
      if (ind.growth && cur !== undefined) {
        const prev = asNumber(getField(w.record, ind.growth.previous));
        if (prev === undefined) {
          problem = `“${ind.title}”的上年值（${ind.growth.previous}）缺少数值`;
          value = null;
        } else if ((ind.growth.kind ?? 'rate') === 'rate') {
          if (prev <= 0) {
            problem = `“${ind.title}”的上年值为 ${fmt(prev)}，不能计算增长率`;
            value = null;
          } else value = (cur - prev) / prev;
        } else value = cur - prev;
      }
      if (problem) {
        if ((ind.missing ?? 'exclude') === 'zero') {
          say(w, `${problem}，按 0 计。`);
          value = 0;
        } else {
          exclude(w, 'missing-value', problem);
          break;
        }
      }
      w.values.push(value);
    }
  }
  const scored = works.filter((w) => !w.out.excluded);

  // 2. population bounds per indicator (over the populationGroupBy scope)
  const popKey = (w: Work): string => (score.populationGroupBy ?? []).map((f) => String(getField(w.record, f) ?? '')).join('\u0000');
  const popBounds = new Map<string, { min: number; max: number }[]>();
  if (indicators.some((i) => (i.method ?? 'standard') === 'population')) {
    for (const w of scored) {
      const k = popKey(w);
      let b = popBounds.get(k);
      if (!b) {
        b = indicators.map(() => ({ min: Infinity, max: -Infinity }));
        popBounds.set(k, b);
      }
      w.values.forEach((v, i) => {
        const bi = b?.[i];
        if (bi && v !== null) {
          if (v < bi.min) bi.min = v;
          if (v > bi.max) bi.max = v;
        }
      });
    }
  }

  // 3. fixed parameters per indicator
  const fixed = indicators.map((ind, i) => {
    const p = `/score/indicators/${i}`;
    const weight = param(ind.weight, `${p}/weight`, `指标“${ind.title}”的权重`) ?? 0;
    let clampMin: number | undefined;
    let clampMax: number | undefined;
    if (ind.clamp === true) {
      clampMin = 60;
      clampMax = 100;
    } else if (ind.clamp && typeof ind.clamp === 'object') {
      clampMin = param(ind.clamp.min, `${p}/clamp/min`, `指标“${ind.title}”的下限`);
      clampMax = param(ind.clamp.max, `${p}/clamp/max`, `指标“${ind.title}”的上限`);
    }
    let xh: number | undefined;
    let xs: number | undefined;
    if ((ind.method ?? 'standard') === 'standard') {
      xh = param(ind.satisfactory, `${p}/satisfactory`, `指标“${ind.title}”的满意值`);
      xs = param(ind.unacceptable, `${p}/unacceptable`, `指标“${ind.title}”的不允许值`);
      if (xh === undefined || xs === undefined) {
        throw new CohortConfigError('COHORT_EFFICACY_BOUNDS', `指标“${ind.title}”使用满意值/不允许值方法，但没有给出 satisfactory 和 unacceptable`, p);
      }
      if (xh === xs) throw new CohortConfigError('COHORT_EFFICACY_BOUNDS', `指标“${ind.title}”的满意值与不允许值相等（${xh}），无法计算功效分`, p);
      const reverse = (ind.direction ?? 'positive') === 'reverse';
      if (reverse && xh > xs) {
        throw new CohortConfigError('COHORT_EFFICACY_DIRECTION', `逆向指标“${ind.title}”的满意值（${xh}）应小于不允许值（${xs}）`, p);
      }
      if (!reverse && xh < xs) {
        throw new CohortConfigError('COHORT_EFFICACY_DIRECTION', `正向指标“${ind.title}”的满意值（${xh}）应大于不允许值（${xs}）`, p);
      }
    }
    return { ind, weight, clampMin, clampMax, xh, xs };
  });

  // 4. bonus items
  const bonus = score.bonus;
  const bonusItems = (bonus?.items ?? []).map((b, i) => {
    const p = `/score/bonus/items/${i}`;
    return {
      b,
      cond: b.when !== undefined ? build(b.when, param.parameters) : undefined,
      points: param(b.points, `${p}/points`, `加分项“${b.title}”的分值`),
      perUnit: param(b.perUnit, `${p}/perUnit`, `加分项“${b.title}”的每单位分值`) ?? 1,
      cap: param(b.cap, `${p}/cap`, `加分项“${b.title}”的上限`),
    };
  });
  const bonusCap = param(bonus?.cap, '/score/bonus/cap', '加分合计上限');

  // 5. per record: numbers only; the breakdown objects are built on first read (buildBreakdown)
  type Fixed = (typeof fixed)[number];
  const dOf = (f: Fixed, x: number, b: { min: number; max: number } | undefined): number => {
    const d0 = efficacy(f.ind, x, f, b);
    return f.clampMin !== undefined && d0 < f.clampMin ? f.clampMin : f.clampMax !== undefined && d0 > f.clampMax ? f.clampMax : d0;
  };
  const bonusOf = (bi: (typeof bonusItems)[number], w: Work): { pts: number; value: number | null; hit: boolean | undefined } => {
    let pts = 0;
    let value: number | null = null;
    let hit: boolean | undefined;
    if (bi.cond) {
      hit = test(bi.cond, w);
      if (hit) pts = bi.points ?? 0;
    } else if (bi.b.field) {
      const v = asNumber(getField(w.record, bi.b.field));
      value = v ?? null;
      if (v !== undefined) pts = v * bi.perUnit;
    }
    if (bi.cap !== undefined && pts > bi.cap) pts = bi.cap;
    return { pts, value, hit };
  };
  const noGroups = !(score.populationGroupBy ?? []).length;
  for (const w of scored) {
    let total = 0;
    const bounds = popBounds.get(noGroups ? '' : popKey(w));
    w.bounds = bounds;
    for (let i = 0; i < fixed.length; i++) {
      const f = fixed[i] as Fixed;
      total += dOf(f, w.values[i] ?? 0, bounds?.[i]) * f.weight;
    }
    let bonusTotal = 0;
    for (const bi of bonusItems) bonusTotal += bonusOf(bi, w).pts;
    if (bonusCap !== undefined && bonusTotal > bonusCap) bonusTotal = bonusCap;
    const rounded = roundTo(total + bonusTotal, precision);
    w.out.score = rounded;
    if (bonusItems.length) w.out.bonus = roundTo(bonusTotal, 6);
    w.flags |= L_SCORE;
  }
  if (scored.length === 0 && works.length > 0) warnings.push('没有可计分的记录');

  const buildBreakdown = (w: Work): BreakdownItem[] => {
    const items: BreakdownItem[] = [];
    if (w.out.score === undefined) return items;
    fixed.forEach((f, i) => {
      const x = w.values[i] ?? 0;
      const b = w.bounds?.[i];
      const reverse = (f.ind.direction ?? 'positive') === 'reverse';
      const population = (f.ind.method ?? 'standard') === 'population';
      const xh = population ? (reverse ? (b?.min ?? x) : (b?.max ?? x)) : (f.xh ?? 0);
      const xs = population ? (reverse ? (b?.max ?? x) : (b?.min ?? x)) : (f.xs ?? 0);
      const d0 = efficacy(f.ind, x, f, b);
      const d = dOf(f, x, b);
      const item: BreakdownItem = {
        kind: 'indicator',
        id: f.ind.id,
        title: f.ind.title,
        value: x,
        satisfactory: xh,
        unacceptable: xs,
        d: roundTo(d, 6),
        weight: f.weight,
        contribution: roundTo(d * f.weight, 6),
      };
      if (f.ind.growth) {
        item.current = asNumber(getField(w.record, f.ind.field)) ?? null;
        item.previous = asNumber(getField(w.record, f.ind.growth.previous)) ?? null;
      }
      if (d !== d0) item.note = `功效分 ${fmt(d0)} 超出 [${f.clampMin ?? '−∞'}, ${f.clampMax ?? '+∞'}]，取 ${fmt(d)}`;
      items.push(item);
    });
    for (const bi of bonusItems) {
      const r = bonusOf(bi, w);
      const item: BreakdownItem = { kind: 'bonus', id: bi.b.id, title: bi.b.title, value: r.value, contribution: roundTo(r.pts, 6) };
      if (r.hit !== undefined) item.note = r.hit ? '条件成立' : '条件不成立';
      items.push(item);
    }
    return items;
  };

  renderers.breakdown = buildBreakdown;
  const byId = new Map(fixed.map((f) => [f.ind.id, f]));
  const bonusById = new Map(bonusItems.map((b) => [b.b.id, b]));
  return (w: Work): string[] => {
    const lines: string[] = [];
    let weighted = 0;
    let bonusSum = 0;
    for (const b of w.out.breakdown) {
      if (b.kind === 'indicator') {
        const f = byId.get(b.id);
        if (!f) continue;
        weighted += b.contribution;
        const x = b.value ?? 0;
        const valueText =
          f.ind.growth && (f.ind.growth.kind ?? 'rate') === 'rate'
            ? `增长率 ${fmt(x * 100)}%（本年 ${fmt(b.current ?? 0)}，上年 ${fmt(b.previous ?? 0)}）`
            : f.ind.growth
              ? `增量 ${fmt(x)}（本年 ${fmt(b.current ?? 0)}，上年 ${fmt(b.previous ?? 0)}）`
              : `值 ${fmt(x, 4)}`;
        const reverse = (f.ind.direction ?? 'positive') === 'reverse';
        const population = (f.ind.method ?? 'standard') === 'population';
        const xh = b.satisfactory ?? 0;
        const xs = b.unacceptable ?? 0;
        const asRate = Boolean(f.ind.growth) && (f.ind.growth?.kind ?? 'rate') === 'rate';
        const show = (v: number): string => (asRate ? `${fmt(v * 100)}%` : fmt(v, 4));
        const boundsText = population
          ? `本群体${reverse ? '最小值' : '最大值'} ${show(xh)} 为满意值、${reverse ? '最大值' : '最小值'} ${show(xs)} 为不允许值`
          : `满意值 ${show(xh)}，不允许值 ${show(xs)}`;
        lines.push(
          `指标“${f.ind.title}”：${valueText}；${reverse ? '逆向指标，' : ''}${boundsText}；功效分 ${fmt(b.d ?? 0)}${b.note ? `（${b.note}）` : ''} × 权重 ${fmt(f.weight, 4)} = ${fmt(b.contribution)}。`,
        );
      } else {
        const bi = bonusById.get(b.id);
        if (!bi) continue;
        bonusSum += b.contribution;
        let why: string;
        let uncapped = b.contribution;
        if (b.note) why = b.note;
        else if (b.value === null) why = `“${bi.b.field ?? ''}”无数值，按 0 计`;
        else {
          uncapped = b.value * bi.perUnit;
          why = `${fmt(b.value, 4)} × ${fmt(bi.perUnit, 4)}`;
        }
        if (uncapped > b.contribution) why += `，超过本项上限 ${fmt(b.contribution)}，取 ${fmt(b.contribution)}`;
        lines.push(`加分项“${bi.b.title}”：${why}，加 ${fmt(b.contribution)} 分。`);
      }
    }
    const bonusFinal = w.out.bonus ?? 0;
    if (bonusItems.length && bonusSum > bonusFinal + 1e-9) {
      lines.push(`加分合计 ${fmt(bonusSum)} 超过上限 ${fmt(bonusFinal)}，按 ${fmt(bonusFinal)} 计。`);
    }
    lines.push(
      `总分 = 加权功效分 ${fmt(weighted)}${bonusItems.length ? ` + 加分 ${fmt(bonusFinal)}` : ''} = ${fmtFixed(w.out.score ?? 0, precision)}（保留 ${precision} 位小数）。`,
    );
    return lines;
  };
}

function efficacy(
  ind: Indicator,
  x: number,
  f: { xh?: number | undefined; xs?: number | undefined },
  bounds: { min: number; max: number } | undefined,
): number {
  const reverse = (ind.direction ?? 'positive') === 'reverse';
  if ((ind.method ?? 'standard') === 'population') {
    const min = bounds?.min ?? x;
    const max = bounds?.max ?? x;
    // every value equal: everyone reaches the satisfactory value
    if (max === min) return 100;
    const xh = reverse ? min : max;
    const xs = reverse ? max : min;
    return 60 + (40 * (x - xs)) / (xh - xs);
  }
  const xh = f.xh ?? 0;
  const xs = f.xs ?? 0;
  return 60 + (40 * (x - xs)) / (xh - xs);
}

// ======================================================================
// grades by quota
// ======================================================================

interface GradeHelpers {
  samePrimary: (a: Work, b: Work) => boolean;
  sameFull: (a: Work, b: Work) => boolean;
  precision: number;
  primaryName: string;
  renderers: Renderers;
}

function gradeGroup(
  step: CohortStep,
  grades: NonNullable<CohortStep['grades']>,
  groupName: string,
  members: Work[],
  ranked: Work[],
  param: ParamFn,
  h: GradeHelpers,
): CohortGroupResult {
  const levels = grades.levels;
  const inGroup = groupName ? `“${groupName}”组` : '';
  // exemptions
  const exemptions = (grades.exemptions ?? []).map((e) => ({ e, cond: build(e.when, param.parameters) }));
  const competitors: Work[] = [];
  let exemptCount = 0;
  for (const w of ranked) {
    const hit = exemptions.find((x) => test(x.cond, w));
    if (hit) {
      w.out.exempt = { id: hit.e.id, reason: hit.e.reason };
      w.out.grade = hit.e.grade;
      exemptCount++;
      say(w, `豁免：${hit.e.reason}，定为 ${levelTitle(step, hit.e.grade)}，不占该档名额${(grades.base ?? 'graded') === 'graded' ? '，也不计入名额基数' : '，但计入名额基数'}。`, P_BEFORE_GRADE);
    } else competitors.push(w);
  }
  const vetoed = members.filter((w) => w.out.vetoed).length;
  const excluded = members.filter((w) => w.out.excluded).length;
  const baseMode = grades.base ?? 'graded';
  const base =
    baseMode === 'graded' ? competitors.length : baseMode === 'participants' ? competitors.length + exemptCount + vetoed : members.length;
  const baseWord = { graded: '参与竞争名额的记录数', participants: '获得档次的记录数（含豁免、一票否决）', all: '组内全部记录数（含不参评）' }[baseMode];

  // score lines (minScore): the primary ranking value must reach a level's line to enter it
  const asc = (step.rank?.order ?? 'desc') === 'asc';
  const lines = levels.map((l, i) =>
    l.minScore === undefined ? null : { v: param(l.minScore, `/grades/levels/${i}/minScore`, `${l.grade} 档分数线`) ?? 0, inclusive: l.inclusive ?? true },
  );
  const lined = lines.some((x) => x !== null);
  const reaches = (w: Work, i: number): boolean => {
    const line = lines[i];
    if (!line) return true;
    const v = w.sortKeys[0];
    if (typeof v !== 'number') return false;
    const c = compareNumbers(v, line.v) * (asc ? -1 : 1);
    return line.inclusive ? c >= 0 : c > 0;
  };
  const lineText = (i: number): string => {
    const line = lines[i];
    if (!line) return '';
    return `${h.primaryName}${asc ? '不高于' : '不低于'} ${fmt(line.v, 4)}${line.inclusive ? '（含）' : '（不含本数）'}`;
  };

  // seats per level and cumulative boundaries
  const seats: Record<string, number> = {};
  const seatText: Record<string, string> = {};
  const boundaries: number[] = [];
  /** a level with a score line and no share: as many seats as reach the line */
  const unlimited = (l: Level, i: number) => i < levels.length - 1 && l.share === undefined && l.minScore !== undefined;
  let cum = 0;
  levels.forEach((l: Level, i) => {
    const last = i === levels.length - 1;
    let s: number;
    if (unlimited(l, i)) {
      s = competitors.length;
      seatText[l.grade] = `不限名额`;
    } else if (last) {
      s = Math.max(0, base - cum);
      seatText[l.grade] = `剩余 ${s} 个`;
    } else {
      const share = param(l.share, `/grades/levels/${i}/share`, `${l.grade} 档比例`) ?? 0;
      const mode: Rounding = l.rounding ?? 'floor';
      const raw = roundTo(share * base, 6);
      s = Math.min(Math.max(0, roundTo(share * base, 0, mode)), Math.max(0, base - cum));
      seatText[l.grade] = `${base} × ${pct(share)} = ${fmt(raw, 4)}，${{ floor: '向下取整', round: '四舍五入', ceil: '向上取整' }[mode]}得 ${s} 个`;
    }
    seats[l.grade] = s;
    if (!unlimited(l, i)) cum += s;
    boundaries.push(Math.min(cum, competitors.length));
  });
  const lastBoundaryIndex = boundaries.length - 1;
  boundaries[lastBoundaryIndex] = competitors.length; // the last grade takes the remainder

  // move boundaries out of tie groups
  const ties = grades.ties ?? 'same-grade-lower';
  const tied = ties === 'by-tiebreak' ? h.sameFull : h.samePrimary;
  const moved: { boundary: number; from: number; to: number; start: number; stop: number }[] = [];
  /** per level with a score line: where the line cut its range short (records from there on did not reach it) */
  const lineCut: Array<number | null> = levels.map(() => null);
  let prevEnd = 0;
  for (let i = 0; i < lastBoundaryIndex; i++) {
    // with score lines each level takes its own seats from where the one above ended (unused seats of a
    // level above are not passed down); without, the cumulative boundaries of the shares
    const l = levels[i] as Level;
    let end = lined ? Math.min(competitors.length, prevEnd + (seats[l.grade] ?? 0)) : Math.max(boundaries[i] ?? 0, prevEnd);
    if (lines[i]) {
      let cut = prevEnd;
      while (cut < competitors.length && reaches(competitors[cut] as Work, i)) cut++;
      if (cut < end) {
        end = cut;
        lineCut[i] = cut;
      }
    }
    const a0 = competitors[end - 1];
    const b0 = competitors[end];
    if (end > prevEnd && end < competitors.length && a0 && b0 && tied(a0, b0)) {
      let start = end - 1;
      while (start > prevEnd && tied(competitors[start - 1] as Work, b0)) start--;
      let stop = end;
      while (stop < competitors.length && tied(competitors[stop] as Work, a0)) stop++;
      const to = ties === 'same-grade-upper' ? stop : start;
      moved.push({ boundary: i, from: end, to, start, stop });
      end = to;
    }
    boundaries[i] = end;
    prevEnd = end;
  }

  // assign
  const counts: Record<string, number> = {};
  for (const l of levels) counts[l.grade] = 0;
  let start = 0;
  levels.forEach((l, i) => {
    const end = Math.max(boundaries[i] ?? 0, start);
    for (let p = start; p < end; p++) {
      const w = competitors[p] as Work;
      w.out.grade = l.grade;
      w.out.seat = p - start + 1;
      w.pos = p;
      w.flags |= L_GRADE;
      counts[l.grade] = (counts[l.grade] ?? 0) + 1;
    }
    start = end;
  });
  // a level without a seat count (score line only, or the rest under score lines) has the seats it filled
  levels.forEach((l, i) => {
    if (unlimited(l, i) || (lined && i === levels.length - 1)) seats[l.grade] = counts[l.grade] ?? 0;
  });
  /** how a tie at a seat boundary moved the record at position `p` (given level `l`), or null */
  const tieText = (p: number, l: Level, shown: string): string | null => {
    const tie = moved.findLast((m) => p >= m.start && p < m.stop);
    if (!tie) return null;
    const upperLevel = levels[tie.boundary];
    const lowerLevel = levels[tie.boundary + 1];
    const n = tie.stop - tie.start;
    const fullTie = ties === 'by-tiebreak' ? '且同分比较字段也完全相同' : '';
    if (tie.to > tie.from) {
      return `${levelTitle(step, upperLevel?.grade ?? '')}名额边界落在 ${n} 个同分记录（${h.primaryName} ${shown}${fullTie}）之间；按“同分进入较高档”（same-grade-upper）规则全部进入 ${levelTitle(step, l.grade)}，该档超出名额 ${tie.to - tie.from} 个`;
    }
    return `${levelTitle(step, upperLevel?.grade ?? '')}名额边界落在 ${n} 个同分记录（${h.primaryName} ${shown}${fullTie}）之间；按“同分不拆档、进入较低档”规则全部进入 ${levelTitle(step, lowerLevel?.grade ?? l.grade)}`;
  };
  h.renderers.grade.set(groupName, (w: Work): string => {
    const p = w.pos ?? 0;
    const start = p - (w.out.seat ?? 1) + 1;
    const i = levels.findIndex((x) => x.grade === w.out.grade);
    const l = levels[i] as Level;
    if (lined) {
      // score lines: which lines above it the record missed or reached with the seats full, then its own
      const shown = typeof w.sortKeys[0] === 'number' ? fmtFixed(w.sortKeys[0], h.precision) : String(w.sortKeys[0]);
      const parts = [`分档：${inGroup}按分数线${levels.some((x, j) => !unlimited(x, j) && j < levels.length - 1) ? `和名额（名额基数为${baseWord} ${base}）` : ''}分档，本记录${h.primaryName} ${shown}`];
      for (let j = 0; j < i; j++) {
        const above = levels[j] as Level;
        if (lines[j] && !reaches(w, j)) parts.push(`未达到${levelTitle(step, above.grade)}分数线（${lineText(j)}）`);
        else parts.push(`${lines[j] ? `达到${levelTitle(step, above.grade)}分数线（${lineText(j)}），但` : ''}${levelTitle(step, above.grade)}名额（${seatText[above.grade]}）已满`);
      }
      if (lines[i]) parts.push(`达到${levelTitle(step, l.grade)}分数线（${lineText(i)}）${unlimited(l, i) ? '，该档不限名额' : `，在该档名额（${seatText[l.grade]}）之内，占第 ${p - start + 1} 个`}`);
      else if (i === levels.length - 1) parts.push(`定为${levelTitle(step, l.grade)}（最后一档，取其余记录）`);
      else parts.push(`在${levelTitle(step, l.grade)}名额（${seatText[l.grade]}）之内，占第 ${p - start + 1} 个`);
      const tie = tieText(p, l, shown);
      if (tie) parts.push(tie);
      return `${parts.join('；')}。`;
    }
    {
      const parts = [`分档：${inGroup}名额基数为${baseWord} ${base}；${levelTitle(step, l.grade)}名额 ${seatText[l.grade]}`];
      parts.push(`本记录在竞争名额的记录中列第 ${p + 1} 位，占 ${levelTitle(step, l.grade)}第 ${p - start + 1} 个名额`);
      const shown = typeof w.sortKeys[0] === 'number' ? fmtFixed(w.sortKeys[0], h.precision) : String(w.sortKeys[0]);
      const tie = tieText(p, l, shown);
      if (tie) parts.push(tie);
      return `${parts.join('；')}。`;
    }
  });
  for (const w of members) {
    if ((w.out.exempt || w.out.vetoed) && w.out.grade) counts[w.out.grade] = (counts[w.out.grade] ?? 0) + 1;
  }
  return { group: groupName, size: members.length, base, seats, counts, exempt: exemptCount, excluded };
}

// ======================================================================
// caps per org unit
// ======================================================================

function applyCaps(
  step: CohortStep,
  caps: NonNullable<CohortStep['caps']>,
  works: Work[],
  param: ParamFn,
  orgUnits: OrgUnit[],
  byRank: (list: Work[]) => Work[],
  sameFull: (a: Work, b: Work) => boolean,
): CohortCapResult[] {
  const units = new Map(orgUnits.map((u) => [u.code, u]));
  const index = orgIndex(orgUnits);
  const rollUp = (code: string): string => (caps.rollUp ? upTo(index, code, caps.rollUp) : code);
  const def = param(caps.default, '/caps/default', '默认名额') ?? 0;
  const overrides = new Map<string, number>();
  for (const [code, v] of Object.entries(caps.overrides ?? {})) {
    overrides.set(code, param(v as NumberOrParam, `/caps/overrides/${code}`, `单位 ${code} 的名额`) ?? def);
  }
  const when = caps.when !== undefined ? build(caps.when, param.parameters) : undefined;
  const grades = caps.grades ? new Set(caps.grades) : undefined;
  const title = caps.title ?? '推荐';
  const pools = new Map<string, Work[]>();
  for (const w of works) {
    if (!w.ranked && !w.out.vetoed) continue;
    if (w.out.excluded) continue;
    const reasons: string[] = [];
    if (!w.ranked) reasons.push('未参与排名');
    if (grades && (!w.out.grade || !grades.has(w.out.grade))) reasons.push(`档次 ${w.out.grade ?? '无'} 不在 ${[...grades].join('、')} 之内`);
    if (when && !test(when, w)) reasons.push('不满足参与条件');
    if (reasons.length) {
      w.out.selected = false;
      say(w, `${title}：不参与（${reasons.join('；')}）。`, P_CAP);
      continue;
    }
    const raw = getField(w.record, caps.field);
    const code = rollUp(raw === undefined || raw === null ? '' : String(raw));
    const list = pools.get(code);
    if (list) list.push(w);
    else pools.set(code, [w]);
  }
  const out: CohortCapResult[] = [];
  for (const [code, pool] of pools) {
    byRank(pool);
    const cap = overrides.get(code) ?? def;
    const name = units.get(code)?.name ?? (code || '（无单位）');
    let n = Math.min(cap, pool.length);
    // never split records that are fully tied at the cap boundary: the whole tie stays out
    let tieNote = '';
    if (n > 0 && n < pool.length && sameFull(pool[n - 1] as Work, pool[n] as Work)) {
      const last = pool[n] as Work;
      let s = n - 1;
      while (s > 0 && sameFull(pool[s - 1] as Work, last)) s--;
      tieNote = `第 ${s + 1}–${n} 位与名额外的记录完全同分，同分不拆分，均不${title}`;
      n = s;
    }
    const meta: CapMeta = {
      title,
      capWord: overrides.has(code) ? `${name}名额 ${cap}（单独规定）` : `${name}名额 ${cap}（默认）`,
      cap,
      n,
      tieNote,
    };
    pool.forEach((w, i) => {
      w.out.selected = i < n;
      w.cap = { meta, index: i };
      w.flags |= L_CAP;
    });
    out.push({ unit: code, name, cap, candidates: pool.length, selected: n });
  }
  void step;
  return out.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
}
