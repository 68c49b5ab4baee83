import type { Role } from '@yuanping/storage';
import type { PackLike, StageLike } from './engine.js';
import { ApiError } from './errors.js';
import { STATUS_NAMES } from '@yuanping/core';

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

function stagesFor(pack: PackLike, role: Role, formId: string | null): StageLike[] {
  const stages = pack.manifest.workflow?.stages ?? [];
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
export function correctionDeadline(pack: PackLike, formId: string | null, returnedAt: Date | null): string | null {
  if (!returnedAt) return null;
  let out: string | null = null;
  for (const s of stagesFor(pack, 'applicant', formId)) {
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
export function checkWindow(pack: PackLike, role: Role, formId: string | null, now: Date, opts: { allowBeforeOpen?: boolean; returnedAt?: Date | null } = {}): void {
  const stages = stagesFor(pack, role, formId).filter((s) => s.window && (s.window.opens || s.window.closes));
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

/** The actions `role` may take on a submission in `status`. */
export function allowedActions(role: Role, status: string, owner: boolean): string[] {
  if (role === 'applicant') {
    if (!owner) return [];
    if (EDITABLE.includes(status)) return ['save', 'submit', 'upload'];
    if (status === 'submitted') return ['withdraw'];
    return [];
  }
  const r = REVIEW[role];
  if (!r || r.from !== status) return [];
  return [...Object.keys(r.actions), 'rescore'];
}
