/**
 * What the server needs from `@yuanping/core`. Tests may pass another `Engine`
 * (e.g. to count calls); the server always runs the real core.
 */
import { checkPack, evaluate, loadPack, packFromFiles, validateSubmission, type Form, type NoticePack, type Problem } from '@yuanping/core';

export type PackLike = NoticePack;
export type FormLike = Form;
export type ProblemLike = Problem;
export type StageLike = NonNullable<NoticePack['manifest']['workflow']>['stages'][number];

export interface Engine {
  loadPack(ref: string, opts?: { root?: string }): Promise<NoticePack>;
  packFromFiles(files: Record<string, unknown>, id: string): NoticePack;
  checkPack(pack: NoticePack): Problem[];
  validateSubmission: typeof validateSubmission;
  evaluate: typeof evaluate;
}

export const coreEngine: Engine = {
  loadPack,
  packFromFiles,
  checkPack: (pack) => checkPack(pack),
  validateSubmission,
  evaluate,
};

export async function loadEngine(): Promise<Engine> {
  return coreEngine;
}
