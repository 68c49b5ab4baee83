import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', '..', 'scripts', 'lint-notice-free.ts');
const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');

function tree(code: string): string {
  const root = mkdtempSync(join(tmpdir(), 'yp-lint-'));
  mkdirSync(join(root, 'schemas', 'demo-2030', 'forms'), { recursive: true });
  mkdirSync(join(root, 'packages', 'x', 'src'), { recursive: true });
  writeFileSync(join(root, 'schemas', 'demo-2030', 'pack.json'), JSON.stringify({ id: 'demo-2030', title: '示范通知标题' }));
  writeFileSync(
    join(root, 'schemas', 'demo-2030', 'forms', 'f.schema.json'),
    JSON.stringify({ type: 'object', properties: { landAreaMu: { type: 'number', title: '实际用地面积' } } }),
  );
  writeFileSync(join(root, 'packages', 'x', 'src', 'a.ts'), code);
  return root;
}

function run(root: string): { status: number; out: string } {
  try {
    const out = execFileSync(tsx, [script, root], { encoding: 'utf8', stdio: 'pipe' });
    return { status: 0, out };
  } catch (err) {
    const e = err as { status: number; stderr: string };
    return { status: e.status, out: e.stderr };
  }
}

describe('notice-free lint', () => {
  it('passes generic runtime code', () => {
    expect(run(tree('export const x = 1;\n')).status).toBe(0);
  });
  it('fails on a seed label, a pack id and a field name in runtime code', () => {
    for (const code of ["const a = '实际用地面积';", "load('demo-2030');", 'data.landAreaMu > 1;']) {
      const r = run(tree(code));
      expect(r.status, code).toBe(1);
    }
  });
});
