import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Submission, User } from '@yuanping/storage';
import { requireUser } from '../../session.js';
import type { Ctx } from '../../ctx.js';
import { idempotencyHeaders, ifMatchHeaders } from '../../contract.js';
import { ApiError, type FieldError } from '../../errors.js';
import { prefersMinimal, idParam } from '../../http.js';
import { canSeeSubmission } from '../../scope.js';
import { checkWindow, EDITABLE, ACTION_LABELS, statusLabel } from '../../workflow.js';
import { resolvePack } from '../packs.js';
import type { PackLike } from '../../engine.js';
import { applicantForms, mergeApplicantWrites, BUNDLE, evaluateData, formOf, outcomeSummaries, validateData } from '../../bundle.js';
import { checkApplicantWindow, etagOf, idempotent, ifMatchVersion, loadVisible, parseIfMatch, requireOwner, submissionView } from './common.js';
import { DraftSnapshots } from './snapshots.js';
import { ok } from '../../components.js';

/** Drafts: created by the applicant, then saved (autosave) under If-Match. */
export async function submissionDraftRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;
  const snapshots = new DraftSnapshots();

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
      if (ctx.enforceWindows) await checkApplicantWindow(ctx, storage, pack, s, { allowBeforeOpen: true });
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

  app.post(
    '/api/submissions',
    {
      schema: {
        tags: ['submissions'],
        summary: '新建申报草稿（申报单位；可带 Idempotency-Key）',
        headers: idempotencyHeaders,
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
        response: { ...ok({ $ref: 'Submission#' }, '同一 Idempotency-Key 的重复请求：首次的答复（Idempotent-Replay: true）'), ...ok({ $ref: 'Submission#' }, '已新建（errors：尚有的字段错误）', 201) },
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['applicant']);
      const park = u.parkId ? await storage.getPark(u.parkId) : null;
      if (!park) throw new ApiError('FORBIDDEN');
      const b = req.body;
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

  app.put(
    '/api/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: '保存草稿（自动保存；必须带 If-Match，版本不符返回 412）',
        params: idParam,
        headers: ifMatchHeaders,
        body: { type: 'object', additionalProperties: false, required: ['data'], properties: { data: { type: 'object' } } },
        response: ok({ $ref: 'DraftSaved#' }, '已保存（ETag 为新版本；errors：尚有的字段错误）'),
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const id = req.params.id;
      const { data } = req.body;
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

}
