// One runner turns every fixture of every pack into a test.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPackFully } from '@yuanping/check';
import { loadPackWithProblems, runFixture } from '@yuanping/core';
import { allPackIds } from './all-packs.js';

const repo = join(import.meta.dirname, '..', '..');
const roots: Array<[string, string]> = [
  ...allPackIds(repo).map((id) => [id, repo] as [string, string]),
  ['mini', join(repo, 'test', 'packs')],
];

for (const [id, root] of roots) {
  describe(`pack ${id}`, async () => {
    const { pack, readProblems } = await loadPackWithProblems(id, { root });
    it('passes the pack check (fixtures aside)', () => {
      const problems = checkPackFully(pack, { readProblems, fixtures: false }).filter((p) => p.severity === 'error');
      expect(problems).toEqual([]);
    });
    for (const { file, fixture } of pack.fixtures) {
      it(`${file.split('/').pop()}: ${fixture.title}`, () => {
        const run = runFixture(pack, fixture, file);
        expect(run.problems).toEqual([]);
        expect(run.passed).toBe(true);
      });
    }
  });
}
