/** Result lists (公示), result documents and dashboards: the answers of apps/server/src/routes/results.ts and dashboard.ts. */
import { api, type Answer } from './api';

export type Results = Answer<'/api/results/{packId}', 'get'>;
export type Publication = Answer<'/api/results/{packId}/publish', 'post'>;
export type ResultRow = Publication['rows'][number];
export type ResultDocument = Answer<'/api/submissions/{id}/result-document', 'get'>;

export const getResults = (packId: string) => api.get('/api/results/{packId}', { params: { packId } });
export const publishResults = (packId: string, body: { startsOn: string; endsOn: string; title?: string }) => api.post('/api/results/{packId}/publish', { params: { packId }, body });
export const withdrawResults = (packId: string, id: number) => api.post('/api/results/{packId}/{id}/withdraw', { params: { packId, id } });
export const getResultDocument = (id: string) => api.get('/api/submissions/{id}/result-document', { params: { id } });

export type Dashboard = Answer<'/api/dashboard', 'get'>;
export type UnitFigure = NonNullable<Dashboard['units']>[number];
export type IndicatorFigures = NonNullable<Dashboard['indicators']>[number];
export type LevelMix = NonNullable<Dashboard['levels']>[number];
/** The grades of a cohort step's latest run, by group (e.g. city). */
export type GradeMix = NonNullable<Dashboard['grades']>[number];
export const getDashboard = (packId?: string) => api.get('/api/dashboard', { query: { packId } });
