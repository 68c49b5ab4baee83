import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:reliability`: crash, concurrency, authorization, fuzzing, pack safety and soak tests.
 * Files run one after another (they spawn servers and load the machine). Knobs (env):
 *   REL_FUZZ_RUNS (10000: fast-check cases per API route), REL_PACK_FUZZ_RUNS (10000: mutated packs),
 *   REL_SOAK_SECONDS (300), REL_CRASH_ROUNDS (2); DATABASE_URL adds the PostgreSQL runs.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 900_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
