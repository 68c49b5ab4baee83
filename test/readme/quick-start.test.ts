// Each command block of the README's 快速上手 runs exactly as written (from the repository root,
// through a shell) and succeeds; see quick-start.ts for the few that are not run here and why.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quickStartCommands, REPO, skipReason } from './quick-start.js';

const commands = quickStartCommands();

describe('README 快速上手', () => {
  it('has the steps a newcomer follows: install, start, evaluate, cohort, test', () => {
    expect(commands.some((c) => c.startsWith('pnpm install'))).toBe(true);
    expect(commands).toContain('pnpm start');
    expect(commands.some((c) => c.startsWith('pnpm yuanping evaluate'))).toBe(true);
    expect(commands.some((c) => c.startsWith('pnpm yuanping cohort'))).toBe(true);
    expect(commands).toContain('pnpm test');
  });
  it('keeps every path inside the repository (no ../shared)', () => {
    for (const c of commands) expect(c).not.toMatch(/\.\.\//);
  });
  for (const cmd of commands.filter((c) => !skipReason(c))) {
    it(cmd, () => {
      // throws (and fails the test with the output) when the command exits non-zero
      const out = execFileSync('sh', ['-c', cmd], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
      expect(out.trim().length).toBeGreaterThan(0);
    });
  }
});
