/**
 * Saves of one document (a draft, a table), one at a time: a change waits `delay` ms for the
 * next one; while a save is in flight, later changes are coalesced into the next save; a save
 * that fails because of the network or the server is retried with backoff (1 s, 2 s, 4 s … up to
 * 30 s) and keeps the latest edits; a conflict (412) or a refusal stops until the page acts.
 * The state is reported for the page to show (保存中 / 已保存 hh:mm / 保存失败，正在重试).
 */
import { ApiFailure } from './api';

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  | { kind: 'retrying'; message: string; attempt: number }
  | { kind: 'conflict'; message: string }
  | { kind: 'failed'; message: string };

export interface SaveQueue<T> {
  /** a new value to save (replaces any value not yet sent) */
  push(value: T): void;
  /** send what is waiting now; resolves when that save (and any coalesced after it) succeeded or failed — `dirty()` tells which */
  flush(): Promise<void>;
  /** edits not saved yet (waiting, in flight, retrying, refused) */
  dirty(): boolean;
  /** forget what is waiting (a reload) and stop retrying */
  reset(): void;
  dispose(): void;
}

/** Failures worth retrying: no answer, a server error, a timeout, rate limiting. */
export function retryable(e: unknown): boolean {
  if (!(e instanceof ApiFailure)) return true;
  return e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500;
}

export function createSaveQueue<T>(opts: { send: (value: T) => Promise<void>; onState: (s: SaveState) => void; delay?: number; maxBackoff?: number }): SaveQueue<T> {
  const delay = opts.delay ?? 800;
  const maxBackoff = opts.maxBackoff ?? 30_000;
  let pending: { value: T } | null = null;
  let inflight = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  let waiters: Array<() => void> = [];
  const set = (s: SaveState) => {
    if (!disposed) opts.onState(s);
  };
  const wake = () => {
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  };
  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, ms);
  };
  const run = async (): Promise<void> => {
    // a save in flight answers the waiters when it is done (and sends what came meanwhile first)
    if (inflight && !disposed) return;
    if (!pending || disposed) {
      wake();
      return;
    }
    const { value } = pending;
    pending = null;
    inflight = true;
    set({ kind: 'saving' });
    let again = false;
    try {
      await opts.send(value);
      attempt = 0;
      set(pending ? { kind: 'dirty' } : { kind: 'saved', at: new Date() });
      again = !!pending;
    } catch (e) {
      pending ??= { value };
      const message = e instanceof Error ? e.message : '保存失败';
      if (e instanceof ApiFailure && e.status === 412) {
        // a conflict: no automatic save until the next push (or a flush)
        set({ kind: 'conflict', message });
      } else if (retryable(e)) {
        attempt += 1;
        set({ kind: 'retrying', message, attempt });
        schedule(Math.min(maxBackoff, 1000 * 2 ** (attempt - 1)));
      } else {
        set({ kind: 'failed', message });
      }
    } finally {
      inflight = false;
    }
    if (again) void run();
    else wake();
  };
  return {
    push(value) {
      pending = { value };
      set({ kind: 'dirty' });
      if (attempt === 0) schedule(delay);
    },
    flush() {
      if (!pending && !inflight) return Promise.resolve();
      const p = new Promise<void>((resolve) => waiters.push(resolve));
      if (timer) clearTimeout(timer);
      timer = null;
      void run();
      return p;
    },
    dirty: () => !!pending || inflight,
    reset() {
      pending = null;
      attempt = 0;
      if (timer) clearTimeout(timer);
      timer = null;
      wake();
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      wake();
    },
  };
}
