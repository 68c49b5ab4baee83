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

/**
 * Enforces the windows of the manifest's stages for `role`. When the role has stages with
 * windows and none is open now, refuses with the stage's label and date.
 */
export function checkWindow(pack: PackLike, role: Role, formId: string | null, now: Date, opts: { allowBeforeOpen?: boolean } = {}): void {
  const stages = stagesFor(pack, role, formId).filter((s) => s.window && (s.window.opens || s.window.closes));
  if (stages.length === 0) return;
  let notOpen: StageLike | null = null;
  let closed: StageLike | null = null;
  for (const s of stages) {
    const w = s.window ?? {};
    const opened = !w.opens || now >= dayStart(w.opens);
    const notClosed = !w.closes || now <= dayEnd(w.closes);
    if (notClosed && (opened || opts.allowBeforeOpen)) return;
    if (!notClosed) closed = s;
    else notOpen = s;
  }
  if (notOpen) throw new ApiError('WINDOW_NOT_OPEN', { stage: notOpen.label, opens: notOpen.window?.opens ?? '' });
  if (closed) throw new ApiError('WINDOW_CLOSED', { stage: closed.label, closes: closed.window?.closes ?? '' });
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
