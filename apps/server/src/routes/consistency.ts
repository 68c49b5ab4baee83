/**
 * Consistency across forms (manifest `forms[].prefill`): a park's form is pre-filled from, and
 * checked against, its record in another form — the park's row of a table the county (or city)
 * saved. A blocking mismatch refuses submission unless a reviewer of the area accepted it,
 * with a reason, for exactly the values it has now.
 */
import { idParam } from '../http.js';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { checkConsistency, findSourceRecord, prefillData, type Mismatch } from '@yuanping/core';
import type { ConsistencyAcceptance, Park, Storage, Submission, User } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import type { PackLike } from '../engine.js';
import { ApiError } from '../errors.js';
import { visibleText } from '../text.js';
import { applicantForms, BUNDLE } from '../bundle.js';
import { EDITABLE, statusLabel } from '../workflow.js';
import { canSeeSubmission } from '../scope.js';
import { ConsistencySummary, ok } from '../components.js';

/** A mismatch of one form of the submission (`form`: the form id; the data of a bundle is grouped by it). */
export interface FormMismatch extends Mismatch {
  form: string;
  accepted: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The forms of a submission that declare `prefill`, each with its own part of the data. */
function prefillForms(pack: PackLike, s: Pick<Submission, 'formId' | 'data'>): Array<{ formId: string; data: unknown }> {
  const ids = s.formId === BUNDLE ? applicantForms(pack).map((f) => f.id) : [s.formId];
  const out: Array<{ formId: string; data: unknown }> = [];
  for (const id of ids) {
    const f = pack.forms.get(id);
    if (!f?.decl.prefill?.length) continue;
    const data = s.formId === BUNDLE ? (isObject(s.data) ? s.data[id] : undefined) : s.data;
    out.push({ formId: id, data: data ?? {} });
  }
  return out;
}

/**
 * The park's record in each source form: its row (by the `match` column = the park's 统一社会信用代码
 * or id) in the table its county saved (whatever the table's status: it is the county's own
 * current entry), else in its city's.
 */
async function sourcesFor(storage: Storage, pack: PackLike, packId: string, formId: string, park: Park): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const p of pack.forms.get(formId)?.decl.prefill ?? []) {
    if (out[p.from]) continue;
    for (const org of [park.countyCode, park.cityCode]) {
      const rep = await storage.getTableReport(packId, p.from, org);
      if (!rep) continue;
      // the whole data object (every section of the table), not only the first section's rows
      const whole = rep.data ?? rep.rows;
      const rec = findSourceRecord(whole, p.match, park.creditCode) ?? findSourceRecord(whole, p.match, park.id);
      if (rec) {
        out[p.from] = rec;
        break;
      }
    }
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function covers(a: ConsistencyAcceptance, m: Mismatch & { form: string }): boolean {
  return a.mismatches.some(
    (x) => (x.form ?? m.form) === m.form && x.field === m.field && x.sourceForm === m.sourceForm && x.sourceField === m.sourceField && sameValue(x.value, m.value) && sameValue(x.sourceValue, m.sourceValue),
  );
}

/** The current mismatches of a submission, each marked whether an acceptance covers its present values. */
export async function consistencyOf(
  storage: Storage,
  pack: PackLike,
  s: Submission,
): Promise<{ mismatches: FormMismatch[]; acceptances: Array<ConsistencyAcceptance & { reviewerName: string | null }>; sources: Record<string, Record<string, Record<string, unknown>>> }> {
  const forms = prefillForms(pack, s);
  if (forms.length === 0) return { mismatches: [], acceptances: [], sources: {} };
  const park = await storage.getPark(s.parkId);
  const acceptances = await storage.listConsistencyAcceptances(s.id);
  const mismatches: FormMismatch[] = [];
  const sources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const f of forms) {
    const src = park ? await sourcesFor(storage, pack, s.packId, f.formId, park) : {};
    sources[f.formId] = src;
    for (const m of checkConsistency(pack, f.formId, f.data, src)) {
      const fm = { ...m, form: f.formId };
      mismatches.push({ ...fm, accepted: acceptances.some((a) => covers(a, fm)) });
    }
  }
  return { mismatches, acceptances, sources };
}

