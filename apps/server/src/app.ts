import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { openStorage, type PackVersion, type Role, type Storage, type User } from '@yuanping/storage';
import { loadEngine, type Engine, type PackLike } from './engine.js';
import { ApiError } from './errors.js';
import { toApiError } from './http.js';
import { safeEqual, sha256 } from './auth.js';
import { authRoutes } from './routes/auth.js';
import { demoRoutes } from './routes/demo.js';
import { orgRoutes } from './routes/org.js';
import { packRoutes } from './routes/packs.js';
import { workbookRoutes } from './routes/workbook.js';
import { peopleRoutes } from './routes/people.js';
import { submissionRoutes } from './routes/submissions.js';
import { tableRoutes } from './routes/tables.js';
import { consistencyRoutes } from './routes/consistency.js';
import { cohortRoutes } from './routes/cohort.js';
import { auditRoutes } from './routes/audit.js';
import { exportRoutes } from './routes/export.js';
import { confirmationGate, confirmationRoutes } from './routes/confirmations.js';
import { attachmentInfoRoutes } from './routes/attachment-info.js';
import { homeRoutes } from './routes/home.js';
import { notificationRoutes } from './routes/notifications.js';
import { loggingChannel, Notifier, type OutboundChannel } from './notify.js';
import { webApp } from './static.js';
import { SessionCache } from './session-cache.js';
import { makeQueues, type QueueSizes, type Queues } from './work-queue.js';
import { installMetrics, type Metrics } from './metrics.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SESSION_COOKIE = 'yp_sid';
export const CSRF_HEADER = 'x-csrf-token';

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
  /** One log line per request (method, URL, status, time) at level info (default true when logging). */
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
  /** Sign-in attempts allowed per user name or address per window. */
  signInLimit?: number;
  signInWindowMs?: number;
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
  opts: Required<Pick<ServerOptions, 'bodyLimit' | 'uploadLimit' | 'sessionTtlMs' | 'signInLimit' | 'signInWindowMs' | 'secureCookies' | 'remindIntervalMs'>>;
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
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's Prometheus metrics (see metrics.ts). */
    metrics: Metrics;
    /** This instance's bounded queues for expensive work (see work-queue.ts). */
    queues: Queues;
  }
  interface FastifyRequest {
    user: User | null;
    sessionHash: string | null;
    csrfToken: string | null;
  }
}

export function requireUser(req: FastifyRequest, roles?: readonly Role[]): User {
  const u = req.user;
  if (!u) throw new ApiError('UNAUTHENTICATED');
  if (roles && !roles.includes(u.role)) throw new ApiError('FORBIDDEN');
  return u;
}

export function publicUser(u: User) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    orgCode: u.orgCode,
    parkId: u.parkId,
    disabled: u.disabledAt != null,
    mustChangePassword: u.mustChangePassword === true,
  };
}

/** What a user whose password an administrator set may still do before setting a new one. */
const BEFORE_PASSWORD_CHANGE = new Set(['/api/auth/me', '/api/auth/password', '/api/auth/logout', '/api/auth/login']);

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Request logging: one line per request when it completes (method, URL, status, milliseconds,
 * client address) instead of fastify's two ("incoming request" and "request completed" with the
 * whole request and reply serialized); `perRequest` false: none. Errors are logged as before.
 */
class RequestLog extends LogController {
  constructor(
    private readonly perRequest: boolean,
    private readonly slowMs: number,
  ) {
    super();
  }
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, remoteAddress: request.ip };
    // a slow request is logged even when per-request lines are off
    if (this.slowMs > 0 && reply.elapsedTime >= this.slowMs) reply.log.warn(line, 'slow request');
    else if (this.perRequest) reply.log.info(line, 'request');
  }
}

