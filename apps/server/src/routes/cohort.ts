import { idParam } from '../http.js';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { CohortRun, Storage, User } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { ApiError } from '../errors.js';
import { forgetRendered, runCohortStep, CohortConfigError, type CohortRecordResult, type CohortResult, type CohortStep } from '@yuanping/cohort';
import { visibleTableRows } from './tables.js';
import { resolvePack } from './packs.js';
import { progressFor } from '../progress.js';
import { listOf, ok } from '../components.js';

/** Records whose explanations a cohort job renders between two progress reports (and cancel checks). */
export const COHORT_JOB_CHUNK = 2000;
/** Records a run's detail answer carries (by rank); the rest are read in pages of at most COHORT_PAGE_MAX. */
export const COHORT_DETAIL_RECORDS = 1000;
export const COHORT_PAGE_MAX = 5000;

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

  const runBody = {
          type: 'object',
          additionalProperties: false,
          required: ['packId', 'stepId'],
          properties: {
            packId: { type: 'string', maxLength: 100 },
            stepId: { type: 'string', maxLength: 100 },
            formId: { type: 'string', maxLength: 100, description: '取该汇总表本级可见的合并行作为输入' },
            records: { type: 'array', maxItems: 200000, items: { type: 'object' } },
          },
        } as const;

  /** A run's input and what it runs with: the step, the records (given, or the table's visible rows), parameters, units. Refuses an empty input. */
  const prepare = async (u: User, b: { packId: string; stepId: string; formId?: string; records?: Array<Record<string, unknown>> }) => {
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
    const run = (): CohortResult => {
      try {
        return runCohortStep(entry.step as CohortStep, records, { parameters, orgUnits });
      } catch (e) {
        if (e instanceof CohortConfigError) throw new ApiError('EVALUATION_FAILED', { detail: e.message });
        throw e;
      }
    };
    return { pv, records, run };
  };

  const audit = async (t: Storage, u: User, runId: string, pvId: number, stepId: string, inputCount: number, jobId?: string) =>
    t.appendAudit({ actorId: u.id, action: 'cohort.run', entity: 'cohort_run', entityId: runId, after: { packVersionId: pvId, stepId, inputCount, ...(jobId ? { jobId } : {}) }, at: ctx.now() });

  app.post(
    '/api/cohort-runs',
    {
      schema: {
        tags: ['cohort'],
        summary: '运行并保存一次群体评价：输入记录、通知包版本与结果（记录可由请求给出，或取本级可见的汇总表行）；答复含按名次的前若干条记录，其余见 /api/cohort-runs/{id}/records',
        body: runBody,
        response: ok({ $ref: 'CohortRunDetail#' }, '已运行并保存', 201),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['county', 'city', 'province']);
      const b = req.body;
      const { pv, records, run } = await prepare(u, b);
      const results = run();
      const saved = await storage.transaction(async (t) => {
        const r = await t.saveCohortRun({ packVersionId: pv.id, stepId: b.stepId, orgCode: u.orgCode as string, input: records, results, createdBy: u.id });
        await audit(t, u, r.id, pv.id, b.stepId, records.length);
        return r;
      });
      return reply.status(201).send(await detailOf(saved));
    },
  );

  app.post(
    '/api/cohort-jobs',
    {
      schema: {
        tags: ['cohort', 'jobs'],
        summary: '以任务方式运行群体评价（大表用）：立即答复任务，进度与取消见 /api/jobs/{id}；完成后 resultId 为保存的运行',
        body: runBody,
        response: ok({ $ref: 'Job#' }, '任务已创建（排队或运行中）', 202),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['county', 'city', 'province']);
      const b = req.body;
      const { pv, records, run } = await prepare(u, b);
      const n = records.length;
      const params = { packId: pv.packId, packVersionId: pv.id, stepId: b.stepId, ...(b.formId ? { formId: b.formId } : {}), records: n };
      const job = await ctx.jobs.start({ kind: 'cohort.run', orgCode: u.orgCode, params, total: n, createdBy: u.id }, async (j) => {
        await j.progress(0, { total: n, phase: '计算得分与分档' });
        const results = run();
        // the run row first (not complete: not listed or read), then each chunk of records rendered
        // (explanation, breakdown) and written as rows — the progress of the job, with its cancel
        // checked — and let go; the summary and the run's completion are written with the job's end
        const saved = await storage.beginCohortRun({ packVersionId: pv.id, stepId: b.stepId, orgCode: u.orgCode as string, createdBy: u.id });
        try {
          await j.progress(0, { phase: '生成每条记录的说明并保存' });
          const recs = results.records;
          for (let i = 0; i < n; i += COHORT_JOB_CHUNK) {
            const end = Math.min(n, i + COHORT_JOB_CHUNK);
            // written as JSON.stringify writes a record: its explanation and breakdown rendered then
            await storage.addCohortRunRecords(saved.id, i, records.slice(i, end).map((input, k) => ({ input, result: recs[i + k] })));
            // written: their rendered text let go (the run's work may still reach the records)
            for (let k = i; k < end; k++) {
              const rec = recs[k];
              if (rec) forgetRendered(rec);
            }
            await j.progress(end);
          }
          const { records: _written, ...summary } = results;
          await j.progress(n, { phase: '保存结果' });
          await j.commit(async (t) => {
            await t.completeCohortRun(saved.id, summary, n);
            await audit(t, u, saved.id, pv.id, b.stepId, n, j.job.id);
            return saved.id;
          }, n);
        } catch (e) {
          // cancelled, failed or the server closing: the records written so far go with the run
          await storage.deleteCohortRun(saved.id);
          throw e;
        }
      });
      return reply.status(202).send(job);
    },
  );

  app.get('/api/cohort-runs', { schema: { tags: ['cohort'], summary: '本辖区的群体评价运行', response: listOf('CohortRun', '运行（不含输入与结果）') } }, async (req) => {
    const u = requireUser(req, ['county', 'city', 'province', 'admin']);
    const units = await storage.listOrgUnits();
    const parent = new Map(units.map((x) => [x.code, x.parentCode]));
    const runs = await storage.listCohortRuns();
    return runs.filter((r) => canSeeRun(u, r, (c) => parent.get(c) ?? null)).map(({ results: _r, complete: _c, ...rest }) => rest);
  });

  /** A run the user may see, or NOT_FOUND. */
  const visibleRun = async (u: User, id: string): Promise<CohortRun> => {
    const r = await storage.getCohortRun(id);
    const parent = r ? (await storage.getOrgUnit(r.orgCode))?.parentCode ?? null : null;
    if (!r || !canSeeRun(u, r, () => parent)) throw new ApiError('NOT_FOUND', { what: '群体评价运行' });
    return r;
  };

  app.get(
    '/api/cohort-runs/:id',
    {
      schema: {
        tags: ['cohort'],
        summary: `群体评价运行详情：结果摘要（分组、分布、提示）与记录（input 与 results.records 一一对应：不超过 ${COHORT_DETAIL_RECORDS} 条时为全部，按输入顺序；更多时为按名次的前 ${COHORT_DETAIL_RECORDS} 条）；recordCount 为记录总数，全部记录分页见 /api/cohort-runs/{id}/records`,
        params: idParam,
        response: ok({ $ref: 'CohortRunDetail#' }, '运行，含摘要与前若干条记录'),
      },
    },
    async (req) => detailOf(await visibleRun(requireUser(req, ['county', 'city', 'province', 'admin']), req.params.id)),
  );

  app.get(
    '/api/cohort-runs/:id/records',
    {
      schema: {
        tags: ['cohort'],
        summary: '群体评价运行的记录，分页读取（order=rank 按名次，未排名的在后；seq 按输入顺序；dir=desc 倒序），可按分组、分档、名称筛选（total 为筛选后的条数）',
        params: idParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            offset: { type: 'string', pattern: '^[0-9]{1,7}$' },
            limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: `每页条数（1–${COHORT_PAGE_MAX}，默认 100）` },
            order: { enum: ['rank', 'seq'] },
            dir: { enum: ['asc', 'desc'], description: '顺序（默认 asc）；desc 时未排名的仍在最后' },
            group: { type: 'string', maxLength: 200, description: '只要这一组的记录（记录的 group）' },
            grade: { type: 'string', maxLength: 50, description: '只要这一档的记录；excluded 为不参评（未分档）的记录' },
            q: { type: 'string', maxLength: 100, description: '名称（记录的 label，没有时为 key）中含有这段文字的记录（不分大小写）' },
            facets: { enum: ['1'], description: '1：答复另含 facets（各分组、各分档及其条数，筛选菜单用）' },
          },
        },
        response: ok(
          {
            type: 'object',
            required: ['total', 'offset', 'records'],
            properties: {
              total: { type: 'integer', description: '记录总数（有筛选时为筛选后的条数）' },
              offset: { type: 'integer' },
              facets: {
                type: 'object',
                description: '?facets=1 时：全部记录的分组与分档（各自的条数）',
                required: ['groups', 'grades'],
                properties: {
                  groups: { type: 'array', items: { type: 'object', required: ['value', 'count'], properties: { value: { type: 'string' }, count: { type: 'integer' } } } },
                  grades: { type: 'array', items: { type: 'object', required: ['value', 'count'], properties: { value: { type: 'string' }, count: { type: 'integer' } } } },
                },
              },
              records: {
                type: 'array',
                items: { type: 'object', required: ['seq', 'input', 'result'], properties: { seq: { type: 'integer', description: '在输入中的位置（从 0 起）' }, input: { type: 'object' }, result: { $ref: 'CohortRecord#' } } },
              },
            },
          },
          '一页记录：输入行与结果',
        ),
      },
    },
    async (req) => {
      const r = await visibleRun(requireUser(req, ['county', 'city', 'province', 'admin']), req.params.id);
      const offset = Number(req.query.offset ?? 0);
      const limit = Math.min(COHORT_PAGE_MAX, Math.max(1, Number(req.query.limit ?? 100)));
      const filter = { group: req.query.group ?? null, grade: req.query.grade ?? null, q: req.query.q?.trim() || null };
      const filtered = filter.group !== null || filter.grade !== null || filter.q !== null;
      const [page, total, counts] = await Promise.all([
        storage.cohortRunRecords(r.id, { offset, limit, order: req.query.order ?? 'rank', desc: req.query.dir === 'desc', ...filter }),
        filtered ? storage.countCohortRunRecords(r.id, filter) : r.recordCount,
        req.query.facets ? storage.cohortGradeCounts(r.id) : null,
      ]);
      const tally = (key: 'group' | 'grade') => {
        const m = new Map<string, number>();
        for (const c of counts ?? []) m.set(c[key], (m.get(c[key]) ?? 0) + c.count);
        return [...m].map(([value, count]) => ({ value, count }));
      };
      return {
        total,
        offset,
        ...(counts ? { facets: { groups: tally('group'), grades: tally('grade') } } : {}),
        records: page.map((x) => ({ seq: x.seq, input: (x.input ?? {}) as Record<string, unknown>, result: x.result as CohortRecordResult })),
      };
    },
  );

  /**
   * A run's detail: the summary, its records (input and results.records paired) — all of them in
   * input order when there are at most COHORT_DETAIL_RECORDS, else the first that many by rank —
   * and how many there are.
   */
  async function detailOf(r: CohortRun) {
    const page = await storage.cohortRunRecords(r.id, { limit: COHORT_DETAIL_RECORDS, order: r.recordCount > COHORT_DETAIL_RECORDS ? 'rank' : 'seq' });
    const { complete: _c, results, ...rest } = r;
    return {
      ...rest,
      input: page.map((x) => (x.input ?? {}) as Record<string, unknown>),
      results: { ...(results as Omit<CohortResult, 'records'>), records: page.map((x) => x.result as CohortRecordResult) },
    };
  }
}
