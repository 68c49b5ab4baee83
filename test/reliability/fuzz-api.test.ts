/**
 * fast-check fuzzing of every API body (REL_FUZZ_RUNS cases per route, default 10,000): never a
 * 5xx, and nothing invalid accepted — every 2xx is checked against an independent oracle of what
 * the route may accept (the form schema through @yuanping/core, the route's declared fields).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkPack, packFromFiles, validateSubmission, type NoticePack } from '@yuanping/core';
import { makeHarness, type Client, type Harness } from '../../apps/server/src/testing/harness.js';
import { testPackFiles, TEST_PACK_ID } from '../../apps/server/src/testing/fixture-pack.js';
import { creditCodeCheckChar, isValidCreditCode, isValidMobile } from '../../apps/server/src/ids.js';
import { envInt, VALID_DATA } from './helpers.js';

const RUNS = envInt('REL_FUZZ_RUNS', 10_000);
/** A unified social credit code with the right check character (so valid park bodies occur). */
const validCreditCode = (n: number) => {
  const first17 = `91330106MA27X${String(n).padStart(4, '0')}`;
  return first17 + (creditCodeCheckChar(first17) ?? '0');
};
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (v: Obj, keys: string[]) => Object.keys(v).every((k) => keys.includes(k));
const str = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max;

/** A number column's text as the cell normaliser reads it: the number when it is one (full-width, thousands separators, spaces), else the text. */
function numberText(t0: string): unknown {
  let t = t0.normalize('NFKC').replace(/[\u00a0\u3000]/g, ' ').trim();
  if (t === '') return t0;
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t) && Number.isFinite(Number(t)) ? Number(t) : t0;
}
const junk = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, junk);
/** A record with some of the route's own keys (valid or junk values) and now and then a stray key. */
function near(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const withStray = { ...fields, stray: junk };
  return fc.oneof(
    { weight: 3, arbitrary: fc.record(fields, { requiredKeys: [] }) },
    { weight: 1, arbitrary: fc.record(withStray, { requiredKeys: [] }) },
    { weight: 1, arbitrary: junk },
  );
}
const sumRows = fc.array(fc.oneof(fc.record({ park: maybe(fc.string({ maxLength: 110 })), area: maybe(fc.double({ noNaN: true })) }, { requiredKeys: [] }), fc.dictionary(fc.constantFrom('park', 'area', 'y'), junk)), { maxLength: 4 });
const formData = fc.oneof(
  fc.record({ name: maybe(fc.string({ maxLength: 120 })), firms: maybe(fc.integer({ min: -5, max: 100 })), score: maybe(fc.double({ min: -1, max: 12, noNaN: true })) }, { requiredKeys: [] }),
  fc.dictionary(fc.constantFrom('name', 'firms', 'score', 'countyScore', 'license', 'x'), fc.jsonValue({ maxDepth: 2 })),
  junk,
);

