import { defineConfig } from 'vitest/config';

/** End-to-end journeys in Chromium: `vitest run --config test/e2e/vitest.config.ts`. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
