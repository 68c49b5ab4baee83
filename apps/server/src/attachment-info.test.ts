import { beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, VALID_DATA } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { mp4 } from './testing/media-files.js';
import { serverFor } from '../../../test/support/server.js';

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), Buffer.alloc(64, 32)]);

/** An MP4 as cameras write it: the media (mdat) first, its index (moov) at the end. */
const mp4MoovLast = (seconds: number) => mp4(seconds, { moovLast: true });

describe.each(backends)('attachment info for the print view on %s', (backend) => {
  let subId: string;
  const srv = serverFor({ backend }, { applicant: 'applicant-hz' });
  beforeAll(async () => {
    subId = ((await srv.applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
  });
  const up = async (field: string, name: string, body: Buffer) => {
    const r = await srv.applicant.req('POST', `/api/submissions/${subId}/attachments?field=${field}&filename=${encodeURIComponent(name)}`, body);
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { id: string }).id;
  };

  it('gives a video its duration from the moov box after the media, and a document none', async () => {
    const video = await up('video', '演示视频.mp4', mp4MoovLast(312));
    const info = await srv.applicant.get(`/api/attachments/${video}/info`);
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json()).toEqual({ id: video, field: 'video', filename: '演示视频.mp4', mime: 'video/mp4', size: mp4MoovLast(312).length, durationSeconds: 312 });
    const pdf = await up('license', '执照.pdf', PDF);
    expect((await srv.applicant.get(`/api/attachments/${pdf}/info`)).json()).toMatchObject({ mime: 'application/pdf', durationSeconds: null });
  });

  it('is read only by who may read the submission', async () => {
    const pdf = await up('license', '执照2.pdf', PDF);
    const other = await srv.h.login('applicant-nb');
    expect((await other.get(`/api/attachments/${pdf}/info`)).statusCode).toBe(404);
    const county = await srv.h.login('county-xihu');
    expect((await county.get(`/api/attachments/${pdf}/info`)).statusCode).toBe(404); // a draft
    expect((await srv.h.anon().get(`/api/attachments/${pdf}/info`)).statusCode).toBe(401);
    expect((await srv.applicant.get('/api/attachments/nope/info')).statusCode).toBe(404);
  });
});
