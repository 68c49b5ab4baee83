/** The server's API: JSON over fetch with the session cookie, the CSRF header and ETags. */

export interface ApiFieldError {
  path: string;
  code: string;
  message: string;
}

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

// ---- shapes the server returns ----
export type Role = 'applicant' | 'county' | 'city' | 'province' | 'admin';
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgCode: string | null;
  parkId: string | null;
  /** the administrator disabled the account */
  disabled?: boolean;
  /** the password was set by an administrator: the user must set a new one first */
  mustChangePassword?: boolean;
}
export interface Me {
  user: User;
  park: { id: string; name: string; countyCode: string; cityCode: string } | null;
  orgUnit: { code: string; name: string; level: string } | null;
  csrfToken: string | null;
}
export interface Stage {
  id: string;
  label: string;
  role: Role;
  forms?: string[];
  window?: { opens?: string; closes?: string };
  clause?: string;
}
export interface Manifest {
  id: string;
  title: string;
  issuer: string;
  documentNumber?: string;
  issueDate: string;
  year: number;
  dataCutoff: string;
  forms: Array<{ id: string; title: string; kind: FormKind; attachment?: string; scope?: string }>;
  workflow?: { stages: Stage[] };
  dates?: Array<{ id: string; label: string; date: string; clause?: string }>;
  quotas?: Array<{ id: string; label: string; scope: string; default: number; overrides?: Record<string, number> }>;
  parameters?: Record<string, { label: string; value: unknown; unit?: string }>;
}
export type FormKind = 'record' | 'table' | 'scorecard' | 'outline';
export interface PackVersionView {
  id: number;
  packId: string;
  version: number;
  hash: string;
  title: string;
  publishedAt: string;
  manifest: Manifest;
}
export interface FormView {
  id: string;
  title: string;
  kind: FormKind;
  attachment: string | null;
  scope: string | null;
  schema: Record<string, unknown>;
  ui: Record<string, unknown>;
}
export interface PackDetail extends PackVersionView {
  forms: FormView[];
  files?: Record<string, unknown>;
}
export interface Review {
  id: string | number;
  level: string;
  action: string;
  comment: string | null;
  fromStatus: string;
  toStatus: string;
  reviewerId: string;
  at?: string;
  createdAt?: string;
}
export interface Rescore {
  id: string | number;
  level: string;
  item: string;
  selfScore: number | null;
  score: number;
  reason: string;
  at?: string;
  createdAt?: string;
}
export interface Attachment {
  id: string;
  field: string;
  filename: string;
  mime: string;
  size: number;
}
export interface SubmissionSummary {
  id: string;
  packVersionId: number;
  packId: string;
  formId: string;
  parkId: string;
  countyCode: string;
  cityCode: string;
  status: string;
  statusLabel: string;
  version: number;
  createdAt?: string;
  updatedAt?: string;
  submittedAt?: string | null;
  parkName?: string;
}
export interface Submission extends SubmissionSummary {
  /** a returned submission after the applicants' window: the last day it may be corrected and resubmitted (补正期限) */
  correctionDeadline?: string | null;
  data: Record<string, unknown>;
  evaluation: Record<string, unknown> | null;
  reviews?: Review[];
  rescores?: Rescore[];
  attachments?: Attachment[];
  actions?: string[];
  /** the submission's review path (workflow.paths), when the pack routes by its data; filedWith: the level the result is filed with */
  reviewPath?: { id: string; label: string; filedWith: string | null } | null;
  /** who a return by the reviewer now at work sends it back to: 'applicant' or the review level below */
  returnsTo?: string | null;
  /** the decided result (after the province's decision), e.g. 评定结果：三星级 */
  result?: { approved: boolean; text: string } | null;
  /** what is still wrong in a draft or a returned submission (as its last save answered; required fields are named at submit) */
  errors?: ApiFieldError[];
}

// ---- reviewer confirmation of ticked items (x-review: confirm) ----
export type ConfirmVerdict = 'confirmed' | 'disputed';
export interface ConfirmationItem {
  item: string | number | boolean;
  label: string;
  /** the verdict in force at each level that gave one */
  verdicts: Partial<Record<string, { verdict: ConfirmVerdict; reason: string | null; reviewerName: string | null; at: string }>>;
}
export interface ConfirmationRecord {
  id: number;
  level: string;
  field: string;
  item: unknown;
  verdict: ConfirmVerdict;
  reason: string | null;
  reviewerName: string | null;
  createdAt: string;
  fieldLabel: string;
  itemLabel: string;
}
export interface ConfirmationState {
  fields: Array<{ field: string; form: string; label: string; clause: string | null; levels: string[]; items: ConfirmationItem[] }>;
  history: ConfirmationRecord[];
  open: Partial<Record<string, Array<{ field: string; label: string; item: unknown; itemLabel: string; disputed: boolean }>>>;
  /** the caller: the level they act at now (null: none), whether that level must confirm, how many items are left */
  me: { level: string | null; canConfirm: boolean; required: boolean; open: number };
}
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
