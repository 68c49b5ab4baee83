/**
 * Authentication: the session cookie, the CSRF header, who the request is (`req.user`) and
 * routes private by default.
 *
 * Every route needs a signed-in user unless its options say `config: { public: true }`; the check
 * runs in onRequest, from the headers, before any body is read. `requireUser(req, roles)` in a
 * handler then narrows to the user (and checks the role).
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Role, User } from '@yuanping/storage';
import type { Ctx } from './ctx.js';
import { safeEqual, sha256 } from './auth.js';
import { ApiError } from './errors.js';

export const SESSION_COOKIE = 'yp_sid';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    sessionHash: string | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** The route answers without a session (sign-in, health, the web app's files…); every other route requires one. */
    public?: boolean;
  }
  interface FastifyInstance {
    /** Every route of this server with whether it is public (collected as routes are added). */
    routeAccess: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  public: boolean;
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
const BEFORE_PASSWORD_CHANGE = new Set(['/api/auth/me', '/api/auth/password', '/api/auth/logout']);

/** Marks the routes added in `app`'s context public (for plugins that add routes of their own: static files, the API docs). */
export function markRoutesPublic(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    route.config = { ...(route.config ?? {}), public: true };
  });
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Installs the session hooks on the root instance (before any route is registered): the route
 * list, the session read from its cookie, the CSRF check of unsafe methods, and the 401 of a
 * private route without a session.
 */
export function installSession(app: FastifyInstance, ctx: Ctx): void {
  const routes: RouteAccess[] = [];
  app.decorate('routeAccess', routes);
  app.decorateRequest('user', null);
  app.decorateRequest('sessionHash', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // onRoute runs before the context's own onRoute hooks (markRoutesPublic), so the flag is read later, per request
    for (const method of methods) routes.push({ method, url: route.url, get public() { return route.config?.public === true; } });
  });

  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const hash = sha256(token);
      const now = ctx.now();
      let found = ctx.sessions.get(hash, now);
      if (!found) {
        const row = await ctx.storage.getSession(hash, now);
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
    // an unknown URL is answered by the not-found handler (404, or the web app's index.html)
    if (req.is404) return;
    const isPublic = req.routeOptions.config.public === true;
    if (!isPublic && !req.user) throw new ApiError('UNAUTHENTICATED');
    if (!isPublic && req.user?.mustChangePassword && !BEFORE_PASSWORD_CHANGE.has(req.routeOptions.url ?? '')) throw new ApiError('PASSWORD_CHANGE_REQUIRED');
    // a public route (sign-in) does not act with the session it may carry, so it needs no CSRF token
    if (UNSAFE.has(req.method) && req.user && !isPublic) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !req.csrfToken || !safeEqual(sent, req.csrfToken)) throw new ApiError('CSRF_FAILED');
    }
  });
}
