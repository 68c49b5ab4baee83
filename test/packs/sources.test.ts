// Every source notice a pack cites ships with the repository (docs/sources/), so that someone who
// clones only the repository can read what each pack encodes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allPackIds } from './all-packs.js';

const repo = join(import.meta.dirname, '..', '..');

describe.each(allPackIds(repo))('%s: sources[].file', (id) => {
  it('each cited file is in the repository, under docs/sources/, and not empty', () => {
    const manifest = JSON.parse(readFileSync(join(repo, 'schemas', id, 'pack.json'), 'utf8')) as { sources?: Array<{ title: string; file?: string }> };
    const files = (manifest.sources ?? []).flatMap((s) => (s.file ? [s.file] : []));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f.startsWith('docs/sources/'), f).toBe(true);
      expect(existsSync(join(repo, f)), f).toBe(true);
      expect(readFileSync(join(repo, f), 'utf8').length).toBeGreaterThan(1000);
    }
  });
});
