import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, PG_URL, VALID_DATA, type Client, type Harness } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';
import { mp4 } from './testing/media-files.js';

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), Buffer.alloc(64, 32)]);

/** An MP4 as cameras write it: the media (mdat) first, its index (moov) at the end. */
const mp4MoovLast = (seconds: number) => mp4(seconds, { moovLast: true });

describe.each(backends)('attachment info for the print view on %s', (backend) => {
  let h: Harness;
  let applicant: Client;
  let subId: string;
  beforeAll(async () => {
    h = await makeHarness({ backend });
    applicant = await h.login('applicant-hz');
    subId = ((await applicant.post('/api/submissions', { packId: TEST_PACK_ID, formId: 'app', data: VALID_DATA })).json() as { id: string }).id;
  });
  afterAll(async () => {
    await h.close();
  });
  const up = async (field: string, name: string, body: Buffer) => {
    const r = await applicant.req('POST', `/api/submissions/${subId}/attachments?field=${field}&filename=${encodeURIComponent(name)}`, body);
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { id: string }).id;
  };

  it('gives a video its duration from the moov box after the media, and a document none', async () => {
    const video = await up('video', '演示视频.mp4', mp4MoovLast(312));
    const info = await applicant.get(`/api/attachments/${video}/info`);
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json()).toEqual({ id: video, field: 'video', filename: '演示视频.mp4', mime: 'video/mp4', size: mp4MoovLast(312).length, durationSeconds: 312 });
    const pdf = await up('license', '执照.pdf', PDF);
    expect((await applicant.get(`/api/attachments/${pdf}/info`)).json()).toMatchObject({ mime: 'application/pdf', durationSeconds: null });
  });

  it('is read only by who may read the submission', async () => {
    const pdf = await up('license', '执照2.pdf', PDF);
    const other = await h.login('applicant-nb');
    expect((await other.get(`/api/attachments/${pdf}/info`)).statusCode).toBe(404);
    const county = await h.login('county-xihu');
    expect((await county.get(`/api/attachments/${pdf}/info`)).statusCode).toBe(404); // a draft
    expect((await h.anon().get(`/api/attachments/${pdf}/info`)).statusCode).toBe(401);
    expect((await applicant.get('/api/attachments/nope/info')).statusCode).toBe(404);
  });
});
