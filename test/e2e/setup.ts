/** Builds the web app once before the journeys (the server serves apps/web/dist). */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  rmSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results', 'metrics.json'), { force: true });
  if (process.env.E2E_SKIP_BUILD === '1') return;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  execFileSync('pnpm', ['--filter', '@yuanping/web', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
