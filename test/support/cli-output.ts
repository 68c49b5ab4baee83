// The CLI's output in tests: captured (and asserted where it matters), never printed into the
// test run, so a passing `pnpm test` shows only the runner's own progress.
import { afterEach, beforeEach, vi } from 'vitest';

/** What the CLI wrote during the current test; a test may clear it between two calls. */
export interface CliOutput {
  out: string;
  err: string;
}

/**
 * Captures process.stdout and process.stderr for every test of the calling file (registers a
 * beforeEach and an afterEach); returns the object whose `out` and `err` grow as the CLI writes.
 */
export function captureCliOutput(): CliOutput {
  const io: CliOutput = { out: '', err: '' };
  beforeEach(() => {
    io.out = '';
    io.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      io.out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      io.err += String(s);
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());
  return io;
}
