// The server refuses exactly what the CLI refuses: every pack of test/broken-packs/ is sent, as the
// files' texts, through POST /api/packs/check and POST /api/packs (publish, production mode), and the
// problems (code, file, JSON pointer, severity) are those `yuanping check` reports on the same folder
// (with --production for publishing). Nothing broken is published.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '@yuanping/cli';
import type { Problem } from '@yuanping/core';
import { makeHarness, type Client, type Harness } from './testing/harness.js';

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
  let h: Harness;
  let admin: Client;
  beforeAll(async () => {
    h = await makeHarness({ packFiles: null, strictPublish: true });
    admin = await h.login('admin');
  });
  afterAll(async () => {
    await h.close();
  });

  it('has the broken packs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
  for (const c of cases) {
    it(c, async () => {
      const root = join(BROKEN, c);
      const body = { id: 'bp', texts: texts(root) };
      const [cli] = await runCheck(['bp'], root);
      const [cliProduction] = await runCheck(['bp'], root, { production: true });

      const check = await admin.post('/api/packs/check', body);
      expect(check.statusCode, check.body).toBe(200);
      const checked = check.json() as { ok: boolean; problems: Problem[] };
      expect(keys(checked.problems)).toEqual(keys(cli!.problems));
      expect(checked.ok).toBe(!cli!.problems.some((p) => p.severity === 'error'));

      const publish = await admin.post('/api/packs', body);
      const errors = cliProduction!.problems.filter((p) => p.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(publish.statusCode, publish.body).toBe(422);
      const refused = publish.json() as { code: string; details: Problem[] };
      expect(refused.code).toBe('PACK_INVALID');
      expect(keys(refused.details)).toEqual(keys(cliProduction!.problems));
    });
  }
  it('published nothing', async () => {
    expect((await admin.get('/api/packs')).json()).toEqual([]);
  });
});
