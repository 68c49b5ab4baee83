/** A minimal history router: enough for a handful of routes, no dependency. */
import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';

const listeners = new Set<() => void>();
const here = () => location.pathname + location.search;
let current = here();

/**
 * What a page with unsaved edits says before the user leaves it (null: nothing to lose). Every
 * way out of the page asks with it: in-app links and buttons (`navigate`), the browser's back and
 * forward buttons (`popstate`, undone when the user stays), reload and closing the tab
 * (`beforeunload`).
 */
let leaveGuard: (() => string | null) | null = null;

/** Installs the page's guard; returns the function that removes it. */
export function setLeaveGuard(guard: () => string | null): () => void {
  leaveGuard = guard;
  const onUnload = (e: BeforeUnloadEvent) => {
    if (leaveGuard === guard && guard()) {
      e.preventDefault();
      e.returnValue = '';
    }
  };
  window.addEventListener('beforeunload', onUnload);
  return () => {
    if (leaveGuard === guard) leaveGuard = null;
    window.removeEventListener('beforeunload', onUnload);
  };
}

/** true when there is nothing to lose or the user chose to leave anyway. */
export function confirmLeave(): boolean {
  const msg = leaveGuard?.();
  return !msg || window.confirm(msg);
}

/** `asked`: the user already chose to leave (no second question). */
export function navigate(to: string, replace = false, asked = false): void {
  if (!asked && to !== here() && !confirmLeave()) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  current = here();
  listeners.forEach((l) => l());
}

window.addEventListener('popstate', () => {
  const next = here();
  if (next !== current && !confirmLeave()) {
    // stay: put the page the user is on back on top of the history
    history.pushState(null, '', current);
    return;
  }
  current = next;
  listeners.forEach((l) => l());
});

export function usePath(): string {
  const [path, setPath] = useState(here);
  useEffect(() => {
    const on = () => setPath(here());
    listeners.add(on);
    return () => {
      listeners.delete(on);
    };
  }, []);
  return path;
}

/** Match `/a/:id/b` against a path; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const a = (path.split('?')[0] ?? '').split('/').filter(Boolean);
  if (p.length !== a.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] as string;
    const val = a[i] as string;
    if (seg.startsWith(':')) out[seg.slice(1)] = decodeURIComponent(val);
    else if (seg !== val) return null;
  }
  return out;
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className}>
      {children}
    </a>
  );
}

export function queryParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}
