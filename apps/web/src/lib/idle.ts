/**
 * Runs `fn` when the browser is idle (after the frames and input waiting to be handled), or
 * after `timeout` ms at the latest; returns a cancel function. Work that can wait — the rest of
 * a long form, the side panels — then does not hold up the first keystroke.
 */
export function whenIdle(fn: () => void, timeout = 300): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(fn, { timeout });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(fn, 1);
  return () => window.clearTimeout(id);
}
