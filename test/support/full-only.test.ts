// `pnpm test:full-only` (what .ci/run calls after `pnpm test`) must pick every file the full set
// runs differently, or CI would never run its exhaustive samples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { differsInFullRun, fullOnlyFiles } from './full-only.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the full-only file list', () => {
  const files = fullOnlyFiles(ROOT, ['test/reliability/**', 'test/e2e/**']);

  it('holds the *.full.test.ts files and the readers of test/support/full.ts, nothing else', () => {
    expect(files).toContain('test/differential/differential.test.ts');
    expect(files).toContain('apps/server/src/pack-check-parity.test.ts');
    expect(files.filter((f) => f.endsWith('.full.test.ts')).length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect(differsInFullRun(f, readFileSync(join(ROOT, f), 'utf8')), f).toBe(true);
    expect(files.some((f) => f.startsWith('test/e2e/') || f.startsWith('test/reliability/'))).toBe(false);
  });

  it('leaves out this file and any file that does not read fullRun/sampleSize', () => {
    expect(files).not.toContain('test/support/full-only.test.ts');
    expect(differsInFullRun('a.test.ts', "import { x } from './support/fuller.js';")).toBe(false);
    expect(differsInFullRun('a.test.ts', "import { sampleSize } from '../../support/full.js';")).toBe(true);
    expect(differsInFullRun('a.test.ts', "const s = \"import { sampleSize } from './support/full.js'\";")).toBe(false);
    expect(differsInFullRun('a.full.test.ts', '')).toBe(true);
  });
});
