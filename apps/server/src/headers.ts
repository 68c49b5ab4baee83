/**
 * Security headers and compression for every answer of the server.
 *
 * - Content-Security-Policy: only this origin's scripts, styles, images, fonts and requests; no
 *   plugins, no framing (frame-ancestors 'none', and X-Frame-Options DENY for older browsers).
 *   The web app's page (index.html) carries a fresh nonce per request (static.ts): its one inline
 *   script carries that nonce, no other inline script runs, and nothing is evaluated from text (the
 *   forms' validators come precompiled from the server: form-validators.ts). One concession, see the
 *   directives: inline styles are allowed.
 * - Referrer-Policy same-origin, X-Content-Type-Options nosniff, HSTS when served over HTTPS.
 * - Brotli or gzip for JSON and text answers (built assets are precompressed at build: static.ts).
 */
import { constants } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import compress from '@fastify/compress';

export interface HeaderOptions {
  /** Served over HTTPS (secure cookies): HSTS and upgrade-insecure-requests. */
  https: boolean;
}

export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  // no eval: the forms' validators are compiled by the server (form-validators.ts) and loaded as
  // same-origin modules with import()
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  // <style> elements and style attributes: antd and rc-components write some without the page's
  // nonce (about 20 per page behind sign-in were refused in Chromium); these two directives take
  // precedence over style-src (whose nonce would make 'unsafe-inline' ignored) — styles cannot run
  // code, scripts stay nonce-only
  'style-src-elem': ["'self'", "'unsafe-inline'"],
  'style-src-attr': ["'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'media-src': ["'self'", 'blob:'],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

export async function installHeaders(app: FastifyInstance, opts: HeaderOptions): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...CSP_DIRECTIVES, ...(opts.https ? { 'upgrade-insecure-requests': [] } : {}) },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // the app loads nothing from other origins; COEP would only refuse downloads opened in a new tab
    crossOriginEmbedderPolicy: false,
  });
  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    // answers are compressed as they are sent: a quick brotli level (11 is for build time)
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
}
