import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck, main } from '@yuanping/cli';

const dir = join(import.meta.dirname, '..', 'broken-packs');
const cases = readdirSync(dir).sort();

describe('the pack checker refuses broken packs with the right code, file and pointer', () => {
  it('keeps at least 15 kinds of mistakes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    const codes = new Set(cases.map((c) => (JSON.parse(readFileSync(join(dir, c, 'expected.json'), 'utf8')) as { code: string }).code));
    expect(codes.size).toBeGreaterThanOrEqual(15);
  });
  for (const c of cases) {
    it(c, async () => {
      const root = join(dir, c);
      const want = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as { code: string; file: string; pointer: string };
      const [report] = await runCheck(['bp'], root);
      const errors = report!.problems.filter((p) => p.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors).toContainEqual(expect.objectContaining({ code: want.code, file: want.file, pointer: want.pointer }));
      for (const p of errors) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
      expect(await main(['--root', root, 'check', 'bp', '--format', 'json'])).toBe(1);
    });
  }
});

describe('yuanping check exit codes', () => {
  const good = join(import.meta.dirname);
  it('0 when clean', async () => {
    expect(await main(['--root', good, 'check', 'mini', '--format', 'json'])).toBe(0);
  });
  it('2 on usage errors', async () => {
    expect(await main(['--root', good, 'check', 'no-such-pack'])).toBe(2);
    expect(await main(['--root', good, 'frobnicate'])).toBe(2);
    expect(await main(['--root', good, 'evaluate', 'x.json'])).toBe(2);
  });
});
