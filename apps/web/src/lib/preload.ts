/**
 * A page's code, loaded ahead (on a direct visit, or just before navigating to it) so that it
 * renders without suspending: React throttles the reveal of suspended content by up to 300 ms,
 * which the page's first paint should not pay. The application page and the review page.
 */
import { lazy, useEffect, useState, type ComponentType } from 'react';

type PageProps = { id: string };

function preloadable(load: () => Promise<{ default: ComponentType<PageProps> }>) {
  let ready: ComponentType<PageProps> | null = null;
  const Lazy = lazy(load);
  const preload = () =>
    load().then((m) => {
      ready = m.default;
    });
  return { preload, page: () => ready ?? Lazy, ready: () => ready };
}

const application = preloadable(() => import('../pages/ApplicationPage'));
const review = preloadable(() => import('../pages/ReviewPage'));

export const preloadApplicationPage = application.preload;
export const applicationPage = application.page;
export const preloadReviewPage = review.preload;
/** The review page as a lazy component (suspends until its code is there), as it was before `useReviewPage`. */
export const reviewPage = review.page;

/**
 * The review page once its code is there, a placeholder until then: the app's header is shown
 * meanwhile (not held back for the page's code), and the page appears when its code has arrived,
 * without a suspended render's throttled reveal.
 */
export function useReviewPage(): ComponentType<PageProps> | null {
  const [page, setPage] = useState<ComponentType<PageProps> | null>(() => review.ready());
  useEffect(() => {
    if (page) return;
    let live = true;
    review.preload().then(
      () => live && setPage(() => review.ready()),
      () => live && setPage(() => review.page()),
    );
    return () => {
      live = false;
    };
  }, [page]);
  return page;
}
