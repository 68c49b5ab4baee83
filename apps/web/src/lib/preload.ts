/**
 * The application page's code, loaded ahead (on a direct visit, or just before navigating
 * to it) so that it renders without suspending: React throttles the reveal of suspended
 * content by up to 300 ms, which the form's first paint should not pay.
 */
import { lazy, type ComponentType } from 'react';

type PageProps = { id: string };
let ready: ComponentType<PageProps> | null = null;
const Lazy = lazy(() => import('../pages/ApplicationPage'));

export function preloadApplicationPage(): Promise<void> {
  return import('../pages/ApplicationPage').then((m) => {
    ready = m.default;
  });
}

export function applicationPage(): ComponentType<PageProps> {
  return ready ?? Lazy;
}
