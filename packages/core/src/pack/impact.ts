/**
 * The impact preview: which submissions' outcomes (level, eligibility, score) change when
 * evaluated under another version of the pack — e.g. last year's stored submissions under this
 * year's draft — each with the before and after and the explanation of the difference (the
 * criteria whose result changed, with the actual and required values of each side). Rule sets
 * are matched by id; each is evaluated in columnar batches (`CompiledRuleSet.evaluateBatch`), the
 * explanation is built only for the submissions whose outcome changed.
 */
import { compileRuleSet } from '../rules/evaluate.js';
import type { CriterionResult, Evaluation } from '../rules/types.js';
import type { NoticePack } from './types.js';

export interface ImpactSubmission {
  id: string;
  /** what a person calls it (the park's name) */
  label: string;
  /** the submission's data by form id */
  forms: Record<string, unknown>;
}

export interface ImpactChange {
  submission: string;
  label: string;
  ruleSet: string;
  ruleSetTitle: string;
  kind: 'level' | 'eligibility' | 'score';
  before: string;
  after: string;
  /** the criteria whose result differs, as sentences (实际 … ，要求 …) */
  reasons: string[];
}

export interface ImpactReport {
  submissions: number;
  /** rule sets compared (present in both versions) */
  ruleSets: Array<{ id: string; title: string; evaluated: number; changed: number }>;
  /** rule sets of the new version without a counterpart in the old one (not compared) */
  newRuleSets: string[];
  changes: ImpactChange[];
  /** submissions a rule set could not evaluate (both sides), with the reason */
  failures: Array<{ submission: string; ruleSet: string; message: string }>;
}

export interface ImpactOptions {
  /** called after each batch: submissions done (over all rule sets) and the total */
  onProgress?: (done: number, total: number) => void;
  /** scorecards counted by the applicant's own scores (default) or the reviewers' (both versions alike) */
  scoreBasis?: 'self' | 'reviewer';
  /** batch size (default 2,000) */
  batch?: number;
}

function outcomeText(e: Evaluation): string {
  const o = e.outcome;
  if (o.kind === 'score') return `${o.score} 分`;
  return o.label;
}

function criterionText(c: CriterionResult | undefined, fallback: string): string {
  if (!c) return `${fallback}：（该版本没有这一条）`;
  if (!c.applicable) return `${c.label}：不适用`;
  const checks = c.checks.map((k) => `${k.label} 实际 ${k.actualText}，要求 ${k.requiredText}`).join('；');
  return `${c.label}：${c.passed ? '满足' : '不满足'}${checks ? `（${checks}）` : ''}`;
}

/** The differences between two evaluations of the same data, as sentences. */
export function explainDifference(before: Evaluation, after: Evaluation): string[] {
  const out: string[] = [];
  const all = (e: Evaluation) => new Map([...e.criteria, ...e.errors].map((c) => [c.rule, c]));
  const b = all(before);
  const a = all(after);
  for (const id of new Set([...b.keys(), ...a.keys()])) {
    const x = b.get(id);
    const y = a.get(id);
    const state = (c: CriterionResult | undefined) => (c ? `${c.applicable}:${c.passed}:${c.checks.map((k) => `${k.requiredText}|${k.actualText}`).join(',')}` : '');
    if (state(x) === state(y)) continue;
    if (x?.passed === y?.passed && x?.applicable === y?.applicable && x && y) continue; // same result, only a threshold moved
    const name = (y ?? x)!.label;
    out.push(`${name}——之前 ${criterionText(x, name)}；现在 ${criterionText(y, name)}`);
  }
  const bo = before.outcome;
  const ao = after.outcome;
  if (bo.kind === 'score' && ao.kind === 'score') {
    const items = new Map(bo.items.map((i) => [i.id, i]));
    for (const it of ao.items) {
      const was = items.get(it.id);
      if (!was) out.push(`新增评分项“${it.label}”：计 ${it.counted} 分（满分 ${it.max}）`);
      else if (was.counted !== it.counted || was.max !== it.max) out.push(`评分项“${it.label}”：${was.counted} 分（满分 ${was.max}）→ ${it.counted} 分（满分 ${it.max}）`);
      items.delete(it.id);
    }
    for (const it of items.values()) out.push(`删去评分项“${it.label}”：原计 ${it.counted} 分`);
    const groups = new Map(bo.groupDetails.map((g) => [g.id, g]));
    for (const g of ao.groupDetails) {
      const was = groups.get(g.id);
      if (was && was.cap !== g.cap) out.push(`${g.label}上限：${was.cap ?? '无'} → ${g.cap ?? '无'}`);
    }
  }
  return out;
}

