/** The server's API: JSON over fetch with the session cookie, the CSRF header and ETags. */
import type { components, paths } from '../api/schema';

export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: ApiFieldError[];
  /** the problem's `details`: read them with `detailsOf` (typed by the code) */
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

/**
 * One call of an operation of the OpenAPI document, typed by its path template: the path
 * parameters, the query, the JSON body and the answer all come from the generated schema
 * (../api/schema.d.ts), so no response type is written by hand (eslint refuses type arguments
 * and casts on these calls).
 */
export async function request<P extends PathOf<M>, M extends Method>(
  method: M,
  path: P,
  ...[opts]: OptsArg<P, M>
): Promise<ApiResult<Answer<P, M>>> {
  const o = (opts ?? {}) as RequestOpts;
  const url = urlOf(path, o.params, o.query);
  const h: Record<string, string> = { accept: 'application/json', ...o.headers };
  if (o.body !== undefined) h['content-type'] = 'application/json';
  if (method !== 'get' && csrf) h['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(url, { method: method.toUpperCase(), headers: h, credentials: 'same-origin', ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
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
  // the one place an answer meets its type: the server serialises it with the schema the type is generated from
  return { body: parsed as Answer<P, M>, etag: res.headers.get('etag'), status: res.status };
}

export const api = {
  get: async <P extends PathOf<'get'>>(path: P, ...opts: OptsArg<P, 'get'>) => (await request('get', path, ...opts)).body,
  post: async <P extends PathOf<'post'>>(path: P, ...opts: OptsArg<P, 'post'>) => (await request('post', path, ...opts)).body,
  put: async <P extends PathOf<'put'>>(path: P, ...opts: OptsArg<P, 'put'>) => (await request('put', path, ...opts)).body,
  delete: async <P extends PathOf<'delete'>>(path: P, ...opts: OptsArg<P, 'delete'>) => (await request('delete', path, ...opts)).body,
};

/** The URL of an answer that is a JavaScript module (loaded with `import()`, not fetched), typed by its path template. */
export function moduleUrl<P extends PathOf<'get'>>(path: P, ...[opts]: OptsArg<P, 'get'>): string {
  const o = (opts ?? {}) as RequestOpts;
  return urlOf(path, o.params, o.query);
}

/** The URL of a path template with its parameters (each encoded) and query (empty values left out). */
export function urlOf(path: string, params?: Record<string, string | number>, query?: Record<string, unknown>): string {
  const u = path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params?.[k];
    if (v === undefined) throw new Error(`路径参数 ${k} 缺失：${path}`);
    return encodeURIComponent(String(v));
  });
  const q = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return q.length ? `${u}?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v as string | number | boolean))}`).join('&')}` : u;
}

/** Upload a file as the request body, with progress (fetch has no upload progress). */
export function upload<P extends PathOf<'post'>>(path: P, opts: UploadOpts<P>, file: File, onProgress: (pct: number) => void): Promise<Answer<P, 'post'>> {
  const o = opts as { params?: Record<string, string | number>; query?: Record<string, unknown> };
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', urlOf(path, o.params, o.query));
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
      if (x.status >= 200 && x.status < 300) resolve(parsed as Answer<P, 'post'>);
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
export type Method = 'get' | 'post' | 'put' | 'delete';
/** The paths that have an operation for a method. */
export type PathOf<M extends Method> = { [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never }[keyof paths];
type Op<P extends keyof paths, M extends Method> = paths[P][M] extends infer O ? (O extends { responses: unknown } ? O : never) : never;
/** The JSON answer of an operation: its 200, else its 201, else its 202 (accepted: a job), else nothing (a 204). */
export type Answer<P extends keyof paths, M extends Method> = Op<P, M>['responses'] extends infer R
  ? R extends { 200: { content: { 'application/json': infer T } } }
    ? T
    : R extends { 201: { content: { 'application/json': infer T } } }
      ? T
      : R extends { 202: { content: { 'application/json': infer T } } }
        ? T
        : null
  : never;
/** The JSON body an operation takes. */
export type Body<P extends keyof paths, M extends Method> = Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type ParamsOf<O> = O extends { parameters: { path: infer X } } ? ([X] extends [undefined] ? never : X) : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? ([Q] extends [undefined] ? never : Q) : never;
type RequestOpts = { params?: Record<string, string | number>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> };
/** The options of a call: the path parameters (required when the path has some), the query, the body and extra headers. */
export type Opts<P extends keyof paths, M extends Method> = ([ParamsOf<Op<P, M>>] extends [never] ? { params?: never } : { params: { [K in keyof ParamsOf<Op<P, M>>]: string | number } }) & {
  query?: QueryOf<Op<P, M>>;
  body?: Body<P, M>;
  headers?: Record<string, string>;
};
type OptsArg<P extends keyof paths, M extends Method> = [ParamsOf<Op<P, M>>] extends [never] ? [opts?: Opts<P, M>] : [opts: Opts<P, M>];
type UploadOpts<P extends keyof paths> = Omit<Opts<P, 'post'>, 'body' | 'headers'>;

export type ApiFieldError = Schemas['FieldError'];

/** The error codes whose problems carry details: the OpenAPI document's `Problem_<CODE>` components. */
export type DetailCode = { [K in keyof Schemas]: K extends `Problem_${infer C}` ? C : never }[keyof Schemas];
/** The details of an error code, as the server's schema for that code declares them (apps/server/src/errors.ts). */
export type ProblemDetails<C extends DetailCode> = Schemas[`Problem_${C}`]['details'];
/**
 * The details of a refusal with `code`, typed by the generated schema; undefined for any other error.
 * The one place a problem's details meet their type: the server throws them typed by the same schema.
 */
export function detailsOf<C extends DetailCode>(e: unknown, code: C): ProblemDetails<C> | undefined {
  return e instanceof ApiFailure && e.code === code && e.details !== undefined ? (e.details as ProblemDetails<C>) : undefined;
}
export type User = Schemas['User'];
export type Role = User['role'];
/** An action a reviewer takes on a submission (`POST /api/submissions/{id}/review`). */
export type ReviewAction = Body<'/api/submissions/{id}/review', 'post'>['action'];
export type Me = Schemas['Me'];
export type Manifest = Schemas['Manifest'];
export type Stage = NonNullable<NonNullable<Manifest['workflow']>['stages']>[number];
export type FormKind = Schemas['FormKind'];
export type PackVersionView = Schemas['PackVersion'];
export type FormView = Schemas['PackForm'];
export type PackDetail = Schemas['PackDetail'];
export type PackDraftSummary = Schemas['PackDraftSummary'];
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
  return api.get('/api/submissions/{id}/confirmations', { params: { id: submissionId } });
}
export function postConfirmations(
  submissionId: string,
  items: Array<{ field: string; item: string | number | boolean; verdict: ConfirmVerdict; reason?: string }>,
): Promise<ConfirmationState> {
  return api.post('/api/submissions/{id}/confirmations', { params: { id: submissionId }, body: { items } });
}

/** A file's bytes as base64 (the xlsx uploads that go in a JSON body). */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
