import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Storage, Submission, User } from '@yuanping/storage';
import type { Ctx } from '../../ctx.js';
import { ApiError } from '../../errors.js';
import { sha256 } from '../../auth.js';
import { canonicalJson } from '@yuanping/core';
import type { PackLike } from '../../engine.js';
import { canSeeSubmission } from '../../scope.js';
import { checkWindow, lastReturn, pathOf, statusLabel } from '../../workflow.js';
import { BUNDLE, evaluateData } from '../../bundle.js';

/** What every submission route shares: versions (ETag / If-Match), visibility, idempotency, the applicant's window. */

export const idemHeader = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export function etagOf(s: { version: number }): string {
  return `"${s.version}"`;
}

/** The version If-Match names, or null when it names none (no exception: a quick look). */
export function ifMatchVersion(req: FastifyRequest): number | null {
  const h = req.headers['if-match'];
  const m = typeof h === 'string' ? /^(?:W\/)?"?(\d+)"?$/.exec(h.trim()) : null;
  return m ? Number(m[1]) : null;
}

export function parseIfMatch(req: FastifyRequest): number {
  const h = req.headers['if-match'];
  if (typeof h !== 'string' || h.trim() === '') throw new ApiError('PRECONDITION_REQUIRED');
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(h.trim());
  if (!m) throw new ApiError('PRECONDITION_FAILED', { current: '?' });
  return Number(m[1]);
}

export function submissionView<T extends Submission>(s: T) {
  const { evaluationStored: _stored, ...rest } = s;
  return { ...rest, statusLabel: statusLabel(s.status) };
}

/**
 * The submission with its evaluation: the stored one, or — for a draft saved since the evaluation
 * is no longer stored with every autosave — the evaluation of its data under its pinned pack
 * version (published versions are immutable and evaluation is pure, so it is the same evaluation
 * the save computed).
 */
export async function withEvaluation<T extends Submission>(ctx: Ctx, s: T): Promise<T> {
  if (s.evaluationStored) return s;
  const pack = await ctx.packById(s.packVersionId);
  return { ...s, evaluation: evaluateData(ctx, pack, s.formId, s.data) };
}

export async function loadVisible(storage: Storage, u: User, id: string, opts: { forUpdate?: boolean; evaluation?: boolean } = {}): Promise<Submission> {
  const s = await storage.getSubmission(id, opts);
  if (!s || !canSeeSubmission(u, s)) throw new ApiError('NOT_FOUND', { what: '申报' });
  return s;
}

export function requireOwner(u: User, s: Submission): void {
  if (u.role !== 'applicant' || u.parkId !== s.parkId) throw new ApiError('FORBIDDEN');
}


/** The request an idempotency key is bound to: method, route, path parameters and body. */
export function requestHash(req: FastifyRequest): string {
  return sha256([req.method, req.routeOptions.url ?? '', canonicalJson(req.params ?? {}), canonicalJson(req.body ?? null)].join('\n'));
}

/**
 * Runs `fn` in one transaction under an optional idempotency key. A repeated key with the same
 * request (method, route, body) returns the stored response; with a different request it is
 * IDEMPOTENCY_KEY_MISMATCH (422). `stale`, given the stored answer, may refuse a replay whose
 * resource has changed since (a submit replayed after a withdraw). The key, the change and the
 * response commit together; keys expire (housekeeping.ts).
 */
export async function idempotent(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  u: User,
  scope: string,
  fn: (t: Storage) => Promise<{ status: number; body: object }>,
  stale?: (t: Storage, body: object) => Promise<ApiError | null>,
): Promise<unknown> {
  const key = req.headers['idempotency-key'];
  const result = await ctx.storage.transaction(async (t) => {
    if (typeof key === 'string' && key) {
      const hash = requestHash(req);
      const claim = await t.claimIdempotency(u.id, key, scope, hash, ctx.now());
      if (!claim.claimed) {
        if (claim.scope !== scope) throw new ApiError('IDEMPOTENCY_KEY_REUSED');
        if (claim.requestHash !== null && claim.requestHash !== hash) throw new ApiError('IDEMPOTENCY_KEY_MISMATCH');
        if (claim.status === null) throw new ApiError('IDEMPOTENCY_IN_PROGRESS');
        const refused = stale ? await stale(t, claim.body as object) : null;
        if (refused) throw refused;
        return { status: claim.status, body: claim.body as object, replay: true };
      }
      const r = await fn(t);
      await t.completeIdempotency(u.id, key, r.status, r.body);
      return { ...r, replay: false };
    }
    return { ...(await fn(t)), replay: false };
  });
  const version = (result.body as { version?: unknown }).version;
  if (typeof version === 'number') void reply.header('etag', etagOf({ version }));
  if (result.replay) void reply.header('idempotent-replay', 'true');
  return reply.status(result.status).send(result.body);
}

/**
 * The applicant's window for `s`: open, or closed but the submission was returned by a reviewer
 * and its correction deadline (补正期限) has not passed. The review steps are read only when the
 * window itself is closed.
 */
export async function checkApplicantWindow(ctx: Ctx, t: Storage, pack: PackLike, s: Submission, opts: { allowBeforeOpen?: boolean } = {}): Promise<void> {
  const formId = s.formId === BUNDLE ? null : s.formId;
  // the window of the submission's review path (its requested level or kind), when the pack declares paths
  const path = pathOf(pack, s);
  try {
    checkWindow(pack, 'applicant', formId, ctx.now(), { ...opts, path });
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'WINDOW_CLOSED') throw e;
    const returnedAt = lastReturn(await t.listReviews(s.id));
    if (!returnedAt) throw e;
    checkWindow(pack, 'applicant', formId, ctx.now(), { ...opts, returnedAt, path });
  }
}
