/**
 * The gate: what is checked from a request's headers before any of its body is read —
 * the session (authentication), the CSRF token, that a write to a private route comes with a
 * session, and the declared size (Content-Length) against the route's limit. A request refused
 * here costs its headers only: its body is never parsed, and the connection is closed after the
 * answer so that an unread upload is not received either.
 *
 * A route that takes writes without a session (sign-in) says so with `config: { public: true }`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Storage } from '@yuanping/storage';
import { safeEqual, sha256 } from './auth.js';
import { ApiError } from './errors.js';
import type { SessionCache } from './session-cache.js';

export const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface GateOptions {
  storage: Storage;
  sessions: SessionCache;
  now: () => Date;
  sessionCookie: string;
  csrfHeader: string;
  /** Whether requests may come through a proxy that sets X-Forwarded-For (see ServerOptions.trustProxy). */
  trustProxy: boolean;
}

/** Whether the request announces a body (a length above 0, or a chunked one). */
function hasBody(req: FastifyRequest): boolean {
  const len = req.headers['content-length'];
  if (len !== undefined && Number(len) > 0) return true;
  return req.headers['transfer-encoding'] !== undefined;
}

/** A byte count as a person reads it (1 MiB → "1 MB"; below 10 KB exact, in bytes). */
export function formatBytes(n: number): string {
  if (n < 10 * 1024) return `${n} 字节`;
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.round((n / 1024) * 10) / 10} KB`;
}

function refuse(req: FastifyRequest, reply: FastifyReply, e: ApiError): never {
  // the body is not wanted: close the connection after the answer instead of receiving it
  if (hasBody(req)) void reply.header('connection', 'close');
  throw e;
}

export function installGate(app: FastifyInstance, o: GateOptions): void {
  let warnedForwarded = false;
  app.addHook('onRequest', async (req, reply) => {
    if (!o.trustProxy && !warnedForwarded && req.headers['x-forwarded-for'] !== undefined) {
      warnedForwarded = true;
      app.log.warn(
        { remoteAddress: req.ip },
        'requests carry X-Forwarded-For but YUANPING_TRUST_PROXY is off: every client behind the proxy shares its address for sign-in throttling (see README, "Behind a proxy")',
      );
    }
    const token = req.cookies[o.sessionCookie];
    if (token) {
      const hash = sha256(token);
      const now = o.now();
      let found = o.sessions.get(hash, now);
      if (!found) {
        const row = await o.storage.getSession(hash, now);
        if (row) {
          found = { user: row.user, csrfToken: row.session.csrfToken, expiresAt: row.session.expiresAt };
          o.sessions.set(hash, found);
        }
      }
      if (found) {
        req.user = found.user;
        req.sessionHash = hash;
        req.csrfToken = found.csrfToken;
      }
    }
    const route = req.routeOptions;
    // an unknown route answers its 404 as before
    if (req.is404 || route.url === undefined) return;
    const isPublic = (route.config as { public?: boolean } | undefined)?.public === true;
    if (UNSAFE.has(req.method)) {
      if (!req.user && !isPublic) refuse(req, reply, new ApiError('UNAUTHENTICATED'));
      // a public write (sign-in) does not act with the session it may carry, so it needs no CSRF token
      if (req.user && !isPublic) {
        const sent = req.headers[o.csrfHeader];
        if (typeof sent !== 'string' || !req.csrfToken || !safeEqual(sent, req.csrfToken)) refuse(req, reply, new ApiError('CSRF_FAILED'));
      }
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const limit = route.bodyLimit;
    if (typeof limit === 'number' && declared > limit) refuse(req, reply, new ApiError('PAYLOAD_TOO_LARGE', { limit: formatBytes(limit) }));
  });
}