/** For the submission's detail: null when no form of it declares `prefill` (no queries then). */
export async function consistencySummary(ctx: Ctx, s: Submission): Promise<{ blocking: number; mismatches: FormMismatch[]; acceptances: ConsistencyAcceptance[] } | null> {
  const pack = await ctx.packById(s.packVersionId);
  if (prefillForms(pack, s).length === 0) return null;
  const { mismatches, acceptances } = await consistencyOf(ctx.storage, pack, s);
  return { blocking: mismatches.filter((m) => m.blocking && !m.accepted).length, mismatches, acceptances };
}

/** Refuses (CONSISTENCY_MISMATCH, both values in `details`) while a blocking mismatch is not accepted. */
export async function assertConsistent(storage: Storage, pack: PackLike, s: Submission): Promise<void> {
  const { mismatches } = await consistencyOf(storage, pack, s);
  const open = mismatches.filter((m) => m.blocking && !m.accepted);
  if (open.length === 0) return;
  const names = [...new Set(open.map((m) => m.sourceForm))].map((id) => {
    const f = pack.forms.get(id);
    return `${f?.attachment ?? ''}${f?.title ?? id}`;
  });
  throw new ApiError('CONSISTENCY_MISMATCH', { count: open.length, source: names.join('、') }, { details: { mismatches: open } });
}

/**
 * Reviewers of the park's county (or city) may read and accept the mismatches even of a draft:
 * the draft is refused until they do. They see the compared values only, never the draft itself.
 */
async function loadForConsistency(storage: Storage, u: User, id: string): Promise<Submission> {
  const s = await storage.getSubmission(id, { evaluation: false });
  const inArea = s && ((u.role === 'county' && s.countyCode === u.orgCode) || (u.role === 'city' && s.cityCode === u.orgCode));
  if (!s || !(canSeeSubmission(u, s) || inArea)) throw new ApiError('NOT_FOUND', { what: '申报' });
  return s;
}


