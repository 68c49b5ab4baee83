import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from './app.js';
import { coreEngine } from './engine.js';
import { DEMO_PASSWORD } from './seed.js';
import { makeHarness, type Harness } from './testing/harness.js';

/** `GET /api/demo`: the sign-in page learns whether to list the demo accounts. */
describe('GET /api/demo', () => {
  let demo: Harness;
  let prod: FastifyInstance;
  beforeAll(async () => {
    demo = await makeHarness({ demo: true });
    // the same database served outside demo mode
    prod = await buildServer({ storage: demo.storage, engine: coreEngine, webDir: null });
  }, 600_000);
  afterAll(async () => {
    await prod.close();
    await demo.close();
  });

  it('in demo mode lists every seeded demo account, without signing in', async () => {
    const res = await demo.anon().get('/api/demo');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { demo: boolean; password: string; accounts: Array<{ username: string; role: string; orgName?: string }> };
    expect(body.demo).toBe(true);
    expect(body.password).toBe(DEMO_PASSWORD);
    const users = await demo.storage.listUsers();
    expect(body.accounts.map((a) => a.username).sort()).toEqual(users.map((u) => u.username).sort());
    // every role is represented, and each non-admin account says where it works
    expect(new Set(body.accounts.map((a) => a.role))).toEqual(new Set(['admin', 'province', 'city', 'county', 'applicant']));
    for (const a of body.accounts) if (a.role !== 'admin') expect(a.orgName).toBeTruthy();
  });

  it('outside demo mode says only that it is not a demo', async () => {
    const res = await prod.inject({ method: 'GET', url: '/api/demo' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ demo: false });
  });
});
