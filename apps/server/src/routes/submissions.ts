import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import type { Storage, Submission, User } from '@yuanping/storage';
import { requireUser, type Ctx } from '../app.js';
import { ApiError } from '../errors.js';
import { prefersMinimal, idParam } from '../http.js';
import { canSeeSubmission, submissionFilterFor } from '../scope.js';
import { schemaAt, setAt, valueAt } from '../schema-path.js';
import { allowedActions, checkWindow, correctionDeadline, EDITABLE, lastReturn, pathOf, resolveAction, reviewStep, statusLabelOf, ACTION_LABELS, ROLE_LABELS, statusLabel } from '../workflow.js';
import { resolvePack } from './packs.js';
import type { PackLike } from '../engine.js';
import type { FieldError } from '../errors.js';
import { applicantForms, mergeApplicantWrites, BUNDLE, evaluateData, formOf, locateField, outcomeSummaries, selfFactFor, validateData } from '../bundle.js';
import { mp4DurationSeconds } from '../media.js';
import { assertConsistent, consistencySummary } from './consistency.js';
import { DECIDED, decidedResult, outcomesOf } from '../results.js';

const idemHeader = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export function etagOf(s: { version: number }): string {
  return `"${s.version}"`;
}

/** The version If-Match names, or null when it names none (no exception: a quick look). */
function ifMatchVersion(req: FastifyRequest): number | null {
  const h = req.headers['if-match'];
  const m = typeof h === 'string' ? /^(?:W\/)?"?(\d+)"?$/.exec(h.trim()) : null;
  return m ? Number(m[1]) : null;
}

/**
 * The rows of drafts as this process last saved them (or created them), by id: an autosave's
 * If-Match names that version, and a version's row never changes (every change makes a new
 * version), so a save from it needs no read. Bounded by count and by size (the request bodies).
 */
class DraftSnapshots {
  private readonly rows = new Map<string, { s: Submission; bytes: number }>();
  private bytes = 0;
  constructor(
    private readonly maxEntries = 5_000,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}
  get(id: string): Submission | null {
    return this.rows.get(id)?.s ?? null;
  }
  set(s: Submission, bytes: number): void {
    this.delete(s.id);
    if (!(bytes > 0) || bytes > this.maxBytes / 64) return;
    this.rows.set(s.id, { s, bytes });
    this.bytes += bytes;
    while (this.rows.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.rows.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }
  delete(id: string): void {
    const e = this.rows.get(id);
    if (!e) return;
    this.rows.delete(id);
    this.bytes -= e.bytes;
  }
}

function parseIfMatch(req: FastifyRequest): number {
  const h = req.headers['if-match'];
  if (typeof h !== 'string' || h.trim() === '') throw new ApiError('PRECONDITION_REQUIRED');
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(h.trim());
  if (!m) throw new ApiError('PRECONDITION_FAILED', { current: '?' });
  return Number(m[1]);
}


/** A submission as the API answers it (the storage's bookkeeping left out). */
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

export function submissionView<T extends Submission>(s: T) {
  const { evaluationStored: _stored, ...rest } = s;
  return { ...rest, statusLabel: statusLabel(s.status) };
}

/**
 * The submission with its evaluation: the stored one, or — for a draft saved since the evaluation
 * is no longer stored with every autosave — the evaluation of its data under its pinned pack
 * version (published versions are immutable and evaluation is pure, so it is the same evaluation
 * the save computed).
 */
export async function withEvaluation<T extends Submission>(ctx: Ctx, s: T): Promise<T> {
  if (s.evaluationStored) return s;
  const pack = await ctx.packById(s.packVersionId);
  return { ...s, evaluation: evaluateData(ctx, pack, s.formId, s.data) };
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
  const snapshots = new DraftSnapshots();

  /**
   * The applicant's window for `s`: open, or closed but the submission was returned by a reviewer
   * and its correction deadline (补正期限) has not passed. The review steps are read only when the
   * window itself is closed.
   */
  async function checkApplicantWindow(t: Storage, pack: PackLike, s: Submission, opts: { allowBeforeOpen?: boolean } = {}): Promise<void> {
    const formId = s.formId === BUNDLE ? null : s.formId;
    // the window of the submission's review path (its requested level or kind), when the pack declares paths
    const path = pathOf(pack, s);
    try {
      checkWindow(pack, 'applicant', formId, ctx.now(), { ...opts, path });
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'WINDOW_CLOSED') throw e;
      const returnedAt = lastReturn(await t.listReviews(s.id));
      if (!returnedAt) throw e;
      checkWindow(pack, 'applicant', formId, ctx.now(), { ...opts, returnedAt, path });
    }
  }

