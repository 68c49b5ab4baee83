/**
 * Cohort fixtures of the shipped packs (`rules/<pack>/cohort-fixtures/*.json`), run by the one
 * cohort-fixture runner (@yuanping/cohort, through @yuanping/check) — the same runner
 * `yuanping check`, `yuanping fixtures` and the server's check use. Each file names a cohort step,
 * the table whose rows are the records, optional parameter overrides and org units, the records,
 * and the result worked out by hand (in its `description`); every key of `expect` is compared.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAllFixtures } from '@yuanping/check';
import { loadPack } from '@yuanping/core';
import { allPackIds } from './all-packs.js';

const root = join(import.meta.dirname, '..', '..');

describe('cohort fixtures of the shipped packs', async () => {
  const packs = await Promise.all(allPackIds(root).map((id) => loadPack(id, { root })));
  const withSteps = packs.filter((p) => p.cohortSteps.size > 0);
  it('every pack with a cohort step has cohort fixtures', () => {
    expect(withSteps.length).toBeGreaterThan(0);
    for (const p of withSteps) expect(runAllFixtures(p).filter((r) => r.kind === 'cohort').length, p.id).toBeGreaterThan(0);
  });
  for (const pack of withSteps) {
    for (const run of runAllFixtures(pack).filter((r) => r.kind === 'cohort')) {
      it(`${pack.id} ${run.file.split('/').pop()}: ${run.title}`, () => {
        expect(run.problems).toEqual([]);
        expect(run.passed).toBe(true);
      });
    }
  }
});
