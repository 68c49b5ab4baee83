import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './testing/harness.js';

/** Security headers on every answer, a nonce on the page's inline script, compressed JSON, precompressed assets. */
describe('headers and compression', () => {
  let h: Harness;
  const web = mkdtempSync(join(tmpdir(), 'yp-web-'));
  const js = 'console.log("园评");'.repeat(200);
  beforeAll(async () => {
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><html><head><script>window.x=1</script><script type="module" src="/assets/app-AbC12345.js"></script></head><body><div id="root"></div></body></html>');
    writeFileSync(join(web, 'assets', 'app-AbC12345.js'), js);
    // what the build writes beside each asset (marked so that the test sees which one was sent)
    writeFileSync(join(web, 'assets', 'app-AbC12345.js.br'), brotliCompressSync(js + '//br'));
    writeFileSync(join(web, 'assets', 'app-AbC12345.js.gz'), gzipSync(js + '//gz'));
    h = await makeHarness({ webDir: web, packFiles: null });
  });
  afterAll(async () => {
    await h.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('every answer — API, error, page, asset — carries the CSP, frame refusal, Referrer-Policy and nosniff', async () => {
    for (const url of ['/api/health', '/api/nope', '/api/parks', '/', '/review/1', '/assets/app-AbC12345.js']) {
      const r = await h.app.inject({ method: 'GET', url });
      const csp = String(r.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
      // scripts: only this origin's files and the page's nonce, no eval (the forms' validators come
      // precompiled from the server); inline styles are allowed by style-src-elem/-attr only (headers.ts says why)
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc, url).not.toContain('unsafe-inline');
      expect(scriptSrc, url).not.toContain("'unsafe-eval'");
      expect(scriptSrc, url).not.toContain("'wasm-unsafe-eval'");
      expect(/style-src ([^;]*)/.exec(csp)?.[1] ?? '', url).not.toContain('unsafe-inline');
      expect(r.headers['x-frame-options'], url).toBe('DENY');
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['referrer-policy'], url).toBe('same-origin');
    }
  });

  it("the page's inline script carries this request's nonce, and the CSP allows only that nonce", async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const r = await h.app.inject({ method: 'GET', url: '/' });
      const m = /<script nonce="([0-9a-f]{32})">window\.x=1<\/script>/.exec(r.body);
      expect(m).not.toBeNull();
      const nonce = (m as RegExpExecArray)[1] as string;
      expect(String(r.headers['content-security-policy'])).toContain(`script-src 'self' 'nonce-${nonce}'`);
      // the styles antd writes at run time read theirs from the meta element
      expect(r.body).toMatch(/<meta property="csp-nonce" nonce="[0-9a-f]{32}" \/>/);
      // the external module script is allowed by 'self' and gets no nonce
      expect(r.body).toContain('<script type="module" src="/assets/app-AbC12345.js">');
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('JSON is compressed with brotli or gzip as the client accepts', async () => {
    const a = await h.login('admin');
    const plain = await a.get('/api/org-units');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    const br = await a.get('/api/org-units', { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(plain.json());
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    const gz = await a.get('/api/org-units', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(plain.json());
  });

  it('a built asset is sent as its precompressed file', async () => {
    const br = await h.app.inject({ method: 'GET', url: '/assets/app-AbC12345.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(js + '//br');
    const gz = await h.app.inject({ method: 'GET', url: '/assets/app-AbC12345.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(js + '//gz');
    const plain = await h.app.inject({ method: 'GET', url: '/assets/app-AbC12345.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});