export async function buildServer(opts: ServerOptions = {}): Promise<FastifyInstance> {
  const ownsStorage = !opts.storage;
  const app = Fastify({
    logger: opts.logger ? { level: opts.logLevel ?? 'info' } : false,
    logController: new RequestLog(opts.logRequests !== false, opts.slowMs ?? 1000),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    handlerTimeout: opts.handlerTimeout ?? 30_000,
    requestTimeout: 60_000,
    connectionTimeout: 60_000,
    trustProxy: opts.trustProxy ?? false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: true } },
  });
  const storage =
    opts.storage ??
    (await openStorage({
      ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
      ...(opts.schema ? { schema: opts.schema } : {}),
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      onPoolError: (err) => app.log.error({ err }, 'database pool error'),
    }));
  const engine = opts.engine ?? (await loadEngine());
  const packCache = new Map<number, PackLike>();
  const ctx: Ctx = {
    storage,
    engine,
    now: opts.now ?? (() => new Date()),
    enforceWindows: opts.enforceWindows ?? true,
    strictPublish: opts.strictPublish ?? false,
    demo: opts.demo ?? false,
    packRoot: opts.packRoot ?? REPO_ROOT,
    opts: {
      bodyLimit: opts.bodyLimit ?? 1024 * 1024,
      uploadLimit: opts.uploadLimit ?? 200 * 1024 * 1024,
      sessionTtlMs: opts.sessionTtlMs ?? 8 * 3600_000,
      signInLimit: opts.signInLimit ?? 10,
      signInWindowMs: opts.signInWindowMs ?? 15 * 60_000,
      secureCookies: opts.secureCookies ?? false,
      remindIntervalMs: opts.remindIntervalMs ?? 24 * 3600_000,
    },
    notifier: new Notifier(opts.outbound ?? loggingChannel(app.log), app.log),
    sessions: new SessionCache(opts.sessionCacheMs ?? 5_000),
    queues: makeQueues(opts.queues),
    async packById(id) {
      const cached = packCache.get(id);
      if (cached) return cached;
      const pv = await storage.getPackVersion(id);
      if (!pv) throw new ApiError('NOT_FOUND', { what: '通知包版本' });
      return this.packOf(pv);
    },
    packOf(pv) {
      let p = packCache.get(pv.id);
      if (!p) {
        p = engine.packFromFiles(pv.files, pv.packId);
        packCache.set(pv.id, p);
      }
      return p;
    },
  };
  if (ownsStorage) app.addHook('onClose', async () => storage.close());
  for (const q of Object.values(ctx.queues)) {
    q.onShed = (req: FastifyRequest) => req.log.warn({ method: req.method, url: req.url, queue: q.opts.name, ...q.snapshot(), remoteAddress: req.ip }, 'request shed');
  }
  const metrics = installMetrics(app, storage, ctx.queues, { defaultMetrics: opts.processMetrics !== false });
  app.decorate('metrics', metrics);
  app.decorate('queues', ctx.queues);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: '园评 Yuanping API', version: '0.1.0', description: '通知包、填报、县市省三级审核、名额、汇总表与审计日志' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('user', null);
  app.decorateRequest('sessionHash', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('preHandler', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const hash = sha256(token);
      const now = ctx.now();
      let found = ctx.sessions.get(hash, now);
      if (!found) {
        const row = await storage.getSession(hash, now);
        if (row) {
          found = { user: row.user, csrfToken: row.session.csrfToken, expiresAt: row.session.expiresAt };
          ctx.sessions.set(hash, found);
        }
      }
      if (found) {
        req.user = found.user;
        req.sessionHash = hash;
        req.csrfToken = found.csrfToken;
      }
    }
    if (req.user?.mustChangePassword && req.url.startsWith('/api/') && !BEFORE_PASSWORD_CHANGE.has(req.routeOptions.url ?? '')) {
      throw new ApiError('PASSWORD_CHANGE_REQUIRED');
    }
    // sign-in does not act with the session it may carry, so it needs no CSRF token
    if (UNSAFE.has(req.method) && req.user && req.routeOptions.url !== '/api/auth/login') {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !req.csrfToken || !safeEqual(sent, req.csrfToken)) throw new ApiError('CSRF_FAILED');
    }
  });
  // pass / recommend / approve wait for the level's confirmation of the applicant's ticks (x-review: confirm)
  app.addHook('preHandler', confirmationGate(ctx));

  app.setErrorHandler((err, req, reply: FastifyReply) => {
    const e = toApiError(err);
    metrics.errors.inc({ code: e.code });
    // every 503 (a full queue, the database pool out of connections, a handler timeout) tells the
    // client when to come back
    if (e.status === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', '2');
    // a shed request is logged by its queue (with the queue's depth)
    if (e.code === 'CLIENT_GONE') req.log.warn({ method: req.method, url: req.url }, 'client gone, work dropped');
    else if (e.code === 'OVERLOADED') {
      // logged by its queue
    } else if (e.status >= 500) req.log.error({ err }, 'request failed');
    void reply.status(e.status).send(e.toJSON());
  });
  const webDir = opts.webDir === undefined ? join(REPO_ROOT, 'apps', 'web', 'dist') : opts.webDir;
  const serveWeb = webDir !== null && existsSync(join(webDir, 'index.html'));
  if (serveWeb) await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // the web app's own routes (client-side routing) get its index.html
    if (serveWeb && req.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/docs')) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    const e = new ApiError('ROUTE_NOT_FOUND', { method: req.method, url: path });
    return reply.status(404).send(e.toJSON());
  });

  app.get('/api/health', { schema: { tags: ['system'], summary: '健康检查' } }, async () => {
    await storage.ping();
    return { ok: true, database: storage.kind };
  });

  await app.register(async (r) => authRoutes(r, ctx));
  await app.register(async (r) => demoRoutes(r, ctx));
  await app.register(async (r) => orgRoutes(r, ctx));
  await app.register(async (r) => packRoutes(r, ctx));
  await app.register(async (r) => workbookRoutes(r, ctx));
  await app.register(async (r) => submissionRoutes(r, ctx));
  await app.register(async (r) => tableRoutes(r, ctx));
  await app.register(async (r) => consistencyRoutes(r, ctx));
  await app.register(async (r) => cohortRoutes(r, ctx));
  await app.register(async (r) => auditRoutes(r, ctx));
  await app.register(async (r) => peopleRoutes(r, ctx));
  await app.register(async (r) => exportRoutes(r, ctx));
  await app.register(async (r) => confirmationRoutes(r, ctx));
  await app.register(async (r) => attachmentInfoRoutes(r, ctx));
  await app.register(async (r) => homeRoutes(r, ctx));
  await app.register(async (r) => notificationRoutes(r, ctx));
  await app.register(webApp); // the built web app (apps/web/dist), SPA fallback
  return app;
}
