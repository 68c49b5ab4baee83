import type { FastifyInstance } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { requireUser } from '../../session.js';
import type { Ctx } from '../../ctx.js';
import { idempotencyHeaders } from '../../contract.js';
import { ApiError } from '../../errors.js';
import { idParam } from '../../http.js';
import { visibleText } from '../../text.js';
import { EDITABLE, ACTION_LABELS, statusLabel } from '../../workflow.js';
import { evaluateData, outcomeSummaries, validateData } from '../../bundle.js';
import { assertConsistent } from '../consistency.js';
import { checkApplicantWindow, etagOf, idempotent, loadVisible, requireOwner, submissionView, withEvaluation } from './common.js';
import { ok } from '../../components.js';

/** The applicant submits (full validation, deadline) and may withdraw before the county reviews. */
export async function submissionSubmitRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  const { storage } = ctx;
  // request types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();

  app.post(
    '/api/submissions/:id/submit',
    { schema: { tags: ['submissions'], summary: '提交申报（完整校验、截止日期检查；可带 Idempotency-Key）', params: idParam,
        headers: idempotencyHeaders,
        response: ok({ $ref: 'Submission#' }, '已提交（同一 Idempotency-Key 的重复请求：首次的答复，Idempotent-Replay: true）'),
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const id = req.params.id;
      const s0 = await loadVisible(storage, u, id);
      requireOwner(u, s0);
      return idempotent(ctx, req, reply, u, `submission.submit:${id}`, async (t) => {
        const s = await loadVisible(t, u, id, { forUpdate: true });
        if (!EDITABLE.includes(s.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.submit });
        const pack = await ctx.packById(s.packVersionId);
        if (ctx.enforceWindows) await checkApplicantWindow(ctx, t, pack, s);
        const errors = validateData(ctx, pack, s.formId, s.data, 'submit');
        if (errors.length) throw new ApiError('SUBMISSION_INVALID', { count: errors.length }, { errors });
        await assertConsistent(t, pack, s);
        const evaluation = evaluateData(ctx, pack, s.formId, s.data);
        // the evaluation at submission is stored (frozen), with its outcome summary
        const r = await t.transitionSubmission(s.id, EDITABLE, 'submitted', ctx.now(), { submittedAt: ctx.now(), evaluation, outcomeSummary: outcomeSummaries(pack, s.formId, s.data) });
        if (!r) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.submit });
        await t.addReview({ submissionId: s.id, level: 'applicant', action: 'submit', comment: null, fromStatus: s.status, toStatus: r.status, reviewerId: u.id, createdAt: ctx.now() });
        await t.appendAudit({ actorId: u.id, action: 'submission.submit', entity: 'submission', entityId: s.id, before: { status: s.status }, after: { status: r.status }, at: ctx.now() });
        return { status: 200, body: submissionView(r) };
      }, async (t, body) => {
        // the stored answer says "submitted" at its version: replayed after a withdraw (or any
        // change since) it would describe a submission that no longer is
        const cur = await t.getSubmission(id, { evaluation: false });
        return cur && cur.version !== (body as { version?: unknown }).version ? new ApiError('IDEMPOTENCY_REPLAY_STALE', { status: statusLabel(cur.status) }) : null;
      });
    },
  );

  app.post(
    '/api/submissions/:id/withdraw',
    {
      schema: {
        tags: ['submissions'],
        summary: '撤回（县级审核前）',
        params: idParam,
        body: { type: 'object', additionalProperties: false, properties: { comment: { type: 'string', maxLength: 2000 } } },
        response: ok({ $ref: 'Submission#' }, '已撤回为草稿'),
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const id = req.params.id;
      const s = await loadVisible(storage, u, id);
      requireOwner(u, s);
      const comment = visibleText(req.body?.comment);
      // after the deadline a withdrawn application could not be submitted again: refused, with the reason
      if (ctx.enforceWindows && s.status === 'submitted') {
        try {
          await checkApplicantWindow(ctx, storage, await ctx.packById(s.packVersionId), s);
        } catch (e) {
          if (e instanceof ApiError && e.code === 'WINDOW_CLOSED') throw new ApiError('WITHDRAW_AFTER_DEADLINE', (e.details ?? {}) as Record<string, unknown>);
          throw e;
        }
      }
      const r = await storage.transaction(async (t) => {
        const x = await t.transitionSubmission(id, ['submitted'], 'draft', ctx.now());
        if (!x) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.withdraw });
        await t.addReview({ submissionId: id, level: 'applicant', action: 'withdraw', comment, fromStatus: 'submitted', toStatus: 'draft', reviewerId: u.id, createdAt: ctx.now() });
        await t.appendAudit({ actorId: u.id, action: 'submission.withdraw', entity: 'submission', entityId: id, before: { status: 'submitted' }, after: { status: 'draft', comment }, at: ctx.now() });
        return x;
      });
      void reply.header('etag', etagOf(r));
      return submissionView(await withEvaluation(ctx, r));
    },
  );

}
