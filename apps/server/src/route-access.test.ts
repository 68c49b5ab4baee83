import { describe, expect, it } from 'vitest';
import { serverFor } from '../../../test/support/server.js';

/**
 * Routes are private by default: the routes that answer without a session are exactly these
 * (written by hand: sign-in, the demo-account list of the sign-in page, the health check, the API
 * docs). Every other route answers 401 UNAUTHENTICATED to a request without a session cookie,
 * before its body is read.
 */
const PUBLIC = ['GET /api/health', 'POST /api/auth/login', 'GET /api/demo'];

const srv = serverFor({ packFiles: null });

describe('routes are private unless marked public', () => {
  it('lists which routes are public', () => {
    const api = srv.h.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');
    expect(api.length).toBeGreaterThan(40);
    expect(api.filter((r) => r.public).map((r) => `${r.method} ${r.url}`).sort()).toEqual([...PUBLIC].sort());
    // the API docs are public, all of them
    const docs = srv.h.app.routeAccess.filter((r) => r.url.startsWith('/docs'));
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.every((r) => r.public)).toBe(true);
  });

  it('every private route answers 401 without a session (path parameters filled with x)', async () => {
    const api = srv.h.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && !r.public);
    const wrong: string[] = [];
    for (const r of api) {
      const url = r.url.replace(/:[A-Za-z]+/g, 'x').replace(/\*/g, 'x');
      const res = await srv.h.app.inject({ method: r.method as 'GET', url, headers: { 'content-type': 'application/json' }, payload: r.method === 'GET' ? undefined : '{}' });
      if (res.statusCode !== 401 || res.json<{ code?: string }>().code !== 'UNAUTHENTICATED') wrong.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a public route answers without a session', async () => {
    expect((await srv.h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await srv.h.app.inject({ method: 'GET', url: '/api/demo' })).statusCode).toBe(200);
    const login = await srv.h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' } });
    expect(login.json<{ code: string }>().code).toBe('INVALID_CREDENTIALS');
  });

  it('an unknown API route is 404 with or without a session', async () => {
    const res = await srv.h.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ code: string }>().code).toBe('ROUTE_NOT_FOUND');
  });
});
