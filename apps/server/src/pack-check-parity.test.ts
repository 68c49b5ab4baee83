// The server refuses exactly what the CLI refuses: every pack of test/broken-packs/ is sent, as the
// files' texts, through POST /api/packs/check and POST /api/packs (publish, production mode), and the
// problems (code, file, JSON pointer, severity) are those `yuanping check` reports on the same folder
// (with --production for publishing). The same for the pack fuzzer's mutants of the test pack that
// the CLI refuses (test/support/pack-mutants.ts). Nothing broken is published.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCheck } from '@yuanping/cli';
import type { Problem } from '@yuanping/core';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';
import { mutate, mutation } from '../../../test/support/pack-mutants.js';
import { sampleSize } from '../../../test/support/full.js';
import { serverFor } from '../../../test/support/server.js';

const BROKEN = join(import.meta.dirname, '..', '..', '..', 'test', 'broken-packs');
const cases = readdirSync(BROKEN).sort();

function texts(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) out[relative(root, p).split(sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  for (const d of ['schemas', 'rules']) walk(join(root, d));
  return out;
}
const key = (p: Pick<Problem, 'code' | 'file' | 'pointer' | 'severity'>) => `${p.severity} ${p.code} ${p.file}#${p.pointer}`;
const keys = (ps: Problem[]) => ps.map(key).sort();

describe('the server refuses exactly what the CLI refuses (test/broken-packs)', () => {
  const srv = serverFor({ packFiles: null, strictPublish: true }, { admin: 'admin' });

  it('has the broken packs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
  /** The server's check and publish of the pack folder `root` (pack `id`) give the CLI's problems. */
  async function sameAsCli(root: string, id: string): Promise<void> {
    const body = { id, texts: texts(root) };
    const [cli] = await runCheck([id], root);
    const [cliProduction] = await runCheck([id], root, { production: true });

    const check = await srv.admin.post('/api/packs/check', body);
    expect(check.statusCode, check.body).toBe(200);
    const checked = check.json() as { ok: boolean; problems: Problem[] };
    expect(keys(checked.problems)).toEqual(keys(cli!.problems));
    expect(checked.ok).toBe(!cli!.problems.some((p) => p.severity === 'error'));

    const publish = await srv.admin.post('/api/packs', body);
    const errors = cliProduction!.problems.filter((p) => p.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(publish.statusCode, publish.body).toBe(422);
    const refused = publish.json() as { code: string; details: Problem[] };
    expect(refused.code).toBe('PACK_INVALID');
    expect(keys(refused.details)).toEqual(keys(cliProduction!.problems));
  }

  for (const c of cases) {
    it(c, async () => {
      await sameAsCli(join(BROKEN, c), 'bp');
    });
  }

  // the fuzzer's mutants of the test pack (fixed seed): those the CLI refuses when publishing, sent
  // as written to disk; 40 mutants daily, 400 in pnpm test:full
  it('the pack fuzzer’s refused mutants: the same problems as the CLI', async () => {
    const files = testPackFiles();
    const refusedCodes = new Set<string>();
    let sent = 0;
    for (const m of fc.sample(mutation, { numRuns: sampleSize(40, 400), seed: 20261207 })) {
      const { file, changed } = mutate(files, m);
      if (changed === null) continue;
      const root = mkdtempSync(join(tmpdir(), 'yp-mutant-'));
      try {
        for (const [f, v] of Object.entries({ ...files, [file]: changed })) {
          mkdirSync(dirname(join(root, f)), { recursive: true });
          writeFileSync(join(root, f), JSON.stringify(v, null, 2));
        }
        const [cliProduction] = await runCheck([TEST_PACK_ID], root, { production: true });
        const errors = cliProduction!.problems.filter((p) => p.severity === 'error');
        if (errors.length === 0) continue; // accepted: publishing it is the fuzzer's "valid and usable", not a refusal
        await sameAsCli(root, TEST_PACK_ID);
        for (const e of errors) refusedCodes.add(e.code);
        sent++;
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    // junk changes are about half the mutations: many refused, for more than one reason
    expect(sent).toBeGreaterThan(5);
    expect(refusedCodes.size).toBeGreaterThan(1);
  });
  it('published nothing', async () => {
    expect((await srv.admin.get('/api/packs')).json()).toEqual([]);
  });
});
