import { idParam } from '../http.js';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { CohortRun, User } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { ApiError } from '../errors.js';
import { runCohortStep, CohortConfigError, type CohortStep } from '@yuanping/cohort';
import { visibleTableRows } from './tables.js';
import { resolvePack } from './packs.js';
import { progressFor } from '../progress.js';
import { listOf, ok } from '../components.js';

const packParam = { type: 'object', required: ['packId'], properties: { packId: { type: 'string', maxLength: 100 } } } as const;

export function canSeeRun(u: User, r: CohortRun, cityOf: (code: string) => string | null): boolean {
  if (u.role === 'province' || u.role === 'admin') return true;
  if (u.role === 'city') return r.orgCode === u.orgCode || cityOf(r.orgCode) === u.orgCode;
  if (u.role === 'county') return r.orgCode === u.orgCode;
  return false;
}

export async function cohortRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  app.get('/api/quotas/:packId', { schema: { tags: ['review'], summary: '推荐名额使用情况（市：本市；省、管理员：各市）',
        params: packParam,
        response: ok(
          {
            type: 'array',
            items: {
              type: 'object',
              required: ['quotaId', 'label', 'orgCode', 'limit', 'used'],
              properties: { quotaId: { type: 'string' }, label: { type: 'string' }, orgCode: { type: 'string' }, limit: { type: 'integer' }, used: { type: 'integer' } },
            },
          },
          '各市各名额的上限与已用',
        ),
      } }, async (req) => {
    const u = requireUser(req, ['city', 'province', 'admin']);
    const { pv, pack } = await resolvePack(ctx, req.params.packId);
    const cities = u.role === 'city' ? [u.orgCode as string] : (await storage.listOrgUnits({ level: 'city' })).map((c) => c.code);
    const out = [];
    for (const q of pack.manifest.quotas ?? []) {
      if (q.scope !== 'city') continue;
      for (const city of cities) {
        out.push({ quotaId: q.id, label: q.label, orgCode: city, limit: q.overrides?.[city] ?? q.default, used: await storage.quotaUsed(pv.packId, q.id, city) });
      }
    }
    return out;
  });

  app.post(
    '/api/cohort-runs',
    {
      schema: {
        tags: ['cohort'],
        summary: '运行并保存一次群体评价：输入记录、通知包版本与结果（记录可由请求给出，或取本级可见的汇总表行）',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['packId', 'stepId'],
          properties: {
            packId: { type: 'string', maxLength: 100 },
            stepId: { type: 'string', maxLength: 100 },
            formId: { type: 'string', maxLength: 100, description: '取该汇总表本级可见的合并行作为输入' },
            records: { type: 'array', maxItems: 200000, items: { type: 'object' } },
          },
        },
        response: ok({ $ref: 'CohortRunDetail#' }, '已运行并保存', 201),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['county', 'city', 'province']);
      const b = req.body;
      const { pv, pack } = await resolvePack(ctx, b.packId);
      const entry = pack.cohortSteps.get(b.stepId);
      if (!entry) throw new ApiError('NOT_FOUND', { what: `群体评价步骤“${b.stepId}”` });
      let records: Array<Record<string, unknown>>;
      if (b.records) records = b.records;
      else if (b.formId) {
        // the step's declared records (form + row array) pick the section; another form: its first section
        const decl = (pack.manifest.cohortSteps ?? []).find((s) => s.id === b.stepId)?.records;
        const section = decl && decl.form === b.formId ? decl.path : undefined;
        records = (await visibleTableRows(ctx, u, pv.packId, b.formId, section)) as Array<Record<string, unknown>>;
      }
      else {
        throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'records', code: 'required', message: '请给出 records（输入记录）或 formId（汇总表）' }] });
      }
      if (records.length === 0) {
        // nothing to run on: say why — the units below that have not reported the table — rather than a run over 0 records
        const pending = b.formId ? ((await progressFor(storage, u, [{ packId: pv.packId, title: pv.title, pack }])).find((p) => p.formId === b.formId)?.units.filter((x) => !x.reported) ?? []) : [];
        const units = pending.length ? `${pending.length} 个下级单位尚未报送（${pending.map((x) => x.name).join('、')}）` : b.formId ? '汇总表中还没有本级可见的行' : '请求没有给出记录';
        throw new ApiError('COHORT_INPUT_EMPTY', { units }, { details: { pending: pending.map((x) => ({ code: x.target, name: x.name, status: x.statusLabel })) } });
      }
      const parameters: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(pack.manifest.parameters ?? {})) parameters[k] = (v as { value?: unknown }).value;
      const orgUnits = (await storage.listOrgUnits()).map((o) => ({ code: o.code, name: o.name, level: o.level, ...(o.parentCode ? { parent: o.parentCode } : {}) }));
      let results: unknown;
      try {
        results = runCohortStep(entry.step as CohortStep, records, { parameters, orgUnits });
      } catch (e) {
        if (e instanceof CohortConfigError) throw new ApiError('EVALUATION_FAILED', { detail: e.message });
        throw e;
      }
      const run = await storage.transaction(async (t) => {
        const r = await t.saveCohortRun({ packVersionId: pv.id, stepId: b.stepId, orgCode: u.orgCode as string, input: records, results, createdBy: u.id });
        await t.appendAudit({ actorId: u.id, action: 'cohort.run', entity: 'cohort_run', entityId: r.id, after: { packVersionId: pv.id, stepId: b.stepId, inputCount: records.length }, at: ctx.now() });
        return r;
      });
      return reply.status(201).send(run);
    },
  );

  app.get('/api/cohort-runs', { schema: { tags: ['cohort'], summary: '本辖区的群体评价运行', response: listOf('CohortRun', '运行（不含输入与结果）') } }, async (req) => {
    const u = requireUser(req, ['county', 'city', 'province', 'admin']);
    const units = await storage.listOrgUnits();
    const parent = new Map(units.map((x) => [x.code, x.parentCode]));
    const runs = await storage.listCohortRuns();
    return runs.filter((r) => canSeeRun(u, r, (c) => parent.get(c) ?? null)).map(({ input: _i, results: _r, ...rest }) => rest);
  });

  app.get(
    '/api/cohort-runs/:id',
    { schema: { tags: ['cohort'], summary: '群体评价运行详情', params: idParam, response: ok({ $ref: 'CohortRunDetail#' }, '运行，含输入与结果') } },
    async (req) => {
      const u = requireUser(req, ['county', 'city', 'province', 'admin']);
      const r = await storage.getCohortRun(req.params.id);
      const parent = r ? (await storage.getOrgUnit(r.orgCode))?.parentCode ?? null : null;
      if (!r || !canSeeRun(u, r, () => parent)) throw new ApiError('NOT_FOUND', { what: '群体评价运行' });
      return r;
    },
  );
}
