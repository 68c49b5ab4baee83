import { execFileSync } from 'node:child_process';

/** The path of a program on PATH (`which`), or undefined when it is not installed: tests that need LibreOffice or poppler skip with a warning without it. */
export function which(bin: string): string | undefined {
  try {
    return execFileSync('which', [bin], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
