/**
 * Start-up times, as a newcomer meets them: the CLI (`pnpm yuanping --help` and one `check`, run
 * through the launcher and its bundle, beside the same through tsx from source for the ratio),
 * and `pnpm start` until the server answers (a fresh data directory, and again on the same one).
 * Printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCommand } from '../support/server-start.js';

const repo = join(import.meta.dirname, '..', '..');
const launcher = join(repo, 'packages', 'cli', 'bin', 'yuanping.mjs');
const tsx = join(repo, 'node_modules', '.bin', 'tsx');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function time(cmd: string, args: string[], runs: number): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { cwd: repo, stdio: 'ignore' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')}：退出码 ${r.status}`);
    ms.push(performance.now() - t);
  }
  return median(ms);
}
async function serverAnswers(dataDir: string): Promise<number> {
  const started = await startCommand('pnpm start', repo, { YUANPING_DATA_DIR: dataDir });
  await started.stop();
  return started.ms;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
spawnSync('node', [launcher, '--help'], { cwd: repo, stdio: 'ignore' }); // builds the bundle if stale
const help = time('node', [launcher, '--help'], 5);
const helpTsx = time(tsx, [join(repo, 'packages', 'cli', 'src', 'main.ts'), '--help'], 3);
const check = time('node', [launcher, 'check'], 3);
console.log(`  命令行 --help（打包后，5 次中位数）：${s(help)}；tsx 从源码：${s(helpTsx)}（${(helpTsx / help).toFixed(1)} 倍）`);
console.log(`  命令行 check（全部通知包，3 次中位数）：${s(check)}`);
const data = mkdtempSync(join(tmpdir(), 'yp-bench-start-'));
try {
  console.log(`  pnpm start 到服务器应答（新数据目录：迁移、演示账户、发布通知包）：${s(await serverAnswers(data))}`);
  console.log(`  pnpm start 到服务器应答（同一数据目录，再次启动）：${s(await serverAnswers(data))}`);
} finally {
  rmSync(data, { recursive: true, force: true });
}
