import type { FastifyInstance } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { requireUser } from '../../session.js';
import type { Ctx } from '../../ctx.js';
import { ApiError } from '../../errors.js';
import { idParam } from '../../http.js';
import { requiredText, visibleText } from '../../text.js';
import { schemaAt, setAt, valueAt } from '../../schema-path.js';
import { checkWindow, pathOf, resolveAction, reviewStep, statusLabelOf, ACTION_LABELS, ROLE_LABELS, statusLabel } from '../../workflow.js';
import { BUNDLE, evaluateData, locateField, outcomeSummaries, selfFactFor } from '../../bundle.js';
import { DECIDED, decidedResult, outcomesOf } from '../../results.js';
import { etagOf, loadVisible, withEvaluation } from './common.js';
import { ok } from '../../components.js';
import { confirmationGate } from '../confirmations.js';
import { submissionDetail } from './read.js';

/** Review: a level passes, returns, recommends (quota), rejects or approves; reviewers re-score items with a reason. */
export async function submissionReviewRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  const { storage } = ctx;
  // request types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();

  app.post(
    '/api/submissions/:id/review',
    {
      schema: {
        tags: ['review'],
        summary: '审核：县级 pass/return；市级 recommend/reject/return（名额），或在市级评定的审核路径上 approve/reject/return；省级 approve/reject/return；forward 为本级在该申报审核路径上的通过操作（批量审核用）',
        params: idParam,
        querystring: { type: 'object', properties: { evaluation: { type: 'string', enum: ['none', 'full'] } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['action'],
          properties: {
            action: { enum: ['pass', 'return', 'recommend', 'reject', 'approve', 'forward'] },
            comment: { type: 'string', maxLength: 5000 },
            quotaId: { type: 'string', maxLength: 100 },
          },
        },
        response: ok({ $ref: 'SubmissionReviewed#' }, '审核后的申报：与申报详情相同（页面据此更新，不再读取申报）；?evaluation=full 时含完整评价（否则 evaluation 为 null）'),
      },
      // pass / recommend / approve wait for the level's confirmation of the applicant's ticks (x-review: confirm)
      preHandler: async (req) => confirmationGate(ctx, req.user, req.params.id, req.body.action),
    },
    async (req, reply) => {
      const u = requireUser(req, ['county', 'city', 'province']);
      const id = req.params.id;
      // the action is resolved (an alias of this level's step) below, so b.action is a plain string
      const b: { action: string; comment?: string; quotaId?: string } = { ...req.body, comment: visibleText(req.body.comment) ?? undefined };
      // the status, the path and the park are what is checked: the stored evaluation (the largest
      // column) is left in the database, here and in the transaction
      const s0 = await loadVisible(storage, u, id, { evaluation: false });
      const pack = await ctx.packById(s0.packVersionId);
      // this level's step on the submission's review path (workflow.paths): its status, actions and where each leads
      const rules = reviewStep(pack, s0, u.role);
      if (!rules) throw new ApiError('INVALID_STATE', { status: statusLabelOf(pack, s0), action: ACTION_LABELS[b.action] ?? b.action });
      b.action = resolveAction(rules, b.action);
      const to = rules.actions[b.action];
      if (!to) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'action', code: 'enum', message: `应为以下值之一：${Object.keys(rules.actions).join('、')}` }] });
      }
      if (b.action === 'return') requiredText(b.comment, 'comment', '退回时必须填写意见');
      if (s0.status !== rules.from) throw new ApiError('INVALID_STATE', { status: statusLabelOf(pack, s0), action: ACTION_LABELS[b.action] ?? b.action });
      if (ctx.enforceWindows) checkWindow(pack, u.role, s0.formId === BUNDLE ? null : s0.formId, ctx.now(), { path: pathOf(pack, s0) });
      const r = await storage.transaction(async (t) => {
        const s = await loadVisible(t, u, id, { forUpdate: true, evaluation: false });
        // the answer has the evaluation only when it is read: a decision's result, or ?evaluation=full
        const x = await t.transitionSubmission(id, [rules.from], to, ctx.now(), rules.decides && (b.action === 'approve' || b.action === 'reject') ? { decision: b.action } : {}, {
          evaluation: DECIDED.includes(to) || req.query.evaluation === 'full',
        });
        if (!x) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS[b.action] ?? b.action });
        let quota: { id: string; limit: number; used: number } | null = null;
        if (b.action === 'recommend') {
          const quotas = (pack.manifest.quotas ?? []).filter((q) => q.scope === 'city');
          const q = b.quotaId ? quotas.find((x2) => x2.id === b.quotaId) : quotas[0];
          if (b.quotaId && !q) throw new ApiError('QUOTA_NOT_DECLARED');
          if (q) {
            const limit = q.overrides?.[s.cityCode] ?? q.default;
            const ok = await t.takeQuotaSeat(s.packId, q.id, s.cityCode, limit, s.id);
            if (!ok) {
              const org = await t.getOrgUnit(s.cityCode);
              throw new ApiError('QUOTA_EXCEEDED', { quota: q.label, org: org?.name ?? s.cityCode, limit });
            }
            quota = { id: q.id, limit, used: await t.quotaUsed(s.packId, q.id, s.cityCode) };
          }
        }
        // a return (to the applicant or one level down) and a refusal give the recommendation's seat back
        if (b.action === 'return' || to === 'not_recommended') await t.releaseQuotaSeat(s.id);
        await t.addReview({ submissionId: id, level: u.role, action: b.action, comment: b.comment ?? null, fromStatus: s.status, toStatus: to, reviewerId: u.id, createdAt: ctx.now() });
        const result = decidedResult(pack, { status: to, outcomes: outcomesOf(x.evaluation) });
        const notified = await ctx.notifier.add(t, [
          {
            parkId: s.parkId,
            kind: `submission.${b.action}`,
            title: `《${pack.manifest.title}》${statusLabelOf(pack, { ...s, status: to })}${result ? `，${result.text}` : ''}`,
            body: b.comment ?? null,
            link: `/submissions/${id}`,
            data: { submissionId: id, status: to, ...(result ? { result: result.text } : {}) },
            createdBy: u.id,
            at: ctx.now(),
          },
        ]);
        await t.appendAudit({
          actorId: u.id,
          action: `submission.${b.action}`,
          entity: 'submission',
          entityId: id,
          before: { status: s.status },
          after: { status: to, comment: b.comment ?? null, ...(quota ? { quota } : {}) },
          at: ctx.now(),
        });
        return { sub: x, quota, notified };
      });
      void ctx.notifier.deliver(r.notified);
      void reply.header('etag', etagOf(r.sub));
      // the answer is the submission's detail as the page shows it, light unless the full evaluation is asked for
      const detail = await submissionDetail(ctx, u, req.query.evaluation === 'full' ? await withEvaluation(ctx, r.sub) : r.sub);
      return { ...detail, evaluation: req.query.evaluation === 'full' ? detail.evaluation : null, quota: r.quota };
    },
  );

  app.post(
    '/api/submissions/:id/scores',
    {
      schema: {
        tags: ['review'],
        summary: '审核人重新评分（须说明理由；自评分保留可见）',
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['item', 'score', 'reason'],
          properties: { item: { type: 'string', minLength: 1, maxLength: 300 }, score: { type: 'number' }, reason: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
        response: ok({ $ref: 'Rescore#' }, '已重新评分', 201),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['county', 'city', 'province']);
      const id = req.params.id;
      const b = { ...req.body, reason: requiredText(req.body.reason, 'reason', '重新评分须填写理由') };
      const s = await loadVisible(storage, u, id);
      const pack = await ctx.packById(s.packVersionId);
      const rules = reviewStep(pack, s, u.role);
      if (!rules || s.status !== rules.from) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.rescore });
      const loc = locateField(pack, s.formId, b.item);
      const node = loc ? schemaAt(loc.form.schema, loc.path) : null;
      if (!loc || !node || (node.type !== 'number' && node.type !== 'integer')) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'item', code: 'item', message: `表单中没有数值评分项“${b.item}”` }] });
      }
      // a field marked x-role is the reviewer's own column (e.g. 考核分): only that level writes it, into the data
      const role = node['x-role'];
      const reviewerField = typeof role === 'string' && role !== 'applicant';
      if (reviewerField && role !== u.role) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'item', code: 'x-role', message: `该评分项由${ROLE_LABELS[role] ?? role}填写` }] });
      }
      // a score without a ceiling could be re-scored to 1e308: the checker refuses such score items
      // (SCORE_ITEM_NO_MAXIMUM), and a field without one is not re-scorable
      const max = typeof node.maximum === 'number' ? node.maximum : null;
      if (max === null) throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'item', code: 'maximum', message: `评分项“${b.item}”没有上限，不能重新评分` }] });
      const min = typeof node.minimum === 'number' ? node.minimum : 0;
      if (b.score > max || b.score < min || (node.type === 'integer' && !Number.isInteger(b.score))) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'score', code: 'range', message: `分值应在 ${min} 到 ${max} 之间` }] });
      }
      const prefix = b.item.slice(0, b.item.length - loc.path.length);
      const selfPath = reviewerField ? selfFactFor(pack, loc.form.id, loc.path) : loc.path;
      const self = selfPath ? valueAt(s.data, prefix + selfPath) : undefined;
      const rescore = await storage.transaction(async (t) => {
        const r = await t.addRescore({ submissionId: id, level: u.role, item: b.item, selfScore: typeof self === 'number' ? self : null, score: b.score, reason: b.reason, reviewerId: u.id });
        let previous: unknown = undefined;
        if (reviewerField) {
          previous = valueAt(s.data, b.item);
          const data = setAt(s.data, b.item, b.score);
          const evaluation = { ...evaluateData(ctx, pack, s.formId, data), ...evaluateData(ctx, pack, s.formId, data, { scoreBasis: 'reviewer' }, ':reviewer') };
          const summary = { ...outcomeSummaries(pack, s.formId, data), ...outcomeSummaries(pack, s.formId, data, { scoreBasis: 'reviewer' }, ':reviewer') };
          const updated = await t.updateSubmissionData(id, s.version, [rules.from], data, evaluation, ctx.now(), summary);
          if (!updated) throw new ApiError('PRECONDITION_FAILED', { current: '?' });
        }
        await t.appendAudit({
          actorId: u.id,
          action: 'submission.rescore',
          entity: 'submission',
          entityId: id,
          before: { item: b.item, selfScore: r.selfScore, ...(reviewerField ? { score: previous ?? null } : {}) },
          after: { item: b.item, score: b.score, reason: b.reason },
          at: ctx.now(),
        });
        return r;
      });
      return reply.status(201).send(rescore);
    },
  );

}
