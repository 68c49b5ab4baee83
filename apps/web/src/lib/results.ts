/** Result lists (公示), result documents and dashboards: the answers of apps/server/src/routes/results.ts and dashboard.ts. */
import { api } from './api';

export interface ResultRow {
  submissionId: string;
  parkId: string;
  parkName: string;
  cityCode: string;
  cityLabel: string;
  countyCode: string;
  countyLabel: string;
  formTitle: string;
  result: string;
  decidedAt: string | null;
}
export interface Publication {
  id: number;
  title: string;
  startsOn: string;
  endsOn: string;
  publishedAt: string;
  withdrawnAt: string | null;
  showing: boolean;
  rows: ResultRow[];
}
export interface Results {
  packId: string;
  title: string;
  today: string;
  showing: Publication | null;
  /** the province only: the approved applications now, and every publication */
  candidates?: ResultRow[];
  publications?: Publication[];
}
export interface ResultDocument {
  id: string;
  packId: string;
  packTitle: string;
  issuer: string;
  documentNumber: string | null;
  formTitle: string;
  park: { name: string; creditCode: string } | null;
  countyLabel: string;
  cityLabel: string;
  status: string;
  statusLabel: string;
  result: { approved: boolean; text: string } | null;
  outcomes: string[];
  decidedAt: string | null;
  decisionComment: string | null;
  publication: { title: string; startsOn: string; endsOn: string; showing: boolean } | null;
  printedOn: string;
}

const enc = encodeURIComponent;
export const getResults = (packId: string) => api.get<Results>(`/api/results/${enc(packId)}`);
export const publishResults = (packId: string, body: { startsOn: string; endsOn: string; title?: string }) => api.post<Publication>(`/api/results/${enc(packId)}/publish`, body);
export const withdrawResults = (packId: string, id: number) => api.post<Publication>(`/api/results/${enc(packId)}/${id}/withdraw`);
export const getResultDocument = (id: string) => api.get<ResultDocument>(`/api/submissions/${enc(id)}/result-document`);

export interface UnitFigure {
  code: string;
  name: string;
}
export interface IndicatorFigures {
  id: string;
  label: string;
  unit: string;
  precision: number;
  total: { n: number; min: number | null; max: number | null; mean: number | null; p25: number | null; median: number | null; p75: number | null } | null;
  byUnit: Array<UnitFigure & { n: number; min: number | null; median: number | null; mean: number | null; max: number | null }>;
  histogram: Array<{ from: number; to: number; count: number }>;
}
export interface LevelMix {
  id: string;
  label: string;
  levels: Array<{ id: string; label: string }>;
  byUnit: Array<UnitFigure & { counts: Record<string, number> }>;
  byCounty: Array<UnitFigure & { counts: Record<string, number> }> | null;
}
/** The grades of a cohort step's latest run, by group (e.g. city). */
export interface GradeMix {
  stepId: string;
  label: string;
  runId: string;
  runAt: string;
  grades: Array<{ id: string; label: string }>;
  byGroup: Array<{ name: string; counts: Record<string, number> }>;
}
export interface Dashboard {
  packs: Array<{ packId: string; title: string; year: number }>;
  packId: string | null;
  title?: string;
  year?: number;
  scope?: { role: string; unitLabel: string };
  units?: UnitFigure[];
  progress?: Array<UnitFigure & { parks: number; started: number; reported: number }>;
  funnel?: Array<{ id: string; label: string; count: number }>;
  statuses?: Array<{ status: string; label: string; count: number }>;
  levels?: LevelMix[];
  grades?: GradeMix[];
  indicators?: IndicatorFigures[];
  years?: Array<{ year: number; packId: string; title: string; submitted: number; approved: number; medians: Record<string, number | null> }>;
}
export const getDashboard = (packId?: string) => api.get<Dashboard>(`/api/dashboard${packId ? `?packId=${enc(packId)}` : ''}`);
