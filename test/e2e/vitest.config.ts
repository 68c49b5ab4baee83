import { defineConfig } from 'vitest/config';

/** End-to-end journeys in Chromium: `vitest run --config test/e2e/vitest.config.ts`. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/setup.ts'],
    // guards against a hang, not judgements of speed: on a machine at load 20–38 servers started in
    // set-ups and whole journeys took minutes
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    // In CI a failed journey is run once more: on a loaded machine two journeys of typing.e2e failed
    // once each in three full runs (a submit or a report not confirmed within 120 s) and passed alone
    // and in the other runs — not diagnosed yet (issue 11's note). A journey passing on its second try
    // is shown by the reporter with its retry count; locally no retry, so a failure shows at once.
    retry: process.env.CI ? 1 : 0,
    pool: 'forks',
  },
});
