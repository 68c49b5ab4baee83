import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { fullOnlyFiles } from './test/support/full-only.js';

// `pnpm test` (fast set) leaves out `*.full.test.ts`; `pnpm test:full` (YUANPING_TEST_FULL=1)
// runs them too and makes the tests reading test/support/full.ts use their full sample sizes.
// `pnpm test:full-only` (YUANPING_TEST_FULL_ONLY=1, what `.ci/run` calls after `pnpm test`) runs
// only what the full set adds: the `*.full.test.ts` files and the files whose samples grow.
const full = process.env.YUANPING_TEST_FULL === '1';
const fullOnly = full && process.env.YUANPING_TEST_FULL_ONLY === '1';
const include = ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'];
const exclude = ['**/node_modules/**', 'test/reliability/**', 'test/e2e/**'];

export default defineConfig({
  test: {
    include: fullOnly ? fullOnlyFiles(import.meta.dirname, exclude) : include,
    exclude: [...exclude, ...(full ? [] : ['**/*.full.test.ts'])],
    // timeouts only catch a hang: on a loaded machine (CI beside other jobs) a PGlite start-up in
    // a beforeAll or a test with a few dozen scrypt hashes can take minutes, and no test may
    // depend on how fast the machine is
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: on a 2-core machine, one file at a time.
    // Many files spend much of their time waiting (CLI and server child processes, soffice, PGlite
    // file I/O), so two files side by side keep both cores busy; larger machines keep the default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // a folder per run for what test files share (the server harness's seeded database image)
    globalSetup: ['test/support/cache-dir.setup.ts'],
  },
});
