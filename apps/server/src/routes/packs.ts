import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { PackVersion, PackVersionRef } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { quickOutcome, type PackLike, type ProblemLike } from '../engine.js';
import { ApiError } from '../errors.js';
import { listOf, ok } from '../components.js';
import { prefersMinimal } from '../http.js';
import { applicantForms, BUNDLE, evaluateData, ruleSetInputs } from '../bundle.js';
import { cachedValidators, sendValidators, VALIDATORS_RESPONSE } from '../form-validators.js';
import { jsonTooDeep, MAX_JSON_DEPTH, parseJsonText } from '@yuanping/core';

export function formsOf(pack: PackLike) {
  return [...pack.forms.values()].map((f) => ({
    id: f.id,
    title: f.title,
    kind: f.kind,
    attachment: f.attachment ?? null,
    scope: f.scope ?? null,
    schema: f.schema,
    ui: f.ui ?? {},
  }));
}

export function versionView(pv: Omit<PackVersion, 'files'> & { current?: boolean }) {
  return { id: pv.id, packId: pv.packId, version: pv.version, hash: pv.hash, title: pv.title, publishedAt: pv.publishedAt, manifest: pv.manifest, ...(pv.current !== undefined ? { current: pv.current } : {}) };
}

/** The published version a request refers to: a version id, or the latest of a pack. */
export async function resolvePack(ctx: Ctx, packId: string, versionId?: number): Promise<{ pv: PackVersionRef; pack: PackLike }> {
  const pv = versionId !== undefined ? await ctx.storage.getPackVersionRef(versionId) : await ctx.storage.latestPackVersionRef(packId);
  if (!pv || pv.packId !== packId) throw new ApiError('PACK_NOT_PUBLISHED', { pack: packId });
  return { pv, pack: await ctx.packById(pv.id) };
}

/**
 * How long the evaluation route reuses the answer to "which version of this pack is the latest"
 * (a database read per request otherwise). A publish in this process is seen at once; one in
 * another process (several servers on one PostgreSQL) within this time. A given version id is
 * immutable and kept for good. Only the evaluation route uses this: it stores nothing, while a
 * new draft pins the version it reads from the database.
 */
export const LATEST_VERSION_CACHE_MS = 1_000;
const latestSeen = new WeakMap<Ctx, Map<string, { pv: PackVersionRef; until: number }>>();
const versionSeen = new WeakMap<Ctx, Map<number, PackVersionRef>>();

/** After a publish or a rollback in this process: its evaluations see the current version at once. */
export function forgetLatest(ctx: Ctx, packId: string): void {
  latestSeen.get(ctx)?.delete(packId);
}

/** resolvePack for the evaluation route, with the short-lived cache above. */
async function resolvePackForEvaluation(ctx: Ctx, packId: string, versionId?: number): Promise<{ pack: PackLike }> {
  let pv: PackVersionRef | null | undefined;
  if (versionId !== undefined) {
    const seen = versionSeen.get(ctx) ?? versionSeen.set(ctx, new Map()).get(ctx)!;
    pv = seen.get(versionId);
    if (!pv) {
      pv = await ctx.storage.getPackVersionRef(versionId);
      if (pv && seen.size < 10_000) seen.set(versionId, pv);
    }
  } else {
    const seen = latestSeen.get(ctx) ?? latestSeen.set(ctx, new Map()).get(ctx)!;
    const hit = seen.get(packId);
    if (hit && hit.until > performance.now()) pv = hit.pv;
    else {
      pv = await ctx.storage.latestPackVersionRef(packId);
      if (pv && seen.size < 10_000) seen.set(packId, { pv, until: performance.now() + LATEST_VERSION_CACHE_MS });
    }
  }
  if (!pv || pv.packId !== packId) throw new ApiError('PACK_NOT_PUBLISHED', { pack: packId });
  return { pack: await ctx.packById(pv.id) };
}

const packParam = { type: 'object', required: ['packId'], properties: { packId: { type: 'string', maxLength: 100 } } } as const;

