import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck, main } from '@yuanping/cli';
import { captureCliOutput } from '../support/cli-output.js';

const io = captureCliOutput();

const dir = join(import.meta.dirname, '..', 'broken-packs');

/** `expected.json` of a case: the problem it must raise; codes that must not follow; check as production publishing. */
interface Expected {
  code: string;
  file: string;
  pointer: string;
  absent?: string[];
  line?: number;
  production?: boolean;
}
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
      const want = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Expected;
      // the CLI's JSON is the checker's report (one check per case; runCheck ≡ CLI is asserted below)
      expect(await main(['--root', root, 'check', 'bp', '--format', 'json', ...(want.production ? ['--production'] : [])])).toBe(1);
      const [report] = JSON.parse(io.out) as Awaited<ReturnType<typeof runCheck>>;
      const errors = report!.problems.filter((p) => p.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors).toContainEqual(expect.objectContaining({ code: want.code, file: want.file, pointer: want.pointer }));
      for (const p of errors) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
      // no false follow-ups of the same mistake
      for (const code of want.absent ?? []) expect(report!.problems.map((p) => p.code)).not.toContain(code);
      if (want.line !== undefined) expect(errors.find((p) => p.code === want.code)!.message).toContain(`第 ${want.line} 行`);
      expect(io.out).toContain(`"code": "${want.code}"`);
    });
  }
  it('the CLI prints exactly what runCheck returns', async () => {
    for (const c of cases.slice(0, 3)) {
      const root = join(dir, c);
      const want = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Expected;
      io.out = '';
      await main(['--root', root, 'check', 'bp', '--format', 'json', ...(want.production ? ['--production'] : [])]);
      expect(JSON.parse(io.out), c).toEqual(JSON.parse(JSON.stringify(await runCheck(['bp'], root, { production: want.production === true }))));
    }
  });
});

describe('yuanping check exit codes', () => {
  const good = join(import.meta.dirname);
  it('0 when clean', async () => {
    expect(await main(['--root', good, 'check', 'mini', '--format', 'json'])).toBe(0);
  });
  it('2 on usage errors', async () => {
    expect(await main(['--root', good, 'check', 'no-such-pack'])).toBe(2);
    expect(await main(['--root', good, 'frobnicate'])).toBe(2);
    expect(io.err).toContain('frobnicate');
    expect(await main(['--root', good, 'evaluate', 'x.json'])).toBe(2);
  });
});
