import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, PG_URL, VALID_DATA, type Client, type Harness } from './testing/harness.js';
import { TEST_PACK_ID } from './testing/fixture-pack.js';

const backends: Array<'pglite' | 'pg'> = PG_URL ? ['pglite', 'pg'] : ['pglite'];
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), Buffer.alloc(64, 32)]);

function box(type: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}
/** An MP4 as cameras write it: the media (mdat) first, its index (moov/mvhd) at the end. */
function mp4MoovLast(seconds: number): Buffer {
  const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2mp41')]));
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(600, 12); // timescale
  mvhd.writeUInt32BE(seconds * 600, 16); // duration
  return Buffer.concat([ftyp, box('free', Buffer.alloc(10)), box('mdat', Buffer.alloc(5000, 7)), box('moov', box('mvhd', mvhd))]);
}

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
