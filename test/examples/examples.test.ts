// The samples in examples/ stay true: each equals the data it is made of (so `pnpm gen:examples`
// has been run since that data changed), is valid for its form, and the README's commands on them
// give the outcomes worked out by hand in the fixtures they come from.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '@yuanping/cli';
import { loadPack, validateSubmission } from '@yuanping/core';
import { importXlsx, type TableForm } from '@yuanping/tables';
import { exampleData, exampleList, EXAMPLES, REPO } from './examples.js';
import { captureCliOutput } from '../support/cli-output.js';

const list = exampleList();
const io = captureCliOutput();

describe('examples/: submissions', () => {
  it.each(list.submissions.map((e) => [e.file, e] as const))('%s equals its source and is a valid submission', async (_f, e) => {
    const data: unknown = JSON.parse(readFileSync(join(EXAMPLES, e.file), 'utf8'));
    expect(data).toEqual(exampleData(e));
    const pack = await loadPack(e.pack, { root: REPO });
    const r = validateSubmission(pack.forms.get(e.form)!, data);
    expect(r.valid, JSON.stringify(r)).toBe(true);
  });
});

describe('examples/: filled tables', () => {
  it.each(list.tables.map((e) => [e.file, e] as const))('%s reads back to its source data, valid for its form', async (_f, e) => {
    const pack = await loadPack(e.pack, { root: REPO });
    const form = pack.forms.get(e.form)!;
    expect(form.kind).toBe('table');
    const back = await importXlsx(form.schema as TableForm, readFileSync(join(EXAMPLES, e.file)));
    expect(back.ok, JSON.stringify(back.ok ? '' : back.errors.slice(0, 5))).toBe(true);
    if (!back.ok) return;
    const want = exampleData(e) as Record<string, unknown>;
    // every value of the source is in the file (computed columns come on top)
    for (const [k, v] of Object.entries(want)) {
      if (!Array.isArray(v)) {
        expect(back.data[k], k).toEqual(v);
        continue;
      }
      const rows = back.data[k] as Array<Record<string, unknown>>;
      expect(rows).toHaveLength(v.length);
      v.forEach((row: Record<string, unknown>, i) => expect(rows[i]).toMatchObject(row));
    }
    const r = validateSubmission(form, back.data);
    expect(r.valid, JSON.stringify(r)).toBe(true);
  });
});

describe('examples/: the README commands on them', () => {
  it('evaluate on the star application gives the level worked out by hand in its fixture, and what the next level lacks', async () => {
    const e = list.submissions.find((s) => s.form === 'star-application')!;
    const fixture = JSON.parse(readFileSync(join(REPO, e.from), 'utf8')) as { expect: { outcome: { level: string } } };
    expect(fixture.expect.outcome.level).toBe('3');
    expect(await main(['--root', REPO, 'evaluate', '--pack', e.pack, '--ruleset', 'star-rating', join(EXAMPLES, e.file)])).toBe(0);
    const r = JSON.parse(io.out) as { evaluation: { outcome: { level: string; next?: { level: string } } } };
    expect(r.evaluation.outcome.level).toBe(fixture.expect.outcome.level);
    expect(r.evaluation.outcome.next?.level).toBe('4');
  });
  it('cohort on the 20-park 附件1 gives the hand-worked grades of its fixture (A 4, B 6, C 9, D 1)', async () => {
    const e = list.tables.find((t) => t.form === 'performance-summary')!;
    const fixture = JSON.parse(readFileSync(join(REPO, e.from), 'utf8')) as { expect: { distribution: Record<string, number>; records: Record<string, { grade: string }> } };
    expect(fixture.expect.distribution).toMatchObject({ A: 4, B: 6, C: 9, D: 1 });
    expect(await main(['--root', REPO, 'cohort', '--pack', e.pack, '--step', 'grading', join(EXAMPLES, e.file)])).toBe(0);
    const r = JSON.parse(io.out) as { result: { distribution: Record<string, number>; records: Array<{ key: string; grade: string }> } };
    expect(r.result.distribution).toEqual(fixture.expect.distribution);
    for (const rec of r.result.records) expect(rec.grade, rec.key).toBe(fixture.expect.records[rec.key]?.grade);
  });
  it('cohort --out writes where --out says', async () => {
    const e = list.tables.find((t) => t.form === 'performance-summary')!;
    const dir = mkdtempSync(join(tmpdir(), 'yp-examples-'));
    const target = join(dir, '分档结果.xlsx');
    expect(await main(['--root', REPO, 'cohort', '--pack', e.pack, '--step', 'grading', join(EXAMPLES, e.file), '--out', target])).toBe(0);
    expect(readFileSync(target).subarray(0, 2).toString()).toBe('PK');
  });
});
