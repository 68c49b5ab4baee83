/**
 * The API contract's shared parts, in one place: named schema components (registered with
 * `app.addSchema`, referenced as `{ $ref: 'Name#' }`, named `Name` in the OpenAPI document), and
 * what every route's schema gets without saying it:
 *
 * - an operationId (from the method and the path, unless the route gives one);
 * - its security: the session cookie, plus the CSRF header on unsafe methods; none on public routes;
 * - its error answers: RFC 9457 `application/problem+json` (component `Problem`) with our catalogue
 *   `code` as an extension member, for each status the route can answer with; a status whose codes
 *   carry details answers any of their `Problem_<CODE>` components (details typed per code) or `Problem`.
 *
 * A route declares its own request (params, querystring, headers, body) and success response
 * schemas (the shared shapes are components.ts); the shared request headers are here
 * (`idempotencyHeaders`, `ifMatchHeaders`). A route without a success response schema is refused
 * when it is added (the document is the web app's types, apps/web/src/api/schema.d.ts).
 *
 * Answers are serialized with JSON.stringify, not compiled from the response schemas: a schema
 * documents and types an answer, it never drops or coerces a member (apps/server/src/openapi.test.ts
 * checks answers against their schemas).
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { COMPONENTS } from './components.js';
import { ERROR_DETAILS, SERVER_ERRORS, STATUS_TITLES, type DetailCode } from './errors.js';

export const PROBLEM_TYPE = 'application/problem+json';

/** RFC 9457 problem details, with our error code kept as an extension member. */
export const Problem = {
  $id: 'Problem',
  type: 'object',
  description: '错误（RFC 9457 problem details）。code 为错误目录中的代码（客户端据此判断），message 与 title 为中文说明。',
  required: ['type', 'title', 'status', 'detail', 'code', 'message'],
  properties: {
    type: { type: 'string', description: '错误类型 URI：urn:yuanping:error:<code>' },
    title: { type: 'string', description: '按状态码固定的简短中文说明（同一 code 总是同一 title）' },
    status: { type: 'integer', description: 'HTTP 状态码' },
    detail: { type: 'string', description: '这一次的中文说明' },
    code: { type: 'string', description: '错误目录中的代码（扩展成员）' },
    message: { type: 'string', description: '中文说明（与 detail 相同，保留给旧客户端）' },
    errors: { type: 'array', description: '字段错误', items: { $ref: 'FieldError#' } },
    details: { description: '与错误相关的数据：带 details 的代码见各自的 Problem_<code>' },
  },
} as const;

/**
 * The problem of each code that carries details (errors.ts ERROR_DETAILS): `Problem_<CODE>`, the
 * problem with that `code` and its `details` schema. The error answer of a status is any of the
 * problems of its codes with details, or the plain Problem.
 */
export const DETAIL_PROBLEMS = (Object.keys(ERROR_DETAILS) as DetailCode[]).map((code) => ({
  $id: `Problem_${code}`,
  type: 'object',
  description: `${code} 的错误（${SERVER_ERRORS[code].status}），details 的结构固定`,
  required: [...Problem.required, 'details'],
  properties: { ...Problem.properties, code: { type: 'string', const: code, description: Problem.properties.code.description }, details: ERROR_DETAILS[code] },
}));

/** The schema of an error answer of `status`: the problems with details of its codes, else the plain Problem. */
function problemOf(status: number): object {
  const detailed = DETAIL_PROBLEMS.filter((p) => SERVER_ERRORS[p.properties.code.const].status === status).map((p) => ({ $ref: `${p.$id}#` }));
  return detailed.length ? { anyOf: [...detailed, { $ref: 'Problem#' }] } : { $ref: 'Problem#' };
}

export const FieldError = {
  $id: 'FieldError',
  type: 'object',
  description: '一个字段的错误：路径（点分）、规则代码、中文说明',
  required: ['path', 'code', 'message'],
  properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
} as const;

/** Request headers a route declares (`schema.headers`): the optional Idempotency-Key of a create or submit. */
export const idempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', minLength: 1, maxLength: 200, description: '幂等键：同一用户重复发送同一键时返回首次的答复（Idempotent-Replay: true）' },
  },
} as const;

/**
 * The If-Match of a versioned write: the ETag of the version the client read (`"7"`). Not
 * required by the schema: its absence is answered 428 PRECONDITION_REQUIRED by the handler.
 */
export const ifMatchHeaders = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: '所读版本的 ETag（如 "7"）；缺少时 428，版本不符时 412' } },
} as const;

/** The statuses every private route may answer with, and those of unsafe methods. */
const NOTES: Record<number, string> = { 400: '（字段错误见 errors）', 429: '（见 Retry-After）', 503: '（见 Retry-After）' };
const described = (statuses: number[]): Record<string, string> => Object.fromEntries(statuses.map((s) => [String(s), `${STATUS_TITLES[s]}${NOTES[s] ?? ''}`]));
const COMMON_ERRORS = described([400, 401, 403, 404, 429, 500, 503]);
const WRITE_ERRORS = described([409, 412, 413, 415, 422, 428]);

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `GET /api/submissions/:id/attachments` → `getSubmissionsByIdAttachments`. */
export function operationIdOf(method: string, url: string): string {
  const parts = url
    .replace(/^\/api\//, '')
    .split('/')
    .filter(Boolean)
    .map((p) => (p.startsWith(':') ? `by-${p.slice(1)}` : p))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return method.toLowerCase() + parts.join('');
}

/** Adds the shared components and the onRoute hook that completes every route's schema. Call before any route. */
export function installContract(app: FastifyInstance): void {
  app.addSchema(FieldError);
  app.addSchema(Problem);
  for (const p of DETAIL_PROBLEMS) app.addSchema(p);
  for (const c of COMPONENTS) app.addSchema(c);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    if (schema.hide) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const method = methods[0] ?? 'GET';
    const isPublic = route.config?.public === true;
    const unsafe = methods.some((m) => UNSAFE.has(m));
    const errors: Record<string, string> = { ...COMMON_ERRORS, ...(unsafe ? WRITE_ERRORS : {}) };
    if (isPublic) delete errors['401'];
    const response: Record<string, unknown> = { ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
    if (!Object.keys(response).some((s) => /^2\d\d$/.test(s))) throw new Error(`${methods.join('/')} ${route.url}: no success response schema (see contract.ts)`);
    for (const [status, description] of Object.entries(errors)) {
      if (response[status] === undefined) response[status] = { description, content: { [PROBLEM_TYPE]: { schema: problemOf(Number(status)) } } };
    }
    route.schema = {
      ...schema,
      operationId: (schema.operationId as string | undefined) ?? operationIdOf(method, route.url),
      security: isPublic ? [] : unsafe ? [{ session: [], csrf: [] }] : [{ session: [] }],
      response,
    };
  });
}
