/**
 * Deadlines ahead: the closing dates of the workflow stages of a role in the published notices,
 * and the reminders 3 days and 1 day before each one. Reminders are generated when the audience
 * looks (home, bell) with a dedupe key, so several server processes add each one once.
 */
import type { NewNotification, NotificationAudience, Role } from '@yuanping/storage';
import type { PackLike } from './engine.js';
import { dayEnd, dayStart } from './workflow.js';

export interface Deadline {
  packId: string;
  packTitle: string;
  stageId: string;
  label: string;
  role: string;
  forms: string[];
  opens: string | null;
  closes: string;
  /** whole calendar days (China Standard Time) from today to the closing day; 0 = closes today */
  daysLeft: number;
}

/** Days before a closing date on which a reminder is sent, the nearest last. */
export const REMIND_DAYS_BEFORE = [3, 1] as const;

const DAY = 86_400_000;

/** Whole calendar days (UTC+8) from `now` to `date` (YYYY-MM-DD). */
export function daysUntil(date: string, now: Date): number {
  const today = dayStart(new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10));
  return Math.round((dayStart(date).getTime() - today.getTime()) / DAY);
}

/** The stages of `role` in `pack` whose window closes today or later, soonest first. */
export function deadlinesOf(pack: PackLike, packId: string, packTitle: string, role: Role, now: Date): Deadline[] {
  const out: Deadline[] = [];
  for (const s of pack.manifest.workflow?.stages ?? []) {
    const closes = s.window?.closes;
    if (s.role !== role || !closes || now > dayEnd(closes)) continue;
    out.push({ packId, packTitle, stageId: s.id, label: s.label, role: s.role, forms: s.forms ?? [], opens: s.window?.opens ?? null, closes, daysLeft: daysUntil(closes, now) });
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft);
}

/**
 * The reminder due now for a deadline (the nearest of REMIND_DAYS_BEFORE it is within), or null.
 * Its dedupe key names the notice, the stage, the day count and the audience.
 */
export function deadlineReminder(d: Deadline, audience: NotificationAudience): NewNotification | null {
  const due = [...REMIND_DAYS_BEFORE].sort((a, b) => a - b).find((n) => d.daysLeft <= n);
  if (due === undefined || d.daysLeft < 0) return null;
  const who = audience.parkId ? `park:${audience.parkId}` : `org:${audience.orgCode ?? ''}`;
  return {
    ...(audience.parkId ? { parkId: audience.parkId } : { orgCode: audience.orgCode ?? null }),
    kind: 'deadline',
    title: d.daysLeft === 0 ? `${d.label}今天（${d.closes}）截止` : `${d.label}将于 ${d.closes} 截止，还有 ${d.daysLeft} 天`,
    body: d.packTitle,
    link: '/home',
    data: { packId: d.packId, stageId: d.stageId, closes: d.closes, daysBefore: due },
    dedupeKey: `deadline:${d.packId}:${d.stageId}:${d.closes}:${due}:${who}`,
  };
}
