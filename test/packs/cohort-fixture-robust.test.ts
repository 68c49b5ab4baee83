// The check never crashes on a broken pack: a computed column whose expression is invalid is
// reported by the form check (its own code, once); the cohort fixtures that read that table are
// not run by the check (their mismatches would only be follow-ups of the same mistake), and the
// cohort-fixture runner itself, run directly, reports mismatches rather than throwing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack, packFromFiles } from '@yuanping/core';
import { checkPackFully, runAllFixtures } from '@yuanping/check';

describe('cohort fixtures on a pack with a broken computed column', () => {
  it('are refused with codes, not a crash, and without a cascade of follow-ups', async () => {
    const repo = join(import.meta.dirname, '..', '..');
    const pack = await loadPack('zj-2021-evaluation-star', { root: repo });
    const files = structuredClone(pack.files) as Record<string, Record<string, unknown>>;
    const formFile = pack.forms.get('performance-summary')!.file;
    const rows = (files[formFile]!.properties as Record<string, { items: { properties: Record<string, Record<string, unknown>> } }>).rows!;
    const computed = Object.values(rows.items.properties).find((c) => c['x-compute'] !== undefined)!;
    computed['x-compute'] = {};
    const broken = packFromFiles(files, pack.id);
    const problems = checkPackFully(broken);
    const codes = new Set(problems.map((p) => p.code));
    expect(codes.has('SCHEMA_BAD_COMPUTE')).toBe(true);
    expect(problems.filter((p) => p.file.includes('/cohort-fixtures/'))).toEqual([]);
    const cohortRuns = runAllFixtures(broken).filter((r) => r.kind === 'cohort');
    expect(cohortRuns.length).toBeGreaterThan(0);
    expect(cohortRuns.some((r) => r.problems.some((p) => p.code === 'FIXTURE_MISMATCH'))).toBe(true);
  });
});
