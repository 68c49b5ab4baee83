/**
 * Reviewer confirmation of `"x-review": "confirm"` fields: for every item the applicant ticked
 * (each chosen option of a checklist, the answer of a yes/no field, the value of any other
 * field so marked) a reviewer of the level at work confirms it or disputes it with a reason.
 * Verdicts are append-only rows (who, when, which level); the latest per level, field and item
 * is in force, so a reviewer may change their mind and the history stays.
 *
 * Who must confirm: the review levels whose workflow stage lists the form (a stage without
 * `forms` covers every form; a level with no stage in the pack covers every form). Such a level's
 * forward action (county pass, city recommend, province approve) is refused with
 * CONFIRMATION_INCOMPLETE while one of the ticked items is not confirmed at that level (pending
 * or disputed); return and reject are never held up. The check is `confirmationGate`, a
 * preHandler on the review route, so the review handler itself is unchanged.
 */
import { idParam } from '../http.js';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { displayValue, indexFields, type FieldInfo } from '@yuanping/core';
import type { ReviewConfirmation, Role, Storage, Submission, User } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import type { PackLike } from '../engine.js';
import { ApiError, type FieldError } from '../errors.js';
import { visibleText } from '../text.js';
import { canSeeSubmission } from '../scope.js';
import { valueAt } from '../schema-path.js';
import { ACTION_LABELS, resolveAction, reviewStep, ROLE_LABELS, statusLabel } from '../workflow.js';
import { applicantForms, BUNDLE } from '../bundle.js';
import { ok } from '../components.js';

const REVIEW_LEVELS = ['county', 'city', 'province'] as const satisfies readonly Role[];
type Level = (typeof REVIEW_LEVELS)[number];
const CONFIRM_ACTION = '确认勾选项';
/** Review actions that send a submission back or end it: never held up by pending confirmations. */
const NOT_FORWARD = new Set(['return', 'reject']);

export interface ConfirmField {
  /** path in the submission's data (for a whole application: `<form id>.<path in the form>`) */
  field: string;
  form: string;
  label: string;
  clause: string | null;
  /** the review levels that must confirm this field's items */
  levels: Level[];
  info: FieldInfo;
}

export interface TickedItem {
  item: string | number | boolean;
  label: string;
}

/** The levels that must confirm the ticked items of a form (see the file comment). */
export function confirmingLevels(pack: PackLike, formId: string): Level[] {
  const stages = pack.manifest.workflow?.stages ?? [];
  return REVIEW_LEVELS.filter((role) => {
    const own = stages.filter((s) => s.role === role);
    return own.length === 0 || own.some((s) => !s.forms || s.forms.length === 0 || s.forms.includes(formId));
  });
}

/** The `x-review: confirm` fields of a submission's form(s) (object nesting; not inside arrays of rows). */
export function confirmFields(pack: PackLike, formId: string): ConfirmField[] {
  const forms = formId === BUNDLE ? applicantForms(pack) : [pack.forms.get(formId)].filter((f) => f !== undefined);
  const out: ConfirmField[] = [];
  for (const form of forms) {
    const prefix = formId === BUNDLE ? `${form.id}.` : '';
    const levels = confirmingLevels(pack, form.id);
    for (const [path, info] of indexFields(form.schema)) {
      if (info.schema['x-review'] !== 'confirm') continue;
      const clause = info.schema['x-clause'];
      out.push({ field: prefix + path, form: form.id, label: info.title, clause: typeof clause === 'string' ? clause : null, levels, info });
    }
  }
  return out;
}

/** What the applicant ticked in a confirm field: each chosen option, or the one answer. */
export function tickedItems(f: ConfirmField, value: unknown): TickedItem[] {
  const prim = (x: unknown): x is string | number | boolean => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  if (Array.isArray(value)) {
    const seen = new Set<string>();
    return value.filter(prim).flatMap((x) => {
      const k = JSON.stringify(x);
      if (seen.has(k)) return [];
      seen.add(k);
      return [{ item: x, label: displayValue(f.info.items ?? f.info, x) }];
    });
  }
  if (!prim(value) || value === '') return [];
  return [{ item: value, label: displayValue(f.info, value) }];
}

const keyOf = (field: string, item: unknown) => `${field}\u0000${JSON.stringify(item)}`;

interface Verdict {
  verdict: 'confirmed' | 'disputed';
  reason: string | null;
  reviewerName: string | null;
  at: Date;
}

