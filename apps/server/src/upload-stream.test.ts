import { createHash } from 'node:crypto';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, VALID_DATA } from './testing/harness.js';
import { TEST_PACK_ID, testPackFiles } from './testing/fixture-pack.js';
import { streamUpload } from './testing/stream-upload.js';
import { serverFor } from '../../../test/support/server.js';

const MB = 1024 * 1024;
const PDF_HEAD = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');
const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];

/** The test pack with the license field taking PDFs up to 200 MiB, and videos up to 3 MiB. */
function bigLicensePack(): Record<string, unknown> {
  const files = testPackFiles();
  const form = files[`schemas/${TEST_PACK_ID}/forms/app.schema.json`] as { properties: Record<'license' | 'video', { 'x-file': { maxBytes: number } }> };
  form.properties.license['x-file'].maxBytes = 200 * MB;
  form.properties.video['x-file'].maxBytes = 3 * MB;
  return files;
}

/** A PDF of `size` bytes: the head, then filler as `streamUpload` sends it. */
function pdfBytes(size: number): Buffer {
  return Buffer.concat([PDF_HEAD, Buffer.alloc(size - PDF_HEAD.length, 7)]);
}

describe.each(backends)('uploads stream into the database on %s', (backend) => {
  let subId: string;
  const srv = serverFor({ backend, packFiles: bigLicensePack() }, { applicant: 'applicant-hz' });
  beforeAll(async () => {
    subId = ((await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
  });
  const url = (name: string) => `/api/submissions/${subId}/attachments?field=license&filename=${name}`;
  /** chunks no attachment owns (an upload that was refused or cut off and not cleaned up) */
  const orphans = () => srv.h.storage.deleteOrphanAttachmentChunks(new Date(Date.now() + 3600_000));

  it('stores a file of several chunks and downloads it byte for byte', async () => {
    const body = pdfBytes(3 * MB + 4321);
    const r = await srv.applicant.req('POST', url('big.pdf'), body, { 'content-type': 'application/pdf' });
    expect(r.statusCode, r.body).toBe(201);
    const a = r.json() as { id: string; size: number; sha256: string; mime: string };
    expect(a).toMatchObject({ size: body.length, mime: 'application/pdf', sha256: createHash('sha256').update(body).digest('hex') });
    const got = await srv.applicant.get(`/api/attachments/${a.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-length']).toBe(String(body.length));
    expect(got.rawPayload.equals(body)).toBe(true);
    expect(await orphans()).toBe(0);
  });

  it('an upload over the limit while it streams, or of a refused type, leaves no chunks', async () => {
    // no declared size: cut off at the video field's limit of 3 MiB, after three chunks were written
    const over = await srv.h.app.inject({
      method: 'POST',
      url: `/api/submissions/${subId}/attachments?field=video&filename=v.mp4`,
      headers: { cookie: srv.applicant.cookie ?? '', 'x-csrf-token': srv.applicant.csrf ?? '', 'content-type': 'video/mp4', 'transfer-encoding': 'chunked' },
      payload: Buffer.alloc(4 * MB, 1),
    });
    expect(over.json()).toMatchObject({ code: 'FILE_TOO_LARGE' });
    const refused = await srv.applicant.req('POST', url('a.pdf'), Buffer.alloc(2 * MB, 65), { 'content-type': 'application/pdf' });
    expect(refused.json()).toMatchObject({ code: 'FILE_TYPE_REFUSED' });
    expect(await orphans()).toBe(0);
    expect((await srv.applicant.get(`/api/submissions/${subId}/attachments`)).json()).toHaveLength(1);
  });
});

describe.skipIf(!PG_URL)('memory while large uploads stream in (PostgreSQL)', () => {
  let subId: string;
  const srv = serverFor({ backend: 'pg', packFiles: bigLicensePack() }, { applicant: 'applicant-hz' });
  beforeAll(async () => {
    subId = ((await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
  });

  it('stores 4 allowed 100 MB uploads at once while memory stays flat, and streams one back', async () => {
    await srv.h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (srv.h.app.server.address() as AddressInfo).port;
    const headers = { cookie: srv.applicant.cookie ?? '', 'x-csrf-token': srv.applicant.csrf ?? '', 'content-type': 'application/pdf' };
    const size = 100 * MB;
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peakRss = before;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    let ids: string[];
    let downloaded: { size: number; sha256: string };
    try {
      const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => streamUpload(port, `/api/submissions/${subId}/attachments?field=license&filename=big-${i}.pdf`, size, { head: PDF_HEAD, headers })));
      expect(answers.map((a) => a.status), answers.map((a) => a.body || a.error).join('\n')).toEqual([201, 201, 201, 201]);
      ids = answers.map((a) => (JSON.parse(a.body) as { id: string }).id);
      downloaded = await new Promise((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: `/api/attachments/${ids[0]}`, headers: { cookie: headers.cookie }, agent: false }, (res) => {
          const hash = createHash('sha256');
          let n = 0;
          res.on('data', (d: Buffer) => {
            n += d.length;
            hash.update(d);
          });
          res.on('end', () => resolve({ size: n, sha256: hash.digest('hex') }));
          res.on('error', (e) => reject(new Error(`download: ${e.message} after ${n} bytes (status ${res.statusCode})`)));
        }).on('error', (e) => reject(new Error(`download: ${e.message}`)));
      });
    } finally {
      clearInterval(sampler);
    }
    const expected = createHash('sha256');
    expected.update(PDF_HEAD);
    const filler = Buffer.alloc(64 * 1024, 7);
    for (let left = size - PDF_HEAD.length; left > 0; left -= filler.length) expected.update(left >= filler.length ? filler : filler.subarray(0, left));
    expect(downloaded).toEqual({ size, sha256: expected.digest('hex') });
    // before: each body was held whole (100 MB each, 400 MB together) and stored as one value; a
    // generous bound far below one such body
    const growth = peakRss - before;
    console.log(`peak RSS growth while 4 × 100 MB streamed in and one out: ${(growth / MB).toFixed(1)} MB`);
    expect(growth).toBeLessThan(100 * MB);
  }, 20 * 60_000);
});
