import { defineConfig } from 'vitest/config';

// `pnpm test` (fast set) leaves out `*.full.test.ts`; `pnpm test:full` (YUANPING_TEST_FULL=1)
// runs them too and makes the tests reading test/support/full.ts use their full sample sizes.
const full = process.env.YUANPING_TEST_FULL === '1';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/reliability/**', 'test/e2e/**', ...(full ? [] : ['**/*.full.test.ts'])],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