export interface ConfirmationState {
  fields: Array<{
    field: string;
    form: string;
    label: string;
    clause: string | null;
    levels: Level[];
    items: Array<TickedItem & { verdicts: Partial<Record<Level, Verdict>> }>;
  }>;
  /** every verdict ever given, oldest first, with the field's and the item's labels */
  history: Array<ReviewConfirmation & { reviewerName: string | null; fieldLabel: string; itemLabel: string }>;
  /** per level that must confirm: the ticked items not (or no longer) confirmed there */
  open: Partial<Record<Level, Array<{ field: string; label: string; item: unknown; itemLabel: string; disputed: boolean }>>>;
}

export async function confirmationState(storage: Storage, pack: PackLike, s: Submission): Promise<ConfirmationState> {
  // only the levels on the submission's review path confirm (a 1–3★ application decided by the city never reaches the province)
  const onPath = REVIEW_LEVELS.filter((l) => reviewStep(pack, s, l) !== null);
  const fields = confirmFields(pack, s.formId).map((f) => ({ ...f, levels: f.levels.filter((l) => onPath.includes(l)) }));
  const records = fields.length ? await storage.listConfirmations(s.id) : [];
  const latest = new Map<string, (typeof records)[number]>();
  for (const r of records) latest.set(`${r.level}\u0000${keyOf(r.field, r.item)}`, r);
  const open: ConfirmationState['open'] = {};
  const out: ConfirmationState['fields'] = fields.map((f) => {
    const items = tickedItems(f, valueAt(s.data, f.field)).map((t) => {
      const verdicts: Partial<Record<Level, Verdict>> = {};
      for (const level of REVIEW_LEVELS) {
        const r = latest.get(`${level}\u0000${keyOf(f.field, t.item)}`);
        if (r) verdicts[level] = { verdict: r.verdict, reason: r.reason, reviewerName: r.reviewerName, at: r.createdAt };
      }
      for (const level of f.levels) {
        if (verdicts[level]?.verdict === 'confirmed') continue;
        (open[level] ??= []).push({ field: f.field, label: f.label, item: t.item, itemLabel: t.label, disputed: verdicts[level]?.verdict === 'disputed' });
      }
      return { ...t, verdicts };
    });
    return { field: f.field, form: f.form, label: f.label, clause: f.clause, levels: f.levels, items };
  });
  const byField = new Map(fields.map((f) => [f.field, f]));
  const history = records.map((r) => {
    const f = byField.get(r.field);
    return { ...r, fieldLabel: f?.label ?? r.field, itemLabel: f ? tickedItems(f, [r.item])[0]?.label ?? String(r.item) : String(r.item) };
  });
  return { fields: out, history, open };
}

/** The caller's part: the level they act at now, whether that level must confirm, and what is left. */
function mine(u: User, s: Submission, st: ConfirmationState, pack: PackLike) {
  const rules = reviewStep(pack, s, u.role);
  const level = rules && s.status === rules.from && (REVIEW_LEVELS as readonly string[]).includes(u.role) ? (u.role as Level) : null;
  return {
    level,
    canConfirm: level !== null && st.fields.some((f) => f.items.length > 0),
    required: level !== null && st.fields.some((f) => f.levels.includes(level) && f.items.length > 0),
    open: level ? (st.open[level] ?? []).length : 0,
  };
}

async function loadVisible(storage: Storage, u: User, id: string, forUpdate = false): Promise<Submission> {
  const s = await storage.getSubmission(id, { evaluation: false, forUpdate });
  if (!s || !canSeeSubmission(u, s)) throw new ApiError('NOT_FOUND', { what: '申报' });
  return s;
}

/**
 * The review route's preHandler (submissions/review.ts): a level that must confirm cannot pass /
 * recommend / approve while an item ticked by the applicant is pending or disputed at that level.
 * Everything the review handler checks itself (visibility, status, the action) is left to it.
 */
export async function confirmationGate(ctx: Ctx, u: User | null | undefined, id: string, named: string): Promise<void> {
  if (!u || NOT_FORWARD.has(named)) return;
  const s = await ctx.storage.getSubmission(id, { evaluation: false });
  if (!s || !canSeeSubmission(u, s)) return;
  const pack = await ctx.packById(s.packVersionId);
  // the level's step on the submission's review path (a city decides 1–3★ itself, recommends 4/5★)
  const rules = reviewStep(pack, s, u.role);
  if (!rules) return;
  const action = resolveAction(rules, named);
  if (!rules.actions[action] || NOT_FORWARD.has(action) || s.status !== rules.from) return;
  if (confirmFields(pack, s.formId).length === 0) return;
  const open = (await confirmationState(ctx.storage, pack, s)).open[u.role as Level] ?? [];
  if (open.length === 0) return;
  throw new ApiError(
    'CONFIRMATION_INCOMPLETE',
    { count: open.length, disputed: open.filter((o) => o.disputed).length, level: ROLE_LABELS[u.role] ?? u.role, action: ACTION_LABELS[action] ?? action },
    { details: { open } },
  );
}


