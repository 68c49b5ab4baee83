/**
 * The web app's API answers are typed by the generated schema only (apps/web/src/api/schema.d.ts):
 * eslint refuses a hand-written answer type — a type argument on an api call, a cast of its answer,
 * an `interface …Response` — and a JSON fetch outside lib/api.ts. The rules are in eslint.config.js;
 * this runs them on sample web files.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

async function problems(code: string, file = 'apps/web/src/pages/Sample.tsx'): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('web API types come from the generated schema', () => {
  it('accepts a call typed by its path template', async () => {
    const code = `import { api } from '../lib/api';
export const load = (id: string) => api.get('/api/submissions/{id}', { params: { id } });
export const save = (id: string) => api.post('/api/submissions/{id}/submit', { params: { id }, body: {} });
`;
    expect(await problems(code)).toEqual([]);
  });

  it('refuses a type argument on an api call, request or upload', async () => {
    const code = `import { api, request, upload } from '../lib/api';
interface Mine { id: string }
export const a = () => api.get<Mine>('/api/home');
export const b = () => request<Mine>('get', '/api/home');
export const c = (f: File) => upload<Mine>('/api/parks', {}, f, () => undefined);
`;
    const p = await problems(code);
    expect(p).toHaveLength(3);
    expect(p.every((m) => m.includes('不要写类型参数'))).toBe(true);
  });

  it('refuses a cast of an answer', async () => {
    const code = `import { api, request } from '../lib/api';
export const a = async () => (await api.get('/api/home')) as unknown as { x: number };
export const b = () => api.get('/api/home') as unknown as Promise<number>;
export const c = async () => (await request('get', '/api/home')).body as unknown as number;
`;
    const p = await problems(code);
    expect(p).toHaveLength(3);
    expect(p.every((m) => m.includes('类型断言'))).toBe(true);
  });

  it('refuses a hand-written answer interface and a JSON fetch outside lib/api.ts', async () => {
    const code = `export interface HomeResponse { role: string }
export const h = async () => (await fetch('/api/home')).json();
`;
    const p = await problems(code);
    expect(p).toHaveLength(2);
    expect(p.some((m) => m.includes('手写'))).toBe(true);
    expect(p.some((m) => m.includes('lib/api.ts'))).toBe(true);
  });

  it('leaves lib/api.ts, where the one cast of an answer is, to itself', async () => {
    const code = `export async function request() { const res = await fetch('/api/home'); return { body: (await res.json()) as unknown as number }; }
`;
    expect(await problems(code, 'apps/web/src/lib/api.ts')).toEqual([]);
  });

  it('refuses, in the server, a cast of a request body, query or parameters (their types come from the route schema)', async () => {
    const code = `import type { FastifyRequest } from 'fastify';
export const a = (req: FastifyRequest) => req.body as { id: string };
export const b = (req: FastifyRequest) => (req.query as { q: string }).q;
export const c = (request: FastifyRequest) => request.params as { id: string };
export const d = (req: FastifyRequest) => req.headers['x'] as string;
`;
    const p = await problems(code, 'apps/server/src/routes/sample.ts');
    expect(p).toHaveLength(3);
    expect(p.every((m) => m.includes('路由 schema'))).toBe(true);
  });
});
