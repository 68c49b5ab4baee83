/**
 * Review paths (审核路径): a pack's `workflow.paths` route a submission through the stages its
 * requested level or kind needs — e.g. 1–3★ decided by the city and filed with the province,
 * 4/5★ recommended by the city and rated by the province. A path is chosen by the value of one
 * field of one form; a stage listed in no path applies to every submission. The last review stage
 * of a path decides (approve / reject); the review stages go county → city → province, at most one
 * each. Pure data functions, shared by the checker, the server and the web app.
 */
import type { Manifest } from '../meta/index.js';
import { getPath, isObject } from '../util/json.js';

type Workflow = NonNullable<Manifest['workflow']>;
export type WorkflowStage = Workflow['stages'][number];
export type ReviewPath = NonNullable<Workflow['paths']>[number];
export type ReviewLevel = 'county' | 'city' | 'province';

/** The review levels, lowest first. */
export const REVIEW_LEVELS: readonly ReviewLevel[] = ['county', 'city', 'province'];

export function isReviewLevel(role: string): role is ReviewLevel {
  return (REVIEW_LEVELS as readonly string[]).includes(role);
}

/**
 * The value a path's condition reads: the field of `when.form` in the submission's data — the
 * data itself when the submission is that form, `data[form]` when it is a whole application
 * (`bundle`: every applicant form's data under its form id).
 */
export function pathFieldValue(path: ReviewPath, formId: string, data: unknown, bundle: boolean): unknown {
  const formData = bundle ? (isObject(data) ? data[path.when.form] : undefined) : formId === path.when.form ? data : undefined;
  return getPath(formData, path.when.field);
}

/** The path a submission takes, or null (no paths declared, none applies to its form, or its field matches none). */
export function reviewPathFor(manifest: Manifest, formId: string, data: unknown, bundle: boolean): ReviewPath | null {
  for (const p of manifest.workflow?.paths ?? []) {
    const v = pathFieldValue(p, formId, data, bundle);
    if (v !== undefined && p.when.in.some((x) => x === v)) return p;
  }
  return null;
}

/** The stages that apply to a submission on `path`: the path's own and those listed in no path; all stages without a path. */
export function stagesOnPath(manifest: Manifest, path: ReviewPath | null): WorkflowStage[] {
  const stages = manifest.workflow?.stages ?? [];
  if (!path) return stages;
  const inSomePath = new Set((manifest.workflow?.paths ?? []).flatMap((p) => p.stages));
  return stages.filter((s) => path.stages.includes(s.id) || !inSomePath.has(s.id));
}

/** A path's review stages (county / city / province), in the path's order. */
export function reviewStagesOf(manifest: Manifest, path: ReviewPath): WorkflowStage[] {
  const byId = new Map((manifest.workflow?.stages ?? []).map((s) => [s.id, s]));
  return path.stages.map((id) => byId.get(id)).filter((s): s is WorkflowStage => s !== undefined && isReviewLevel(s.role));
}
