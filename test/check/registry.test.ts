// The one checker (@yuanping/check): the checks @yuanping/cohort and @yuanping/tables register run
// with core's, and the one cohort-fixture runner checks every key of `expect` and the fixture format.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPackFully, packChecks } from '@yuanping/check';
import { createCheckRegistry, loadPack, packFromFiles, type NoticePack } from '@yuanping/core';

const repo = join(import.meta.dirname, '..', '..');
type Json = Record<string, unknown>;

function mutate(pack: NoticePack, file: string, change: (j: Json) => void): NoticePack {
  const files = structuredClone(pack.files) as Record<string, Json>;
  change(files[file]!);
  return packFromFiles(files, pack.id);
}
const errorsOf = (pack: NoticePack) => checkPackFully(pack).filter((p) => p.severity === 'error');

describe('the check registry', () => {
  it('holds the checks of cohort and tables', () => {
    const ids = packChecks.list().map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['cohort.steps', 'cohort.fixture-format', 'cohort.fixtures', 'tables.forms']));
  });
  it('refuses a check registered twice', () => {
    const c = { id: 'x', run: () => [] };
    expect(() => createCheckRegistry().register(c, c)).toThrow();
  });
  it('refuses a grading step that ranks by an unknown field with a share of 1.2 (what the server used to publish)', async () => {
    const pack = await loadPack('zj-2021-evaluation-star', { root: repo });
    const file = pack.cohortSteps.get('grading')!.file;
    const bad = mutate(pack, file, (s) => {
      (s.rank as Json).field = 'noSuchField';
      ((s.grades as Json).levels as Json[])[0]!.share = 1.2;
    });
    const errors = errorsOf(bad);
    expect(errors).toContainEqual(expect.objectContaining({ code: 'COHORT_UNKNOWN_FIELD', file, pointer: '/rank/field' }));
    expect(errors.some((p) => p.file === file && p.pointer.startsWith('/grades/levels/0/share'))).toBe(true);
  });
});

describe('the one cohort-fixture runner', () => {
  it('checks expect.caps fully: a cap of 99 where the notice says 8 is a mismatch', async () => {
    const pack = await loadPack('zj-2022-digital-demo', { root: repo });
    const file = `rules/${pack.id}/cohort-fixtures/c01-caps-per-city.json`;
    expect(errorsOf(pack).filter((p) => p.file === file)).toEqual([]);
    const bad = mutate(pack, file, (fx) => {
      ((fx.expect as Json).caps as Json[])[0]!.cap = 99;
    });
    expect(errorsOf(bad)).toContainEqual(expect.objectContaining({ code: 'FIXTURE_MISMATCH', file, pointer: '/expect/caps/0/cap' }));
  });
  it('refuses a misspelt key of a cohort fixture by its meta-schema', async () => {
    const pack = await loadPack('zj-2022-digital-demo', { root: repo });
    const file = `rules/${pack.id}/cohort-fixtures/c01-caps-per-city.json`;
    const bad = mutate(pack, file, (fx) => {
      (fx.expect as Json).distrbution = { A: 1 };
    });
    expect(errorsOf(bad)).toContainEqual(expect.objectContaining({ code: 'PACK_META_SCHEMA', file, pointer: '/expect' }));
  });
});
