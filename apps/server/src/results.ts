/**
 * The decided result of an application, in words: the province's decision with what the rule
 * sets established (the level reached, eligibility, the score), as the applicant's home and the
 * application page show it (评定结果：三星级).
 */
import type { PackLike } from './engine.js';

/** Decisions that end an application (the province's). */
export const DECIDED = ['approved', 'rejected'];

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What each rule set established, in words ("三星级", "符合条件", "得分 86"), from its outcome. */
export function outcomeTexts(pack: PackLike, outcomes: unknown): string[] {
  if (!isObj(outcomes)) return [];
  const out: string[] = [];
  for (const [id, entry] of pack.ruleSets) {
    const o = outcomes[id];
    if (!isObj(o)) continue;
    const decl = entry.ruleSet.outcome;
    if (decl.kind === 'level') {
      const level = typeof o.level === 'string' ? decl.levels.find((l) => l.id === o.level) : undefined;
      out.push(level ? level.label : (decl.noneLabel ?? '未达到等级'));
    } else if (decl.kind === 'eligibility' && typeof o.eligible === 'boolean') {
      out.push(o.eligible ? '符合条件' : '不符合条件');
    } else if (decl.kind === 'score' && typeof o.score === 'number') {
      out.push(`得分 ${o.score}`);
    }
  }
  return out;
}

/** The decided result of a submission, or null while it is not decided. */
export function decidedResult(pack: PackLike, s: { status: string; outcomes?: unknown }): { decided: true; approved: boolean; text: string } | null {
  if (!DECIDED.includes(s.status)) return null;
  if (s.status === 'rejected') return { decided: true, approved: false, text: '评定结果：未通过' };
  const texts = outcomeTexts(pack, s.outcomes);
  return { decided: true, approved: true, text: `评定结果：${texts.length ? texts.join('，') : '通过'}` };
}

/** Each rule set's outcome out of a stored evaluation (`{ [ruleSetId]: outcome }`), as listings carry it. */
export function outcomesOf(evaluation: unknown): Record<string, unknown> {
  if (!isObj(evaluation)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(evaluation)) out[k] = isObj(v) ? (v.outcome ?? null) : null;
  return out;
}
