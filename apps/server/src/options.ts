/** How a server is built: storage, limits, windows, logging (see buildServer in app.ts). */
import type { Storage } from '@yuanping/storage';
import type { Engine } from './engine.js';
import type { OutboundChannel } from './notify.js';
import type { QueueSizes } from './work-queue.js';

export interface ServerOptions {
  /** An open storage; otherwise one is opened from databaseUrl / dataDir. */
  storage?: Storage;
  databaseUrl?: string;
  /** PostgreSQL schema (tests). */
  schema?: string;
  /** PGlite data directory; absent → in memory. */
  dataDir?: string;
  engine?: Engine;
  /** Repository root whose schemas/ and rules/ hold packs publishable by reference (default: this repo). */
  packRoot?: string;
  /** Built web app to serve at `/` (default: apps/web/dist when it exists); null: none. */
  webDir?: string | null;
  /** Enforce the manifest's submission windows (default true). */
  enforceWindows?: boolean;
  /** Publishing in production: refuse packs whose administrator-set parameters are still placeholders (default false; main.ts: true unless demo). */
  strictPublish?: boolean;
  /** Demo mode (demo accounts seeded): `GET /api/demo` lists the demo accounts (default false). */
  demo?: boolean;
  /** Clock, for tests of windows and expiry. */
  now?: () => Date;
  logger?: boolean;
  /** Log level when `logger` is on (fatal, error, warn, info, debug, trace, silent; default info). */
  logLevel?: string;
  /** One log line per request (method, URL, status, time): at info when refused or failed (≥ 400), at debug when successful (default true when logging; app.ts RequestLog). */
  logRequests?: boolean;
  /** How long a session read from the database is reused by this process, in ms (default 5000; 0: read every time). */
  sessionCacheMs?: number;
  /** JSON body limit in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Upload body limit in bytes (default 200 MiB). */
  uploadLimit?: number;
  /** Handler timeout in ms (default 30 s). */
  handlerTimeout?: number;
  /** Trust X-Forwarded-For from a load balancer (for sign-in rate limits by address). */
  trustProxy?: boolean;
  /** Secure cookies (HTTPS). */
  secureCookies?: boolean;
  sessionTtlMs?: number;
  /** Failed sign-ins on one account before each further attempt must wait a growing delay (an address: 5 times as many; default 5). */
  signInLimit?: number;
  /** How long a failed sign-in is remembered after the last one (default 15 min; expired records are deleted). */
  signInWindowMs?: number;
  /** The ceiling of the growing delay between failed sign-ins (default 60 s). */
  signInMaxDelayMs?: number;
  /** Outbound channel for notifications (SMS, e-mail, webhook); default: a log line each. */
  outbound?: OutboundChannel;
  /** 催报: the same unit is reminded of the same notice form at most once per this many ms (default 24 h). */
  remindIntervalMs?: number;
  /** Sizes of the bounded queues for expensive work (sign-in hashing, evaluation, exports). */
  queues?: QueueSizes;
  /** A request slower than this (ms) is logged at level warn (default 1000; 0: never). */
  slowMs?: number;
  /** Node's default process metrics (CPU, memory, event loop) in the registry (default true). */
  processMetrics?: boolean;
}
