// vitest globalSetup: one temporary folder per test run (YUANPING_TEST_CACHE_DIR) for what the
// test files of one run share, made by the first file that needs it — the seeded PGlite image of
// the server harness (apps/server/src/testing/harness.ts). Removed when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'yp-test-run-'));
  process.env.YUANPING_TEST_CACHE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