  interface SavedDraft {
    row: Omit<Submission, 'data' | 'evaluation'>;
    data: Record<string, unknown>;
    pack: PackLike;
    formId: string;
    /** what is still wrong with the saved data (a draft is saved whatever its state; submit requires none) */
    errors: FieldError[];
  }

  /**
   * A draft save from the row `s` (read now, or the snapshot of the version If-Match names).
   * From a snapshot (`optimistic`), null instead of any refusal: the caller then reads the row
   * and saves from it, so that every answer is the one the row read gives.
   */
  async function saveDraft(u: User, s: Submission, sent: Record<string, unknown>, req: FastifyRequest, optimistic: boolean): Promise<SavedDraft | null> {
    try {
      if (!canSeeSubmission(u, s)) throw new ApiError('NOT_FOUND', { what: '申报' });
      requireOwner(u, s);
      const expected = parseIfMatch(req);
      if (!EDITABLE.includes(s.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: ACTION_LABELS.save });
      const pack = await ctx.packById(s.packVersionId);
      if (ctx.enforceWindows) await checkApplicantWindow(storage, pack, s, { allowBeforeOpen: true });
      // computed fields computed here, other roles' fields kept as stored (a change to one is refused)
      const { data, errors: refused } = mergeApplicantWrites(pack, s.formId, s.data, sent);
      if (refused.length) throw new ApiError('SUBMISSION_INVALID', { count: refused.length }, { errors: refused });
      // a draft stores exactly what was typed, valid or not: the errors go back with the answer
      const errors = validateData(ctx, pack, s.formId, data, 'draft');
      // versions only go up and a version's data never changes: the row is the "before" of the
      // save exactly when it is the expected version
      if (s.version !== expected) throw new ApiError('PRECONDITION_FAILED', { current: s.version });
      // One statement: the conditional update (version and status) and its audit entry (the changed
      // fields, before and after), both or neither. A draft stores each rule set's outcome summary,
      // not the whole evaluation, which is rebuilt on read from the pinned pack version and the data.
      const row = await storage.saveSubmissionDraft({
        id: s.id,
        expectedVersion: expected,
        statuses: EDITABLE,
        before: s.data,
        data,
        outcomeSummary: outcomeSummaries(pack, s.formId, data),
        now: ctx.now(),
        actorId: u.id,
        action: 'submission.save',
      });
      if (!row) {
        if (optimistic) return null;
        // changed since it was read
        const cur = (await storage.getSubmission(s.id, { evaluation: false })) ?? s;
        if (!EDITABLE.includes(cur.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(cur.status), action: ACTION_LABELS.save });
        throw new ApiError('PRECONDITION_FAILED', { current: cur.version });
      }
      snapshots.set({ ...row, data, evaluation: null }, Number(req.headers['content-length'] ?? 0));
      return { row, data, pack, formId: s.formId, errors };
    } catch (e) {
      if (optimistic && e instanceof ApiError) return null;
      throw e;
    }
  }

