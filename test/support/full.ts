// The one switch between the daily test run and the exhaustive one.
//
// `pnpm test` runs the fast set: every `*.test.ts` except `*.full.test.ts`, with small samples.
// `pnpm test:full` (and `.ci/run`) sets YUANPING_TEST_FULL=1: every file, `*.full.test.ts`
// included, with the full sample sizes. A test that scales a sample size reads `fullRun()` or
// `sampleSize()` here, never its own variable.

/** True in `pnpm test:full` (YUANPING_TEST_FULL=1). */
export function fullRun(): boolean {
  return process.env.YUANPING_TEST_FULL === '1';
}

/** `full` cases in `pnpm test:full`, `fast` cases in `pnpm test`. */
export function sampleSize(fast: number, full: number): number {
  return fullRun() ? full : fast;
}
