/**
 * Jobs (long work, see jobs.ts): the user's recent jobs, one job's progress, cancel, and the file
 * a job produced (an export's xlsx, an import's report). A job is seen by the user who started it,
 * the other reviewers of the same unit, and the province / administrators; its file only by the
 * user who started it and administrators (it may hold what only that user's scope shows). Started
 * by the routes of the work itself (e.g. POST /api/cohort-jobs, POST …/xlsx-job).
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { Job, User } from '@yuanping/storage';
import { idParam } from '../http.js';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { ApiError } from '../errors.js';
import { listOf, ok, oneOfMedia, XLSX } from '../components.js';
import { contentDisposition } from './export.js';

const STATUS_WORD: Record<string, string> = { succeeded: '已完成', failed: '已失败', cancelled: '已取消' };

/** Who may download what a job produced: the user who started it, and administrators. */
export function canReadJobResult(u: User, j: Job): boolean {
  return u.role === 'admin' || (j.createdBy !== null && j.createdBy === u.id);
}

export function canSeeJob(u: User, j: Job): boolean {
  if (u.role === 'province' || u.role === 'admin') return true;
  return j.createdBy === u.id || (j.orgCode !== null && j.orgCode === u.orgCode && u.role !== 'applicant');
}

export async function jobRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  app.get(
    '/api/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: '我启动的任务（最近的在前；active=true 只列排队中与运行中的）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { kind: { type: 'string', maxLength: 100 }, active: { enum: ['true', 'false'] }, limit: { type: 'string', pattern: '^[0-9]{1,2}$' } },
        },
        response: listOf('Job', '任务'),
      },
    },
    async (req) => {
      const u = requireUser(req);
      const q = req.query;
      return storage.listJobs({ createdBy: u.id, ...(q.kind ? { kind: q.kind } : {}), ...(q.active === 'true' ? { active: true } : {}), limit: q.limit ? Math.max(1, Number(q.limit)) : 20 });
    },
  );

  app.get('/api/jobs/:id', { schema: { tags: ['jobs'], summary: '任务的状态与进度', params: idParam, response: ok({ $ref: 'Job#' }, '任务') } }, async (req) => {
    const u = requireUser(req);
    const j = await storage.getJob(req.params.id);
    if (!j || !canSeeJob(u, j)) throw new ApiError('NOT_FOUND', { what: '任务' });
    return j;
  });

  app.get(
    '/api/jobs/:id/result',
    {
      schema: {
        tags: ['jobs'],
        summary: '下载任务的结果文件（导出的 xlsx，或导入检查的问题清单 JSON）：只有启动任务的用户与管理员可下载；完成后保留一段时间（见 README）',
        params: idParam,
        response: oneOfMedia({ [XLSX]: { type: 'string', format: 'binary' }, 'application/json': {} }, '结果文件'),
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const j = await storage.getJob(req.params.id);
      if (!j || !canSeeJob(u, j) || !canReadJobResult(u, j)) throw new ApiError('NOT_FOUND', { what: '任务' });
      if (j.status !== 'succeeded') throw new ApiError('JOB_NO_RESULT', { why: j.status === 'queued' || j.status === 'running' ? '任务还没有完成' : `任务${STATUS_WORD[j.status] ?? j.status}` });
      const r = await storage.getJobResult(j.id);
      if (!r) throw new ApiError('JOB_NO_RESULT', { why: '结果已过保留期被清理，或这个任务不产生文件' });
      return reply
        .header('content-type', r.contentType)
        .header('content-disposition', contentDisposition(r.name, `job-${j.id}${r.name.slice(r.name.lastIndexOf('.'))}`))
        .header('cache-control', 'private, no-store')
        .send(r.content);
    },
  );

  app.post(
    '/api/jobs/:id/cancel',
    {
      schema: {
        tags: ['jobs'],
        summary: '取消任务：排队中的立即取消；运行中的在下一步停止，不保存任何结果',
        params: idParam,
        response: ok({ $ref: 'Job#' }, '已请求取消（排队中的任务状态已为 cancelled）'),
      },
    },
    async (req) => {
      const u = requireUser(req);
      const j = await storage.getJob(req.params.id);
      if (!j || !canSeeJob(u, j)) throw new ApiError('NOT_FOUND', { what: '任务' });
      const c = await storage.requestJobCancel(j.id, ctx.now());
      if (!c) {
        const now = await storage.getJob(j.id);
        throw new ApiError('JOB_ALREADY_ENDED', { status: STATUS_WORD[now?.status ?? ''] ?? now?.status ?? '' });
      }
      await storage.appendAudit({ actorId: u.id, action: 'job.cancel', entity: 'job', entityId: j.id, after: { kind: j.kind, status: c.status }, at: ctx.now() });
      return c;
    },
  );
}
