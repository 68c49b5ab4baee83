import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { Submission, User } from '@yuanping/storage';
import { requireUser } from '../../session.js';
import type { Ctx } from '../../ctx.js';
import { ApiError } from '../../errors.js';
import { idParam } from '../../http.js';
import { submissionFilterFor } from '../../scope.js';
import { EDITABLE, allowedActions, correctionDeadline, lastReturn, pathOf, reviewStep, statusLabelOf } from '../../workflow.js';
import { BUNDLE, evaluateData, validateData } from '../../bundle.js';
import { consistencySummary } from '../consistency.js';
import { DECIDED, decidedResult, outcomesOf } from '../../results.js';
import { etagOf, loadVisible, submissionView, withEvaluation } from './common.js';
import { listOf, ok } from '../../components.js';

/** A list position (created_at, id) as an opaque cursor, and back (400 when malformed). */
function encodeCursor(s: Submission): string {
  return Buffer.from(`${s.createdAt.toISOString()}|${s.id}`).toString('base64url');
}
function decodeCursor(c: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'cursor', code: 'format', message: '游标无效' }] });
  return { createdAt, id };
}

/**
 * What the review and application pages show of one submission: its head and data, reviews,
 * re-scores, attachments, consistency, decided result, deadlines, review path and the caller's
 * actions. `s.evaluation` goes out as given (null unless the full evaluation was asked for); a
 * decided submission's result is read from its stored evaluation. The read route answers with it,
 * and so does a review action, so the page updates from the action's answer without reading the
 * submission again.
 */
export async function submissionDetail(ctx: Ctx, u: User, s: Submission) {
  const { storage } = ctx;
  const [reviews, rescores, attachments, park, consistency] = await Promise.all([
    storage.listReviews(s.id),
    storage.listRescores(s.id),
    storage.listAttachments(s.id),
    storage.getPark(s.parkId),
    consistencySummary(ctx, s),
  ]);
  const pack = await ctx.packById(s.packVersionId);
  // a decided application's result in words, from its frozen evaluation (stored at submission:
  // read, not rebuilt), also when the page did not ask for the full evaluation
  const decidedEvaluation = DECIDED.includes(s.status) ? (s.evaluation ?? (await loadVisible(storage, u, s.id)).evaluation) : null;
  const result = decidedResult(pack, { status: s.status, outcomes: outcomesOf(decidedEvaluation) });
  // a returned submission: the last day it may be corrected and resubmitted once the window has closed
  const returnedAt = lastReturn(reviews);
  const path = pathOf(pack, s);
  const deadline = returnedAt ? correctionDeadline(pack, s.formId === BUNDLE ? null : s.formId, returnedAt, path) : null;
  const reviewPath = path ? { id: path.id, label: path.label, filedWith: path.filedWith ?? null } : null;
  const step = reviewStep(pack, s, u.role);
  // a draft (or a returned submission) comes with what is still wrong in it, as its last save
  // answered (required fields left empty are named at submit): a reopened draft shows its errors at once
  const errors = EDITABLE.includes(s.status) ? validateData(ctx, pack, s.formId, s.data, 'draft') : [];
  return {
    ...submissionView(s),
    statusLabel: statusLabelOf(pack, s),
    park,
    reviews,
    rescores,
    attachments,
    consistency,
    result,
    correctionDeadline: deadline,
    reviewPath,
    // a reviewer's return goes to the applicant, or one level down where the pack declares it
    returnsTo: step?.returnsTo ?? null,
    actions: allowedActions(u.role, s.status, u.parkId === s.parkId, step),
    errors,
  };
}

/** Reading submissions: the list (the applicant's own, a reviewer's area), one submission, its audit log. */
export async function submissionReadRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  app.get(
    '/api/submissions',
    {
      schema: {
        tags: ['submissions'],
        summary: '本人或本辖区的申报',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', maxLength: 40 },
            packId: { type: 'string', maxLength: 100 },
            limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$', description: '每页条数（1–1000）；有下一页时答复头 X-Next-Cursor 给出游标' },
            cursor: { type: 'string', maxLength: 200, description: '上一页答复头 X-Next-Cursor 的值' },
          },
        },
        response: listOf('SubmissionSummary', '申报（有下一页时答复头 X-Next-Cursor 给出游标）'),
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const raw = req.query;
      // query values are strings (the route schemas do not coerce types)
      const q = { ...raw, limit: raw.limit ? Number(raw.limit) : undefined };
      const after = q.cursor ? decodeCursor(q.cursor) : undefined;
      const page = await storage.listSubmissions({
        ...submissionFilterFor(u),
        ...(q.status ? { statuses: [q.status] } : {}),
        ...(q.packId ? { packId: q.packId } : {}),
        ...(q.limit ? { limit: q.limit + 1 } : {}),
        ...(after ? { after } : {}),
      });
      // one more row than asked for tells whether there is a next page
      const list = q.limit ? page.slice(0, q.limit) : page;
      const last = list[list.length - 1];
      if (q.limit && page.length > q.limit && last) void reply.header('x-next-cursor', encodeCursor(last));
      // the queue shows each rule set's outcome, not the whole explanation: taken out of the stored
      // evaluation by the database, or from the evaluation rebuilt for a draft that stores none
      const out = [];
      for (const s of list) {
        const { data: _data, evaluation: _evaluation, outcomes: stored, ...rest } = submissionView(s);
        let outcomes = stored;
        if (!outcomes) {
          outcomes = {};
          for (const [k, v] of Object.entries(evaluateData(ctx, await ctx.packById(s.packVersionId), s.formId, s.data))) {
            outcomes[k] = (v as { outcome?: unknown }).outcome ?? null;
          }
        }
        out.push({ ...rest, outcomes });
      }
      return out;
    },
  );

  app.get(
    '/api/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: '申报详情：数据、审核意见、复核评分、附件；草稿与退回的申报带 errors（数据尚需修改之处，与保存的答复相同；必填项在提交时检查）；?evaluation=full 时含完整评价（否则 evaluation 为 null）',
        params: idParam,
        querystring: { type: 'object', properties: { evaluation: { type: 'string', enum: ['none', 'full'] } } },
        response: ok({ $ref: 'SubmissionDetail#' }, '申报详情（ETag 为版本）'),
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const id = req.params.id;
      // the first page is light: the browser evaluates the data itself (the pack's rules), so the
      // full evaluation (≈ 170 KB for a large application) comes only when asked for — rebuilt for
      // a draft, which is CPU, so in the bounded evaluation queue
      const full = req.query.evaluation === 'full';
      const s = full
        ? await ctx.queues.evaluate.run(req, reply, async () => withEvaluation(ctx, await loadVisible(storage, u, id)))
        : { ...(await loadVisible(storage, u, id, { evaluation: false })), evaluation: null };
      void reply.header('etag', etagOf(s));
      return submissionDetail(ctx, u, s);
    },
  );

  app.get('/api/submissions/:id/audit', { schema: { tags: ['audit'], summary: '申报的审计日志', params: idParam, response: listOf('AuditEntry', '审计日志') } }, async (req) => {
    const u = requireUser(req);
    const s = await loadVisible(storage, u, req.params.id);
    return storage.listAudit({ entity: 'submission', entityId: s.id });
  });

}
