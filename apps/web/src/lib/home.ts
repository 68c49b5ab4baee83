/** The answers of `GET /api/home` and `GET /api/notifications` (see apps/server/src/routes/home.ts, notifications.ts). */
import { api } from './api';

export interface NotificationItem {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  read: boolean;
}
export interface Bell {
  unread: number;
  items: NotificationItem[];
}
export interface Deadline {
  packId: string;
  packTitle: string;
  stageId: string;
  label: string;
  closes: string;
  daysLeft: number;
}
export interface UnitProgress {
  target: string;
  kind: 'org' | 'park';
  name: string;
  reported: boolean;
  status: string;
  statusLabel: string;
}
export interface Progress {
  packId: string;
  packTitle: string;
  formId: string | null;
  title: string;
  units: UnitProgress[];
  reported: number;
  total: number;
}
export interface QuotaCard {
  packId: string;
  packTitle: string;
  quotaId: string;
  label: string;
  rows: Array<{ orgCode: string; orgName: string; used: number; limit: number }>;
}
export interface ApplicationRow {
  id: string;
  packId: string;
  packTitle: string;
  formId: string;
  formTitle: string;
  status: string;
  statusLabel: string;
  updatedAt: string;
  submittedAt: string | null;
  lastComment: string | null;
  missing: number;
  result: { approved: boolean; text: string } | null;
}
export interface HomeData {
  role: string;
  deadlines: Deadline[];
  reminders: NotificationItem[];
  unread: number;
  applications?: ApplicationRow[];
  todo?: Array<{ kind: string; text: string; link: string }>;
  counts?: { waiting: { status: string; label: string; count: number }; byStatus: Record<string, { label: string; count: number }>; total: number };
  progress?: Progress[];
  quotas?: QuotaCard[];
}

export const getHome = () => api.get<HomeData>('/api/home');
export const getBell = () => api.get<Bell>('/api/notifications');
export const markRead = (body: { ids?: number[]; all?: boolean }) => api.post<{ marked: number; unread: number }>('/api/notifications/read', body);
export const sendReminders = (body: { packId: string; formId: string | null; targets?: string[]; message?: string }) =>
  api.post<{ sent: Array<{ target: string; name: string }>; skipped: Array<{ target: string; name: string; reason: string }> }>('/api/reminders', body);

/** Tells the bell to look again (after an action that may have notified someone, or read marks). */
export function refreshBell(): void {
  window.dispatchEvent(new Event('yp:notifications'));
}
