/**
 * Records that expire, deleted: sign-in failures (ServerOptions.signInWindowMs after the last
 * failure), devices unseen for their lifetime, idempotency keys (IDEMPOTENCY_TTL_MS after their
 * first use), rate-limit windows long past, expired sessions, chunks of uploads cut off by a crash
 * (ORPHAN_UPLOAD_TTL_MS); jobs whose process died are ended; the files jobs produced (exports,
 * import reports) JOB_RESULT_TTL_MS after they were written. Every server process sweeps on a
 * timer (deletes are idempotent, so several processes sweeping is harmless); `sweepExpired` is
 * what the timer calls, with the server's clock.
 */
import type { FastifyInstance } from 'fastify';
import type { Storage } from '@yuanping/storage';
import { JOB_STALE_MS } from './jobs.js';
import { formatMessage } from './errors.js';

/** An idempotency key answers retries for 24 hours after it was first used, then it is forgotten. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/** Chunks an upload left without an attachment row are deleted a day after they were written. */
export const ORPHAN_UPLOAD_TTL_MS = 24 * 3600_000;

/** The file a job produced (a large export, an import's report) can be downloaded for 7 days, then it is deleted (the job row stays). */
export const JOB_RESULT_TTL_MS = 7 * 24 * 3600_000;

export interface ExpiryPolicy {
  signInWindowMs: number;
  deviceTtlMs: number;
  /** the longest window any rate-limit counter uses (reminders: remindIntervalMs) */
  longestWindowMs: number;
}

export async function sweepExpired(storage: Storage, now: Date, p: ExpiryPolicy): Promise<number> {
  const t = now.getTime();
  let n = await storage.deleteExpiredThrottling({
    failuresBefore: new Date(t - p.signInWindowMs),
    devicesBefore: new Date(t - p.deviceTtlMs),
    windowsBefore: new Date(t - p.longestWindowMs),
  });
  n += await storage.deleteIdempotencyKeysBefore(new Date(t - IDEMPOTENCY_TTL_MS));
  n += await storage.deleteExpiredSessions(now);
  // chunks of uploads that never became an attachment (the process died while one arrived)
  n += await storage.deleteOrphanAttachmentChunks(new Date(t - ORPHAN_UPLOAD_TTL_MS));
  // jobs whose process died (no progress or heartbeat for JOB_STALE_MS) end as interrupted
  n += await storage.failStaleJobs(new Date(t - JOB_STALE_MS), 'JOB_INTERRUPTED', formatMessage('JOB_INTERRUPTED'), now);
  // a cohort run whose job died while writing its records (never completed, so never shown): its rows deleted after a day
  n += await storage.deleteIncompleteCohortRuns(new Date(t - 24 * 3600_000));
  // files jobs produced, past their keeping time
  n += await storage.deleteJobResultsBefore(new Date(t - JOB_RESULT_TTL_MS));
  return n;
}

/** Sweeps every `everyMs` while the server runs (the timer does not keep the process alive). */
export function installHousekeeping(app: FastifyInstance, storage: Storage, now: () => Date, p: ExpiryPolicy, everyMs = 10 * 60_000): void {
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      sweepExpired(storage, now(), p).catch((err: unknown) => app.log.warn({ err }, 'housekeeping failed'));
    }, everyMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
