/**
 * Serves the built web app (apps/web/dist) with a single-page-app fallback:
 * a GET that is not an API or docs route and names no file gets index.html.
 * Nothing is served when the app has not been built (`pnpm build:web`).
 *
 * Caching, for every route of the server (this plugin is not encapsulated, so its hook sees
 * the routes registered before it too): the built assets are named by their content hash and
 * a published pack version never changes, so both are kept by the browser for a year without
 * asking again; index.html is revalidated on every visit.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { markRoutesPublic } from './session.js';

/** The built web app: apps/web/dist, or YUANPING_WEB_DIST (a build elsewhere, e.g. the web bench's own). */
export const WEB_DIST = process.env.YUANPING_WEB_DIST ? resolve(process.env.YUANPING_WEB_DIST) : resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

const YEAR = 'max-age=31536000, immutable';

export async function webApp(app: FastifyInstance, opts: { root?: string | null } = {}): Promise<void> {
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' || reply.statusCode !== 200) return payload;
    if (req.routeOptions.url === '/api/pack-versions/:id') void reply.header('cache-control', `private, ${YEAR}`);
    else if (req.url.startsWith('/assets/')) void reply.header('cache-control', `public, ${YEAR}`);
    return payload;
  });
  const root = opts.root === undefined ? WEB_DIST : opts.root;
  if (root === null || !existsSync(join(root, 'index.html'))) return;
  await app.register(async (web) => serve(web, root));
}
// the hook above applies to the whole server, not only to this plugin's routes
(webApp as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

async function serve(app: FastifyInstance, root: string): Promise<void> {
  // the app's files are what the sign-in page is made of
  markRoutesPublic(app);
  // the build writes each asset's .br and .gz beside it (vite.config.ts): sent as they are
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true });
  // the page's nonce: the one inline script and the styles antd writes at run time carry it (headers.ts)
  app.get('/*', { schema: { hide: true }, helmet: { enableCSPNonces: true } }, async (req, reply) => {
    const path = decodeURIComponent(req.url.split('?')[0] ?? '/');
    if (path.startsWith('/api/') || path === '/api' || path.startsWith('/docs')) {
      return reply.callNotFound();
    }
    const rel = normalize(path).replace(/^[/\\]+/, '');
    const file = join(root, rel);
    if (rel && file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      if (rel === 'index.html') return sendIndex(reply, file);
      const immutable = rel.startsWith('assets' + sep) || rel.startsWith('assets/');
      return reply.sendFile(rel, { maxAge: immutable ? 31_536_000_000 : 0, immutable, cacheControl: true });
    }
    if (/\.[a-z0-9]{1,8}$/i.test(rel)) return reply.callNotFound();
    return sendIndex(reply, join(root, 'index.html'));
  });
}

/**
 * index.html with this request's CSP nonce on its inline scripts and styles, and in
 * `<meta property="csp-nonce">` for the styles the app writes at run time (antd's ConfigProvider
 * `csp`). Revalidated on every visit (the nonce changes, the page is small).
 */
async function sendIndex(reply: FastifyReply, file: string) {
  const nonce = reply.cspNonce;
  let html = await readFile(file, 'utf8');
  if (nonce) {
    html = html
      .replace(/<script(?![^>]*\ssrc=)/g, `<script nonce="${nonce.script}"`)
      .replace(/<style/g, `<style nonce="${nonce.style}"`)
      .replace(/<head>/, `<head><meta property="csp-nonce" nonce="${nonce.style}" />`);
  }
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
}