export async function confirmationRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  app.get(
    '/api/submissions/:id/confirmations',
    {
      schema: {
        tags: ['review'],
        summary: '审核人确认项（x-review: confirm）：申报单位勾选的每一项、各级审核人的确认或异议、历史，以及本级还须确认的项数',
        params: idParam,
        response: ok({ $ref: 'ConfirmationState#' }, '确认情况'),
      },
    },
    async (req) => {
      const u = requireUser(req);
      const s = await loadVisible(storage, u, req.params.id);
      const pack = await ctx.packById(s.packVersionId);
      const st = await confirmationState(storage, pack, s);
      return { ...st, me: mine(u, s, st, pack) };
    },
  );

  app.post(
    '/api/submissions/:id/confirmations',
    {
      schema: {
        tags: ['review'],
        summary: '审核人逐项确认或提出异议（有异议须说明理由；只限本辖区、处于本级审核环节的申报）',
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['items'],
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              maxItems: 1000,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['field', 'item', 'verdict'],
                properties: {
                  field: { type: 'string', minLength: 1, maxLength: 300 },
                  item: { anyOf: [{ type: 'string', maxLength: 500 }, { type: 'number' }, { type: 'boolean' }] },
                  verdict: { enum: ['confirmed', 'disputed'] },
                  reason: { type: 'string', maxLength: 2000 },
                },
              },
            },
          },
        },
        response: ok({ $ref: 'ConfirmationState#' }, '已记录，及新的确认情况', 201),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, REVIEW_LEVELS);
      const id = req.params.id;
      const b = req.body;
      const s0 = await loadVisible(storage, u, id);
      const pack = await ctx.packById(s0.packVersionId);
      const rules = reviewStep(pack, s0, u.role);
      if (!rules || s0.status !== rules.from) throw new ApiError('INVALID_STATE', { status: statusLabel(s0.status), action: CONFIRM_ACTION });
      const fields = new Map(confirmFields(pack, s0.formId).map((f) => [f.field, f]));
      const errors: FieldError[] = [];
      const rows = b.items.map((it, i) => {
        const f = fields.get(it.field);
        if (!f) errors.push({ path: `items.${i}.field`, code: 'x-review', message: `“${it.field}”不是需要审核人确认的字段` });
        else if (!tickedItems(f, valueAt(s0.data, f.field)).some((t) => JSON.stringify(t.item) === JSON.stringify(it.item))) {
          errors.push({ path: `items.${i}.item`, code: 'ticked', message: `申报单位在“${f.label}”中没有勾选“${displayValue(f.info.items ?? f.info, it.item)}”` });
        }
        const reason = visibleText(it.reason);
        if (it.verdict === 'disputed' && !reason) errors.push({ path: `items.${i}.reason`, code: 'required', message: '有异议时必须填写理由' });
        return { submissionId: id, level: u.role, field: it.field, item: it.item, verdict: it.verdict, reason, reviewerId: u.id };
      });
      if (errors.length) throw new ApiError('BAD_REQUEST', { count: errors.length }, { errors });
      const st = await storage.transaction(async (t) => {
        // the row lock orders this with a concurrent review action on the same submission
        const s = await loadVisible(t, u, id, true);
        if (s.status !== rules.from) throw new ApiError('INVALID_STATE', { status: statusLabel(s.status), action: CONFIRM_ACTION });
        const before = await confirmationState(t, pack, s);
        const prior = (field: string, item: unknown) => before.fields.find((f) => f.field === field)?.items.find((x) => JSON.stringify(x.item) === JSON.stringify(item))?.verdicts[u.role as Level] ?? null;
        // stamped by the database clock, like the review steps they are shown beside
        await t.addConfirmations(rows);
        await t.appendAudit({
          actorId: u.id,
          action: 'submission.confirm',
          entity: 'submission',
          entityId: id,
          before: { level: u.role, items: rows.map((r) => ({ field: r.field, item: r.item, verdict: prior(r.field, r.item)?.verdict ?? null })) },
          after: { level: u.role, items: rows.map((r) => ({ field: r.field, item: r.item, verdict: r.verdict, reason: r.reason })) },
          at: ctx.now(),
        });
        return confirmationState(t, pack, s);
      });
      return reply.status(201).send({ ...st, me: mine(u, s0, st, pack) });
    },
  );
}
