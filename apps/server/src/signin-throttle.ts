/**
 * Sign-in throttling that cannot be turned against users (OWASP "device cookies"):
 * - failures are counted per account (user name) and per address; after a number of free failures
 *   each further attempt must wait a delay that doubles with every failure (1 s, 2 s, 4 s, … up to
 *   a ceiling) — never a fixed lock of everyone for a quarter of an hour;
 * - a device that signed in successfully as a user gets a device cookie (a random token; the
 *   database keeps its hash): from it, that user's sign-in is throttled only by the device's own
 *   failures, so others' failures on the account or the address never block it;
 * - a refused attempt is answered 429 with Retry-After and is not counted;
 * - failure records expire `expireMs` after the last failure; devices after `deviceTtlMs` unseen.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Storage } from '@yuanping/storage';
import { newToken, sha256 } from './auth.js';
import { ApiError } from './errors.js';

export const DEVICE_COOKIE = 'yp_dev';

export interface ThrottlePolicy {
  /** failures on an account before delays start (an address gets 5 times as many) */
  freeFailures: number;
  /** the first delay; each further failure doubles it */
  baseDelayMs: number;
  /** the ceiling of the delay */
  maxDelayMs: number;
  /** a failure record is forgotten this long after its last failure */
  expireMs: number;
  /** a device not seen for this long is no longer known */
  deviceTtlMs: number;
}

/** How long after the last of `failures` failures the next attempt must wait (0: at once). */
export function delayAfter(failures: number, free: number, p: ThrottlePolicy): number {
  if (failures < free) return 0;
  return Math.min(p.baseDelayMs * 2 ** Math.min(failures - free, 30), p.maxDelayMs);
}

export interface SignInThrottle {
  /** the failure keys this attempt is judged by (and charged to when it fails) */
  keys: Array<{ key: string; free: number }>;
  deviceHash: string | null;
}

/** Which keys judge this attempt: the known device's own, or the account's and the address's. */
export async function throttleKeys(storage: Storage, req: FastifyRequest, username: string, userId: string | null, now: Date, p: ThrottlePolicy): Promise<SignInThrottle> {
  const token = req.cookies[DEVICE_COOKIE];
  const deviceHash = token ? sha256(token) : null;
  const known = deviceHash !== null && userId !== null && (await storage.isKnownDevice(deviceHash, userId, new Date(now.getTime() - p.deviceTtlMs)));
  if (known) return { keys: [{ key: `device:${deviceHash}`, free: p.freeFailures }], deviceHash };
  return {
    keys: [
      { key: `user:${username}`, free: p.freeFailures },
      { key: `ip:${req.ip}`, free: p.freeFailures * 5 },
    ],
    deviceHash: null,
  };
}

/** 429 with Retry-After when any key still has to wait. */
export async function assertMayTry(storage: Storage, reply: FastifyReply, t: SignInThrottle, now: Date, p: ThrottlePolicy): Promise<void> {
  let waitMs = 0;
  for (const { key, free } of t.keys) {
    const f = await storage.signInFailures(key, new Date(now.getTime() - p.expireMs));
    if (!f) continue;
    waitMs = Math.max(waitMs, new Date(f.lastFailureAt).getTime() + delayAfter(f.failures, free, p) - now.getTime());
  }
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    void reply.header('retry-after', String(seconds));
    throw new ApiError('RATE_LIMITED', { seconds });
  }
}

export async function recordFailure(storage: Storage, t: SignInThrottle, now: Date, p: ThrottlePolicy): Promise<void> {
  for (const { key } of t.keys) await storage.recordSignInFailure(key, now, new Date(now.getTime() - p.expireMs));
}

/**
 * After a success: the account's failures are forgotten (the address's are not: one good account
 * must not wipe an attack from the same address), and the device is remembered (a new cookie, or
 * the known one refreshed).
 */
export async function recordSuccess(storage: Storage, reply: FastifyReply, t: SignInThrottle, username: string, userId: string, now: Date, p: ThrottlePolicy, secure: boolean): Promise<void> {
  await storage.clearSignInFailures(`user:${username}`);
  let hash = t.deviceHash;
  if (hash) await storage.clearSignInFailures(`device:${hash}`);
  else {
    const token = newToken();
    hash = sha256(token);
    void reply.setCookie(DEVICE_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/api/auth', maxAge: Math.floor(p.deviceTtlMs / 1000) });
  }
  await storage.rememberDevice(hash, userId, now);
}
