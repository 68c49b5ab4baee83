/** The server's API: JSON over fetch with the session cookie, the CSRF header and ETags. */
import type { components, paths } from '../api/schema';

export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: ApiFieldError[];
  readonly details: unknown;
  constructor(status: number, code: string, message: string, errors: ApiFieldError[] = [], details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.details = details;
  }
}

let csrf: string | null = null;
export function setCsrf(token: string | null): void {
  csrf = token;
}
/** The CSRF header for a request made outside `request` (a POST whose answer is a file). */
export function csrfHeaders(): Record<string, string> {
  return csrf ? { 'x-csrf-token': csrf } : {};
}

export interface ApiResult<T> {
  body: T;
  etag: string | null;
  status: number;
}

export async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResult<T>> {
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) h['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(url, { method, headers: h, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiFailure(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    if (res.status === 401 && !url.startsWith('/api/auth/')) window.dispatchEvent(new Event('yp:unauthenticated'));
    // errors are RFC 9457 problem details (application/problem+json) with our code as an extension member
    const p = (parsed ?? {}) as { code?: string; message?: string; title?: string; errors?: ApiFieldError[]; details?: unknown };
    throw new ApiFailure(res.status, p.code ?? String(res.status), p.message ?? p.title ?? `请求失败（${res.status}）`, p.errors ?? [], p.details);
  }
  return { body: parsed as T, etag: res.headers.get('etag'), status: res.status };
}

export const api = {
  get: async <T>(url: string) => (await request<T>('GET', url)).body,
  post: async <T>(url: string, body: unknown = {}, headers?: Record<string, string>) => (await request<T>('POST', url, body, headers)).body,
};

/** Upload a file as the request body, with progress (fetch has no upload progress). */
export function upload<T>(url: string, file: File, onProgress: (pct: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', url);
    if (csrf) x.setRequestHeader('x-csrf-token', csrf);
    x.setRequestHeader('content-type', file.type || 'application/octet-stream');
    x.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    x.onerror = () => reject(new ApiFailure(0, 'NETWORK', '网络连接失败，上传未完成'));
    x.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(x.responseText);
      } catch {
        parsed = null;
      }
      if (x.status >= 200 && x.status < 300) resolve(parsed as T);
      else {
        const p = (parsed ?? {}) as { code?: string; message?: string };
        reject(new ApiFailure(x.status, p.code ?? String(x.status), p.message ?? `上传失败（${x.status}）`));
      }
    };
    x.send(file);
  });
}

// ---- shapes the server returns: generated from its OpenAPI document (../api/schema.d.ts, `pnpm gen:api`) ----
type Schemas = components['schemas'];
type Method = 'get' | 'post' | 'put' | 'delete';
/** The JSON answer of an operation: its 200, else its 201. */
export type Answer<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer T } } }
    ? T
    : R extends { 201: { content: { 'application/json': infer T } } }
      ? T
      : never
  : never;

export type ApiFieldError = Schemas['FieldError'];
export type User = Schemas['User'];
export type Role = User['role'];
export type Me = Schemas['Me'];
export type Manifest = Schemas['Manifest'];
export type Stage = NonNullable<NonNullable<Manifest['workflow']>['stages']>[number];
export type FormKind = Schemas['FormKind'];
export type PackVersionView = Schemas['PackVersion'];
export type FormView = Schemas['PackForm'];
export type PackDetail = Schemas['PackDetail'];
export type Review = Schemas['Review'];
export type Rescore = Schemas['Rescore'];
export type Attachment = Schemas['Attachment'];
export type SubmissionSummary = Schemas['SubmissionSummary'];
/** A submission as `GET /api/submissions/:id` answers it (with its reviews, re-scores, attachments, actions). */
export type Submission = Schemas['SubmissionDetail'];
/** A submission as a write answers it (create, submit, withdraw). */
export type SubmissionWritten = Schemas['Submission'];
/** A long action run as a job (progress, cancel): `GET /api/jobs/:id`. */
export type Job = Schemas['Job'];

// ---- reviewer confirmation of ticked items (x-review: confirm) ----
export type ConfirmVerdict = Schemas['ConfirmVerdict'];
export type ConfirmationState = Schemas['ConfirmationState'];
export type ConfirmationItem = ConfirmationState['fields'][number]['items'][number];
export type ConfirmationRecord = ConfirmationState['history'][number];
export function getConfirmations(submissionId: string): Promise<ConfirmationState> {
  return api.get<ConfirmationState>(`/api/submissions/${encodeURIComponent(submissionId)}/confirmations`);
}
export function postConfirmations(
  submissionId: string,
  items: Array<{ field: string; item: string | number | boolean; verdict: ConfirmVerdict; reason?: string }>,
): Promise<ConfirmationState> {
  return api.post<ConfirmationState>(`/api/submissions/${encodeURIComponent(submissionId)}/confirmations`, { items });
}

/** A file's bytes as base64 (the xlsx uploads that go in a JSON body). */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