describe('fuzzed API bodies', () => {
  let h: Harness;
  let pack: NoticePack;
  let applicant: Client;
  let county: Client;
  let city: Client;
  let admin: Client;
  let draft: { id: string; version: number };
  let submitted: string;
  let tableVersion: number | null = null;
  /** the county's table as last stored ({ rows } sends replace its rows and keep the rest) */
  let tableData: Obj = {};
  let tableBeforeSubmit: { status: string; data: unknown } | null = null;
  let toSubmit = '';
  const county330106 = '330106';
  const counts: Record<string, Record<string, number>> = {};

  async function newDraft(): Promise<string> {
    const r = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    expect(r.statusCode).toBe(201);
    return (r.json() as { id: string }).id;
  }

  async function newSubmitted(): Promise<string> {
    const id = ((await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
    expect((await applicant.post(`/api/submissions/${id}/submit`)).statusCode).toBe(200);
    return id;
  }

  beforeAll(async () => {
    h = await makeHarness();
    pack = packFromFiles(testPackFiles(), TEST_PACK_ID);
    [applicant, county, city, admin] = await Promise.all([h.login('applicant-hz'), h.login('county-xihu'), h.login('city-hz'), h.login('admin')]);
    const d = (await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string; version: number };
    draft = { id: d.id, version: d.version };
    submitted = await newSubmitted();
  });
  afterAll(async () => {
    await h?.close();
    console.log(`[fuzz-api] ${RUNS} cases per route; status counts: ${JSON.stringify(counts)}`);
  });

  const form = (id: string) => {
    const f = pack.forms.get(id);
    if (!f) throw new Error(id);
    return f;
  };
  const draftValid = (formId: string, data: unknown) => validateSubmission(form(formId), data).errors.filter((e) => e.code !== 'required').length === 0;
  /**
   * A draft is stored whatever its state (the applicant loses nothing typed); what it may not do is
   * write a field another role fills (countyScore). Its answer lists what is still wrong: none
   * exactly when the data is valid apart from required fields still empty.
   */
  const appDraftOk = (data: unknown) => isObj(data) && (!('countyScore' in data) || data.countyScore === null);
  /** (a null sent for the county's empty field is "left empty": the server drops it before validating) */
  const appDraftClean = (data: unknown) => {
    if (!isObj(data)) return false;
    const { countyScore, ...own } = data;
    return draftValid('app', countyScore === null ? own : data);
  };
  /** the whole application's data: each applicant form under its id */
  const bundleClean = (data: Obj) => onlyKeys(data, ['app']) && (data.app === undefined || data.app === null || appDraftClean(data.app)); // a null form is stored as an empty one
  /** The test pack's county table: an object of the form's fields, its rows a list of objects of the row's columns. */
  const sumTable = (data: Obj) =>
    onlyKeys(data, ['rows']) &&
    (data.rows === undefined || (Array.isArray(data.rows) && data.rows.every((r) => isObj(r) && onlyKeys(r, ['park', 'area']))));
  /** For a 2xx draft answer: its `errors` are empty exactly when the oracle finds the data clean. */
  const expectErrorsMatch = (name: string, b: unknown, res: { json: () => unknown }, clean: boolean) => {
    const errors = (res.json() as { errors?: unknown[] }).errors;
    expect(Array.isArray(errors), `${name}: a draft answer lists its errors`).toBe(true);
    expect((errors as unknown[]).length === 0, `${name} ${JSON.stringify(b)?.slice(0, 300)} answered errors ${JSON.stringify(errors)?.slice(0, 300)}`).toBe(clean);
  };

  interface Route {
    name: string;
    body: fc.Arbitrary<unknown>;
    send: (b: unknown) => Promise<{ statusCode: number; json: () => unknown; body: string }>;
    /** For a 2xx: was the body acceptable? */
    accepts: (b: unknown) => boolean;
    after?: (b: unknown, res: { statusCode: number; json: () => unknown }) => Promise<void>;
    /** run once before the route's cases (puts the resource in a state where a valid body can succeed) */
    setup?: () => Promise<void>;
  }

  /** The body exactly as generated (the harness client would send `{}` for a null body). */
  const raw = (c: Client, method: 'POST' | 'PUT', url: string, b: unknown, headers: Record<string, string> = {}) => c.req(method, url, JSON.stringify(b), headers);

  /** the applicant's own notifications (marking them read is allowed; anyone else's is not) */
  const ownNotes: number[] = [];
  const HANGZHOU_COUNTIES = ['330102', '330106'];

  const routes: Route[] = [
    {
      name: 'POST /api/notifications/read',
      body: near({ ids: fc.array(fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 6), fc.integer()), { maxLength: 4 }), all: fc.boolean() }),
      setup: async () => {
        const me = (await applicant.get('/api/auth/me')).json() as { user: { parkId: string } };
        const added = await h.storage.addNotifications([
          { parkId: me.user.parkId, kind: 'fuzz', title: '园区的通知' },
          { orgCode: '330106', kind: 'fuzz', title: '县的通知' },
          { parkId: me.user.parkId, kind: 'fuzz', title: '园区的另一条通知' },
        ]);
        ownNotes.push(...added.filter((n) => n.parkId).map((n) => n.id));
      },
      send: (b) => raw(applicant, 'POST', '/api/notifications/read', b),
      accepts: (b) =>
        isObj(b) &&
        onlyKeys(b, ['ids', 'all']) &&
        (b.all === undefined || typeof b.all === 'boolean') &&
        (b.ids === undefined || (Array.isArray(b.ids) && b.ids.length <= 500 && b.ids.every((x) => Number.isInteger(x) && (x as number) >= 1))) &&
        (b.all === true || ((b.ids as number[] | undefined) ?? []).every((x) => ownNotes.includes(x))),
    },
    {
      name: 'POST /api/reminders',
      body: near({
        packId: fc.constantFrom(TEST_PACK_ID, 'x'),
        formId: fc.constantFrom('sum', 'app', null, 'x'),
        targets: fc.array(fc.constantFrom('330102', '330106', '330203', 'x'), { maxLength: 3 }),
        message: fc.string({ maxLength: 510 }),
      }),
      send: (b) => raw(city, 'POST', '/api/reminders', b),
      accepts: (b) =>
        isObj(b) &&
        onlyKeys(b, ['packId', 'formId', 'targets', 'message']) &&
        b.packId === TEST_PACK_ID &&
        b.formId === 'sum' &&
        (b.targets === undefined || (Array.isArray(b.targets) && b.targets.every((t) => HANGZHOU_COUNTIES.includes(t as string)))) &&
        (b.message === undefined || str(b.message, 0, 500)),
    },
    {
      name: 'POST /api/submissions',
      body: near({ packId: fc.oneof(fc.constant(TEST_PACK_ID), fc.string()), formId: fc.oneof(fc.constant('app'), fc.constant('sum'), fc.constant('*'), fc.string()), data: fc.oneof(formData, fc.record({ app: formData }, { requiredKeys: [] })) }),
      send: (b) => raw(applicant, 'POST', '/api/submissions', b),
      accepts: (b) => {
        if (!isObj(b) || !onlyKeys(b, ['packId', 'formId', 'data']) || b.packId !== TEST_PACK_ID) return false;
        if (b.data !== undefined && !isObj(b.data)) return false;
        const data = (b.data ?? {}) as Obj;
        if (b.formId === 'app') return appDraftOk(data);
        // formId '*' (the server's internal marker of a whole application) is taken as the whole
        // application, like an omitted formId (the route's description documents it). Held to the
        // same oracle as the whole application; a form id the pack does not have is stored too (the
        // answer's errors name it).
        if (b.formId !== undefined && b.formId !== '*') return false;
        return !isObj(data.app) || appDraftOk(data.app);
      },
      after: async (b, res) => {
        if (res.statusCode >= 300 || !isObj(b)) return;
        const data = (b.data ?? {}) as Obj;
        expectErrorsMatch('POST /api/submissions', b, res, b.formId === 'app' ? appDraftClean(data) : bundleClean(data));
      },
    },
    {
      name: 'PUT /api/submissions/:id',
      body: near({ data: formData }),
      send: (b) => raw(applicant, 'PUT', `/api/submissions/${draft.id}`, b, { 'if-match': `"${draft.version}"` }),
      accepts: (b) => isObj(b) && onlyKeys(b, ['data']) && appDraftOk(b.data),
      after: async (b, res) => {
        if (res.statusCode !== 200) return;
        draft.version = (res.json() as { version: number }).version;
        expectErrorsMatch('PUT /api/submissions/:id', b, res, appDraftClean((b as Obj).data));
      },
    },
    {
      name: 'POST /api/submissions/:id/withdraw',
      body: near({ comment: fc.string({ maxLength: 50 }) }),
      send: (b) => raw(applicant, 'POST', `/api/submissions/${submitted}/withdraw`, b),
      accepts: (b) => isObj(b) && onlyKeys(b, ['comment']) && (b.comment === undefined || str(b.comment, 0, 2000)),
      after: async (_b, res) => {
        if (res.statusCode === 200) submitted = await newSubmitted();
      },
    },
    {
      name: 'POST /api/submissions/:id/review',
      body: near({ action: fc.constantFrom('pass', 'return', 'recommend', 'approve', 'reject', 'x'), comment: fc.oneof(fc.constant(' '), fc.string({ maxLength: 20 })), quotaId: fc.string({ maxLength: 5 }) }),
      send: (b) => raw(county, 'POST', `/api/submissions/${submitted}/review`, b),
      accepts: (b) =>
        isObj(b) &&
        onlyKeys(b, ['action', 'comment', 'quotaId']) &&
        (b.comment === undefined || str(b.comment, 0, 5000)) &&
        (b.quotaId === undefined || str(b.quotaId, 0, 100)) &&
        (b.action === 'pass' || (b.action === 'return' && typeof b.comment === 'string' && b.comment.trim() !== '')),
      after: async (_b, res) => {
        if (res.statusCode === 200) submitted = await newSubmitted();
      },
    },
    {
      name: 'POST /api/submissions/:id/scores',
      body: near({ item: fc.constantFrom('score', 'firms', 'countyScore', 'name', 'nope', ''), score: fc.oneof(fc.double({ min: -2, max: 12, noNaN: true }), fc.integer({ min: -2, max: 12 })), reason: fc.string({ maxLength: 20 }) }),
      send: (b) => raw(county, 'POST', `/api/submissions/${submitted}/scores`, b),
      accepts: (b) => {
        if (!isObj(b) || !onlyKeys(b, ['item', 'score', 'reason']) || !str(b.reason, 1, 2000) || typeof b.score !== 'number') return false;
        if (b.item === 'firms') return Number.isInteger(b.score) && b.score >= 0;
        if (b.item === 'score' || b.item === 'countyScore') return b.score >= 0 && b.score <= 10;
        return false;
      },
    },
    {
      name: 'PUT /api/tables/:packId/:formId',
      // { rows } (the first section) or { data } (the whole form's data), or both (refused: one only)
      body: near({ rows: sumRows, data: fc.oneof(fc.record({ rows: sumRows }, { requiredKeys: [] }), fc.dictionary(fc.constantFrom('rows', 'region', 'x'), junk, { maxKeys: 2 }), fc.array(junk, { maxLength: 2 }), junk) }),
      send: (b) => raw(county, 'PUT', `/api/tables/${TEST_PACK_ID}/sum`, b, tableVersion === null ? {} : { 'if-match': `"${tableVersion}"` }),
      // a table draft is stored whatever its values (like an application's); refused is only what is
      // no table: a body that is not one of rows / data, data that is no object, rows that are no list
      // of rows, a field (or a row's column) the form does not have
      accepts: (b) => {
        if (!isObj(b) || Object.keys(b).length !== 1) return false;
        if ('rows' in b) return sumTable({ rows: b.rows });
        return isObj(b.data) && sumTable(b.data);
      },
      after: async (b, res) => {
        if (res.statusCode !== 200 || !isObj(b)) return;
        const saved = res.json() as { version: number; data: Obj };
        tableVersion = saved.version;
        const sent0 = 'rows' in b ? { ...tableData, rows: b.rows } : (b.data as Obj);
        // the cell normaliser of import and paste: text in the number column read as a number (full-width,
        // 1,234.5, spaces), text in the text column trimmed; anything else as sent
        const sent = JSON.parse(JSON.stringify(sent0)) as Obj;
        if (Array.isArray(sent.rows)) sent.rows = sent.rows.map((r: unknown) => (isObj(r) ? { ...r, ...(typeof r.park === 'string' && r.park.trim() !== '' ? { park: r.park.trim() } : {}), ...(typeof r.area === 'string' ? { area: numberText(r.area) } : {}) } : r));
        // stored as sent after the normaliser (as JSON carries it: -0 is 0), and its errors are empty exactly when its values are clean
        expect(saved.data).toEqual(sent);
        tableData = saved.data;
        expectErrorsMatch('PUT /api/tables/:packId/:formId', b, res, draftValid('sum', sent));
      },
    },
    {
      name: 'POST /api/tables/:packId/:formId/submit',
      // the body is optional; a rolling-up unit may give { preamble } (the test table has no preamble fields)
      body: fc.oneof(near({ preamble: fc.oneof(fc.dictionary(fc.constantFrom('rows', 'region', 'x'), junk, { maxKeys: 2 }), fc.constant({}), junk) }), fc.constant({})),
      setup: async () => {
        // a valid saved county table to submit (the save fuzz left whatever it last accepted)
        const r = await county.put(`/api/tables/${TEST_PACK_ID}/sum`, { rows: [{ park: '提交测试园区', area: 3 }] });
        expect(r.statusCode).toBe(200);
      },
      send: async (b) => {
        const rep = await h.storage.getTableReport(TEST_PACK_ID, 'sum', county330106);
        tableBeforeSubmit = rep ? { status: rep.status, data: rep.data ?? { rows: rep.rows } } : null;
        return raw(county, 'POST', `/api/tables/${TEST_PACK_ID}/sum/submit`, b);
      },
      accepts: (b) => {
        if (isObj(b) && isObj(b.preamble) && Object.keys(b.preamble).length > 0) return false; // no such preamble field
        return tableBeforeSubmit !== null && ['draft', 'returned'].includes(tableBeforeSubmit.status) && validateSubmission(form('sum'), tableBeforeSubmit.data).valid;
      },
      after: async (_b, res) => {
        // the city returns it, so the next case can submit again
        if (res.statusCode === 200) expect((await city.post(`/api/tables/${TEST_PACK_ID}/sum/return`, { orgCode: county330106, comment: '退回重报' })).statusCode).toBe(200);
      },
    },
    {
      name: 'POST /api/tables/:packId/:formId/return',
      body: near({ orgCode: fc.constantFrom('330106', '330102', '330203', 'x'), comment: fc.string({ maxLength: 10 }) }),
      send: (b) => raw(city, 'POST', `/api/tables/${TEST_PACK_ID}/sum/return`, b),
      accepts: () => false, // no county report is submitted: nothing to return
    },
    {
      name: 'POST /api/cohort-runs',
      body: near({ packId: fc.constantFrom(TEST_PACK_ID, 'x'), stepId: fc.constantFrom('rank', 'x'), formId: fc.constantFrom('sum', 'app', 'x'), records: fc.array(fc.dictionary(fc.constantFrom('park', 'area'), junk), { maxLength: 4 }) }),
      send: (b) => raw(county, 'POST', '/api/cohort-runs', b),
      accepts: (b) =>
        isObj(b) &&
        onlyKeys(b, ['packId', 'stepId', 'formId', 'records']) &&
        b.packId === TEST_PACK_ID &&
        b.stepId === 'rank' &&
        (Array.isArray(b.records) ? b.records.every(isObj) : typeof b.formId === 'string'),
    },
    {
      name: 'POST /api/parks',
      body: near({ name: fc.string({ maxLength: 210 }), creditCode: fc.oneof(fc.nat({ max: 999 }).map(validCreditCode), fc.string({ maxLength: 20 })), countyCode: fc.constantFrom('330106', '330100', '33', 'x'), contactName: fc.string({ maxLength: 60 }), contactMobile: fc.oneof(fc.constant('13800000001'), fc.string({ maxLength: 20 })) }),
      send: (b) => raw(admin, 'POST', '/api/parks', b),
      accepts: (b) =>
        isObj(b) &&
        onlyKeys(b, ['name', 'creditCode', 'countyCode', 'contactName', 'contactMobile']) &&
        str(b.name, 1, 200) &&
        typeof b.creditCode === 'string' &&
        isValidCreditCode(b.creditCode) &&
        b.countyCode === '330106' &&
        (b.contactName === undefined || str(b.contactName, 0, 50)) &&
        (b.contactMobile === undefined || (typeof b.contactMobile === 'string' && isValidMobile(b.contactMobile))),
    },
    {
      name: 'POST /api/users',
      body: near({ username: fc.oneof(fc.stringMatching(/^[a-z]{2,8}$/), fc.string({ maxLength: 5 })), displayName: fc.string({ maxLength: 5 }), password: fc.string({ maxLength: 12 }), role: fc.constantFrom('admin', 'county', 'city', 'applicant', 'root'), orgCode: fc.constantFrom('330106', '330100', 'x'), parkId: fc.string({ maxLength: 5 }), mobile: fc.constantFrom('13800000001', '123') }),
      send: (b) => raw(admin, 'POST', '/api/users', b),
      accepts: (b) =>
        isObj(b) &&
        onlyKeys(b, ['username', 'displayName', 'password', 'role', 'orgCode', 'parkId', 'mobile']) &&
        typeof b.username === 'string' &&
        /^[A-Za-z0-9_.@-]{2,100}$/.test(b.username) &&
        str(b.displayName, 1, 100) &&
        str(b.password, 8, 200) &&
        (b.mobile === undefined || (typeof b.mobile === 'string' && isValidMobile(b.mobile))) &&
        (b.role === 'admin' || (b.role === 'county' && b.orgCode === '330106') || (b.role === 'city' && b.orgCode === '330100')),
    },
    {
      name: 'POST /api/packs/check',
      body: near({ ref: fc.constantFrom('zj-2021-evaluation-star', 'nope', '../etc', ''), id: fc.constantFrom(TEST_PACK_ID, 'x'), files: fc.dictionary(fc.string({ maxLength: 30 }), junk, { maxKeys: 3 }) }),
      send: (b) => raw(admin, 'POST', '/api/packs/check', b),
      accepts: (b) => isObj(b) && onlyKeys(b, ['ref', 'id', 'files']) && (typeof b.ref === 'string' || (typeof b.id === 'string' && isObj(b.files))),
    },
    {
      name: 'POST /api/packs',
      body: near({ id: fc.constantFrom(TEST_PACK_ID, 'x'), files: fc.dictionary(fc.constantFrom(`schemas/${TEST_PACK_ID}/pack.json`, 'x.json', `rules/${TEST_PACK_ID}/level.rules.json`), junk, { maxKeys: 3 }) }),
      send: (b) => raw(admin, 'POST', '/api/packs', b),
      accepts: (b) => {
        if (!isObj(b) || typeof b.id !== 'string' || !isObj(b.files)) return false;
        try {
          return checkPack(packFromFiles(b.files, b.id)).every((p) => p.severity !== 'error');
        } catch {
          return false;
        }
      },
    },
    {
      name: 'POST /api/packs/:packId/evaluate',
      body: near({ ruleSetId: fc.constantFrom('level', 'points', 'x'), formId: fc.constantFrom('app', 'sum', 'x'), versionId: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constant(2 ** 31)), data: formData }),
      send: (b) => raw(applicant, 'POST', `/api/packs/${TEST_PACK_ID}/evaluate`, b),
      accepts: (b) =>
        isObj(b) &&
        onlyKeys(b, ['ruleSetId', 'formId', 'versionId', 'data']) &&
        'data' in b &&
        (b.ruleSetId === undefined || b.ruleSetId === 'level' || b.ruleSetId === 'points') &&
        (b.versionId === undefined || b.versionId === 1),
    },
    {
      name: 'POST /api/submissions/:id/submit',
      // the body is ignored (any JSON); the Idempotency-Key header is fuzzed with it
      body: fc.record({ body: junk, key: fc.option(fc.oneof(fc.string({ maxLength: 12 }), fc.string({ minLength: 195, maxLength: 210 })), { nil: null }) }),
      setup: async () => {
        toSubmit = await newDraft();
      },
      send: (b) => {
        const { body, key } = b as { body: unknown; key: string | null };
        return raw(applicant, 'POST', `/api/submissions/${toSubmit}/submit`, body, key === null ? {} : { 'idempotency-key': key });
      },
      accepts: (b) => {
        const { key } = b as { key: string | null };
        return key === null || (key.length >= 1 && key.length <= 200);
      },
      after: async (_b, res) => {
        if (res.statusCode === 200) toSubmit = await newDraft();
      },
    },
    {
      name: 'POST /api/auth/logout (signed out)',
      body: junk,
      send: (b) => raw(h.anon(), 'POST', '/api/auth/logout', b),
      accepts: () => false, // nobody to sign out
    },
    {
      name: 'POST /api/auth/login',
      body: near({ username: fc.constantFrom('admin', 'applicant-hz', 'nobody'), password: fc.string({ maxLength: 20 }) }),
      send: (b) => raw(h.anon(), 'POST', '/api/auth/login', b),
      accepts: () => false, // the generator never knows a password
    },
    {
      name: 'POST /api/submissions/:id/attachments (raw body)',
      body: fc.oneof(fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u)), fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from(u)]))),
      send: (b) => applicant.req('POST', `/api/submissions/${draft.id}/attachments?field=license&filename=f.png`, b as Buffer, { 'content-type': 'application/octet-stream' }),
      accepts: (b) => Buffer.isBuffer(b) && (b.subarray(0, 4).toString('hex') === '89504e47' || b.subarray(0, 4).toString() === '%PDF'),
    },
  ];

  for (const r of routes) {
    it(r.name, async () => {
      const c: Record<string, number> = (counts[r.name] = {});
      await r.setup?.();
      await fc.assert(
        fc.asyncProperty(r.body, async (b) => {
          const res = await r.send(b);
          c[res.statusCode] = (c[res.statusCode] ?? 0) + 1;
          expect(res.statusCode, `${r.name} ${JSON.stringify(b)?.slice(0, 500)} → ${res.body.slice(0, 500)}`).toBeLessThan(500);
          if (res.statusCode < 300) expect(r.accepts(b), `${r.name} accepted ${JSON.stringify(b)?.slice(0, 500)}`).toBe(true);
          await r.after?.(b, res);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

/**
 * POST /api/submissions/:id/consistency/accept needs an open mismatch to accept: a variant of the
 * test pack whose application form is pre-filled from the county table (firms ← area, matched by
 * the park's credit code). Each accepted body records an acceptance; the applicant then changes
 * the value, so the next case again has an open mismatch.
 */
describe('fuzzed API bodies: consistency acceptance', () => {
  let h: Harness;
  let applicant: Client;
  let county: Client;
  let draft: { id: string; version: number; firms: number };
  const counts: Record<string, number> = {};
  let accepted = 0;

  function prefillPackFiles(): Record<string, unknown> {
    const files = testPackFiles();
    const mf = files[`schemas/${TEST_PACK_ID}/pack.json`] as { forms: Array<Record<string, unknown>> };
    const app = mf.forms.find((f) => f.id === 'app') as Record<string, unknown>;
    app.prefill = [{ from: 'sum', match: 'park', fields: { firms: 'area' }, blocking: true }];
    return files;
  }

  beforeAll(async () => {
    const files = prefillPackFiles();
    expect(checkPack(packFromFiles(files, TEST_PACK_ID)).filter((p) => p.severity === 'error')).toEqual([]);
    h = await makeHarness({ packFiles: files });
    [applicant, county] = await Promise.all([h.login('applicant-hz'), h.login('county-xihu')]);
    const me = (await applicant.get('/api/auth/me')).json() as { user: { parkId: string } };
    const park = await h.storage.getPark(me.user.parkId);
    expect(park).not.toBeNull();
    expect((await county.put(`/api/tables/${TEST_PACK_ID}/sum`, { rows: [{ park: park?.creditCode, area: 5 }] })).statusCode).toBe(200);
    const d = await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    expect(d.statusCode).toBe(201);
    draft = { ...(d.json() as { id: string; version: number }), firms: VALID_DATA.firms };
    const c = (await county.get(`/api/submissions/${draft.id}/consistency`)).json() as { blocking: number };
    expect(c.blocking).toBe(1);
  });
  afterAll(async () => {
    await h?.close();
    console.log(`[fuzz-api] POST /api/submissions/:id/consistency/accept: ${RUNS} cases, ${accepted} acceptances recorded; status counts: ${JSON.stringify(counts)}`);
  });

  it('POST /api/submissions/:id/consistency/accept', async () => {
    await fc.assert(
      fc.asyncProperty(near({ reason: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('  ', ' 理由 ', '数据以园区填报为准'), fc.string({ minLength: 1995, maxLength: 2005 })) }), async (b) => {
        const res = await county.req('POST', `/api/submissions/${draft.id}/consistency/accept`, JSON.stringify(b));
        counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
        expect(res.statusCode, `${JSON.stringify(b)?.slice(0, 300)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        // two-sided: a valid reason is accepted (there is always an open mismatch), anything else refused as a bad request
        const ok = isObj(b) && onlyKeys(b, ['reason']) && str(b.reason, 2, 2000) && (b.reason as string).trim().length >= 2;
        expect(res.statusCode, `${JSON.stringify(b)?.slice(0, 300)} → ${res.body.slice(0, 300)}`).toBe(ok ? 200 : 400);
        if (ok) {
          accepted++;
          // a new value: a new open mismatch for the next case
          draft.firms++;
          const r = await applicant.put(`/api/submissions/${draft.id}`, { data: { ...VALID_DATA, firms: draft.firms } }, { 'if-match': `"${draft.version}"` });
          expect(r.statusCode).toBe(200);
          draft.version = (r.json() as { version: number }).version;
        }
      }),
      { numRuns: RUNS },
    );
    if (RUNS >= 200) expect(accepted).toBeGreaterThan(0); // with a handful of cases a valid reason may not come up
  });
});
