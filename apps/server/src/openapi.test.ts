import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { API_TYPES_FILE, renderApiTypes } from '../../../scripts/gen-api.js';
import { ApiError, SERVER_ERRORS, STATUS_TITLES, type ServerErrorCode } from './errors.js';
import { makeHarness, VALID_DATA, type Harness } from './testing/harness.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
interface Operation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Record<string, unknown> & { $ref?: string } }> }>;
}

let h: Harness;
let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
const dir = mkdtempSync(join(tmpdir(), 'yp-openapi-'));
beforeAll(async () => {
  h = await makeHarness();
  await h.app.ready();
  doc = h.app.swagger() as unknown as typeof doc;
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the OpenAPI document is a contract', () => {
  it('passes `redocly lint` (recommended rules) with 0 errors and 0 warnings', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const bin = join(ROOT, 'node_modules', '.bin', 'redocly');
    const run = await promisify(execFile)(bin, ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'summary'], { cwd: ROOT }).catch(
      (e: { stdout?: string; stderr?: string; code?: number }) => ({ stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''} (exit ${e.code})` }),
    );
    const out = `${run.stdout}\n${run.stderr}`;
    expect(out, out).not.toMatch(/^error\s/m);
    expect(out, out).not.toMatch(/^warning\s/m);
    expect(out, out).not.toMatch(/You have \d+ warning/);
    expect(out, out).not.toContain('exit 1');
    expect(out).toMatch(/validated in/);
    expect(out).toMatch(/Your API description is valid/);
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
        // a success answer with its schema: JSON, a file, NDJSON, or the empty answer of a deletion
        const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        expect(success.length, where).toBeGreaterThan(0);
        for (const [status, r] of success) {
          expect(r.description, `${where} ${status}`).toBeTruthy();
          if (status !== '204') expect(Object.values(r.content ?? {}).every((c) => c.schema !== undefined) && Object.keys(r.content ?? {}).length > 0, `${where} ${status}`).toBe(true);
        }
      }
    }
    expect(count).toBeGreaterThan(40);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'FieldError']));
  });

  it('the web app\'s API types (apps/web/src/api/schema.d.ts) are generated from this document (`pnpm gen:api`)', async () => {
    const fresh = await renderApiTypes(doc as unknown as Record<string, unknown>);
    const stale = readFileSync(API_TYPES_FILE, 'utf8') !== fresh;
    expect(stale, 'apps/web/src/api/schema.d.ts 已过期：请运行 pnpm gen:api').toBe(false);
  });

  it('answers match their declared schemas (a journey through the API as each role)', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'doc', components: doc.components });
    const checked: string[] = [];
    const check = (method: string, path: string, r: { statusCode: number; headers: Record<string, unknown>; body: string }) => {
      const where = `${method} ${path} → ${r.statusCode}`;
      const op = doc.paths[path]?.[method.toLowerCase()];
      expect(op, where).toBeDefined();
      expect(r.statusCode, `${where}: ${r.body.slice(0, 300)}`).toBeLessThan(300);
      const schema = op?.responses?.[String(r.statusCode)]?.content?.['application/json']?.schema;
      expect(schema, where).toBeDefined();
      const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')));
      const ok = validate(r.body === '' ? null : JSON.parse(r.body));
      expect(ok, `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      checked.push(where);
    };
    const admin = await h.login('admin');
    const applicant = await h.login('applicant-hz');
    const county = await h.login('county-xihu');
    for (const [c, path] of [
      [admin, '/api/health'],
      [admin, '/api/auth/me'],
      [applicant, '/api/auth/me'],
      [admin, '/api/org-units'],
      [admin, '/api/parks'],
      [admin, '/api/users'],
      [admin, '/api/packs'],
      [admin, '/api/pack-drafts'],
      [admin, '/api/audit'],
      [admin, '/api/audit/search'],
      [admin, '/api/cohort-runs'],
      [applicant, '/api/home'],
      [county, '/api/home'],
      [applicant, '/api/notifications'],
      [county, '/api/consistency/pending'],
    ] as const) {
      check('GET', path, await (path === '/api/health' ? h.anon() : c).get(path));
    }
    const packs = (await admin.get('/api/packs')).json<Array<{ id: number; packId: string }>>();
    expect(packs.length).toBeGreaterThan(0);
    const { id: versionId, packId } = packs[0]!;
    check('GET', '/api/packs/{packId}', await admin.get(`/api/packs/${packId}`));
    check('GET', '/api/packs/{packId}/versions', await admin.get(`/api/packs/${packId}/versions`));
    check('GET', '/api/pack-versions/{id}', await admin.get(`/api/pack-versions/${versionId}?fixtures=1`));
    check('GET', '/api/pack-versions/{id}/dates', await admin.get(`/api/pack-versions/${versionId}/dates`));
    check('GET', '/api/pack-versions/{id}/fixtures', await admin.get(`/api/pack-versions/${versionId}/fixtures`));
    check('POST', '/api/packs/{packId}/evaluate', await applicant.post(`/api/packs/${packId}/evaluate`, { formId: 'app', data: VALID_DATA }));
    const created = await applicant.post('/api/submissions', { packId, formId: 'app', data: VALID_DATA });
    check('POST', '/api/submissions', created);
    const sub = created.json<{ id: string; version: number }>();
    check('GET', '/api/submissions', await applicant.get('/api/submissions'));
    check('GET', '/api/submissions/{id}', await applicant.get(`/api/submissions/${sub.id}`));
    check('GET', '/api/submissions/{id}', await applicant.get(`/api/submissions/${sub.id}?evaluation=full`));
    const saved = await applicant.put(`/api/submissions/${sub.id}`, { data: VALID_DATA }, { 'if-match': `"${sub.version}"` });
    check('PUT', '/api/submissions/{id}', saved);
    const minimal = await applicant.put(`/api/submissions/${sub.id}`, { data: VALID_DATA }, { 'if-match': saved.headers.etag as string, prefer: 'return=minimal' });
    check('PUT', '/api/submissions/{id}', minimal);
    check('GET', '/api/submissions/{id}/attachments', await applicant.get(`/api/submissions/${sub.id}/attachments`));
    check('GET', '/api/submissions/{id}/audit', await applicant.get(`/api/submissions/${sub.id}/audit`));
    check('GET', '/api/submissions/{id}/confirmations', await applicant.get(`/api/submissions/${sub.id}/confirmations`));
    check('POST', '/api/submissions/{id}/submit', await applicant.post(`/api/submissions/${sub.id}/submit`, {}));
    check('GET', '/api/submissions', await county.get('/api/submissions'));
    check('GET', '/api/submissions/{id}', await county.get(`/api/submissions/${sub.id}`));
    check('POST', '/api/submissions/{id}/review', await county.post(`/api/submissions/${sub.id}/review`, { action: 'pass', comment: '同意' }));
    const draft = await admin.post('/api/pack-drafts', { fromVersionId: versionId, revise: true });
    check('POST', '/api/pack-drafts', draft);
    const d = draft.json<{ draft: { id: number; revision: number } }>().draft;
    const full = await admin.get(`/api/pack-drafts/${d.id}`);
    check('GET', '/api/pack-drafts/{id}', full);
    check('PUT', '/api/pack-drafts/{id}', await admin.put(`/api/pack-drafts/${d.id}`, { revision: d.revision, files: full.json<{ files: object }>().files }));
    check('GET', '/api/pack-drafts/{id}/check', await admin.get(`/api/pack-drafts/${d.id}/check`));
    check('GET', '/api/pack-drafts/{id}/impact', await admin.get(`/api/pack-drafts/${d.id}/impact`));
    check('POST', '/api/packs/check', await admin.post('/api/packs/check', { id: packId, files: full.json<{ files: object }>().files }));
    check('POST', '/api/packs/{packId}/current', await admin.post(`/api/packs/${packId}/current`, { versionId }));
    check('POST', '/api/notifications/read', await applicant.post('/api/notifications/read', { all: true }));
    expect(checked.length).toBeGreaterThan(35);
  });

  it('a problem\'s title is fixed per code (its status); what happened is the detail', () => {
    for (const [code, { status }] of Object.entries(SERVER_ERRORS)) {
      expect(STATUS_TITLES[status], `${code} ${status}`).toBeTruthy();
      const a = new ApiError(code as ServerErrorCode, { what: '甲', count: 1 }).toJSON();
      const b = new ApiError(code as ServerErrorCode, { what: '乙', count: 2 }).toJSON();
      expect(a.title, code).toBe(b.title);
      expect(a.detail, code).toBe(a.message);
    }
    expect(new ApiError('NOT_FOUND', { what: '园区' }).toJSON()).toMatchObject({ title: '不存在或不在本辖区', detail: expect.stringContaining('园区') });
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