/** Evaluate every submission under both versions and list those whose outcome changes. */
export function impactOf(before: NoticePack, after: NoticePack, subs: readonly ImpactSubmission[], opts: ImpactOptions = {}): ImpactReport {
  const size = opts.batch ?? 2000;
  const evalOpts = opts.scoreBasis ? { scoreBasis: opts.scoreBasis } : {};
  const pairs = [...after.ruleSets.keys()].filter((id) => before.ruleSets.has(id));
  const newRuleSets = [...after.ruleSets.keys()].filter((id) => !before.ruleSets.has(id));
  const work = pairs.map((id) => {
    const form = after.ruleSets.get(id)!.ruleSet.form;
    const oldForm = before.ruleSets.get(id)!.ruleSet.form;
    const members = subs.filter((s) => s.forms[form] !== undefined || s.forms[oldForm] !== undefined);
    return { id, form, oldForm, members };
  });
  const total = work.reduce((n, w) => n + w.members.length, 0);
  let done = 0;
  const report: ImpactReport = { submissions: subs.length, ruleSets: [], newRuleSets, changes: [], failures: [] };
  for (const w of work) {
    const rsBefore = compileRuleSet(before, w.id);
    const rsAfter = compileRuleSet(after, w.id);
    const title = rsAfter.ruleSet.title;
    let changed = 0;
    for (let start = 0; start < w.members.length; start += size) {
      const chunk = w.members.slice(start, start + size);
      const inB = chunk.map((s) => s.forms[w.oldForm] ?? s.forms[w.form]);
      const inA = chunk.map((s) => s.forms[w.form] ?? s.forms[w.oldForm]);
      let bb: ReturnType<typeof rsBefore.evaluateBatch> | null = null;
      let ab: ReturnType<typeof rsAfter.evaluateBatch> | null = null;
      try {
        bb = rsBefore.evaluateBatch(inB, evalOpts);
        ab = rsAfter.evaluateBatch(inA, evalOpts);
      } catch {
        // a batch that fails as a whole: one by one, so the failing submissions are named
      }
      chunk.forEach((s, i) => {
        try {
          const qb = bb ? bb.quick(i) : rsBefore.quick(inB[i], evalOpts);
          const qa = ab ? ab.quick(i) : rsAfter.quick(inA[i], evalOpts);
          const same = qb.level === qa.level && qb.eligible === qa.eligible && qb.score === qa.score;
          if (same) return;
          const eb = qb.explain();
          const ea = qa.explain();
          changed++;
          report.changes.push({
            submission: s.id,
            label: s.label,
            ruleSet: w.id,
            ruleSetTitle: title,
            kind: ea.outcome.kind,
            before: outcomeText(eb),
            after: outcomeText(ea),
            reasons: explainDifference(eb, ea),
          });
        } catch (e) {
          report.failures.push({ submission: s.id, ruleSet: w.id, message: e instanceof Error ? e.message : String(e) });
        }
      });
      done += chunk.length;
      opts.onProgress?.(done, total);
    }
    report.ruleSets.push({ id: w.id, title, evaluated: w.members.length, changed });
  }
  return report;
}