export async function consistencyRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  app.get(
    '/api/submissions/:id/prefill',
    { schema: { tags: ['submissions'], summary: '跨表预填：本园区在来源表（如县级汇总表）中的记录，及据此预填后的数据（只补空项）',
        params: idParam,
        response: ok(
          {
            type: 'object',
            required: ['id', 'version', 'sources', 'data'],
            properties: {
              id: { type: 'string' },
              version: { type: 'integer' },
              sources: { type: 'object', description: '表单 → 来源表 → 本园区的记录', additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: {} } } },
              data: { description: '预填后的数据' },
            },
          },
          '来源记录与预填后的数据',
        ),
      } },
    async (req) => {
      const u = requireUser(req, ['applicant']);
      const s = await loadForConsistency(storage, u, req.params.id);
      const pack = await ctx.packById(s.packVersionId);
      const park = await storage.getPark(s.parkId);
      const forms = prefillForms(pack, s);
      const sources: Record<string, Record<string, Record<string, unknown>>> = {};
      const filled: Record<string, unknown> = {};
      for (const f of forms) {
        const src = park ? await sourcesFor(storage, pack, s.packId, f.formId, park) : {};
        sources[f.formId] = src;
        filled[f.formId] = prefillData(pack, f.formId, f.data, src);
      }
      const data = s.formId === BUNDLE ? { ...(isObject(s.data) ? s.data : {}), ...filled } : (filled[s.formId] ?? s.data);
      return { id: s.id, version: s.version, sources, data };
    },
  );

  app.get(
    '/api/submissions/:id/consistency',
    { schema: { tags: ['submissions'], summary: '跨表核对：与来源表不一致的项（两个值）及审核人的接受记录',
        params: idParam,
        response: ok(
          {
            type: 'object',
            required: ['id', 'status', 'statusLabel', ...ConsistencySummary.required],
            properties: { id: { type: 'string' }, status: { type: 'string' }, statusLabel: { type: 'string' }, ...ConsistencySummary.properties },
          },
          '不一致的项与接受记录',
        ),
      } },
    async (req) => {
      const u = requireUser(req);
      const s = await loadForConsistency(storage, u, req.params.id);
      const pack = await ctx.packById(s.packVersionId);
      const { mismatches, acceptances } = await consistencyOf(storage, pack, s);
      return { id: s.id, status: s.status, statusLabel: statusLabel(s.status), blocking: mismatches.filter((m) => m.blocking && !m.accepted).length, mismatches, acceptances };
    },
  );

  app.get(
    '/api/consistency/pending',
    { schema: { tags: ['review'], summary: '本辖区尚未提交（草稿、退回）且有未接受的阻止性跨表不一致的申报（县、市审核人）',
        response: ok(
          {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'packId', 'formId', 'parkId', 'parkName', 'status', 'statusLabel', 'blocking', 'mismatches'],
              properties: {
                id: { type: 'string' },
                packId: { type: 'string' },
                formId: { type: 'string' },
                parkId: { type: 'string' },
                parkName: { type: 'string' },
                status: { type: 'string' },
                statusLabel: { type: 'string' },
                blocking: { type: 'integer' },
                mismatches: { type: 'array', items: { $ref: 'ConsistencyMismatch#' } },
              },
            },
          },
          '有未接受不一致的申报',
        ),
      } },
    async (req) => {
      const u = requireUser(req, ['county', 'city']);
      const area = u.role === 'county' ? { countyCode: u.orgCode ?? '\u0000none' } : { cityCode: u.orgCode ?? '\u0000none' };
      const subs = await storage.listSubmissions({ ...area, statuses: EDITABLE, limit: 500 });
      const out = [];
      for (const s of subs) {
        const pack = await ctx.packById(s.packVersionId);
        if (prefillForms(pack, s).length === 0) continue;
        const { mismatches } = await consistencyOf(storage, pack, s);
        const open = mismatches.filter((m) => m.blocking && !m.accepted);
        if (open.length === 0) continue;
        out.push({ id: s.id, packId: s.packId, formId: s.formId, parkId: s.parkId, parkName: s.parkName, status: s.status, statusLabel: statusLabel(s.status), blocking: open.length, mismatches: open });
      }
      return out;
    },
  );

  app.post(
    '/api/submissions/:id/consistency/accept',
    {
      schema: {
        tags: ['review'],
        summary: '审核人接受当前的跨表不一致项（须填写理由；数据再变则不再覆盖）',
        params: idParam,
        body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 2, maxLength: 2000 } } },
        response: ok({ $ref: 'ConsistencyAcceptance#' }, '已接受'),
      },
    },
    async (req) => {
      const u = requireUser(req, ['county', 'city']);
      const id = req.params.id;
      const reason = visibleText(req.body.reason) ?? '';
      const s0 = await loadForConsistency(storage, u, id);
      if (reason.length < 2) {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'reason', code: 'minLength', message: '接受不一致须填写理由（至少 2 个字）' }] });
      }
      const pack = await ctx.packById(s0.packVersionId);
      return storage.transaction(async (t) => {
        const s = await t.getSubmission(id, { forUpdate: true, evaluation: false });
        if (!s) throw new ApiError('NOT_FOUND', { what: '申报' });
        if (!EDITABLE.includes(s.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: '接受不一致' });
        const { mismatches } = await consistencyOf(t, pack, s);
        const open = mismatches.filter((m) => !m.accepted);
        if (open.length === 0) throw new ApiError('CONSISTENCY_NOTHING_TO_ACCEPT');
        const accepted = open.map((m) => ({ form: m.form, field: m.field, label: m.label, sourceForm: m.sourceForm, sourceField: m.sourceField, value: m.value, sourceValue: m.sourceValue, valueText: m.valueText, sourceText: m.sourceText }));
        const a = await t.addConsistencyAcceptance({ submissionId: s.id, level: u.role, reason, mismatches: accepted, reviewerId: u.id, at: ctx.now() });
        await t.appendAudit({ actorId: u.id, action: 'submission.consistency.accept', entity: 'submission', entityId: s.id, after: { reason, mismatches: accepted }, at: ctx.now() });
        return a;
      });
    },
  );
}
