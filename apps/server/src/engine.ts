/**
 * What the server needs from `@yuanping/core`. Tests may pass another `Engine`
 * (e.g. to count calls); the server always runs the real core.
 */
import { checkPackFully } from '@yuanping/check';
import { compileRuleSet, evaluate, loadPack, loadPackWithProblems, packFromFiles, validateSubmission, type Form, type LoadedPack, type NoticePack, type Problem, type QuickResult, type RegistryCheckOptions } from '@yuanping/core';

export type PackLike = NoticePack;
export type FormLike = Form;
export type ProblemLike = Problem;
export type StageLike = NonNullable<NoticePack['manifest']['workflow']>['stages'][number];

export interface Engine {
  loadPack(ref: string, opts?: { root?: string }): Promise<NoticePack>;
  /** the pack and the problems of reading its files (JSON syntax) */
  loadPackWithProblems(ref: string, opts?: { root?: string }): Promise<LoadedPack>;
  packFromFiles(files: Record<string, unknown>, id: string): NoticePack;
  /** the one full check (@yuanping/check), the same the CLI runs */
  checkPack(pack: NoticePack, opts?: RegistryCheckOptions): Problem[];
  validateSubmission: typeof validateSubmission;
  evaluate: typeof evaluate;
}

/** A rule set's outcome without its explanation (core's quick result, as sent over HTTP). */
export type QuickOutcome = Omit<QuickResult, 'explain'>;

export const coreEngine: Engine = {
  loadPack,
  loadPackWithProblems,
  packFromFiles,
  checkPack: (pack, opts) => checkPackFully(pack, opts),
  validateSubmission,
  evaluate,
};

/** The outcome alone (level / eligibility / score and the names of the rules that failed), no explanation. */
export function quickOutcome(pack: NoticePack, ruleSetId: string, data: unknown, opts?: { scoreBasis: 'self' | 'reviewer' }): QuickOutcome {
  const { explain: _explain, ...outcome } = compileRuleSet(pack, ruleSetId).quick(data, opts);
  return outcome;
}

export async function loadEngine(): Promise<Engine> {
  return coreEngine;
}
