import type { Ctx } from './ctx.js';
import { quickOutcome, type FormLike, type PackLike } from './engine.js';
import { ApiError, type FieldError } from './errors.js';
import { mergeOwnWrites } from '@yuanping/core';
import { formAccepts } from './form-check.js';

/**
 * A submission is either one form (`formId` = that form) or the applicant's whole
 * application (`formId` = BUNDLE): the data is then `{ [formId]: formData }` over every
 * form the applicant fills (the forms of the applicant stages, else the park-scope forms).
 */
export const BUNDLE = '*';

export function applicantForms(pack: PackLike): FormLike[] {
  const stageForms = new Set((pack.manifest.workflow?.stages ?? []).filter((s) => s.role === 'applicant').flatMap((s) => s.forms ?? []));
  const all = [...pack.forms.values()];
  const parkForms = all.filter((f) => (f.scope ?? 'park') === 'park');
  return stageForms.size > 0 ? parkForms.filter((f) => stageForms.has(f.id)) : parkForms;
}

export function formOf(pack: PackLike, formId: string): FormLike {
  const f = pack.forms.get(formId);
  if (!f) throw new ApiError('FORM_NOT_FOUND', { form: formId });
  return f;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validation errors of a submission's data; drafts may leave required fields empty. */
export function validateData(ctx: Ctx, pack: PackLike, formId: string, data: unknown, mode: 'draft' | 'submit'): FieldError[] {
  const keep = (errs: FieldError[]) => (mode === 'draft' ? errs.filter((e) => e.code !== 'required') : errs);
  if (formId !== BUNDLE) {
    const form = formOf(pack, formId);
    // the fast yes/no check first; core's validation (with its messages) when it says no
    if (formAccepts(form, data, mode)) return [];
    const r = ctx.engine.validateSubmission(form, data);
    return r.valid ? [] : keep(r.errors);
  }
  const out: FieldError[] = [];
  const forms = applicantForms(pack);
  const obj = isObj(data) ? data : {};
  for (const k of Object.keys(obj)) {
    if (!forms.some((f) => f.id === k)) out.push({ path: k, code: 'additionalProperties', message: `不允许的表单“${k}”` });
  }
  for (const f of forms) {
    const part = obj[f.id];
    if (part === undefined && mode === 'draft') continue;
    // an absent form is an empty one; a present one must be the form's data (null is not)
    if (formAccepts(f, part === undefined ? {} : part, mode)) continue;
    const r = ctx.engine.validateSubmission(f, part === undefined ? {} : part);
    if (!r.valid) out.push(...keep(r.errors).map((e) => ({ ...e, path: e.path ? `${f.id}.${e.path}` : f.id })));
  }
  return out;
}

/** The rule sets that apply to a submission's data, each with its input (the data of its form). */
export function ruleSetInputs(pack: PackLike, formId: string, data: unknown, scoresOnly = false): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [id, entry] of pack.ruleSets) {
    if (scoresOnly && entry.ruleSet.outcome.kind !== 'score') continue;
    const target = entry.ruleSet.form;
    if (formId === BUNDLE) {
      if (!applicantForms(pack).some((f) => f.id === target)) continue;
      out.push([id, isObj(data) ? (data[target] ?? {}) : {}]);
    } else if (target === formId) out.push([id, data]);
  }
  return out;
}

/** Every rule set over the submission's forms; a failure is reported, not thrown. */
export function evaluateData(
  ctx: Ctx,
  pack: PackLike,
  formId: string,
  data: unknown,
  opts?: { scoreBasis: 'self' | 'reviewer' },
  suffix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, input] of ruleSetInputs(pack, formId, data, opts?.scoreBasis === 'reviewer')) {
    try {
      out[id + suffix] = opts ? ctx.engine.evaluate(pack, id, input, opts) : ctx.engine.evaluate(pack, id, input);
    } catch (e) {
      out[id + suffix] = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  return out;
}

/**
 * Each rule set's outcome summary over the submission's forms (core's `quick()`: level /
 * eligible / score and the names of the failed, warning and error rules; no explanation) — what a
 * draft stores beside its data. Keys as `evaluateData`'s; a failure is reported, not thrown.
 */
export function outcomeSummaries(pack: PackLike, formId: string, data: unknown, opts?: { scoreBasis: 'self' | 'reviewer' }, suffix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, input] of ruleSetInputs(pack, formId, data, opts?.scoreBasis === 'reviewer')) {
    try {
      out[id + suffix] = quickOutcome(pack, id, input, opts);
    } catch (e) {
      out[id + suffix] = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  return out;
}

/** The form and the path inside it that a submission-level field path names. */
export function locateField(pack: PackLike, formId: string, path: string): { form: FormLike; path: string } | null {
  if (formId !== BUNDLE) {
    const form = pack.forms.get(formId);
    return form ? { form, path } : null;
  }
  const dot = path.indexOf('.');
  if (dot < 0) return null;
  const form = applicantForms(pack).find((f) => f.id === path.slice(0, dot));
  return form ? { form, path: path.slice(dot + 1) } : null;
}

/** The self-score fact paired with a reviewer-score field in a score rule set of the form. */
export function selfFactFor(pack: PackLike, formId: string, reviewerPath: string): string | null {
  for (const entry of pack.ruleSets.values()) {
    const rs = entry.ruleSet;
    if (rs.form !== formId || rs.outcome.kind !== 'score') continue;
    const item = rs.outcome.items.find((it) => it.reviewerFact === reviewerPath);
    if (item) return item.fact;
  }
  return null;
}

/**
 * The data to store when the applicant saves `sent` over `before` (core's one rule,
 * `mergeOwnWrites`: computed fields computed, other roles' fields kept as stored), and the
 * field errors for other roles' fields the save tried to change.
 */
export function mergeApplicantWrites(pack: PackLike, formId: string, before: unknown, sent: unknown): { data: Record<string, unknown>; errors: FieldError[] } {
  const refusedAt = (prefix: string, paths: string[]): FieldError[] =>
    paths.map((p) => ({ path: prefix + p, code: 'x-role', message: '该栏由审核人填写，申报单位不能修改' }));
  if (formId === BUNDLE) {
    const bo = isObj(before) ? before : {};
    const so = isObj(sent) ? sent : {};
    const data: Record<string, unknown> = { ...so };
    const errors: FieldError[] = [];
    for (const f of applicantForms(pack)) {
      if (so[f.id] === undefined && bo[f.id] === undefined) continue;
      const r = mergeOwnWrites(f.schema, bo[f.id], so[f.id] ?? {}, 'applicant');
      data[f.id] = r.data;
      errors.push(...refusedAt(`${f.id}.`, r.refused));
    }
    return { data, errors };
  }
  const f = pack.forms.get(formId);
  if (!f) return { data: isObj(sent) ? sent : {}, errors: [] };
  const r = mergeOwnWrites(f.schema, before, sent, 'applicant');
  return { data: isObj(r.data) ? r.data : {}, errors: refusedAt('', r.refused) };
}