  function answerSave(req: FastifyRequest, reply: FastifyReply, saved: SavedDraft) {
    const { row, data, pack, formId, errors } = saved;
    void reply.header('etag', etagOf(row));
    // `Prefer: return=minimal` (RFC 7240): an autosave needs the new version, not the data and
    // the whole explanation back (which is most of the response's size)
    if (prefersMinimal(req)) {
      void reply.header('preference-applied', 'return=minimal');
      return { id: row.id, version: row.version, status: row.status, statusLabel: statusLabel(row.status), updatedAt: row.updatedAt, errors };
    }
    const evaluation = evaluateData(ctx, pack, formId, data);
    const { version, createdBy, createdAt, updatedAt, submittedAt, evaluationStored: _stored, ...head } = row;
    return { ...head, data, evaluation, version, createdBy, createdAt, updatedAt, submittedAt, statusLabel: statusLabel(row.status), errors };
  }

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
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const raw = req.query as { status?: string; packId?: string; limit?: string; cursor?: string };
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
            formId: { type: 'string', minLength: 1, maxLength: 100, description: '只填一张表时给出；省略或为 "*" 则为整份申报（申报单位填写的全部表单，数据按表单 id 分组；答复中整份申报的 formId 即为 "*"）' },
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
      const { data, errors: refused } = mergeApplicantWrites(pack, formId, {}, b.data ?? {});
      if (refused.length) throw new ApiError('SUBMISSION_INVALID', { count: refused.length }, { errors: refused });
      // like a save: stored as typed, the errors answered with it
      const errors = validateData(ctx, pack, formId, data, 'draft');
      const evaluation = evaluateData(ctx, pack, formId, data);
      const outcomeSummary = outcomeSummaries(pack, formId, data);
      let created: Submission | null = null;
      const answer = await idempotent(ctx, req, reply, u, 'submission.create', async (t) => {
        const s = (created = await t.createSubmission({
          packVersionId: pv.id,
          packId: pv.packId,
          formId,
          parkId: park.id,
          countyCode: park.countyCode,
          cityCode: park.cityCode,
          status: 'draft',
          data,
          // a draft stores each rule set's outcome summary; its evaluation is rebuilt on read
          outcomeSummary,
          createdBy: u.id,
        }));
        await t.appendAudit({ actorId: u.id, action: 'submission.create', entity: 'submission', entityId: s.id, after: { status: s.status, data }, at: ctx.now() });
        return { status: 201, body: { ...submissionView({ ...s, evaluation }), errors } };
      });
      // committed: its first autosave needs no read
      if (created) snapshots.set(created, Number(req.headers['content-length'] ?? 0));
      return answer;
    },
  );

  app.get(
    '/api/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: '申报详情：数据、审核意见、复核评分、附件；?evaluation=full 时含完整评价（否则 evaluation 为 null）',
        params: idParam,
        querystring: { type: 'object', properties: { evaluation: { type: 'string', enum: ['none', 'full'] } } },
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const id = (req.params as { id: string }).id;
      // the first page is light: the browser evaluates the data itself (the pack's rules), so the
      // full evaluation (≈ 170 KB for a large application) comes only when asked for — rebuilt for
      // a draft, which is CPU, so in the bounded evaluation queue
      const full = (req.query as { evaluation?: string }).evaluation === 'full';
      const s = full
        ? await ctx.queues.evaluate.run(req, reply, async () => withEvaluation(ctx, await loadVisible(storage, u, id)))
        : { ...(await loadVisible(storage, u, id, { evaluation: false })), evaluation: null };
      const [reviews, rescores, attachments, park, consistency] = await Promise.all([
        storage.listReviews(s.id),
        storage.listRescores(s.id),
        storage.listAttachments(s.id),
        storage.getPark(s.parkId),
        consistencySummary(ctx, s),
      ]);
      void reply.header('etag', etagOf(s));
      const pack = await ctx.packById(s.packVersionId);
      // a decided application's result in words, from its frozen evaluation (stored at submission:
      // read, not rebuilt), also when the page did not ask for the full evaluation
      const decidedEvaluation = DECIDED.includes(s.status) ? (s.evaluation ?? (await loadVisible(storage, u, id)).evaluation) : null;
      const result = decidedResult(pack, { status: s.status, outcomes: outcomesOf(decidedEvaluation) });
      // a returned submission: the last day it may be corrected and resubmitted once the window has closed
      const returnedAt = lastReturn(reviews);
      const path = pathOf(pack, s);
      const deadline = returnedAt ? correctionDeadline(pack, s.formId === BUNDLE ? null : s.formId, returnedAt, path) : null;
      const reviewPath = path ? { id: path.id, label: path.label, filedWith: path.filedWith ?? null } : null;
      const step = reviewStep(pack, s, u.role);
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
      };
    },
  );

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
      const id = (req.params as { id: string }).id;
      const { data } = req.body as { data: Record<string, unknown> };
      // An autosave names the version this process saved last (If-Match): that version's row is
      // in memory, and a version's row never changes, so the save needs no read. Anything but a
      // clean save from it (a refusal, or a version that moved on) goes the way below, which reads
      // the row and answers as it always has.
      const snap = snapshots.get(id);
      if (snap && ifMatchVersion(req) === snap.version) {
        const saved = await saveDraft(u, snap, data, req, true);
        if (saved) return answerSave(req, reply, saved);
      }
      // the stored evaluation is replaced, not read: leave the largest column in the database
      const s = await loadVisible(storage, u, id, { evaluation: false });
      return answerSave(req, reply, (await saveDraft(u, s, data, req, false)) as SavedDraft);
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
        if (ctx.enforceWindows) await checkApplicantWindow(t, pack, s);
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
      // after the deadline a withdrawn application could not be submitted again: refused, with the reason
      if (ctx.enforceWindows && s.status === 'submitted') {
        try {
          await checkApplicantWindow(storage, await ctx.packById(s.packVersionId), s);
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

  app.post(
    '/api/submissions/:id/review',
    {
      schema: {
        tags: ['review'],
        summary: '审核：县级 pass/return；市级 recommend/reject/return（名额），或在市级评定的审核路径上 approve/reject/return；省级 approve/reject/return；forward 为本级在该申报审核路径上的通过操作（批量审核用）',
        params: idParam,
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
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['county', 'city', 'province']);
      const id = (req.params as { id: string }).id;
      const b = req.body as { action: string; comment?: string; quotaId?: string };
      const s0 = await loadVisible(storage, u, id);
      const pack = await ctx.packById(s0.packVersionId);
      // this level's step on the submission's review path (workflow.paths): its status, actions and where each leads
      const rules = reviewStep(pack, s0, u.role);
      if (!rules) throw new ApiError('INVALID_STATE', { status: statusLabelOf(pack, s0), action: ACTION_LABELS[b.action] ?? b.action });
      b.action = resolveAction(rules, b.action);
      const to = rules.actions[b.action];
      if (!to) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'action', code: 'enum', message: `应为以下值之一：${Object.keys(rules.actions).join('、')}` }] });
      }
      if (b.action === 'return' && !b.comment?.trim()) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'comment', code: 'required', message: '退回时必须填写意见' }] });
      }
      if (s0.status !== rules.from) throw new ApiError('INVALID_STATE', { status: statusLabelOf(pack, s0), action: ACTION_LABELS[b.action] ?? b.action });
      if (ctx.enforceWindows) checkWindow(pack, u.role, s0.formId === BUNDLE ? null : s0.formId, ctx.now(), { path: pathOf(pack, s0) });
      const r = await storage.transaction(async (t) => {
        const s = await loadVisible(t, u, id, { forUpdate: true });
        const x = await t.transitionSubmission(id, [rules.from], to, ctx.now(), rules.decides && (b.action === 'approve' || b.action === 'reject') ? { decision: b.action } : {});
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
            body: b.comment?.trim() || null,
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
      return { ...submissionView(await withEvaluation(ctx, r.sub)), statusLabel: statusLabelOf(pack, r.sub), quota: r.quota };
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
