import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Client, type Harness } from './testing/harness.js';

describe('caching of what never changes', () => {
  let h: Harness;
  let a: Client;
  const web = mkdtempSync(join(tmpdir(), 'yp-web-'));
  beforeAll(async () => {
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(web, 'assets', 'index-AbC12345.js'), 'console.log(1)');
    h = await makeHarness({ webDir: web });
    a = await h.login('applicant-hz');
  });
  afterAll(async () => {
    await h.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('a built asset (named by its content) is kept for a year; index.html is revalidated', async () => {
    const js = await a.get('/assets/index-AbC12345.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const html = await a.get('/submissions/x');
    expect(html.statusCode).toBe(200);
    expect(String(html.headers['cache-control'])).not.toContain('immutable');
  });

  it('a published pack version is kept for a year by the browser only; other answers are not', async () => {
    const packs = (await a.get('/api/packs')).json() as Array<{ id: number }>;
    const pv = await a.get(`/api/pack-versions/${packs[0]?.id}`);
    expect(pv.statusCode).toBe(200);
    expect(pv.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    const missing = await a.get('/api/pack-versions/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBeUndefined();
    expect((await a.get('/api/packs')).headers['cache-control']).toBeUndefined();
  });
});
