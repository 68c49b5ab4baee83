/**
 * The gate: what is checked from a request's headers before any of its body is read, beside the
 * session and CSRF checks of session.ts (which run first): the declared size (Content-Length)
 * against the route's limit, and the one warning about X-Forwarded-For without trust-proxy. A
 * request refused before its body was read is answered with `Connection: close` (see
 * `closeIfUnread`), so that the rest of an unwanted upload is not received either: it costs its
 * headers only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ApiError } from './errors.js';

/** Whether the request announces a body (a length above 0, or a chunked one). */
function hasBody(req: FastifyRequest): boolean {
  const len = req.headers['content-length'];
  if (len !== undefined && Number(len) > 0) return true;
  return req.headers['transfer-encoding'] !== undefined;
}

/** On an error answer: close the connection when the request's body was not (all) read. */
export function closeIfUnread(req: FastifyRequest, reply: FastifyReply): void {
  const unread = req.body === undefined || (req.body instanceof Readable && !req.body.readableEnded);
  if (hasBody(req) && unread) void reply.header('connection', 'close');
}

/** A byte count as a person reads it (1 MiB → "1 MB"; below 10 KB exact, in bytes). */
export function formatBytes(n: number): string {
  if (n < 10 * 1024) return `${n} 字节`;
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.round((n / 1024) * 10) / 10} KB`;
}

export function installGate(app: FastifyInstance, o: { trustProxy: boolean }): void {
  let warnedForwarded = false;
  app.addHook('onRequest', async (req) => {
    if (!o.trustProxy && !warnedForwarded && req.headers['x-forwarded-for'] !== undefined) {
      warnedForwarded = true;
      app.log.warn(
        { remoteAddress: req.ip },
        'requests carry X-Forwarded-For but YUANPING_TRUST_PROXY is off: every client behind the proxy shares its address for sign-in throttling (see README, "Behind a proxy")',
      );
    }
    if (req.is404) return;
    const declared = Number(req.headers['content-length'] ?? 0);
    const limit = req.routeOptions.bodyLimit;
    if (typeof limit === 'number' && declared > limit) throw new ApiError('PAYLOAD_TOO_LARGE', { limit: formatBytes(limit) });
  });
}
