import { createContext, useContext } from 'react';
import type { Me } from './api';

export interface SessionValue {
  me: Me | null;
  setMe: (m: Me | null) => void;
  logout: () => Promise<void>;
}
export const SessionContext = createContext<SessionValue>({ me: null, setMe: () => {}, logout: async () => {} });
export const useSession = () => useContext(SessionContext);

/** Where a role lands after signing in: its home (to-do, deadlines, progress); the administrator its packs. */
export function homeOf(role: string): string {
  if (role === 'admin') return '/admin';
  return '/home';
}

export function fmtDate(d: string | null | undefined): string {
  if (!d) return '';
  const t = new Date(d);
  if (Number.isNaN(t.getTime())) return d;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}`;
}
