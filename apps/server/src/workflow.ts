import type { Role } from '@yuanping/storage';
import type { PackLike, StageLike } from './engine.js';
import { ApiError } from './errors.js';
import { REVIEW_LEVELS, reviewPathFor, reviewStagesOf, stagesOnPath, STATUS_NAMES, isReviewLevel, type ReviewLevel, type ReviewPath } from '@yuanping/core';
import { BUNDLE } from './bundle.js';

// the words users read come from the one glossary (@yuanping/core), shared with the web app
export { STATUS_NAMES as STATUS_LABELS, ACTION_NAMES as ACTION_LABELS, ROLE_NAMES as ROLE_LABELS } from '@yuanping/core';

/** Statuses in which the applicant edits. */
export const EDITABLE = ['draft', 'returned'];

/** Review transitions: the status each level acts on and what each action leads to. */
export const REVIEW: Partial<Record<Role, { from: string; actions: Record<string, string> }>> = {
  county: { from: 'submitted', actions: { pass: 'county_passed', return: 'returned' } },
  city: { from: 'county_passed', actions: { recommend: 'city_recommended', reject: 'not_recommended', return: 'returned' } },
  province: { from: 'city_recommended', actions: { approve: 'approved', reject: 'rejected', return: 'returned' } },
};

export function statusLabel(s: string): string {
  return STATUS_NAMES[s] ?? s;
}

/** Manifest dates are calendar dates in China Standard Time (UTC+8, no daylight saving). */
export function dayStart(date: string): Date {
  return new Date(`${date.slice(0, 10)}T00:00:00.000+08:00`);
}
export function dayEnd(date: string): Date {
  return new Date(`${date.slice(0, 10)}T23:59:59.999+08:00`);
}

/** The review path a submission takes (the pack's `workflow.paths` by its data), or null. */
export function pathOf(pack: PackLike, s: { formId: string; data: unknown }): ReviewPath | null {
  return reviewPathFor(pack.manifest, s.formId, s.data, s.formId === BUNDLE);
}

/** What a review level does to a submission: the status it acts on, its actions and where each leads. */
export interface ReviewStep {
  from: string;
  actions: Record<string, string>;
  /** this level's decision ends the application (approve / reject) */
  decides: boolean;
  /** the stage of the pack this level acts in, when the pack declares one */
  stage: StageLike | null;
  /** who gets the submission back on a return: the applicant or the review level below */
  returnsTo: Role;
}

/** What the level's forward action leads to when another level comes after it. */
const FORWARD: Record<ReviewLevel, { action: string; to: string }> = {
  county: { action: 'pass', to: 'county_passed' },
  city: { action: 'recommend', to: 'city_recommended' },
  province: { action: 'approve', to: 'approved' },
};

/**
 * The step `role` takes on submission `s`: on the submission's review path (workflow.paths) its
 * review stages in order — the first acts on `submitted`, each next one on what the previous one's
 * forward action led to, the last decides (approve / reject). Without a path: county → city →
 * province (REVIEW). A return goes to the applicant, or one level down when the stage declares
 * `returnTo: "previous"` (the first review level then returns to the applicant). Null when the
 * role takes no part.
 */
export function reviewStep(pack: PackLike, s: { formId: string; data: unknown }, role: Role): ReviewStep | null {
  if (!isReviewLevel(role)) return null;
  const path = pathOf(pack, s);
  const formId = s.formId === BUNDLE ? null : s.formId;
  const levels: Array<{ role: ReviewLevel; stage: StageLike | null }> = path
    ? reviewStagesOf(pack.manifest, path).map((st) => ({ role: st.role as ReviewLevel, stage: st }))
    : REVIEW_LEVELS.map((r) => ({ role: r, stage: stagesFor(pack, r, formId)[0] ?? null }));
  const i = levels.findIndex((l) => l.role === role);
  const me = levels[i];
  if (!me) return null;
  const fromOf = (k: number): string => {
    const prev = levels[k - 1];
    return prev ? FORWARD[prev.role].to : 'submitted';
  };
  const from = fromOf(i);
  const below = me.stage?.returnTo === 'previous' ? levels[i - 1] : undefined;
  const back = below ? fromOf(i - 1) : 'returned';
  const decides = i === levels.length - 1;
  const actions: Record<string, string> = decides
    ? { approve: 'approved', reject: 'rejected', return: back }
    : role === 'city'
      ? { recommend: 'city_recommended', reject: 'not_recommended', return: back }
      : { [FORWARD[role].action]: FORWARD[role].to, return: back };
  return { from, actions, decides, stage: me.stage, returnsTo: below ? below.role : 'applicant' };
}

/**
 * The action a request names: `forward` (what bulk review sends) is the level's forward action on
 * the submission's path — pass, recommend, or approve where the level decides.
 */
export function resolveAction(step: ReviewStep, action: string): string {
  return action === 'forward' ? (Object.keys(step.actions)[0] ?? action) : action;
}

