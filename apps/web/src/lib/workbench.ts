/** The administrator's workbench API (server: apps/server/src/routes/workbench.ts). */
import { ApiFailure, api, type Answer } from './api';
import type { components } from '../api/schema';
import type { ImpactReport } from '@yuanping/core/browser';

type Schemas = components['schemas'];
export type Problem = Schemas['CheckProblem'];
export type DraftSummary = Schemas['PackDraftSummary'];
export type Draft = Answer<'/api/pack-drafts/{id}', 'get'>;
export type FixtureRun = Schemas['FixtureRun'];
export type DateSlot = Schemas['DateSlot'];
/** The impact preview: the report typed by core (its schema leaves it open), the version compared with. */
export type ImpactResult = Omit<Schemas['ImpactResult'], 'report'> & { report: ImpactReport };

export const workbench = {
  drafts: () => api.get('/api/pack-drafts'),
  draft: (id: number) => api.get('/api/pack-drafts/{id}', { params: { id } }),
  dates: (versionId: number) => api.get('/api/pack-versions/{id}/dates', { params: { id: versionId } }),
  create: (b: { fromVersionId: number; newId: string; year: number; dates: Record<string, string> }) => api.post('/api/pack-drafts', { body: b }),
  /** a draft of a new version of the same pack (a correction), its files as published */
  revise: (fromVersionId: number) => api.post('/api/pack-drafts', { body: { fromVersionId, revise: true } }),
  save: (id: number, revision: number, files: Record<string, unknown>) => api.put('/api/pack-drafts/{id}', { params: { id }, body: { revision, files } }),
  remove: (id: number) => api.delete('/api/pack-drafts/{id}', { params: { id } }),
  check: (id: number) => api.get('/api/pack-drafts/{id}/check', { params: { id } }),
  /** 一并接受: the copied fixtures whose outcome is unchanged lose their review mark (as `yuanping fixtures --accept-unchanged`) */
  acceptUnchanged: (id: number, revision: number) => api.post('/api/pack-drafts/{id}/accept-unchanged', { params: { id }, body: { revision } }),
  acceptNewResult: (id: number, revision: number, file: string) => api.post('/api/pack-drafts/{id}/accept-new-result', { params: { id }, body: { revision, file } }),
  publish: (id: number) => api.post('/api/pack-drafts/{id}/publish', { params: { id } }),
  versionFixtures: (versionId: number) => api.get('/api/pack-versions/{id}/fixtures', { params: { id: versionId } }),
  makeCurrent: (packId: string, versionId: number) => api.post('/api/packs/{packId}/current', { params: { packId }, body: { versionId } }),
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
