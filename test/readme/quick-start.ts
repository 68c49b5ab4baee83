// The commands of the README's 快速上手 (Quick start), read from the README itself so that the
// test follows the README when its commands change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');

/** Every command line of the ```sh blocks of the README section `## 快速上手`, continuation lines joined. */
export function quickStartCommands(readme = readFileSync(join(REPO, 'README.md'), 'utf8')): string[] {
  const start = readme.indexOf('\n## 快速上手');
  if (start < 0) throw new Error('README 没有“## 快速上手”一节');
  const next = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, next < 0 ? undefined : next);
  const commands: string[] = [];
  for (const m of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = (m[1] ?? '').replace(/\\\n\s*/g, '');
    for (const line of joined.split('\n')) {
      const cmd = line.trim();
      if (cmd && !cmd.startsWith('#')) commands.push(cmd);
    }
  }
  return commands;
}

/**
 * Commands the test does not run as written: installing (the test runs inside an installed
 * repository), `pnpm start` (long-running: quick-start-start.full.test.ts starts it and waits for
 * the port) and `pnpm test` (it is the run this test is part of).
 */
export function skipReason(cmd: string): string | undefined {
  if (/^pnpm install\b/.test(cmd) || /^corepack\b/.test(cmd) || /^npm (i|install) -g\b/.test(cmd)) return '安装步骤';
  if (/^(\S+=\S+ )*pnpm start\b/.test(cmd)) return '长期运行：由 quick-start-start.full.test.ts 启动并等待端口';
  if (/^pnpm test\b/.test(cmd)) return '即本次测试运行本身';
  return undefined;
}