/** A decided application's status in words, naming the level that decided it when that is not the province. */
export function statusLabelOf(pack: PackLike, s: { formId: string; data: unknown; status: string }): string {
  if (s.status !== 'approved' && s.status !== 'rejected') return statusLabel(s.status);
  const path = pathOf(pack, s);
  const decider = path ? reviewStagesOf(pack.manifest, path).at(-1)?.role : undefined;
  if (!decider || decider === 'province') return statusLabel(s.status);
  const level = decider === 'city' ? '市级' : '县级';
  return `${level}评定${s.status === 'approved' ? '通过' : '未通过'}${path?.filedWith ? `（结果报备${path.filedWith === 'province' ? '省级' : '市级'}）` : ''}`;
}

function stagesFor(pack: PackLike, role: Role, formId: string | null, path: ReviewPath | null = null): StageLike[] {
  const stages = stagesOnPath(pack.manifest, path);
  return stages.filter((s) => s.role === role && (!formId || !s.forms || s.forms.length === 0 || s.forms.includes(formId)));
}

/** How many days after a return a returned submission may be corrected when the stage declares no 补正期限. */
export const CORRECTION_DAYS_DEFAULT = 7;

/** A calendar date in China Standard Time. */
function cstDate(t: Date): string {
  return new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The last day (CST date) a submission returned at `returnedAt` may be corrected and resubmitted
 * under a stage whose window closes: the stage's `correctionCloses`, else `correctionDays`
 * (default CORRECTION_DAYS_DEFAULT) after the return — never before the window closes.
 */
export function correctionCloses(stage: StageLike, returnedAt: Date): string | null {
  const w = stage.window;
  if (!w?.closes) return null;
  if (w.correctionCloses) return w.correctionCloses;
  const days = w.correctionDays ?? CORRECTION_DAYS_DEFAULT;
  const byDays = cstDate(new Date(dayStart(cstDate(returnedAt)).getTime() + days * 86_400_000));
  return byDays > w.closes ? byDays : w.closes;
}

/** The applicant's correction deadline for a submission returned at `returnedAt` (the latest of its stages'), or null. */
export function correctionDeadline(pack: PackLike, formId: string | null, returnedAt: Date | null, path: ReviewPath | null = null): string | null {
  if (!returnedAt) return null;
  let out: string | null = null;
  for (const s of stagesFor(pack, 'applicant', formId, path)) {
    const c = correctionCloses(s, returnedAt);
    if (c && (!out || c > out)) out = c;
  }
  return out;
}

/** When a reviewer last returned the submission (its review steps, oldest first), or null. */
export function lastReturn(reviews: Array<{ action: string; createdAt: Date | string }>): Date | null {
  const r = [...reviews].reverse().find((x) => x.action === 'return');
  return r ? new Date(r.createdAt) : null;
}

/**
 * Enforces the windows of the manifest's stages for `role`. When the role has stages with
 * windows and none is open now, refuses with the stage's label and date. `returnedAt`: the
 * submission was returned by a reviewer then — its window stays open until the correction deadline.
 */
export function checkWindow(pack: PackLike, role: Role, formId: string | null, now: Date, opts: { allowBeforeOpen?: boolean; returnedAt?: Date | null; path?: ReviewPath | null } = {}): void {
  const stages = stagesFor(pack, role, formId, opts.path ?? null).filter((s) => s.window && (s.window.opens || s.window.closes));
  if (stages.length === 0) return;
  let notOpen: StageLike | null = null;
  let closed: StageLike | null = null;
  for (const s of stages) {
    const w = s.window ?? {};
    const opened = !w.opens || now >= dayStart(w.opens);
    const correction = opts.returnedAt ? correctionCloses(s, opts.returnedAt) : null;
    const notClosed = !w.closes || now <= dayEnd(w.closes) || (correction !== null && now <= dayEnd(correction));
    if (notClosed && (opened || opts.allowBeforeOpen)) return;
    if (!notClosed) closed = s;
    else notOpen = s;
  }
  if (notOpen) throw new ApiError('WINDOW_NOT_OPEN', { stage: notOpen.label, opens: notOpen.window?.opens ?? '' });
  if (closed) {
    const params = { stage: closed.label, closes: (opts.returnedAt ? correctionCloses(closed, opts.returnedAt) : null) ?? closed.window?.closes ?? '' };
    throw new ApiError('WINDOW_CLOSED', params, { details: params });
  }
}

/** The actions `role` may take on a submission in `status` (`step`: the role's review step on the submission's path). */
export function allowedActions(role: Role, status: string, owner: boolean, step: { from: string; actions: Record<string, string> } | null | undefined = REVIEW[role]): string[] {
  if (role === 'applicant') {
    if (!owner) return [];
    if (EDITABLE.includes(status)) return ['save', 'submit', 'upload'];
    if (status === 'submitted') return ['withdraw'];
    return [];
  }
  const r = step;
  if (!r || r.from !== status) return [];
  return [...Object.keys(r.actions), 'rescore'];
}
