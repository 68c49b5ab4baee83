import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { VALID_DATA } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { serverFor } from '../../../test/support/server.js';
import { streamUpload } from './testing/stream-upload.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), Buffer.alloc(64, 32)]);
const MB = 1024 * 1024;

describe('nothing is read before it is allowed', () => {
  let subId: string;
  const srv = serverFor({}, { applicant: 'applicant-hz' });
  beforeAll(async () => {
    const r = await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA });
    subId = (r.json() as { id: string }).id;
  });

  it('refuses 8 unauthenticated 190 MB uploads with 401 while memory stays flat', async () => {
    await srv.h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (srv.h.app.server.address() as AddressInfo).port;
    const path = `/api/submissions/${subId}/attachments?field=license&filename=b.bin`;
    globalThis.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, () => streamUpload(port, path, 190 * MB)));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(401));
    } finally {
      clearInterval(sampler);
    }
    // before: each body was read whole (190 MB each) before the session was looked at; a
    // generous bound far below one such body
    expect(peakRss - before.rss).toBeLessThan(100 * MB);
  });

  it('refuses a write without a session, and one without the CSRF token, before reading the body', async () => {
    const anon = await srv.h.anon().req('POST', `/api/submissions/${subId}/attachments?field=license&filename=a.pdf`, PDF);
    expect(anon.statusCode).toBe(401);
    expect(anon.headers.connection).toBe('close');
    const noCsrf = await srv.h.app.inject({
      method: 'POST',
      url: `/api/submissions/${subId}/attachments?field=license&filename=a.pdf`,
      headers: { cookie: srv.applicant.cookie ?? '', 'content-type': 'application/pdf' },
      payload: PDF,
    });
    expect(noCsrf.json()).toMatchObject({ code: 'CSRF_FAILED' });
  });

  it('refuses a declared size above the field’s limit from the header, naming both sizes', async () => {
    const r = await srv.applicant.req('POST', `/api/submissions/${subId}/attachments?field=license&filename=a.pdf`, Buffer.alloc(5000, 1));
    expect(r.statusCode).toBe(413);
    // the license field takes at most 2000 bytes (fixture pack)
    expect(r.json()).toMatchObject({ code: 'FILE_TOO_LARGE', message: '文件大小 5000 字节 超过上限 2000 字节' });
  });

  it('stops reading a body that lies about its size at the limit', async () => {
    const big = Buffer.alloc(5000, 1);
    // chunked: no declared size, the limit is enforced while reading
    const r = await srv.h.app.inject({
      method: 'POST',
      url: `/api/submissions/${subId}/attachments?field=license&filename=a.pdf`,
      headers: { cookie: srv.applicant.cookie ?? '', 'x-csrf-token': srv.applicant.csrf ?? '', 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' },
      payload: big,
    });
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('a declared body over the route limit is 413 with the limit written out', async () => {
    const r = await srv.applicant.req('POST', '/api/submissions', Buffer.alloc(2 * MB, 32), { 'content-type': 'application/json' });
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大，上限为 1 MB' });
  });

  it('an unsupported content type names the type', async () => {
    const r = await srv.applicant.req('POST', '/api/submissions', 'packId=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.statusCode).toBe(415);
    expect(r.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型：application/x-www-form-urlencoded' });
  });

  it('stores upload file names without control or bidi characters', async () => {
    const name = 'evil\u202Efdp.exe\u0007\u200F.pdf';
    const r = await srv.applicant.req('POST', `/api/submissions/${subId}/attachments?field=license&filename=${encodeURIComponent(name)}`, PDF);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ filename: 'evilfdp.exe.pdf' });
  });

  it('"not found" is the same for someone else’s attachment and a missing one', async () => {
    const a = (await srv.applicant.req('POST', `/api/submissions/${subId}/attachments?field=license&filename=a.pdf`, PDF)).json() as { id: string };
    const other = await srv.h.login('applicant-nb');
    const theirs = await other.get(`/api/attachments/${a.id}`);
    const missing = await other.get('/api/attachments/00000000-0000-0000-0000-000000000000');
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toEqual(missing.json());
  });
});
