import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSaveQueue, type SaveState } from './saveQueue';
import { ApiFailure } from './api';

/** A send whose answers the test gives, one by one. */
function controlledSend() {
  const calls: Array<{ value: number; answer: (ok: boolean, e?: unknown) => void }> = [];
  const send = (value: number) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ value, answer: (ok, e) => (ok ? resolve() : reject(e ?? new ApiFailure(0, 'NETWORK', '网络不通'))) });
    });
  return { calls, send };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

describe('saves of one document (saveQueue)', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('a flush while a save is in flight waits for that save (a submit right after an autosave started)', async () => {
    const { calls, send } = controlledSend();
    const states: SaveState['kind'][] = [];
    const q = createSaveQueue<number>({ send, onState: (s) => states.push(s.kind), delay: 800 });
    q.push(1);
    vi.advanceTimersByTime(800);
    expect(calls.map((c) => c.value)).toEqual([1]);
    // the page submits: it flushes, then asks whether everything is saved
    let flushed = false;
    const f = q.flush().then(() => (flushed = true));
    await settle();
    expect(flushed).toBe(false);
    expect(q.dirty()).toBe(true);
    calls[0]?.answer(true);
    await f;
    expect(q.dirty()).toBe(false);
    expect(calls).toHaveLength(1);
    expect(states.at(-1)).toBe('saved');
  });

  it('a flush while a save is in flight and a later edit waits: the later edit goes next, then it resolves', async () => {
    const { calls, send } = controlledSend();
    const q = createSaveQueue<number>({ send, onState: () => undefined, delay: 800 });
    q.push(1);
    vi.advanceTimersByTime(800);
    q.push(2);
    let flushed = false;
    const f = q.flush().then(() => (flushed = true));
    calls[0]?.answer(true);
    await settle();
    expect(flushed).toBe(false);
    expect(calls.map((c) => c.value)).toEqual([1, 2]);
    calls[1]?.answer(true);
    await f;
    expect(q.dirty()).toBe(false);
  });

  it('a flush with nothing waiting resolves at once; with an edit waiting it sends it now', async () => {
    const { calls, send } = controlledSend();
    const q = createSaveQueue<number>({ send, onState: () => undefined, delay: 800 });
    await q.flush();
    q.push(3);
    const f = q.flush();
    expect(calls.map((c) => c.value)).toEqual([3]);
    calls[0]?.answer(true);
    await f;
    expect(q.dirty()).toBe(false);
  });

  it('a failed save is retried with backoff and keeps the latest edit; a flush then resolves with the edit still unsaved', async () => {
    const { calls, send } = controlledSend();
    const states: SaveState['kind'][] = [];
    const q = createSaveQueue<number>({ send, onState: (s) => states.push(s.kind), delay: 800 });
    q.push(1);
    vi.advanceTimersByTime(800);
    calls[0]?.answer(false);
    await settle();
    expect(states.at(-1)).toBe('retrying');
    q.push(2);
    const f = q.flush();
    expect(calls.map((c) => c.value)).toEqual([1, 2]);
    calls[1]?.answer(false);
    await f;
    expect(q.dirty()).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(calls.map((c) => c.value)).toEqual([1, 2, 2]);
    calls[2]?.answer(true);
    await settle();
    expect(q.dirty()).toBe(false);
    expect(states.at(-1)).toBe('saved');
  });

  it('a conflict (412) stops until the page acts; a flush does not hang on it', async () => {
    const { calls, send } = controlledSend();
    const states: SaveState['kind'][] = [];
    const q = createSaveQueue<number>({ send, onState: (s) => states.push(s.kind), delay: 800 });
    q.push(1);
    const f = q.flush();
    calls[0]?.answer(false, new ApiFailure(412, 'PRECONDITION_FAILED', '已被修改'));
    await f;
    expect(states.at(-1)).toBe('conflict');
    expect(q.dirty()).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(calls).toHaveLength(1);
  });
});
