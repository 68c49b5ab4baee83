import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './testing/harness.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
interface Operation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

let h: Harness;
let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
const dir = mkdtempSync(join(tmpdir(), 'yp-openapi-'));
beforeAll(async () => {
  h = await makeHarness({ packFiles: null });
  await h.app.ready();
  doc = h.app.swagger() as unknown as typeof doc;
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the OpenAPI document is a contract', () => {
  it('passes `redocly lint` (recommended rules) with 0 errors', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const bin = join(ROOT, 'node_modules', '.bin', 'redocly');
    const run = await promisify(execFile)(bin, ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'summary'], { cwd: ROOT }).catch(
      (e: { stdout?: string; stderr?: string; code?: number }) => ({ stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''} (exit ${e.code})` }),
    );
    const out = `${run.stdout}\n${run.stderr}`;
    expect(out, out).not.toMatch(/^error\s/m);
    expect(out, out).not.toContain('exit 1');
    expect(out).toMatch(/validated in/);
  });

  it('every operation has a unique operationId, its security and RFC 9457 error answers', () => {
    const ids = new Set<string>();
    let count = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        count++;
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z]+[A-Za-z0-9]*$/);
        expect(ids.has(op.operationId as string), where).toBe(false);
        ids.add(op.operationId as string);
        const publicOp = ['/api/health', '/api/auth/login', '/api/demo'].includes(path);
        expect(op.security, where).toEqual(publicOp ? [] : method === 'get' ? [{ session: [] }] : [{ session: [], csrf: [] }]);
        const bad = op.responses?.['400']?.content?.['application/problem+json']?.schema?.$ref;
        expect(bad, where).toBe('#/components/schemas/Problem');
      }
    }
    expect(count).toBeGreaterThan(40);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'FieldError']));
  });

  it('an error is application/problem+json with type, title, status and our code', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/api/parks' });
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({ type: 'urn:yuanping:error:UNAUTHENTICATED', status: 401, code: 'UNAUTHENTICATED' });
    const a = await h.login('admin');
    const bad = await a.post('/api/parks', { name: '' });
    expect(bad.statusCode).toBe(400);
    const body = bad.json<{ code: string; status: number; errors: Array<{ path: string; code: string }> }>();
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.status).toBe(400);
    expect(body.errors.length).toBeGreaterThan(0);
  });
});