export async function packRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  app.get('/api/packs', { schema: { tags: ['packs'], summary: '已发布的通知包（每个通知包的当前版本：最新发布的，或回退后指定的）', response: listOf('PackVersion', '各通知包的当前版本') } }, async (req) => {
    requireUser(req);
    return (await storage.listPackVersions()).filter((v) => v.current).map(versionView);
  });

  app.get('/api/packs/:packId', { schema: { tags: ['packs'], summary: '通知包最新版本：清单与表单', params: packParam, response: ok({ $ref: 'PackDetail#' }, '当前版本及其表单（不含文件）') } }, async (req) => {
    requireUser(req);
    const { pv, pack } = await resolvePack(ctx, req.params.packId);
    return { ...versionView({ ...pv, manifest: pack.manifest }), forms: formsOf(pack), applicantForms: applicantForms(pack).map((f) => f.id) };
  });

  app.get('/api/packs/:packId/versions', { schema: { tags: ['packs'], summary: '通知包的全部版本（current 标出当前版本）', params: packParam, response: listOf('PackVersion', '全部版本') } }, async (req) => {
    requireUser(req);
    return (await storage.listPackVersions(req.params.packId)).map(versionView);
  });

  app.get(
    '/api/pack-versions/:id',
    {
      schema: {
        tags: ['packs'],
        summary: '某一发布版本：清单、表单与文件（样例 fixtures 仅在 ?fixtures=1 时给出）',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,9}$' } } },
        querystring: { type: 'object', properties: { fixtures: { type: 'string', enum: ['0', '1'] } } },
        response: ok({ $ref: 'PackDetail#' }, '该版本、其表单与文件'),
      },
    },
    async (req) => {
      requireUser(req);
      const pv = await storage.getPackVersion(Number(req.params.id));
      if (!pv) throw new ApiError('NOT_FOUND', { what: '通知包版本' });
      // the fixtures (hand-worked examples) are most of a pack's bytes and no form page needs them
      const withFixtures = req.query.fixtures === '1';
      const pack = ctx.packOf(pv);
      const fixtureFiles = new Set(pack.fixtures.map((f) => f.file));
      const files = withFixtures ? pv.files : Object.fromEntries(Object.entries(pv.files).filter(([path]) => !fixtureFiles.has(path)));
      return { ...versionView(pv), forms: formsOf(pack), files, fixturesIncluded: withFixtures };
    },
  );

  app.get(
    '/api/pack-versions/:id/forms/:formId/validators.js',
    {
      schema: {
        tags: ['packs'],
        summary: '某一发布版本中一个表单的校验函数：预编译的 JavaScript 模块（浏览器不编译代码，CSP 不允许 eval）',
        params: { type: 'object', required: ['id', 'formId'], properties: { id: { type: 'string', pattern: '^[0-9]{1,9}$' }, formId: { type: 'string', maxLength: 100 } } },
        response: VALIDATORS_RESPONSE,
      },
    },
    async (req, reply) => {
      requireUser(req);
      const id = Number(req.params.id);
      const pv = await storage.getPackVersionRef(id);
      if (!pv) throw new ApiError('NOT_FOUND', { what: '通知包版本' });
      const form = (await ctx.packById(id)).forms.get(req.params.formId);
      if (!form) throw new ApiError('NOT_FOUND', { what: '表单' });
      return sendValidators(req, reply, cachedValidators(`v${id}/${form.id}`, () => [{ schema: form.schema as Record<string, unknown>, ui: form.ui as Record<string, unknown> | undefined }]));
    },
  );

  const packBody = {
    type: 'object',
    additionalProperties: false,
    properties: {
      ref: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9-]*$' },
      id: { type: 'string', minLength: 1, maxLength: 100 },
      files: { type: 'object' },
      /** the files as written (path → text): syntax errors and keys written twice are reported with line and column */
      texts: { type: 'object', additionalProperties: { type: 'string' } },
    },
  } as const;
  type PackBody = { ref?: string; id?: string; files?: Record<string, unknown>; texts?: Record<string, string> };

  async function packFromBody(body: PackBody, publishing: boolean): Promise<{ pack: PackLike | null; problems: ProblemLike[] }> {
    if (body.ref) {
      try {
        const { pack, readProblems } = await ctx.engine.loadPackWithProblems(body.ref, ctx.packRoot ? { root: ctx.packRoot } : {});
        const problems = ctx.engine.checkPack(pack, { readProblems, production: publishing && ctx.strictPublish });
        return { pack: problems.some((p) => p.severity === 'error') ? null : pack, problems };
      } catch (e) {
        const problems = (e as { problems?: ProblemLike[]; details?: ProblemLike[] }).problems ?? (e as { details?: ProblemLike[] }).details;
        if (Array.isArray(problems)) return { pack: null, problems };
        throw new ApiError('NOT_FOUND', { what: `通知包“${body.ref}”` });
      }
    }
    if (body.texts && body.id) {
      const files: Record<string, unknown> = {};
      const readProblems: ProblemLike[] = [];
      for (const [path, text] of Object.entries(body.texts)) {
        // checked before the text is parsed and walked (recursively) by the reader and the checker
        if (jsonTooDeep(text)) throw new ApiError('BODY_TOO_DEEP', { max: MAX_JSON_DEPTH });
        const read = parseJsonText(text, path);
        if (read.value !== undefined) files[path] = read.value;
        readProblems.push(...read.problems);
      }
      const pack = ctx.engine.packFromFiles(files, body.id);
      const problems = ctx.engine.checkPack(pack, { readProblems, production: publishing && ctx.strictPublish });
      return { pack: problems.some((p) => p.severity === 'error') ? null : pack, problems };
    }
    if (body.files && body.id) {
      const pack = ctx.engine.packFromFiles(body.files, body.id);
      const problems = ctx.engine.checkPack(pack, { production: publishing && ctx.strictPublish });
      return { pack: problems.some((p) => p.severity === 'error') ? null : pack, problems };
    }
    throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'ref', code: 'required', message: '请给出 ref（通知包目录名），或 id 与 files（或 texts：文件原文）' }] });
  }

  app.post('/api/packs/check', { schema: { tags: ['packs'], summary: '检查通知包（不发布）', body: packBody, response: ok({ $ref: 'PackCheck#' }, '检查结果') } }, async (req) => {
    requireUser(req, ['admin']);
    const { problems } = await packFromBody(req.body, false);
    return { ok: !problems.some((p) => p.severity === 'error'), problems };
  });

  app.post('/api/packs', { schema: { tags: ['packs'], summary: '发布通知包：整包检查通过后原子发布，版本不可修改；内容与某一已有版本相同时不新建版本，而让那一版本成为当前版本（madeCurrent）', body: packBody, response: { ...ok({ $ref: 'PackPublished#' }, '已有相同内容的版本，它成为当前版本'), ...ok({ $ref: 'PackPublished#' }, '已发布为新版本', 201) } } }, async (req, reply) => {
    const u = requireUser(req, ['admin']);
    const { pack, problems } = await packFromBody(req.body, true);
    const errors = problems.filter((p) => p.severity === 'error');
    if (!pack || errors.length > 0) throw new ApiError('PACK_INVALID', { count: errors.length }, { details: problems });
    const result = await storage.transaction(async (t) => {
      const r = await t.publishPackVersion({ packId: pack.id, hash: pack.hash, title: pack.manifest.title, manifest: pack.manifest, files: pack.files, publishedBy: u.id, makeCurrent: true });
      if (r.madeCurrent) {
        await t.appendAudit({ actorId: u.id, action: r.created ? 'pack.publish' : 'pack.current', entity: 'pack', entityId: pack.id, after: { version: r.version.version, hash: pack.hash }, at: ctx.now() });
      }
      return r;
    });
    // committed: this process's evaluations see the current version at once
    if (result.madeCurrent) forgetLatest(ctx, pack.id);
    return reply
      .status(result.created ? 201 : 200)
      .send({ ...versionView(result.version), created: result.created, madeCurrent: result.madeCurrent, warnings: problems.filter((p) => p.severity !== 'error') });
  });

  app.post(
    '/api/packs/:packId/evaluate',
    {
      schema: {
        tags: ['packs'],
        summary: '即时评价：对未保存的数据运行规则集',
        params: packParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['data'],
          properties: { ruleSetId: { type: 'string', maxLength: 100 }, formId: { type: 'string', maxLength: 100 }, versionId: { type: 'integer', minimum: 1, maximum: 2147483647 }, data: {} },
        },
        response: ok({ $ref: 'Evaluation#' }, '各规则集的评价（Prefer: return=minimal 时只有结果）'),
      },
    },
    async (req, reply) => {
      requireUser(req);
      const b = req.body;
      const { pack } = await resolvePackForEvaluation(ctx, req.params.packId, b.versionId);
      // evaluation is CPU: in the bounded queue (503 + Retry-After when full)
      return ctx.queues.evaluate.run(req, reply, async () => {
        // `Prefer: return=minimal`: the outcome of each rule set without the explanation (a full
        // explanation of a large rule set is >100 KB of JSON; batch clients often want the outcome only)
        const minimal = prefersMinimal(req);
        if (minimal) void reply.header('preference-applied', 'return=minimal');
        if (b.ruleSetId) {
          if (!pack.ruleSets.has(b.ruleSetId)) throw new ApiError('RULESET_NOT_FOUND', { ruleSet: b.ruleSetId });
          try {
            return { [b.ruleSetId]: minimal ? quickOutcome(pack, b.ruleSetId, b.data) : ctx.engine.evaluate(pack, b.ruleSetId, b.data) };
          } catch (e) {
            throw new ApiError('EVALUATION_FAILED', { detail: e instanceof Error ? e.message : String(e) });
          }
        }
        if (minimal) {
          const out: Record<string, unknown> = {};
          for (const [id, input] of ruleSetInputs(pack, b.formId ?? BUNDLE, b.data)) {
            try {
              out[id] = quickOutcome(pack, id, input);
            } catch (e) {
              out[id] = { error: e instanceof Error ? e.message : String(e) };
            }
          }
          return out;
        }
        return evaluateData(ctx, pack, b.formId ?? BUNDLE, b.data);
      });
    },
  );
}
