import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { openStorage } from '@yuanping/storage';
import { loadEngine, type PackLike } from './engine.js';
import { ApiError } from './errors.js';
import { toApiError } from './http.js';
import { closeIfUnread, installGate } from './gate.js';
import { installHousekeeping } from './housekeeping.js';
import { JobRunner } from './jobs.js';
import { jobRoutes } from './routes/jobs.js';
import { installJsonBody } from './json-body.js';
import { expiryPolicy } from './routes/auth.js';
import { installHeaders } from './headers.js';
import { installContract, PROBLEM_TYPE } from './contract.js';
import { ok } from './components.js';
import { CSRF_HEADER, installSession, markRoutesPublic, SESSION_COOKIE } from './session.js';
import type { Ctx } from './ctx.js';
import type { ServerOptions } from './options.js';
import { authRoutes } from './routes/auth.js';
import { demoRoutes } from './routes/demo.js';
import { orgRoutes } from './routes/org.js';
import { packRoutes } from './routes/packs.js';
import { workbenchRoutes } from './routes/workbench.js';
import { workbookRoutes } from './routes/workbook.js';
import { peopleRoutes } from './routes/people.js';
import { submissionRoutes } from './routes/submissions.js';
import { tableRoutes } from './routes/tables.js';
import { tableImportRoutes } from './routes/table-import.js';
import { tablePrefillRoutes } from './routes/table-prefill.js';
import { consistencyRoutes } from './routes/consistency.js';
import { cohortRoutes } from './routes/cohort.js';
import { auditRoutes } from './routes/audit.js';
import { exportRoutes } from './routes/export.js';
import { confirmationRoutes } from './routes/confirmations.js';
import { attachmentInfoRoutes } from './routes/attachment-info.js';
import { homeRoutes } from './routes/home.js';
import { resultRoutes } from './routes/results.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { notificationRoutes } from './routes/notifications.js';
import { loggingChannel, Notifier } from './notify.js';
import { WEB_DIST, webApp } from './static.js';
import { SessionCache } from './session-cache.js';
import { makeQueues, type Queues } from './work-queue.js';
import { installMetrics, type Metrics } from './metrics.js';
import { UPLOAD_TIMEOUT_MS } from './upload.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');



declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's Prometheus metrics (see metrics.ts). */
    metrics: Metrics;
    /** This instance's bounded queues for expensive work (see work-queue.ts). */
    queues: Queues;
    /** This process's job runner (long work as database-backed jobs, see jobs.ts). */
    jobs: JobRunner;
  }
}


/**
 * Request logging: one line per request when it completes (method, URL, status, milliseconds,
 * client address) instead of fastify's two ("incoming request" and "request completed" with the
 * whole request and reply serialized): at info for a refused or failed request (status ≥ 400), at
 * debug for a successful one (not written at the default level info: `YUANPING_LOG_LEVEL=debug`
 * writes them — the line cost ≈ 6 % of a draft save's CPU, docs/PERFORMANCE.md), at warn for a slow
 * one whatever its status; `perRequest` false: none but the slow ones. Errors are logged as before.
 */
const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
export class RequestLog extends LogController {
  constructor(
    private readonly perRequest: boolean,
    private readonly slowMs: number,
  ) {
    super();
  }
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    // a slow request is logged even when per-request lines are off
    const slow = this.slowMs > 0 && reply.elapsedTime >= this.slowMs;
    const level = slow ? 'warn' : !this.perRequest ? null : reply.statusCode >= 400 ? 'info' : 'debug';
    if (level === null || (LEVELS[reply.log.level] ?? 0) > LEVELS[level]!) return;
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, remoteAddress: request.ip };
    reply.log[level](line, slow ? 'slow request' : 'request');
  }
}

