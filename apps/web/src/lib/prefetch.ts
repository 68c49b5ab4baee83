/**
 * Starts the requests a page will need as soon as the app starts, in parallel with the
 * session check and the page's code: the application page's submission and pack version.
 */
import { request, type ApiResult, type Submission } from './api';
import { loadPackVersion } from './pack';

const pending = new Map<string, Promise<ApiResult<Submission>>>();

export function prefetchSubmission(id: string): void {
  if (pending.has(id)) return;
  const p = request('get', '/api/submissions/{id}', { params: { id } });
  p.then((r) => void loadPackVersion(r.body.packVersionId).catch(() => undefined)).catch(() => undefined);
  pending.set(id, p);
}

/** The prefetched response if there is one (used once) and it succeeded, else a fresh request (e.g. after signing in). */
export function takeSubmission(id: string): Promise<ApiResult<Submission>> {
  const p = pending.get(id);
  pending.delete(id);
  const fresh = () => request('get', '/api/submissions/{id}', { params: { id } });
  return p ? p.catch(fresh) : fresh();
}
