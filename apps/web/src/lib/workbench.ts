/** The administrator's workbench API (server: apps/server/src/routes/workbench.ts). */
import { ApiFailure, request } from './api';
import type { ImpactReport } from '@yuanping/core/browser';

export interface Problem {
  code: string;
  file: string;
  pointer: string;
  message: string;
  severity: 'error' | 'warning';
}
export interface DraftSummary {
  id: number;
  packId: string;
  title: string;
  basedOnVersionId: number | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}
export interface Draft extends DraftSummary {
  files: Record<string, unknown>;
}
export interface FixtureRun {
  kind: 'rules' | 'cohort';
  file: string;
  title: string;
  passed: boolean;
  differences: string[];
  problems: Problem[];
  review?: string;
}
export interface DateSlot {
  id: string;
  label: string;
  file: string;
  pointer: string;
  date: string;
}
export interface ImpactResult {
  report: ImpactReport;
  base: { id: number; packId: string; version: number; title: string };
}

const call = async <T>(method: string, url: string, body?: unknown) => (await request<T>(method, url, body)).body;

export const workbench = {
  drafts: () => call<DraftSummary[]>('GET', '/api/pack-drafts'),
  draft: (id: number) => call<Draft>('GET', `/api/pack-drafts/${id}`),
  dates: (versionId: number) => call<{ packId: string; year: number | null; dates: DateSlot[] }>('GET', `/api/pack-versions/${versionId}/dates`),
  create: (b: { fromVersionId: number; newId: string; year: number; dates: Record<string, string> }) =>
    call<{ draft: DraftSummary; plan: { fixtures: string[]; yearMentions: Array<{ file: string; pointer: string; text: string }> } }>('POST', '/api/pack-drafts', b),
  /** a draft of a new version of the same pack (a correction), its files as published */
  revise: (fromVersionId: number) => call<{ draft: DraftSummary }>('POST', '/api/pack-drafts', { fromVersionId, revise: true }),
  save: (id: number, revision: number, files: Record<string, unknown>) => call<DraftSummary & { ok: boolean; problems: Problem[] }>('PUT', `/api/pack-drafts/${id}`, { revision, files }),
  remove: (id: number) => call<null>('DELETE', `/api/pack-drafts/${id}`),
  check: (id: number) => call<{ ok: boolean; problems: Problem[]; fixtures: FixtureRun[] }>('GET', `/api/pack-drafts/${id}/check`),
  publish: (id: number) => call<{ id: number; packId: string; version: number; created: boolean; madeCurrent: boolean }>('POST', `/api/pack-drafts/${id}/publish`),
  versionFixtures: (versionId: number) => call<FixtureRun[]>('GET', `/api/pack-versions/${versionId}/fixtures`),
  makeCurrent: (packId: string, versionId: number) => call<Array<{ id: number; version: number; current: boolean }>>('POST', `/api/packs/${encodeURIComponent(packId)}/current`, { versionId }),
};

/** The impact preview, read as NDJSON so the page can show its progress. */
export async function runImpact(draftId: number, baseVersionId: number | null, onProgress: (done: number, total: number) => void, scoreBasis: 'self' | 'reviewer' = 'self'): Promise<ImpactResult> {
  const q = new URLSearchParams({ stream: '1', ...(baseVersionId ? { baseVersionId: String(baseVersionId) } : {}), ...(scoreBasis === 'reviewer' ? { scoreBasis } : {}) });
  let res: Response;
  try {
    res = await fetch(`/api/pack-drafts/${draftId}/impact?${q}`, { credentials: 'same-origin', headers: { accept: 'application/x-ndjson' } });
  } catch {
    throw new ApiFailure(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok || !res.body) {
    const p = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiFailure(res.status, p.code ?? String(res.status), p.message ?? `请求失败（${res.status}）`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  let result: ImpactResult | null = null;
  const line = (l: string) => {
    if (!l.trim()) return;
    const m = JSON.parse(l) as { done?: number; total?: number; error?: { code: string; message: string } } & Partial<ImpactResult>;
    if (m.error) throw new ApiFailure(422, m.error.code, m.error.message);
    if (m.report && m.base) result = { report: m.report, base: m.base };
    else if (m.done !== undefined && m.total !== undefined) onProgress(m.done, m.total);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buf += value;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      line(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    if (done) break;
  }
  line(buf);
  if (!result) throw new ApiFailure(0, 'NETWORK', '影响预览未完成，请重试');
  return result;
}
