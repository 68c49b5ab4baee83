import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const depcruise = join(REPO, 'node_modules', '.bin', 'depcruise');

/** Runs the repository's dependency rules (.dependency-cruiser.cjs, what `pnpm lint` runs) over a tree of `files`. */
function cruise(files: Record<string, string>): { status: number; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'yp-layers-'));
  try {
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', allowJs: true }, include: ['packages', 'apps'] }));
    for (const dir of ['packages', 'apps']) mkdirSync(join(root, dir));
    for (const [path, code] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), code);
    }
    try {
      const out = execFileSync(depcruise, ['packages', 'apps', '--config', join(REPO, '.dependency-cruiser.cjs')], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
      return { status: 0, out };
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      return { status: e.status, out: `${e.stdout}${e.stderr}` };
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('the layering is enforced (dependency-cruiser in pnpm lint)', () => {
  it('passes a tree that keeps the layers', () => {
    const r = cruise({
      'packages/core/src/a.ts': 'export const a = 1;\n',
      'packages/storage/src/s.ts': "import { a } from '../../core/src/a.js';\nexport const s = a;\n",
      'apps/server/src/x.ts': "import { s } from '../../../packages/storage/src/s.js';\nexport const x = s;\n",
    });
    expect(r.status, r.out).toBe(0);
  });

  it('fails a core file that imports storage (before: that passed eslint)', () => {
    const r = cruise({
      'packages/storage/src/s.ts': 'export const s = 1;\n',
      'packages/core/src/a.ts': "import { s } from '../../storage/src/s.js';\nexport const a = s;\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('core-knows-no-server-storage-web');
  });

  it('fails the web app importing server code, and a runtime cycle (before: app.ts and the routes imported each other)', () => {
    const web = cruise({ 'apps/server/src/x.ts': 'export const x = 1;\n', 'apps/web/src/p.ts': "import { x } from '../../server/src/x.js';\nexport const p = x;\n" });
    expect(web.out).toContain('web-knows-no-storage-or-server');
    const cycle = cruise({
      'apps/server/src/app.ts': "import { route } from './route.js';\nexport const ctx = 1;\nexport const app = route;\n",
      'apps/server/src/route.ts': "import { ctx } from './app.js';\nexport const route = () => ctx;\n",
    });
    expect(cycle.status).not.toBe(0);
    expect(cycle.out).toContain('no-runtime-cycles');
  });
});
