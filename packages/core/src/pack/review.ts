import { problem, type Problem } from '../errors.js';

/**
 * A fixture marked `review` (copied from last year's pack by `yuanping new`, not yet checked
 * against this year's notice) is reported as 待复核, a warning, whatever its run found: the
 * differences are listed so the administrator sees what to check, but they fail nothing.
 * Used by every fixture runner (rule fixtures here, cohort fixtures in @yuanping/cohort).
 */
export function reviewProblems(file: string, note: string, found: Problem[]): Problem[] {
  const detail = found.length ? found.map((p) => p.message).join('；') : '目前结果与期望一致';
  return [problem('FIXTURE_NEEDS_REVIEW', file, '/review', { note, detail }, 'warning')];
}
