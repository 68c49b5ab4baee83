/**
 * What every route gets from the server: storage, engine, clock, limits, caches and queues. Routes
 * import this module (and session.ts for authentication), never app.ts, so that the server and its
 * routes form no import cycle.
 */
import type { PackVersion, Storage } from '@yuanping/storage';
import type { Engine, PackLike } from './engine.js';
import type { Notifier } from './notify.js';
import type { ServerOptions } from './options.js';
import type { SessionCache } from './session-cache.js';
import type { Queues } from './work-queue.js';
import type { JobRunner } from './jobs.js';

export interface Ctx {
  storage: Storage;
  engine: Engine;
  now: () => Date;
  enforceWindows: boolean;
  /** see ServerOptions.strictPublish */
  strictPublish: boolean;
  /** Demo mode: the sign-in page may list the demo accounts (`GET /api/demo`). */
  demo: boolean;
  packRoot: string;
  opts: Required<Pick<ServerOptions, 'bodyLimit' | 'uploadLimit' | 'sessionTtlMs' | 'signInLimit' | 'signInWindowMs' | 'signInMaxDelayMs' | 'secureCookies' | 'remindIntervalMs'>>;
  /** Stores notifications and hands them to the outbound channel. */
  notifier: Notifier;
  /** Published pack versions are immutable, so a per-process cache by version id is safe. */
  packOf(pv: PackVersion): PackLike;
  /** The pack of a published version id (cached; loads the files once per process). */
  packById(id: number): Promise<PackLike>;
  /** Sessions read recently by this process (see SessionCache for the bounds). */
  sessions: SessionCache;
  /** Bounded queues for expensive work (503 + Retry-After when full). */
  queues: Queues;
  /** Long work as database-backed jobs (progress, cancel), run by this process. */
  jobs: JobRunner;
}
