import { Readable } from 'node:stream';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { ATTACHMENT_CHUNK_BYTES } from '@yuanping/storage';
import { requireUser } from '../../session.js';
import type { Ctx } from '../../ctx.js';
import { ApiError } from '../../errors.js';
import { idParam } from '../../http.js';
import { schemaAt } from '../../schema-path.js';
import { EDITABLE, ACTION_LABELS, statusLabel } from '../../workflow.js';
import { locateField } from '../../bundle.js';
import { acceptsMediaType } from '../../media.js';
import { cleanFileName, meteredUpload, UPLOAD_TIMEOUT_MS } from '../../upload.js';
import { videoDurationSeconds } from '../attachment-info.js';
import { formatBytes } from '../../gate.js';
import { visibleAttachment } from '../../scope.js';
import { loadVisible, requireOwner } from './common.js';
import { file, listOf, ok } from '../../components.js';

/**
 * How much of a file's head its type is detected from (read back from its chunks). Not a stream of
 * unknown size: file-type then gives up on a file that ends before what it scans for (a PNG without
 * image data was 无法识别, while the same bytes with their size known are a PNG, as before chunking).
 */
const SNIFF_BYTES = 4 * ATTACHMENT_CHUNK_BYTES;

/** Attachments of a submission: upload (the body is the file), list, download. */
export async function submissionAttachmentRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  // ---- attachments ----
  await app.register(async (sub0) => {
    const sub = sub0.withTypeProvider<JsonSchemaToTsProvider>();
    // the body is handed on unread: the handler reads it (meteredUpload) once the upload is allowed
    sub.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    sub.post(
      '/api/submissions/:id/attachments',
      {
        bodyLimit: ctx.opts.uploadLimit,
        // large files (videos) take longer than an ordinary request
        handlerTimeout: UPLOAD_TIMEOUT_MS,
        schema: {
          tags: ['attachments'],
          summary: '上传附件（请求体为文件本身；类型按内容识别，大小与类型以表单 x-file 为准）',
          params: idParam,
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['field', 'filename'],
            properties: { field: { type: 'string', minLength: 1, maxLength: 300 }, filename: { type: 'string', minLength: 1, maxLength: 255 } },
          },
          response: ok({ $ref: 'Attachment#' }, '已上传', 201),
        },
      },
      async (req, reply) => {
        const u = requireUser(req);
        const id = req.params.id;
        const { field } = req.query;
        const filename = cleanFileName(req.query.filename);
        const s = await loadVisible(storage, u, id);
        requireOwner(u, s);
        if (!EDITABLE.includes(s.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.upload });
        const stream = req.body;
        if (!(stream instanceof Readable)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', { type: String(req.headers['content-type'] ?? '').trim() || '（未声明）' });
        const loc = locateField(await ctx.packById(s.packVersionId), s.formId, field);
        const node = loc ? schemaAt(loc.form.schema, loc.path) : null;
        const spec = node?.['x-file'] as { accept?: string[]; maxBytes?: number; maxDurationSeconds?: number } | undefined;
        if (!spec) throw new ApiError('FILE_FIELD_UNKNOWN', { field });
        const max = Math.min(typeof spec.maxBytes === 'number' ? spec.maxBytes : Infinity, ctx.opts.uploadLimit);
        const declared = Number(req.headers['content-length'] ?? 0);
        if (declared > max) throw new ApiError('FILE_TOO_LARGE', { size: formatBytes(declared), max: formatBytes(max) });
        // the body goes to the database as it arrives (1 MiB a row; over the limit or cut off: its
        // chunks are deleted); the checks that need the content read it back from there
        const attId = randomUUID();
        const upload = meteredUpload(stream, max);
        const { size } = await storage.writeAttachmentContent(attId, upload.chunks);
        const sha = upload.sha256();
        try {
          const head = await storage.attachmentBytes(attId, 0, Math.min(size, SNIFF_BYTES));
          const sniffed = head && head.bytes.length ? await fileTypeFromBuffer(head.bytes) : undefined;
          const mime = sniffed?.mime ?? 'application/octet-stream';
          const accept = spec.accept ?? [];
          // the detected type against the declared ones, aliases included (video/x-msvideo is video/vnd.avi)
          if (!acceptsMediaType(accept, mime) || !sniffed) throw new ApiError('FILE_TYPE_REFUSED', { accept: accept.join('、') || '任意', actual: sniffed ? mime : '无法识别' });
          if (typeof spec.maxDurationSeconds === 'number' && (mime.startsWith('video/') || mime.startsWith('audio/'))) {
            // read by MediaInfo from the whole container (a fragmented MP4's duration is in its fragments),
            // in ranges of the stored chunks; a limit that cannot be checked is not passed
            const d = await videoDurationSeconds(storage, attId, size);
            if (d === null) throw new ApiError('FILE_DURATION_UNKNOWN', { max: spec.maxDurationSeconds });
            if (d > spec.maxDurationSeconds) throw new ApiError('FILE_TOO_LONG', { duration: Math.round(d), max: spec.maxDurationSeconds });
          }
          const att = await storage.transaction(async (t) => {
            const a = await t.saveAttachment({ id: attId, submissionId: id, field, filename, mime, sha256: sha, size, uploadedBy: u.id });
            await t.appendAudit({ actorId: u.id, action: 'attachment.upload', entity: 'submission', entityId: id, after: { attachment: a.id, field, filename, mime, size: a.size, sha256: sha }, at: ctx.now() });
            return a;
          });
          return reply.status(201).send(att);
        } catch (e) {
          await storage.discardAttachmentContent(attId);
          throw e;
        }
      },
    );
  });

  app.get('/api/submissions/:id/attachments', { schema: { tags: ['attachments'], summary: '申报的附件列表', params: idParam, response: listOf('Attachment', '附件') } }, async (req) => {
    const u = requireUser(req);
    const s = await loadVisible(storage, u, req.params.id);
    return storage.listAttachments(s.id);
  });

  // the answer streams for as long as the client takes to receive it: the handler timeout (30 s)
  // would destroy a large download still under way
  app.get('/api/attachments/:id', { handlerTimeout: UPLOAD_TIMEOUT_MS, schema: { tags: ['attachments'], summary: '下载附件（仅能看到该申报的用户）',
        params: idParam,
        response: file('application/octet-stream', '附件内容（类型为上传时识别的类型）'),
      } }, async (req, reply) => {
    const u = requireUser(req);
    // someone else's attachment and a missing one answer the same 404
    const meta = await visibleAttachment(storage, u, req.params.id);
    const content = await storage.readAttachmentContent(meta.id);
    if (!content) throw new ApiError('NOT_FOUND', { what: '附件' });
    void reply
      .header('content-type', meta.mime)
      .header('content-length', meta.size)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(meta.filename)}`)
      .header('cache-control', 'private, no-store');
    // read a chunk at a time as the client takes it
    return reply.send(Readable.from(content));
  });
}
