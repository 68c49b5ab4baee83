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
import type { FastifyInstance } from 'fastify';
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
  await app.register(fastifyStatic, { root, serve: false });
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = decodeURIComponent(req.url.split('?')[0] ?? '/');
    if (path.startsWith('/api/') || path === '/api' || path.startsWith('/docs')) {
      return reply.callNotFound();
    }
    const rel = normalize(path).replace(/^[/\\]+/, '');
    const file = join(root, rel);
    if (rel && file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      const immutable = rel.startsWith('assets' + sep) || rel.startsWith('assets/');
      return reply.sendFile(rel, { maxAge: immutable ? 31_536_000_000 : 0, immutable, cacheControl: true });
    }
    if (/\.[a-z0-9]{1,8}$/i.test(rel)) return reply.callNotFound();
    void reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  });
}
