/**
 * What the print view needs to list a material it cannot print: an attachment's name, type,
 * size and, for a video, its duration — read from the file's `moov/mvhd` box by walking the
 * top-level boxes in the database (a few small reads, never the whole video into memory).
 */
import { idParam } from '../http.js';
import type { FastifyInstance } from 'fastify';
import type { Storage } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { mp4DurationSeconds } from '../media.js';
import { visibleAttachment } from '../scope.js';

/** The largest `moov` box read (its size is the index of the media, not the media itself). */
const MAX_MOOV = 64 * 1024 * 1024;

/** Duration of an ISO BMFF (MP4/MOV) attachment, or null when it cannot be read. */
export async function videoDurationSeconds(storage: Storage, id: string): Promise<number | null> {
  let offset = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const head = await storage.attachmentBytes(id, offset, 16);
    if (!head || head.bytes.length < 8) return null;
    let size = head.bytes.readUInt32BE(0);
    const type = head.bytes.toString('latin1', 4, 8);
    if (size === 1) {
      if (head.bytes.length < 16) return null;
      size = Number(head.bytes.readBigUInt64BE(8));
    } else if (size === 0) size = head.size - offset;
    if (size < 8) return null;
    if (type === 'moov') {
      if (size > MAX_MOOV) return null;
      const moov = await storage.attachmentBytes(id, offset, size);
      return moov ? mp4DurationSeconds(moov.bytes) : null;
    }
    offset += size;
    if (offset >= head.size) return null;
  }
  return null;
}

export async function attachmentInfoRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get(
    '/api/attachments/:id/info',
    {
      schema: {
        tags: ['attachments'],
        summary: '附件的名称、类型、大小，视频另给时长（秒）；仅能看到该申报的用户',
        params: idParam,
      },
    },
    async (req) => {
      const u = requireUser(req);
      const a = await visibleAttachment(ctx.storage, u, (req.params as { id: string }).id);
      const durationSeconds = a.mime.startsWith('video/') ? await videoDurationSeconds(ctx.storage, a.id) : null;
      return { id: a.id, field: a.field, filename: a.filename, mime: a.mime, size: a.size, durationSeconds };
    },
  );
}
