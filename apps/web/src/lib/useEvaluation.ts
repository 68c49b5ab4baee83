import { useMemo } from 'react';
import { evaluate, type Evaluation, type NoticePack } from '@yuanping/core/browser';
import { ruleSetsFor } from './pack';

export interface EvalResult {
  id: string;
  ev: Evaluation | null;
  error?: string;
}

/** Live evaluation of every rule set that reads `formId`, timed. */
export function runEvaluation(pack: NoticePack, formId: string, data: unknown, opts: { scoreBasis?: 'self' | 'reviewer' } = {}): { results: EvalResult[]; ms: number } {
  const t0 = performance.now();
  const results = ruleSetsFor(pack, formId).map((id) => {
    try {
      return { id, ev: evaluate(pack, id, data, opts) };
    } catch (e) {
      return { id, ev: null, error: e instanceof Error ? e.message : String(e) };
    }
  });
  return { results, ms: performance.now() - t0 };
}

export function useEvaluation(pack: NoticePack | null, formId: string, data: unknown, opts: { scoreBasis?: 'self' | 'reviewer' } = {}) {
  const basis = opts.scoreBasis;
  return useMemo(() => (pack ? runEvaluation(pack, formId, data, basis ? { scoreBasis: basis } : {}) : { results: [], ms: 0 }), [pack, formId, data, basis]);
}
