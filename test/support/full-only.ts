// What `pnpm test:full` adds to `pnpm test`: the test files whose run differs when
// YUANPING_TEST_FULL=1. Those are the `*.full.test.ts` files (left out of the fast set) and the
// files that read `fullRun()` / `sampleSize()` from test/support/full.ts (their samples grow).
// `.ci/run` runs `pnpm test` and then `pnpm test:full-only` (these files only), so CI does not
// run every daily test twice; `pnpm test:full` alone stays the complete exhaustive run.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The roots vitest's main config collects `*.test.ts` from. */
const ROOTS = ['packages', 'apps', 'test'];
const SKIP = new Set(['node_modules', 'dist', 'build', '.data', 'test-results']);
/** Where vitest's main config includes test files from (its `include`). */
const IN_MAIN_CONFIG = /^(?:(?:packages|apps)\/[^/]+\/src\/|test\/)/;
/** An import statement (at the start of a line) of test/support/full(.js), from any depth. */
const READS_FULL = /^import\s[^;]*?from\s+['"](?:\.\.?\/)+(?:test\/)?support\/full(?:\.js)?['"]/m;

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) walk(p, out);
    } else if (e.isFile() && e.name.endsWith('.test.ts')) out.push(p);
  }
}

/** True when a test file runs differently in the full set (a `*.full.test.ts` or a reader of test/support/full.ts). */
export function differsInFullRun(file: string, source: string): boolean {
  return file.endsWith('.full.test.ts') || READS_FULL.test(source);
}

/**
 * The repository-relative paths (forward slashes) of the test files under `root` that the full
 * set adds or changes, leaving out those under an `exclude` prefix (`test/e2e/**` style globs:
 * only their fixed prefix is used).
 */
export function fullOnlyFiles(root: string, exclude: string[] = []): string[] {
  const prefixes = exclude.map((g) => g.replace(/\*.*$/, '')).filter((p) => p.length > 0);
  const files: string[] = [];
  for (const r of ROOTS) walk(join(root, r), files);
  return files
    .map((f) => ({ abs: f, rel: relative(root, f).split(sep).join('/') }))
    .filter(({ rel }) => IN_MAIN_CONFIG.test(rel) && !prefixes.some((p) => rel.startsWith(p)))
    .filter(({ abs, rel }) => differsInFullRun(rel, readFileSync(abs, 'utf8')))
    .map(({ rel }) => rel)
    .sort();
}
