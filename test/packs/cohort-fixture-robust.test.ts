// The check never crashes on a broken pack: a computed column whose expression is invalid
// makes the cohort fixtures report a mismatch (and the form check its own code).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPack, loadPack, packFromFiles } from '@yuanping/core';
import { packCheckPlugins } from '@yuanping/cli';

describe('cohort fixtures on a pack with a broken computed column', () => {
  it('are refused with codes, not a crash', async () => {
    const repo = join(import.meta.dirname, '..', '..');
    const pack = await loadPack('zj-2021-evaluation-star', { root: repo });
    const files = structuredClone(pack.files) as Record<string, Record<string, unknown>>;
    const formFile = pack.forms.get('performance-summary')!.file;
    const rows = (files[formFile]!.properties as Record<string, { items: { properties: Record<string, Record<string, unknown>> } }>).rows!;
    const computed = Object.values(rows.items.properties).find((c) => c['x-compute'] !== undefined)!;
    computed['x-compute'] = {};
    const broken = packFromFiles(files, pack.id);
    const problems = checkPack(broken, { plugins: packCheckPlugins() });
    const codes = new Set(problems.map((p) => p.code));
    expect(codes.has('SCHEMA_BAD_COMPUTE')).toBe(true);
    expect(codes.has('FIXTURE_MISMATCH')).toBe(true);
  });
});
