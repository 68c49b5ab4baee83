import { describe, expect, it, vi } from 'vitest';
import { PASSWORD } from './testing/harness.js';
import { sweepExpired } from './housekeeping.js';
import { expiryPolicy } from './routes/auth.js';
import { serverFor } from '../../../test/support/server.js';

const T0 = '2021-08-22T02:00:00Z';
const at = (ms: number) => new Date(new Date(T0).getTime() + ms).toISOString();

describe('sign-in throttling that cannot be turned against users', () => {
  // 3 free failures per account, 15 per address; delays 1 s, 2 s, 4 s … up to 60 s; records kept 15 min
  const srv = serverFor({ signInLimit: 3, packFiles: null });

  function login(username: string, password: string, headers: Record<string, string> = {}) {
    return srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });
  }

  it('delays grow with each failure on an account; a 429 says when to come back', async () => {
    srv.h.setNow(T0);
    for (let i = 0; i < 3; i++) expect((await login('city-nb', 'bad')).statusCode).toBe(401);
    const r1 = await login('city-nb', PASSWORD);
    expect(r1.statusCode).toBe(429);
    expect(r1.json()).toMatchObject({ code: 'RATE_LIMITED', message: '尝试过于频繁，请 1 秒后再试' });
    expect(r1.headers['retry-after']).toBe('1');
    // 1 s later a try is allowed again; the 4th failure makes the next wait 2 s
    srv.h.setNow(at(1000));
    expect((await login('city-nb', 'bad')).statusCode).toBe(401);
    srv.h.setNow(at(2000));
    expect((await login('city-nb', PASSWORD)).headers['retry-after']).toBe('1');
    srv.h.setNow(at(3000));
    expect((await login('city-nb', 'bad')).statusCode).toBe(401);
    // 5 failures: 4 s
    expect((await login('city-nb', PASSWORD)).headers['retry-after']).toBe('4');
    srv.h.setNow(at(7000));
    expect((await login('city-nb', PASSWORD)).statusCode).toBe(200);
    // a success forgets the account's failures
    expect((await login('city-nb', 'bad')).statusCode).toBe(401);
  });

  it('a known device signs in whatever others did to its account and address; an unknown one waits', async () => {
    srv.h.setNow(at(3_600_000));
    const first = await login('city-hz', PASSWORD);
    expect(first.statusCode).toBe(200);
    const device = first.cookies.find((c) => c.name === 'yp_dev');
    expect(device?.httpOnly).toBe(true);
    // someone else: 3 failures on the account and 12 more from the same address (15 in all)
    for (let i = 0; i < 3; i++) expect((await login('city-hz', 'guess')).statusCode).toBe(401);
    for (let i = 0; i < 12; i++) expect((await login(`nobody${i}`, 'guess')).statusCode).toBe(401);
    expect((await login('city-hz', PASSWORD)).statusCode).toBe(429);
    expect((await login('county-xihu', PASSWORD)).statusCode).toBe(429); // the address waits too
    // the user's own browser, known from its earlier success
    const known = await login('city-hz', PASSWORD, { cookie: `yp_dev=${device?.value}` });
    expect(known.statusCode).toBe(200);
    // the device cookie is bound to its user: it does not lift another account's delay
    expect((await login('county-xihu', PASSWORD, { cookie: `yp_dev=${device?.value}` })).statusCode).toBe(429);
  });

  it('failure records expire and are deleted', async () => {
    srv.h.setNow(at(3_600_000));
    expect((await login('city-hz', PASSWORD)).statusCode).toBe(429);
    // 15 minutes after the last failure the records have expired and the sweep deletes them
    const later = new Date(at(3_600_000 + 15 * 60_000 + 1000));
    const ctxLike = { opts: { signInLimit: 3, signInWindowMs: 15 * 60_000, signInMaxDelayMs: 60_000, remindIntervalMs: 24 * 3600_000 } } as Parameters<typeof expiryPolicy>[0];
    const deleted = await sweepExpired(srv.h.storage, later, expiryPolicy(ctxLike));
    expect(deleted).toBeGreaterThanOrEqual(3); // account, address, and the earlier account's failure
    expect(await srv.h.storage.signInFailures('user:city-hz', new Date(0))).toBeNull();
    srv.h.setNow(later);
    expect((await login('city-hz', PASSWORD)).statusCode).toBe(200);
  });

  it('warns once when requests carry X-Forwarded-For and the proxy is not trusted', async () => {
    const warn = vi.spyOn(srv.h.app.log, 'warn');
    try {
      await srv.h.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-for': '10.0.0.1' } });
      await srv.h.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-for': '10.0.0.2' } });
      const lines = warn.mock.calls.filter((c) => String(c[1]).includes('X-Forwarded-For'));
      expect(lines).toHaveLength(1);
      expect(String(lines[0]?.[1])).toContain('YUANPING_TRUST_PROXY');
    } finally {
      warn.mockRestore();
    }
  });
});