export async function buildServer(opts: ServerOptions = {}): Promise<FastifyInstance> {
  const ownsStorage = !opts.storage;
  const app = Fastify({
    logger: opts.logger ? { level: opts.logLevel ?? 'info' } : false,
    logController: new RequestLog(opts.logRequests !== false, opts.slowMs ?? 1000),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    handlerTimeout: opts.handlerTimeout ?? 30_000,
    // the whole request, body included: an upload streams for minutes (60 s cut large ones off with
    // 408); headers still have 60 s (Node's headersTimeout) and an idle connection 60 s
    requestTimeout: UPLOAD_TIMEOUT_MS,
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
      signInLimit: opts.signInLimit ?? 5,
      signInWindowMs: opts.signInWindowMs ?? 15 * 60_000,
      signInMaxDelayMs: opts.signInMaxDelayMs ?? 60_000,
      secureCookies: opts.secureCookies ?? false,
      remindIntervalMs: opts.remindIntervalMs ?? 24 * 3600_000,
    },
    notifier: new Notifier(opts.outbound ?? loggingChannel(app.log), app.log),
    sessions: new SessionCache(opts.sessionCacheMs ?? 5_000),
    queues: makeQueues(opts.queues),
    jobs: new JobRunner(storage, app.log, opts.now ?? (() => new Date())),
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
  installHousekeeping(app, storage, ctx.now, expiryPolicy(ctx));
  app.addHook('onClose', async () => {
    // running jobs stop first (ended as interrupted), then the database closes
    await ctx.jobs.close();
    if (ownsStorage) await storage.close();
  });
  for (const q of Object.values(ctx.queues)) {
    q.onShed = (req: FastifyRequest) => req.log.warn({ method: req.method, url: req.url, queue: q.opts.name, ...q.snapshot(), remoteAddress: req.ip }, 'request shed');
  }
  const metrics = installMetrics(app, storage, ctx.queues, { defaultMetrics: opts.processMetrics !== false });
  app.decorate('metrics', metrics);
  app.decorate('queues', ctx.queues);
  app.decorate('jobs', ctx.jobs);

  await installHeaders(app, { https: opts.secureCookies ?? false });
  await app.register(cookie);
  installJsonBody(app);
  installSession(app, ctx);
  // the declared size, from the headers, before any body is read (after the session checks)
  installGate(app, { trustProxy: opts.trustProxy ?? false });
  installContract(app);
  await app.register(swagger, {
    // shared schemas (contract.ts) appear as components named by their $id
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '园评 Yuanping API',
        version: '0.1.0',
        description: '通知包、填报、县市省三级审核、名额、汇总表与审计日志。错误按 RFC 9457（application/problem+json）答复，code 为错误目录中的代码。',
        license: { name: '内部使用（未开源）', identifier: 'LicenseRef-Yuanping-Internal' },
      },
      servers: [{ url: '/', description: '本服务器' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER },
        },
      },
    },
  });  await app.register(async (docs) => {
    markRoutesPublic(docs);
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });



  app.setErrorHandler((err, req, reply: FastifyReply) => {
    const e = toApiError(err, req);
    // a body left unread (a request refused from its headers) is not received: the connection closes after the answer
    closeIfUnread(req, reply);
    metrics.errors.inc({ code: e.code });
    // every 503 (a full queue, the database pool out of connections, a handler timeout) tells the
    // client when to come back
    if (e.status === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', '2');
    // a shed request is logged by its queue (with the queue's depth)
    if (e.code === 'CLIENT_GONE') req.log.warn({ method: req.method, url: req.url }, 'client gone, work dropped');
    else if (e.code === 'OVERLOADED') {
      // logged by its queue
    } else if (e.status >= 500) req.log.error({ err }, 'request failed');
    void reply.status(e.status).type(PROBLEM_TYPE).send(e.toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const e = new ApiError('ROUTE_NOT_FOUND', { method: req.method, url: path });
    return reply.status(404).type(PROBLEM_TYPE).send(e.toJSON());
  });

  app.get('/api/health', { config: { public: true }, schema: { tags: ['system'], summary: '健康检查', response: ok({ type: 'object', required: ['ok', 'database'], properties: { ok: { type: 'boolean' }, database: { type: 'string', enum: ['pg', 'pglite'] } } }, '服务器与数据库可用') } }, async () => {
    await storage.ping();
    return { ok: true, database: storage.kind };
  });

  await app.register(async (r) => authRoutes(r, ctx));
  await app.register(async (r) => demoRoutes(r, ctx));
  await app.register(async (r) => orgRoutes(r, ctx));
  await app.register(async (r) => packRoutes(r, ctx));
  await app.register(async (r) => workbenchRoutes(r, ctx));
  await app.register(async (r) => workbookRoutes(r, ctx));
  await app.register(async (r) => submissionRoutes(r, ctx));
  await app.register(async (r) => tableRoutes(r, ctx));
  await app.register(async (r) => tableImportRoutes(r, ctx));
  await app.register(async (r) => tablePrefillRoutes(r, ctx));
  await app.register(async (r) => consistencyRoutes(r, ctx));
  await app.register(async (r) => cohortRoutes(r, ctx));
  await app.register(async (r) => jobRoutes(r, ctx));
  await app.register(async (r) => auditRoutes(r, ctx));
  await app.register(async (r) => peopleRoutes(r, ctx));
  await app.register(async (r) => exportRoutes(r, ctx));
  await app.register(async (r) => confirmationRoutes(r, ctx));
  await app.register(async (r) => attachmentInfoRoutes(r, ctx));
  await app.register(async (r) => homeRoutes(r, ctx));
  await app.register(async (r) => resultRoutes(r, ctx));
  await app.register(async (r) => dashboardRoutes(r, ctx));
  await app.register(async (r) => notificationRoutes(r, ctx));
  // the built web app (apps/web/dist by default), SPA fallback
  await app.register(webApp, { root: opts.webDir === undefined ? WEB_DIST : opts.webDir });
  return app;
}
