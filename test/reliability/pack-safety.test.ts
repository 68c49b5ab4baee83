/**
 * Unsafe schemas in an uploaded pack, through the publish API (POST /api/packs {id, files}) of a
 * real server process: catastrophic-backtracking patterns (ReDoS), `$data` references and remote
 * `$ref`s are refused whole, with the code and pointer of each, and nothing is published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPackFiles, TEST_PACK_ID } from '../../apps/server/src/testing/fixture-pack.js';
import { HttpClient, killAll, pgliteDatabase, startServer, type Database, type ServerProcess } from './server-process.js';

const FORM = `schemas/${TEST_PACK_ID}/forms/app.schema.json`;

function withForm(patch: (schema: Record<string, unknown>, props: Record<string, Record<string, unknown>>) => void): Record<string, unknown> {
  const files = structuredClone(testPackFiles());
  const schema = files[FORM] as Record<string, unknown>;
  patch(schema, schema.properties as Record<string, Record<string, unknown>>);
  return files;
}

const CASES: Array<{ name: string; code: string; pointer: string; files: Record<string, unknown> }> = [
  { name: 'ReDoS (a+)+$', code: 'SCHEMA_REDOS', pointer: '/properties/name/pattern', files: withForm((_s, p) => Object.assign(p.name as object, { pattern: '^(a+)+$' })) },
  { name: 'ReDoS (\\d+|\\w+)*!', code: 'SCHEMA_REDOS', pointer: '/properties/name/pattern', files: withForm((_s, p) => Object.assign(p.name as object, { pattern: '(\\d+|\\w+)*!' })) },
  { name: 'ReDoS nested quantifier', code: 'SCHEMA_REDOS', pointer: '/properties/name/pattern', files: withForm((_s, p) => Object.assign(p.name as object, { pattern: '(.*a){12}' })) },
  { name: 'ReDoS in patternProperties', code: 'SCHEMA_REDOS', pointer: '/patternProperties/^([a-z]+)*$', files: withForm((s) => Object.assign(s, { patternProperties: { '^([a-z]+)*$': { type: 'string', maxLength: 5 } } })) },
  { name: '$data in maximum', code: 'SCHEMA_UNSAFE_DATA', pointer: '/properties/score/maximum/$data', files: withForm((_s, p) => Object.assign(p.score as object, { maximum: { $data: '1/firms' } })) },
  { name: '$data deep in a const', code: 'SCHEMA_UNSAFE_DATA', pointer: '/properties/name/const/$data', files: withForm((_s, p) => Object.assign(p.name as object, { const: { $data: '/x' } })) },
  { name: 'remote $ref (https)', code: 'SCHEMA_REMOTE_REF', pointer: '/properties/name/$ref', files: withForm((_s, p) => Object.assign(p.name as object, { $ref: 'https://example.com/evil.schema.json' })) },
  { name: 'remote $ref (relative file)', code: 'SCHEMA_REMOTE_REF', pointer: '/properties/firms/$ref', files: withForm((_s, p) => Object.assign(p.firms as object, { $ref: '../other.schema.json#/x' })) },
  { name: 'nested $id (remote base)', code: 'SCHEMA_REMOTE_REF', pointer: '/properties/firms/$id', files: withForm((_s, p) => Object.assign(p.firms as object, { $id: 'http://example.com/x' })) },
];

describe('unsafe schemas through the publish API', () => {
  let db: Database;
  let server: ServerProcess;
  let admin: HttpClient;
  beforeAll(async () => {
    db = pgliteDatabase();
    server = await startServer(db);
    admin = await HttpClient.login(server.base, 'admin');
  });
  afterAll(async () => {
    await killAll();
    await db?.dispose();
  });

  async function refused({ code, pointer, files }: { code: string; pointer: string; files: Record<string, unknown> }) {
    const versionsBefore = (await admin.get(`/api/packs/${TEST_PACK_ID}/versions`)).body;
    const r = await admin.post('/api/packs', { id: TEST_PACK_ID, files });
    expect(r.status).toBe(422);
    const body = r.body as { code: string; details: Array<{ code: string; file: string; pointer: string; severity: string; message: string }> };
    expect(body.code).toBe('PACK_INVALID');
    expect(body.details).toContainEqual(expect.objectContaining({ code, file: FORM, pointer, severity: 'error' }));
    // the check endpoint says the same, and nothing was published
    const check = await admin.post('/api/packs/check', { id: TEST_PACK_ID, files });
    expect((check.body as { ok: boolean }).ok).toBe(false);
    expect((await admin.get(`/api/packs/${TEST_PACK_ID}/versions`)).body).toEqual(versionsBefore);
  }

  it.each(CASES)('$name → refused ($code)', refused);

  // safe-regex2 alone judges by star height and let overlapping alternations through
  // (`^(\w|\d)*!$` took ~2.6 s on 25 digits here, doubling with each more character); the
  // checker now also runs recheck, so these are refused too
  it.each([
    { name: '^(\\w|\\d)*!$', code: 'SCHEMA_REDOS', pointer: '/properties/name/pattern', files: withForm((_s, p) => Object.assign(p.name as object, { pattern: '^(\\w|\\d)*!$' })) },
    { name: 'patternProperties ^(a|aa)+$', code: 'SCHEMA_REDOS', pointer: '/patternProperties/^(a|aa)+$', files: withForm((s) => Object.assign(s, { patternProperties: { '^(a|aa)+$': { type: 'string', maxLength: 5 } } })) },
  ])('ReDoS by overlapping alternation $name → refused', refused);

  it('the same pack without the unsafe parts publishes (the refusals are about them)', async () => {
    const r = await admin.post('/api/packs', { id: TEST_PACK_ID, files: testPackFiles() });
    expect(r.status).toBe(201);
  });
});
