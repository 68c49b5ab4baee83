/** The answers of `GET /api/home` and `GET /api/notifications` (see apps/server/src/routes/home.ts, notifications.ts). */
import { api, type Answer } from './api';
import type { components } from '../api/schema';

type Schemas = components['schemas'];
export type NotificationItem = Schemas['NotificationItem'];
export type Bell = Schemas['Bell'];
export type HomeData = Answer<'/api/home', 'get'>;
export type Deadline = HomeData['deadlines'][number];
export type Progress = NonNullable<HomeData['progress']>[number];
export type UnitProgress = Progress['units'][number];
export type QuotaCard = NonNullable<HomeData['quotas']>[number];
export type ApplicationRow = NonNullable<HomeData['applications']>[number];

export const getHome = () => api.get('/api/home');
export const getBell = () => api.get('/api/notifications');
export const markRead = (body: { ids?: number[]; all?: boolean }) => api.post('/api/notifications/read', { body });
export const sendReminders = (body: { packId: string; formId: string | null; targets?: string[]; message?: string }) =>
  api.post('/api/reminders', { body });

/** Tells the bell to look again (after an action that may have notified someone, or read marks). */
export function refreshBell(): void {
  window.dispatchEvent(new Event('yp:notifications'));
}
