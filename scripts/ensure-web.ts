// `pnpm start` serves the web app from apps/web/dist: build it first when it is missing or
// older than its sources, so that the README's start command works on a fresh clone.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const web = join(root, 'apps', 'web');
const built = join(web, 'dist', 'index.html');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = [join(web, 'src'), join(root, 'packages', 'core', 'src')].filter(existsSync);
const config = join(web, 'vite.config.ts');
const stale = !existsSync(built) || sources.some((d) => newest(d) > statSync(built).mtimeMs) || (existsSync(config) && statSync(config).mtimeMs > statSync(built).mtimeMs);
if (process.env.YUANPING_SKIP_WEB_BUILD === '1') {
  if (!existsSync(built)) console.log('未构建网页端（YUANPING_SKIP_WEB_BUILD=1），仅提供 API');
} else if (stale) {
  console.log('正在构建网页端（apps/web → apps/web/dist）……');
  execFileSync('pnpm', ['--filter', '@yuanping/web', 'build'], { cwd: root, stdio: 'inherit' });
}
