import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import type { Storage, Submission, User } from '@yuanping/storage';
import { requireUser, type Ctx } from '../app.js';
import { ApiError } from '../errors.js';
import { prefersMinimal } from '../http.js';
import { canSeeSubmission, submissionFilterFor } from '../scope.js';
import { schemaAt, setAt, valueAt } from '../schema-path.js';
import { allowedActions, checkWindow, EDITABLE, REVIEW, ACTION_LABELS, ROLE_LABELS, statusLabel } from '../workflow.js';
import { resolvePack } from './packs.js';
import { applicantForms, applicantWriteErrors, BUNDLE, evaluateData, formOf, locateField, selfFactFor, validateData } from '../bundle.js';
import { mp4DurationSeconds } from '../media.js';
import { assertConsistent, consistencySummary } from './consistency.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
const idemHeader = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export function etagOf(s: { version: number }): string {
  return `"${s.version}"`;
}

function parseIfMatch(req: FastifyRequest): number {
  const h = req.headers['if-match'];
  if (typeof h !== 'string' || h.trim() === '') throw new ApiError('PRECONDITION_REQUIRED');
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(h.trim());
  if (!m) throw new ApiError('PRECONDITION_FAILED', { current: '?' });
  return Number(m[1]);
}


export function submissionView<T extends Submission>(s: T) {
  return { ...s, statusLabel: statusLabel(s.status) };
}

async function loadVisible(storage: Storage, u: User, id: string, opts: { forUpdate?: boolean; evaluation?: boolean } = {}): Promise<Submission> {
  const s = await storage.getSubmission(id, opts);
  if (!s || !canSeeSubmission(u, s)) throw new ApiError('NOT_FOUND', { what: '申报' });
  return s;
}

function requireOwner(u: User, s: Submission): void {
  if (u.role !== 'applicant' || u.parkId !== s.parkId) throw new ApiError('FORBIDDEN');
}


/**
 * Runs `fn` in one transaction under an optional idempotency key. A repeated key returns
 * the stored response; the key, the change and the response commit together.
 */
async function idempotent(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  u: User,
  scope: string,
  fn: (t: Storage) => Promise<{ status: number; body: object }>,
): Promise<unknown> {
  const key = req.headers['idempotency-key'];
  const result = await ctx.storage.transaction(async (t) => {
    if (typeof key === 'string' && key) {
      const claim = await t.claimIdempotency(u.id, key, scope);
      if (!claim.claimed) {
        if (claim.scope !== scope) throw new ApiError('IDEMPOTENCY_KEY_REUSED');
        if (claim.status === null) throw new ApiError('IDEMPOTENCY_IN_PROGRESS');
        return { status: claim.status, body: claim.body as object, replay: true };
      }
      const r = await fn(t);
      await t.completeIdempotency(u.id, key, r.status, r.body);
      return { ...r, replay: false };
    }
    return { ...(await fn(t)), replay: false };
  });
  const version = (result.body as { version?: unknown }).version;
  if (typeof version === 'number') void reply.header('etag', etagOf({ version }));
  if (result.replay) void reply.header('idempotent-replay', 'true');
  return reply.status(result.status).send(result.body);
}

