/** The administrator's workbench API (server: apps/server/src/routes/workbench.ts). */
import { ApiFailure, request, type Answer } from './api';
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

const call = async <T>(method: string, url: string, body?: unknown) => (await request<T>(method, url, body)).body;

export const workbench = {
  drafts: () => call<Answer<'/api/pack-drafts', 'get'>>('GET', '/api/pack-drafts'),
  draft: (id: number) => call<Draft>('GET', `/api/pack-drafts/${id}`),
  dates: (versionId: number) => call<Answer<'/api/pack-versions/{id}/dates', 'get'>>('GET', `/api/pack-versions/${versionId}/dates`),
  create: (b: { fromVersionId: number; newId: string; year: number; dates: Record<string, string> }) =>
    call<Answer<'/api/pack-drafts', 'post'>>('POST', '/api/pack-drafts', b),
  /** a draft of a new version of the same pack (a correction), its files as published */
  revise: (fromVersionId: number) => call<Answer<'/api/pack-drafts', 'post'>>('POST', '/api/pack-drafts', { fromVersionId, revise: true }),
  save: (id: number, revision: number, files: Record<string, unknown>) => call<Answer<'/api/pack-drafts/{id}', 'put'>>('PUT', `/api/pack-drafts/${id}`, { revision, files }),
  remove: (id: number) => call<null>('DELETE', `/api/pack-drafts/${id}`),
  check: (id: number) => call<Answer<'/api/pack-drafts/{id}/check', 'get'>>('GET', `/api/pack-drafts/${id}/check`),
  publish: (id: number) => call<Answer<'/api/pack-drafts/{id}/publish', 'post'>>('POST', `/api/pack-drafts/${id}/publish`),
  versionFixtures: (versionId: number) => call<Answer<'/api/pack-versions/{id}/fixtures', 'get'>>('GET', `/api/pack-versions/${versionId}/fixtures`),
  makeCurrent: (packId: string, versionId: number) => call<Answer<'/api/packs/{packId}/current', 'post'>>('POST', `/api/packs/${encodeURIComponent(packId)}/current`, { versionId }),
};

/** The impact preview, read as NDJSON so the page can show its progress. */
export async function runImpact(draftId: number, baseVersionId: number | null, onProgress: (done: number, total: number) => void): Promise<ImpactResult> {
  const q = new URLSearchParams({ stream: '1', ...(baseVersionId ? { baseVersionId: String(baseVersionId) } : {}) });
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
