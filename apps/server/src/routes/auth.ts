import type { FastifyInstance } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { CSRF_HEADER, publicUser, requireUser, SESSION_COOKIE } from '../session.js';
import type { Ctx } from '../ctx.js';
import { DUMMY_HASH, hashPassword, newToken, sha256, verifyPassword } from '../auth.js';
import { ApiError } from '../errors.js';
import { ok } from '../components.js';
import type { ExpiryPolicy } from '../housekeeping.js';
import { assertMayTry, recordFailure, recordSuccess, throttleKeys, type ThrottlePolicy } from '../signin-throttle.js';

/** The sign-in throttling policy of this server (ServerOptions.signIn*). */
export function signInPolicy(ctx: Ctx): ThrottlePolicy {
  return {
    freeFailures: ctx.opts.signInLimit,
    baseDelayMs: 1000,
    maxDelayMs: ctx.opts.signInMaxDelayMs,
    expireMs: ctx.opts.signInWindowMs,
    deviceTtlMs: 180 * 86_400_000,
  };
}

/** How long this server keeps what expires (see housekeeping.ts). */
export function expiryPolicy(ctx: Ctx): ExpiryPolicy {
  const p = signInPolicy(ctx);
  return { signInWindowMs: p.expireMs, deviceTtlMs: p.deviceTtlMs, longestWindowMs: Math.max(ctx.opts.remindIntervalMs, ctx.opts.signInWindowMs) };
}

/** A password as a request carries it (sign-in, change of password). */
const secret = { type: 'string', minLength: 1, maxLength: 200 } as const;
const loginBody = { type: 'object', additionalProperties: false, required: ['username', 'password'], properties: { username: { type: 'string', minLength: 1, maxLength: 100 }, password: secret } } as const;
const passwordBody = { type: 'object', additionalProperties: false, required: ['current', 'password'], properties: { current: secret, password: secret } } as const;

export async function authRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  const { storage } = ctx;
  // request types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();

  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: '登录（设置 HttpOnly 会话 Cookie，返回 CSRF 令牌）',
        body: loginBody,
        response: ok(
          {
            type: 'object',
            required: ['user', 'csrfToken', 'csrfHeader'],
            properties: { user: { $ref: 'User#' }, csrfToken: { type: 'string' }, csrfHeader: { type: 'string', description: '非 GET 请求带 CSRF 令牌的请求头' } },
          },
          '已登录（会话 Cookie 已设置）',
        ),
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const now = ctx.now();
      const policy = signInPolicy(ctx);
      // throttling in the database, shared by every server process (see signin-throttle.ts): growing
      // delays per account and per address; a known device is judged by its own failures only
      const user = await storage.getUserByUsername(username);
      const throttle = await throttleKeys(storage, req, username, user?.id ?? null, now, policy);
      await assertMayTry(storage, reply, throttle, now, policy);
      // the memory-hard hash runs in a bounded queue: a rush of sign-ins waits its turn (or is told
      // to come back, 503 + Retry-After) instead of starving every other request of CPU
      const ok = await ctx.queues.signin.run(req, reply, () => verifyPassword(password, user?.passwordHash ?? DUMMY_HASH));
      if (!user || !ok) {
        await recordFailure(storage, throttle, now, policy);
        await storage.appendAudit({ actorId: null, action: 'auth.login_failed', entity: 'user', entityId: username, after: { ip: req.ip } });
        throw new ApiError('INVALID_CREDENTIALS');
      }
      if (user.disabledAt) {
        await storage.appendAudit({ actorId: null, action: 'auth.login_disabled', entity: 'user', entityId: user.id, after: { ip: req.ip } });
        throw new ApiError('ACCOUNT_DISABLED');
      }
      await recordSuccess(storage, reply, throttle, username, user.id, now, policy, ctx.opts.secureCookies);
      await storage.deleteExpiredSessions(now);
      const token = newToken();
      const csrfToken = newToken();
      await storage.createSession({ idHash: sha256(token), userId: user.id, csrfToken, expiresAt: new Date(now.getTime() + ctx.opts.sessionTtlMs) });
      await storage.appendAudit({ actorId: user.id, action: 'auth.login', entity: 'user', entityId: user.id });
      void reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.opts.secureCookies,
        path: '/',
        maxAge: Math.floor(ctx.opts.sessionTtlMs / 1000),
      });
      return { user: publicUser(user), csrfToken, csrfHeader: CSRF_HEADER };
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出登录', response: ok({ $ref: 'Ok#' }, '已退出') } }, async (req, reply) => {
    const user = requireUser(req);
    if (req.sessionHash) {
      await storage.deleteSession(req.sessionHash);
      ctx.sessions.delete(req.sessionHash);
    }
    await storage.appendAudit({ actorId: user.id, action: 'auth.logout', entity: 'user', entityId: user.id });
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: '修改自己的密码（管理员重置密码后，登录的用户须先在这里设置新密码）；其他设备上的会话随之结束',
        body: passwordBody,
        response: ok({ $ref: 'Ok#' }, '密码已修改'),
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const b = req.body;
      const ok = await ctx.queues.signin.run(req, reply, () => verifyPassword(b.current, u.passwordHash));
      if (!ok) throw new ApiError('PASSWORD_WRONG', {}, { errors: [{ path: 'current', code: 'password', message: '当前密码不正确' }] });
      if (b.password.length < 8 || b.password === b.current) throw new ApiError('PASSWORD_WEAK', {}, { errors: [{ path: 'password', code: 'password', message: '新密码至少 8 位，且不能与当前密码相同' }] });
      const passwordHash = await hashPassword(b.password);
      await storage.transaction(async (t) => {
        await t.updateUserAccount(u.id, { passwordHash, mustChangePassword: false, ...(req.sessionHash ? { keepSession: req.sessionHash } : {}) });
        await t.appendAudit({ actorId: u.id, action: 'user.change_password', entity: 'user', entityId: u.id, at: ctx.now() });
      });
      ctx.sessions.deleteUser(u.id);
      return { ok: true };
    },
  );

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: '当前用户与 CSRF 令牌', response: ok({ $ref: 'Me#' }, '当前用户') } }, async (req) => {
    const user = requireUser(req);
    const park = user.parkId ? await storage.getPark(user.parkId) : null;
    const org = user.orgCode ? await storage.getOrgUnit(user.orgCode) : null;
    return { user: publicUser(user), park, orgUnit: org, csrfToken: req.csrfToken, csrfHeader: CSRF_HEADER };
  });
}