export async function submissionRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
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
          properties: { status: { type: 'string', maxLength: 40 }, packId: { type: 'string', maxLength: 100 } },
        },
      },
    },
    async (req) => {
      const u = requireUser(req);
      const q = req.query as { status?: string; packId?: string };
      const list = await storage.listSubmissions({
        ...submissionFilterFor(u),
        ...(q.status ? { statuses: [q.status] } : {}),
        ...(q.packId ? { packId: q.packId } : {}),
      });
      return list.map((s) => {
        const { data: _data, evaluation, ...rest } = submissionView(s);
        // the queue shows each rule set's outcome, not the whole explanation
        const outcomes: Record<string, unknown> = {};
        if (evaluation && typeof evaluation === 'object') {
          for (const [k, v] of Object.entries(evaluation as Record<string, unknown>)) outcomes[k] = (v as { outcome?: unknown })?.outcome ?? null;
        }
        return { ...rest, outcomes };
      });
    },
  );

  app.post(
    '/api/submissions',
    {
      schema: {
        tags: ['submissions'],
        summary: '新建申报草稿（申报单位；可带 Idempotency-Key）',
        headers: idemHeader,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['packId'],
          properties: {
            packId: { type: 'string', minLength: 1, maxLength: 100 },
            formId: { type: 'string', minLength: 1, maxLength: 100, description: '只填一张表时给出；省略则为整份申报（申报单位填写的全部表单，数据按表单 id 分组）' },
            data: { type: 'object' },
          },
        },
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['applicant']);
      const park = u.parkId ? await storage.getPark(u.parkId) : null;
      if (!park) throw new ApiError('FORBIDDEN');
      const b = req.body as { packId: string; formId?: string; data?: Record<string, unknown> };
      const { pv, pack } = await resolvePack(ctx, b.packId);
      const formId = b.formId ?? BUNDLE;
      if (applicantForms(pack).length === 0) throw new ApiError('NO_APPLICANT_FORMS', { pack: pv.packId });
      if (formId !== BUNDLE && !applicantForms(pack).some((f) => f.id === formId)) {
        formOf(pack, formId);
        throw new ApiError('FORBIDDEN');
      }
      if (ctx.enforceWindows) checkWindow(pack, 'applicant', formId === BUNDLE ? null : formId, ctx.now(), { allowBeforeOpen: true });
      const data = b.data ?? {};
      const errors = [...validateData(ctx, pack, formId, data, 'draft'), ...applicantWriteErrors(pack, formId, {}, data)];
      if (errors.length) throw new ApiError('SUBMISSION_INVALID', { count: errors.length }, { errors });
      const evaluation = evaluateData(ctx, pack, formId, data);
      return idempotent(ctx, req, reply, u, 'submission.create', async (t) => {
        const s = await t.createSubmission({
          packVersionId: pv.id,
          packId: pv.packId,
          formId,
          parkId: park.id,
          countyCode: park.countyCode,
          cityCode: park.cityCode,
          status: 'draft',
          data,
          evaluation,
          createdBy: u.id,
        });
        await t.appendAudit({ actorId: u.id, action: 'submission.create', entity: 'submission', entityId: s.id, after: { status: s.status, data }, at: ctx.now() });
        return { status: 201, body: submissionView(s) };
      });
    },
  );

  app.get('/api/submissions/:id', { schema: { tags: ['submissions'], summary: '申报详情：数据、评价、审核意见、复核评分、附件', params: idParam } }, async (req, reply) => {
    const u = requireUser(req);
    const s = await loadVisible(storage, u, (req.params as { id: string }).id);
    const [reviews, rescores, attachments, park, consistency] = await Promise.all([
      storage.listReviews(s.id),
      storage.listRescores(s.id),
      storage.listAttachments(s.id),
      storage.getPark(s.parkId),
      consistencySummary(ctx, s),
    ]);
    void reply.header('etag', etagOf(s));
    return { ...submissionView(s), park, reviews, rescores, attachments, consistency, actions: allowedActions(u.role, s.status, u.parkId === s.parkId) };
  });

  app.put(
    '/api/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: '保存草稿（自动保存；必须带 If-Match，版本不符返回 412）',
        params: idParam,
        body: { type: 'object', additionalProperties: false, required: ['data'], properties: { data: { type: 'object' } } },
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      // the stored evaluation is replaced, not read: leave the largest column in the database
      const s = await loadVisible(storage, u, (req.params as { id: string }).id, { evaluation: false });
      requireOwner(u, s);
      const expected = parseIfMatch(req);
      if (!EDITABLE.includes(s.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.save });
      const { data } = req.body as { data: Record<string, unknown> };
      const pack = await ctx.packById(s.packVersionId);
      if (ctx.enforceWindows) checkWindow(pack, 'applicant', s.formId === BUNDLE ? null : s.formId, ctx.now(), { allowBeforeOpen: true });
      const errors = [...validateData(ctx, pack, s.formId, data, 'draft'), ...applicantWriteErrors(pack, s.formId, s.data, data)];
      if (errors.length) throw new ApiError('SUBMISSION_INVALID', { count: errors.length }, { errors });
      const evaluation = evaluateData(ctx, pack, s.formId, data);
      const updated = await storage.transaction(async (t) => {
        // A version's data never changes, so when the row read above is the expected version it is
        // the "before" of the audit entry: no second read of the (large) row on the hot path.
        const before = s.version === expected ? s : await t.getSubmission(s.id, { evaluation: false });
        const r = await t.updateSubmissionData(s.id, expected, EDITABLE, data, evaluation, ctx.now());
        if (!r) {
          const cur = (await t.getSubmission(s.id, { evaluation: false })) ?? s;
          if (!EDITABLE.includes(cur.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(cur.status), action: ACTION_LABELS.save });
          throw new ApiError('PRECONDITION_FAILED', { current: cur.version });
        }
        await t.appendAudit({ actorId: u.id, action: 'submission.save', entity: 'submission', entityId: s.id, before: { version: before?.version, data: before?.data }, after: { version: r.version, data }, at: ctx.now() });
        return r;
      });
      void reply.header('etag', etagOf(updated));
      // `Prefer: return=minimal` (RFC 7240): an autosave needs the new version, not the data and
      // the whole explanation back (which is most of the response's size)
      if (prefersMinimal(req)) {
        void reply.header('preference-applied', 'return=minimal');
        return { id: updated.id, version: updated.version, status: updated.status, statusLabel: statusLabel(updated.status), updatedAt: updated.updatedAt };
      }
      return submissionView(updated);
    },
  );

  app.post(
    '/api/submissions/:id/submit',
    { schema: { tags: ['submissions'], summary: '提交申报（完整校验、截止日期检查；可带 Idempotency-Key）', params: idParam, headers: idemHeader } },
    async (req, reply) => {
      const u = requireUser(req);
      const id = (req.params as { id: string }).id;
      const s0 = await loadVisible(storage, u, id);
      requireOwner(u, s0);
      return idempotent(ctx, req, reply, u, `submission.submit:${id}`, async (t) => {
        const s = await loadVisible(t, u, id, { forUpdate: true });
        if (!EDITABLE.includes(s.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.submit });
        const pack = await ctx.packById(s.packVersionId);
        if (ctx.enforceWindows) checkWindow(pack, 'applicant', s.formId === BUNDLE ? null : s.formId, ctx.now());
        const errors = validateData(ctx, pack, s.formId, s.data, 'submit');
        if (errors.length) throw new ApiError('SUBMISSION_INVALID', { count: errors.length }, { errors });
        await assertConsistent(t, pack, s);
        const evaluation = evaluateData(ctx, pack, s.formId, s.data);
        const r = await t.transitionSubmission(s.id, EDITABLE, 'submitted', ctx.now(), { submittedAt: ctx.now(), evaluation });
        if (!r) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.submit });
        await t.addReview({ submissionId: s.id, level: 'applicant', action: 'submit', comment: null, fromStatus: s.status, toStatus: r.status, reviewerId: u.id });
        await t.appendAudit({ actorId: u.id, action: 'submission.submit', entity: 'submission', entityId: s.id, before: { status: s.status }, after: { status: r.status }, at: ctx.now() });
        return { status: 200, body: submissionView(r) };
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
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const id = (req.params as { id: string }).id;
      const s = await loadVisible(storage, u, id);
      requireOwner(u, s);
      const comment = (req.body as { comment?: string } | undefined)?.comment ?? null;
      const r = await storage.transaction(async (t) => {
        const x = await t.transitionSubmission(id, ['submitted'], 'draft', ctx.now());
        if (!x) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.withdraw });
        await t.addReview({ submissionId: id, level: 'applicant', action: 'withdraw', comment, fromStatus: 'submitted', toStatus: 'draft', reviewerId: u.id });
        await t.appendAudit({ actorId: u.id, action: 'submission.withdraw', entity: 'submission', entityId: id, before: { status: 'submitted' }, after: { status: 'draft', comment }, at: ctx.now() });
        return x;
      });
      void reply.header('etag', etagOf(r));
      return submissionView(r);
    },
  );

  app.post(
    '/api/submissions/:id/review',
    {
      schema: {
        tags: ['review'],
        summary: '审核：县级 pass/return；市级 recommend/reject/return（名额）；省级 approve/reject/return',
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['action'],
          properties: {
            action: { enum: ['pass', 'return', 'recommend', 'reject', 'approve'] },
            comment: { type: 'string', maxLength: 5000 },
            quotaId: { type: 'string', maxLength: 100 },
          },
        },
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['county', 'city', 'province']);
      const id = (req.params as { id: string }).id;
      const b = req.body as { action: string; comment?: string; quotaId?: string };
      const rules = REVIEW[u.role];
      const s0 = await loadVisible(storage, u, id);
      if (!rules) throw new ApiError('FORBIDDEN');
      const to = rules.actions[b.action];
      if (!to) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'action', code: 'enum', message: `应为以下值之一：${Object.keys(rules.actions).join('、')}` }] });
      }
      if (b.action === 'return' && !b.comment?.trim()) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'comment', code: 'required', message: '退回时必须填写意见' }] });
      }
      const pack = await ctx.packById(s0.packVersionId);
      if (s0.status !== rules.from) throw new ApiError('INVALID_STATE', { status: statusLabel(s0.status), action: ACTION_LABELS[b.action] ?? b.action });
      if (ctx.enforceWindows) checkWindow(pack, u.role, s0.formId === BUNDLE ? null : s0.formId, ctx.now());
      const r = await storage.transaction(async (t) => {
        const s = await loadVisible(t, u, id, { forUpdate: true });
        const x = await t.transitionSubmission(id, [rules.from], to, ctx.now(), b.action === 'approve' || (u.role === 'province' && b.action === 'reject') ? { decision: b.action } : {});
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
        if (to === 'returned' || to === 'not_recommended') await t.releaseQuotaSeat(s.id);
        await t.addReview({ submissionId: id, level: u.role, action: b.action, comment: b.comment ?? null, fromStatus: s.status, toStatus: to, reviewerId: u.id });
        await t.appendAudit({
          actorId: u.id,
          action: `submission.${b.action}`,
          entity: 'submission',
          entityId: id,
          before: { status: s.status },
          after: { status: to, comment: b.comment ?? null, ...(quota ? { quota } : {}) },
          at: ctx.now(),
        });
        return { sub: x, quota };
      });
      void reply.header('etag', etagOf(r.sub));
      return { ...submissionView(r.sub), quota: r.quota };
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
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['county', 'city', 'province']);
      const id = (req.params as { id: string }).id;
      const b = req.body as { item: string; score: number; reason: string };
      const s = await loadVisible(storage, u, id);
      const rules = REVIEW[u.role];
      if (!rules || s.status !== rules.from) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.rescore });
      const pack = await ctx.packById(s.packVersionId);
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
      const max = typeof node.maximum === 'number' ? node.maximum : null;
      const min = typeof node.minimum === 'number' ? node.minimum : 0;
      if ((max !== null && b.score > max) || b.score < min || (node.type === 'integer' && !Number.isInteger(b.score))) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'score', code: 'range', message: `分值应在 ${min} 到 ${max ?? '∞'} 之间` }] });
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
          const updated = await t.updateSubmissionData(id, s.version, [rules.from], data, evaluation, ctx.now());
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

  app.get('/api/submissions/:id/audit', { schema: { tags: ['audit'], summary: '申报的审计日志', params: idParam } }, async (req) => {
    const u = requireUser(req);
    const s = await loadVisible(storage, u, (req.params as { id: string }).id);
    return storage.listAudit({ entity: 'submission', entityId: s.id });
  });

  // ---- attachments ----
  await app.register(async (sub) => {
    sub.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ctx.opts.uploadLimit }, (_req, body, done) => done(null, body));
    sub.post(
      '/api/submissions/:id/attachments',
      {
        bodyLimit: ctx.opts.uploadLimit,
        // large files (videos) take longer than an ordinary request
        handlerTimeout: 10 * 60_000,
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
        },
      },
      async (req, reply) => {
        const u = requireUser(req);
        const id = (req.params as { id: string }).id;
        const { field, filename } = req.query as { field: string; filename: string };
        const s = await loadVisible(storage, u, id);
        requireOwner(u, s);
        if (!EDITABLE.includes(s.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.upload });
        const body = req.body;
        if (!Buffer.isBuffer(body)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', { type: String(req.headers['content-type'] ?? '') });
        const loc = locateField(await ctx.packById(s.packVersionId), s.formId, field);
        const node = loc ? schemaAt(loc.form.schema, loc.path) : null;
        const spec = node?.['x-file'] as { accept?: string[]; maxBytes?: number; maxDurationSeconds?: number } | undefined;
        if (!spec) throw new ApiError('FILE_FIELD_UNKNOWN', { field });
        if (typeof spec.maxBytes === 'number' && body.length > spec.maxBytes) throw new ApiError('FILE_TOO_LARGE', { size: body.length, max: spec.maxBytes });
        const sniffed = await fileTypeFromBuffer(body);
        const mime = sniffed?.mime ?? 'application/octet-stream';
        const accept = spec.accept ?? [];
        const ok = accept.length === 0 || accept.some((a) => a === mime || (a.endsWith('/*') && mime.startsWith(a.slice(0, -1))));
        if (!ok || !sniffed) throw new ApiError('FILE_TYPE_REFUSED', { accept: accept.join('、') || '任意', actual: sniffed ? mime : '无法识别' });
        if (typeof spec.maxDurationSeconds === 'number' && mime.startsWith('video/')) {
          const d = mp4DurationSeconds(body);
          if (d !== null && d > spec.maxDurationSeconds) throw new ApiError('FILE_TOO_LONG', { duration: Math.round(d), max: spec.maxDurationSeconds });
        }
        const sha = createHash('sha256').update(body).digest('hex');
        const att = await storage.transaction(async (t) => {
          const a = await t.saveAttachment({ submissionId: id, field, filename, mime, sha256: sha, content: body, uploadedBy: u.id });
          await t.appendAudit({ actorId: u.id, action: 'attachment.upload', entity: 'submission', entityId: id, after: { attachment: a.id, field, filename, mime, size: a.size, sha256: sha }, at: ctx.now() });
          return a;
        });
        return reply.status(201).send(att);
      },
    );
  });

  app.get('/api/submissions/:id/attachments', { schema: { tags: ['attachments'], summary: '申报的附件列表', params: idParam } }, async (req) => {
    const u = requireUser(req);
    const s = await loadVisible(storage, u, (req.params as { id: string }).id);
    return storage.listAttachments(s.id);
  });

  app.get('/api/attachments/:id', { schema: { tags: ['attachments'], summary: '下载附件（仅能看到该申报的用户）', params: idParam } }, async (req, reply) => {
    const u = requireUser(req);
    const a = await storage.getAttachment((req.params as { id: string }).id);
    if (!a) throw new ApiError('NOT_FOUND', { what: '附件' });
    await loadVisible(storage, u, a.submissionId);
    void reply
      .header('content-type', a.mime)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
      .header('cache-control', 'private, no-store');
    return reply.send(a.content);
  });
}
