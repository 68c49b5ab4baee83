/**
 * What the print view needs to list a material it cannot print: an attachment's name, type,
 * size and, for a video, its duration — read by MediaInfo (media.ts) in ranges of the stored file.
 */
import { idParam } from '../http.js';
import type { FastifyInstance } from 'fastify';
import type { Storage } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { mediaDurationSeconds } from '../media.js';
import { visibleAttachment } from '../scope.js';

/** Duration of a video attachment, read by MediaInfo in ranges of the stored file (never the whole video into memory), or null. */
export async function videoDurationSeconds(storage: Storage, id: string, size: number): Promise<number | null> {
  return mediaDurationSeconds(size, async (offset, length) => (await storage.attachmentBytes(id, offset, length))?.bytes ?? new Uint8Array(0));
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
      const durationSeconds = a.mime.startsWith('video/') ? await videoDurationSeconds(ctx.storage, a.id, a.size) : null;
      return { id: a.id, field: a.field, filename: a.filename, mime: a.mime, size: a.size, durationSeconds };
    },
  );
}
