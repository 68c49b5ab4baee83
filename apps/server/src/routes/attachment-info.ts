/**
 * What the print view needs to list a material it cannot print: an attachment's name, type,
 * size and, for a video, its duration — read by MediaInfo (media.ts) in ranges of the stored file.
 */
import { idParam } from '../http.js';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { Storage } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { mediaDurationSeconds } from '../media.js';
import { visibleAttachment } from '../scope.js';
import { ok } from '../components.js';

/** Duration of a video attachment, read by MediaInfo in ranges of the stored file (never the whole video into memory), or null. */
export async function videoDurationSeconds(storage: Storage, id: string, size: number): Promise<number | null> {
  return mediaDurationSeconds(size, async (offset, length) => (await storage.attachmentBytes(id, offset, length))?.bytes ?? new Uint8Array(0));
}

export async function attachmentInfoRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  app.get(
    '/api/attachments/:id/info',
    {
      schema: {
        tags: ['attachments'],
        summary: '附件的名称、类型、大小，视频另给时长（秒）；仅能看到该申报的用户',
        params: idParam,
        response: ok(
          {
            type: 'object',
            required: ['id', 'field', 'filename', 'mime', 'size', 'durationSeconds'],
            properties: {
              id: { type: 'string' },
              field: { type: 'string' },
              filename: { type: 'string' },
              mime: { type: 'string' },
              size: { type: 'integer' },
              durationSeconds: { type: ['number', 'null'], description: '视频的时长（秒）；其他文件或读不出时为 null' },
            },
          },
          '附件信息',
        ),
      },
    },
    async (req) => {
      const u = requireUser(req);
      const a = await visibleAttachment(ctx.storage, u, req.params.id);
      const durationSeconds = a.mime.startsWith('video/') ? await videoDurationSeconds(ctx.storage, a.id, a.size) : null;
      return { id: a.id, field: a.field, filename: a.filename, mime: a.mime, size: a.size, durationSeconds };
    },
  );
}
