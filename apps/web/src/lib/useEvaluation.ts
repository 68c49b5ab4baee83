import { useMemo } from 'react';
import { compileRuleSet, type Evaluation, type NoticePack } from '@yuanping/core/browser';
import { ruleSetInputs } from './pack';

export interface EvalResult {
  id: string;
  ev: Evaluation | null;
  error?: string;
}

/**
 * Live evaluation of every rule set that reads `formId` (a whole application: each rule set on its form's data), timed: core's `quick()` (compiled
 * predicates for the outcome) and its `explain()` for the lines the panel shows — the same
 * results as `evaluate()`, in about half its time.
 */
export function runEvaluation(pack: NoticePack, formId: string, data: unknown, opts: { scoreBasis?: 'self' | 'reviewer' } = {}): { results: EvalResult[]; ms: number } {
  const t0 = performance.now();
  const results = ruleSetInputs(pack, formId, data).map(([id, input]) => {
    try {
      return { id, ev: compileRuleSet(pack, id).quick(input, opts).explain() };
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
