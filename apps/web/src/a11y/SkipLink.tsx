/**
 * A link for keyboard and screen-reader users to jump straight to a part of the page (the
 * form's actions): invisible until it has focus, the first thing Tab reaches on the page.
 */
import type { ReactNode } from 'react';

export function SkipLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <a
      className="yp-skip"
      href={`#${to}`}
      onClick={(e) => {
        e.preventDefault();
        const el = document.getElementById(to);
        el?.scrollIntoView({ block: 'start' });
        el?.focus();
      }}
    >
      {children}
    </a>
  );
}
