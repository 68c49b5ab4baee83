// the words for roles, levels, actions and statuses: the one glossary (@yuanping/core), shared with the server;
// imported on its own (the sign-in page names roles) so that the first visit does not load the whole of core
export { actionName, levelName, roleName, statusName } from '@yuanping/core/glossary';
export const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  county_passed: 'processing',
  city_recommended: 'processing',
  approved: 'success',
  rejected: 'error',
  not_recommended: 'error',
  returned: 'warning',
};
export { FORM_KIND_NAMES as KIND_LABELS } from '@yuanping/core/glossary';

export type WindowState = 'open' | 'notOpen' | 'closed' | 'none';

/** Manifest dates are calendar days in China Standard Time. */
export function windowState(w: { opens?: string; closes?: string } | undefined, now = new Date()): WindowState {
  if (!w || (!w.opens && !w.closes)) return 'none';
  if (w.opens && now < new Date(`${w.opens}T00:00:00+08:00`)) return 'notOpen';
  if (w.closes && now > new Date(`${w.closes}T23:59:59.999+08:00`)) return 'closed';
  return 'open';
}
export const WINDOW_LABELS: Record<WindowState, string> = { open: '进行中', notOpen: '未开始', closed: '已截止', none: '' };
export const WINDOW_COLORS: Record<WindowState, string> = { open: 'green', notOpen: 'blue', closed: 'default', none: 'default' };

/** Whole days from now until the end of a date (CST). */
export function daysLeft(date: string, now = new Date()): number {
  return Math.ceil((new Date(`${date}T23:59:59.999+08:00`).getTime() - now.getTime()) / 86_400_000);
}
