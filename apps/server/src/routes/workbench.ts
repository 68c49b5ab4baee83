/**
 * The administrator's workbench: drafts of pack files kept in the database (next year's pack made
 * from last year's by core's `planNextYear`, the same as `yuanping new`), edited, checked by the
 * one full check with the pack's fixtures run (`runAllFixtures`), tried on stored submissions
 * (core's `impactOf`, the impact preview, also as xlsx), published (atomic, immutable) and rolled
 * back (an earlier version made current again, audited).
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { changedFiles, fieldEditSchemas, fieldTitlesOf, impactOf, listPackDates, planNextYear, type ImpactReport, type ImpactSubmission, type NoticePack } from '@yuanping/core';
import { acceptNewResult, acceptUnchanged, runAllFixtures } from '@yuanping/check';
import { impactXlsx } from '@yuanping/tables';
import type { PackDraft } from '@yuanping/storage';
import type { Ctx } from '../ctx.js';
import { requireUser } from '../session.js';
import { ApiError } from '../errors.js';
import { file, listOf, noContent, ok, oneOfMedia, PackDraftSummary, XLSX } from '../components.js';
import { BUNDLE } from '../bundle.js';
import { contentDisposition } from './export.js';
import { forgetLatest, versionView } from './packs.js';
import { cachedValidators, sendValidators, VALIDATORS_RESPONSE } from '../form-validators.js';

const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,9}$' } } } as const;

function draftView(d: Omit<PackDraft, 'files'>) {
  return { id: d.id, packId: d.packId, title: d.title, basedOnVersionId: d.basedOnVersionId, revision: d.revision, createdAt: d.createdAt, updatedAt: d.updatedAt };
}

/** Every stored submission of a pack, paged (1,000 a page), as the impact preview reads them. */
async function impactSubmissions(ctx: Ctx, packId: string): Promise<ImpactSubmission[]> {
  const out: ImpactSubmission[] = [];
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const page = await ctx.storage.listSubmissions({ packId, limit: 1000, ...(after ? { after } : {}) });
    for (const s of page) {
      const forms = s.formId === BUNDLE ? ((s.data ?? {}) as Record<string, unknown>) : { [s.formId]: s.data };
      out.push({ id: s.id, label: s.parkName, forms });
    }
    const last = page[page.length - 1];
    if (page.length < 1000 || !last) return out;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

export async function workbenchRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  async function draftOf(id: string): Promise<PackDraft> {
    const d = await storage.getPackDraft(Number(id));
    if (!d) throw new ApiError('NOT_FOUND', { what: '通知包草稿' });
    return d;
  }
  const packOfDraft = (d: PackDraft): NoticePack => ctx.engine.packFromFiles(d.files, d.packId);
  /** The full check of a draft, a field removed since its published predecessor named by its former title. */
  async function checkDraft(d: PackDraft, pack: NoticePack, production = false) {
    const pv = d.basedOnVersionId === null ? undefined : await storage.getPackVersion(d.basedOnVersionId);
    return ctx.engine.checkPack(pack, { production, ...(pv ? { formerFields: fieldTitlesOf(ctx.packOf(pv)) } : {}) });
  }

  app.get('/api/pack-versions/:id/dates', { schema: { tags: ['workbench'], summary: '某一发布版本的全部日期（下一年度向导：与去年的日期并列显示）',
        params: idParam,
        response: ok(
          {
            type: 'object',
            required: ['packId', 'year', 'dates'],
            properties: {
              packId: { type: 'string' },
              year: { type: ['integer', 'null'] },
              dates: { type: 'array', items: { $ref: 'DateSlot#' } },
            },
          },
          '该版本的日期',
        ),
      } }, async (req) => {
    requireUser(req, ['admin']);
    const pv = await storage.getPackVersion(Number(req.params.id));
    if (!pv) throw new ApiError('NOT_FOUND', { what: '通知包版本' });
    return { packId: pv.packId, year: (pv.manifest as { year?: number }).year ?? null, dates: listPackDates(pv.files, pv.packId) };
  });

  app.get('/api/pack-versions/:id/fixtures', { schema: { tags: ['workbench'], summary: '运行某一发布版本的全部样例（与 yuanping fixtures 相同）', params: idParam, response: listOf('FixtureRun', '各样例的结果') } }, async (req) => {
    requireUser(req, ['admin']);
    const pv = await storage.getPackVersion(Number(req.params.id));
    if (!pv) throw new ApiError('NOT_FOUND', { what: '通知包版本' });
    return runAllFixtures(ctx.packOf(pv));
  });

  app.get('/api/pack-drafts', { schema: { tags: ['workbench'], summary: '通知包草稿（未发布）', response: listOf('PackDraftSummary', '草稿') } }, async (req) => {
    requireUser(req, ['admin']);
    return (await storage.listPackDrafts()).map(draftView);
  });

  app.post(
    '/api/pack-drafts',
    {
      schema: {
        tags: ['workbench'],
        summary:
          '生成草稿：下一年度（newId：以某一发布版本为底稿生成新通知包，日期给出或按年份顺延，复制的样例标记为待复核），或修订（revise：同一通知包的新版本，文件原样复制）',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['fromVersionId'],
          properties: {
            fromVersionId: { type: 'integer', minimum: 1, maximum: 2147483647 },
            newId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
            revise: { type: 'boolean' },
            year: { type: 'integer', minimum: 1900, maximum: 2999 },
            dates: { type: 'object', additionalProperties: { type: 'string', maxLength: 10 } },
          },
        },
        response: ok(
          {
            type: 'object',
            required: ['draft', 'plan'],
            properties: {
              draft: { $ref: 'PackDraftSummary#' },
              plan: {
                description: '下一年度的计划（修订时为 null）：年份、日期、待复核的样例、文中提到年份之处',
                anyOf: [
                  {
                    type: 'object',
                    required: ['year', 'fromYear', 'dates', 'fixtures', 'yearMentions'],
                    properties: {
                      year: { type: 'integer' },
                      fromYear: { type: ['integer', 'null'] },
                      dates: { type: 'array', items: {} },
                      fixtures: { type: 'array', items: { type: 'string' } },
                      yearMentions: {
                        type: 'array',
                        items: { type: 'object', required: ['file', 'pointer', 'text'], properties: { file: { type: 'string' }, pointer: { type: 'string' }, text: { type: 'string' } } },
                      },
                    },
                  },
                  { type: 'null' },
                ],
              },
            },
          },
          '草稿已生成',
          201,
        ),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['admin']);
      const b = req.body;
      const from = await storage.getPackVersion(b.fromVersionId);
      if (!from) throw new ApiError('NOT_FOUND', { what: '通知包版本' });
      if (!b.revise && !b.newId) throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'newId', code: 'required', message: '下一年度须给出新通知包标识（newId），修订当前通知包时给出 revise: true' }] });
      const packId = b.revise ? from.packId : (b.newId as string);
      if ((await storage.listPackDrafts()).some((d) => d.packId === packId)) throw new ApiError('DUPLICATE', { what: `通知包“${packId}”的草稿` });
      if (!b.revise && (await storage.latestPackVersionRef(packId))) throw new ApiError('DUPLICATE', { what: `通知包标识“${packId}”` });
      let plan: ReturnType<typeof planNextYear> | null = null;
      if (!b.revise) {
        try {
          plan = planNextYear(from.files, { fromId: from.packId, newId: packId, ...(b.year !== undefined ? { year: b.year } : {}), ...(b.dates ? { dates: b.dates } : {}) });
        } catch (e) {
          throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'dates', code: 'invalid', message: e instanceof Error ? e.message : String(e) }] });
        }
      }
      const files = plan ? plan.files : from.files;
      const year = plan ? plan.year : (from.manifest as { year?: number }).year;
      const title = String((files[`schemas/${packId}/pack.json`] as { title?: unknown } | undefined)?.title ?? packId).replaceAll('{{pack.year}}', String(year ?? ''));
      const draft = await storage.transaction(async (t) => {
        const d = await t.createPackDraft({ packId, title, basedOnVersionId: from.id, files, createdBy: u.id });
        await t.appendAudit({ actorId: u.id, action: 'pack.draft.create', entity: 'pack', entityId: packId, after: { draft: d.id, from: from.packId, fromVersion: from.version, revise: b.revise === true }, at: ctx.now() });
        return d;
      });
      return reply.status(201).send({
        draft: draftView(draft),
        plan: plan ? { year: plan.year, fromYear: plan.fromYear ?? null, dates: plan.dates, fixtures: plan.fixtures, yearMentions: plan.yearMentions } : null,
      });
    },
  );

  app.get('/api/pack-drafts/:id', { schema: { tags: ['workbench'], summary: '草稿及其全部文件',
        params: idParam,
        response: ok({ type: 'object', required: [...PackDraftSummary.required, 'files'], properties: { ...PackDraftSummary.properties, files: { type: 'object', additionalProperties: {} } } }, '草稿'),
      } }, async (req) => {
    requireUser(req, ['admin']);
    const d = await draftOf(req.params.id);
    return { ...draftView(d), files: d.files };
  });

  app.get(
    '/api/workbench/field-edit-validators.js',
    { schema: { tags: ['workbench'], summary: '字段编辑表单（各种字段形态）的校验函数：预编译的 JavaScript 模块', response: VALIDATORS_RESPONSE } },
    async (req, reply) => {
      requireUser(req, ['admin']);
      return sendValidators(req, reply, cachedValidators('field-edit', () => fieldEditSchemas().map((schema) => ({ schema }))));
    },
  );

  app.get(
    '/api/pack-drafts/:id/forms/:formId/validators.js',
    {
      schema: {
        tags: ['workbench'],
        summary: '草稿某一修改次数中一个表单的校验函数（表单预览用）：预编译的 JavaScript 模块；revision 须为当前修改次数，否则 412',
        params: { type: 'object', required: ['id', 'formId'], properties: { id: { type: 'string', pattern: '^[0-9]{1,9}$' }, formId: { type: 'string', maxLength: 100 } } },
        querystring: { type: 'object', required: ['revision'], properties: { revision: { type: 'string', pattern: '^[0-9]{1,9}$' } } },
        response: VALIDATORS_RESPONSE,
      },
    },
    async (req, reply) => {
      requireUser(req, ['admin']);
      const d = await draftOf(req.params.id);
      if (d.revision !== Number(req.query.revision)) throw new ApiError('PRECONDITION_FAILED', { current: d.revision });
      const form = packOfDraft(d).forms.get(req.params.formId);
      if (!form) throw new ApiError('NOT_FOUND', { what: '表单' });
      return sendValidators(req, reply, cachedValidators(`d${d.id}@${d.revision}/${form.id}`, () => [{ schema: form.schema as Record<string, unknown>, ui: form.ui as Record<string, unknown> | undefined }]));
    },
  );

  app.put(
    '/api/pack-drafts/:id',
    {
      schema: {
        tags: ['workbench'],
        summary: '保存草稿的文件（revision 须为当前修改次数，否则 412），返回整包检查结果',
        params: idParam,
        body: { type: 'object', additionalProperties: false, required: ['revision', 'files'], properties: { revision: { type: 'integer', minimum: 1 }, files: { type: 'object' } } },
        response: ok(
          {
            type: 'object',
            required: [...PackDraftSummary.required, 'ok', 'problems'],
            properties: { ...PackDraftSummary.properties, ok: { type: 'boolean' }, problems: { type: 'array', items: { $ref: 'CheckProblem#' } } },
          },
          '已保存，及整包检查结果',
        ),
      },
    },
    async (req) => {
      const u = requireUser(req, ['admin']);
      const { id } = req.params;
      const b = req.body;
      const d = await draftOf(id);
      // the save and its audit entry (which files changed), both or neither
      const files = changedFiles(d.files, b.files);
      const updated = await storage.transaction(async (t) => {
        const x = await t.updatePackDraft(d.id, b.revision, b.files);
        if (x) await t.appendAudit({ actorId: u.id, action: 'pack.draft.save', entity: 'pack', entityId: d.packId, after: { draft: d.id, revision: x.revision, files }, at: ctx.now() });
        return x;
      });
      if (!updated) throw new ApiError('PRECONDITION_FAILED', { current: d.revision });
      const problems = await checkDraft(updated, packOfDraft(updated));
      return { ...draftView(updated), ok: !problems.some((p) => p.severity === 'error'), problems };
    },
  );

  app.delete('/api/pack-drafts/:id', { schema: { tags: ['workbench'], summary: '删除草稿', params: idParam, response: noContent } }, async (req, reply) => {
    const u = requireUser(req, ['admin']);
    const d = await draftOf(req.params.id);
    await storage.transaction(async (t) => {
      await t.deletePackDraft(d.id);
      await t.appendAudit({ actorId: u.id, action: 'pack.draft.delete', entity: 'pack', entityId: d.packId, after: { draft: d.id }, at: ctx.now() });
    });
    return reply.status(204).send();
  });

  app.get('/api/pack-drafts/:id/check', { schema: { tags: ['workbench'], summary: '草稿的整包检查与样例运行结果（与 yuanping check、yuanping fixtures 相同）',
        params: idParam,
        response: ok(
          {
            type: 'object',
            required: ['ok', 'problems', 'fixtures'],
            properties: { ok: { type: 'boolean' }, problems: { type: 'array', items: { $ref: 'CheckProblem#' } }, fixtures: { type: 'array', items: { $ref: 'FixtureRun#' } } },
          },
          '检查与样例结果',
        ),
      } }, async (req) => {
    requireUser(req, ['admin']);
    const d = await draftOf(req.params.id);
    const pack = packOfDraft(d);
    const problems = await checkDraft(d, pack);
    let fixtures: ReturnType<typeof runAllFixtures> = [];
    try {
      fixtures = runAllFixtures(pack);
    } catch {
      // a pack whose check fails may not run: the problems say why
    }
    return { ok: !problems.some((p) => p.severity === 'error'), problems, fixtures };
  });

  app.post(
    '/api/pack-drafts/:id/accept-unchanged',
    {
      schema: {
        tags: ['workbench'],
        summary:
          '一并接受结果未变的待复核样例（与 yuanping fixtures --accept-unchanged 相同）：从上一年度复制、按草稿运行结果与期望一致的样例去掉待复核标记并保存（revision 须为当前修改次数，否则 412）；其余仍待复核，逐一列出',
        params: idParam,
        body: { type: 'object', additionalProperties: false, required: ['revision'], properties: { revision: { type: 'integer', minimum: 1 } } },
        response: ok(
          {
            type: 'object',
            required: [...PackDraftSummary.required, 'accepted', 'review', 'files'],
            properties: {
              ...PackDraftSummary.properties,
              accepted: { type: 'array', items: { type: 'string' }, description: '刚标为已复核的样例文件' },
              review: { type: 'array', items: { $ref: 'FixtureRun#' }, description: '仍待复核的样例（结果与期望不同，须逐一核对）' },
              files: { type: 'object', additionalProperties: {}, description: '保存后的草稿文件' },
            },
          },
          '已接受结果未变的样例',
        ),
      },
    },
    async (req) => {
      const u = requireUser(req, ['admin']);
      const d = await draftOf(req.params.id);
      if (d.revision !== req.body.revision) throw new ApiError('PRECONDITION_FAILED', { current: d.revision });
      const runs = runAllFixtures(packOfDraft(d));
      const reviewed = acceptUnchanged(d.files, runs);
      const accepted = Object.keys(reviewed);
      // the fixtures accepted and the audit entry naming them, both or neither
      const updated = accepted.length
        ? await storage.transaction(async (t) => {
            const x = await t.updatePackDraft(d.id, d.revision, { ...d.files, ...reviewed });
            if (x) await t.appendAudit({ actorId: u.id, action: 'pack.fixtures.accept', entity: 'pack', entityId: d.packId, after: { draft: d.id, revision: x.revision, fixtures: accepted }, at: ctx.now() });
            return x;
          })
        : d;
      if (!updated) throw new ApiError('PRECONDITION_FAILED', { current: d.revision });
      return { ...draftView(updated), accepted, review: runs.filter((r) => r.review && !(r.file in reviewed)), files: updated.files };
    },
  );

  app.post(
    '/api/pack-drafts/:id/accept-new-result',
    {
      schema: {
        tags: ['workbench'],
        summary:
          '接受新结果：一个待复核、按草稿运行结果与期望不同的样例，把它的期望改为按草稿运行的结果、去掉待复核标记并保存（revision 须为当前修改次数，否则 412；不能接受时 422 FIXTURE_NOT_ACCEPTABLE），记入审计日志',
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['revision', 'file'],
          properties: { revision: { type: 'integer', minimum: 1 }, file: { type: 'string', minLength: 1, maxLength: 300, description: '样例文件（检查结果中的 file）' } },
        },
        response: ok(
          {
            type: 'object',
            required: [...PackDraftSummary.required, 'files'],
            properties: { ...PackDraftSummary.properties, files: { type: 'object', additionalProperties: {}, description: '保存后的草稿文件' } },
          },
          '已接受新结果',
        ),
      },
    },
    async (req) => {
      const u = requireUser(req, ['admin']);
      const d = await draftOf(req.params.id);
      const { revision, file } = req.body;
      if (d.revision !== revision) throw new ApiError('PRECONDITION_FAILED', { current: d.revision });
      const pack = packOfDraft(d);
      const r = acceptNewResult(pack, file);
      if ('reason' in r) throw new ApiError('FIXTURE_NOT_ACCEPTABLE', { title: pack.fixtures.find((x) => x.file === file)?.fixture.title ?? file, reason: r.reason });
      const updated = await storage.transaction(async (t) => {
        const x = await t.updatePackDraft(d.id, d.revision, { ...d.files, [file]: r.content });
        if (x) await t.appendAudit({ actorId: u.id, action: 'pack.fixtures.accept', entity: 'pack', entityId: d.packId, after: { draft: d.id, revision: x.revision, fixtures: [file], newResult: true }, at: ctx.now() });
        return x;
      });
      if (!updated) throw new ApiError('PRECONDITION_FAILED', { current: d.revision });
      return { ...draftView(updated), files: updated.files };
    },
  );

  async function impactFor(d: PackDraft, baseVersionId: number | undefined, onProgress?: (done: number, total: number) => void, scoreBasis?: 'self' | 'reviewer'): Promise<{ report: ImpactReport; base: { id: number; packId: string; version: number; title: string } }> {
    const baseId = baseVersionId ?? d.basedOnVersionId;
    if (baseId === null) throw new ApiError('NOT_FOUND', { what: '用于比较的发布版本' });
    const pv = await storage.getPackVersion(baseId);
    if (!pv) throw new ApiError('NOT_FOUND', { what: '通知包版本' });
    const subs = await impactSubmissions(ctx, pv.packId);
    const report = impactOf(ctx.packOf(pv), packOfDraft(d), subs, { ...(onProgress ? { onProgress } : {}), ...(scoreBasis ? { scoreBasis } : {}) });
    return { report, base: { id: pv.id, packId: pv.packId, version: pv.version, title: pv.title } };
  }
  const impactQuery = {
    type: 'object',
    properties: {
      baseVersionId: { type: 'string', pattern: '^[0-9]{1,9}$' },
      stream: { type: 'string', enum: ['0', '1'] },
      scoreBasis: { type: 'string', enum: ['self', 'reviewer'], description: '评分表按自评分（默认）或审核人的评分计算' },
    },
  } as const;

  app.get(
    '/api/pack-drafts/:id/impact',
    {
      schema: {
        tags: ['workbench'],
        summary: '影响预览：把某一发布版本（默认草稿的底稿，即上一年度）的全部已存申报按草稿重新计算，列出结果（等级、档次、得分、资格）变化的园区及原因；?stream=1 时以 NDJSON 逐行给出进度 {done,total}，最后一行为结果',
        params: idParam,
        querystring: impactQuery,
        response: oneOfMedia(
          {
            'application/json': { $ref: 'ImpactResult#' },
            'application/x-ndjson': { type: 'string', description: '每行一个 JSON：{done,total}，最后一行为 ImpactResult 或 {error}' },
          },
          '影响预览（?stream=1 时为 NDJSON：进度行 {done,total}，最后一行为结果或 {error}）',
        ),
      },
    },
    async (req, reply) => {
      requireUser(req, ['admin']);
      const d = await draftOf(req.params.id);
      const q = req.query;
      const baseVersionId = q.baseVersionId ? Number(q.baseVersionId) : undefined;
      if (q.stream !== '1') return impactFor(d, baseVersionId, undefined, q.scoreBasis);
      return ctx.queues.evaluate.run(req, reply, async () => {
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
        let last = 0;
        try {
          const r = await impactFor(d, baseVersionId, (done, total) => {
            const now = performance.now();
            if (now - last > 100 || done === total) {
              last = now;
              raw.write(JSON.stringify({ done, total }) + '\n');
            }
          }, q.scoreBasis);
          raw.end(JSON.stringify(r) + '\n');
        } catch (e) {
          raw.end(JSON.stringify({ error: e instanceof ApiError ? e.toJSON() : { code: 'EVALUATION_FAILED', message: e instanceof Error ? e.message : String(e) } }) + '\n');
        }
      });
    },
  );

  app.get('/api/pack-drafts/:id/impact.xlsx', { schema: { tags: ['workbench'], summary: '影响预览导出为 xlsx', params: idParam, querystring: impactQuery, response: file(XLSX, '影响预览工作簿') } }, async (req, reply) => {
    requireUser(req, ['admin']);
    const d = await draftOf(req.params.id);
    const q = req.query;
    const { report, base } = await impactFor(d, q.baseVersionId ? Number(q.baseVersionId) : undefined, undefined, q.scoreBasis);
    const title = `${d.title}：与 ${base.packId} 第 ${base.version} 版相比的影响预览`;
    return reply
      .header('content-type', XLSX)
      .header('content-disposition', contentDisposition(`影响预览-${d.packId}.xlsx`, `impact-${d.packId}.xlsx`))
      .header('cache-control', 'private, no-store')
      .send(await impactXlsx(report, title));
  });

  app.post('/api/pack-drafts/:id/publish', { schema: { tags: ['workbench'], summary: '发布草稿：整包检查通过后原子发布为新版本（不可修改），草稿随之删除',
        params: idParam,
        response: { ...ok({ $ref: 'PackPublished#' }, '与已有版本相同，它成为当前版本'), ...ok({ $ref: 'PackPublished#' }, '已发布为新版本', 201) },
      } }, async (req, reply) => {
    const u = requireUser(req, ['admin']);
    const d = await draftOf(req.params.id);
    const pack = packOfDraft(d);
    const problems = await checkDraft(d, pack, ctx.strictPublish);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new ApiError('PACK_INVALID', { count: errors.length }, { details: problems });
    const result = await storage.transaction(async (t) => {
      const r = await t.publishPackVersion({ packId: pack.id, hash: pack.hash, title: pack.manifest.title, manifest: pack.manifest, files: pack.files, publishedBy: u.id, makeCurrent: true });
      await t.deletePackDraft(d.id);
      await t.appendAudit({ actorId: u.id, action: r.created ? 'pack.publish' : 'pack.current', entity: 'pack', entityId: pack.id, after: { version: r.version.version, hash: pack.hash, draft: d.id }, at: ctx.now() });
      return r;
    });
    forgetLatest(ctx, pack.id);
    return reply.status(result.created ? 201 : 200).send({ ...versionView(result.version), created: result.created, madeCurrent: result.madeCurrent, warnings: problems.filter((p) => p.severity !== 'error') });
  });

  app.post(
    '/api/packs/:packId/current',
    {
      schema: {
        tags: ['workbench'],
        summary: '回退（或恢复）：让某一已发布版本成为当前版本，记入审计日志',
        params: { type: 'object', required: ['packId'], properties: { packId: { type: 'string', maxLength: 100 } } },
        body: { type: 'object', additionalProperties: false, required: ['versionId'], properties: { versionId: { type: 'integer', minimum: 1, maximum: 2147483647 } } },
        response: listOf('PackVersion', '该通知包的全部版本（current 标出当前版本）'),
      },
    },
    async (req) => {
      const u = requireUser(req, ['admin']);
      const { packId } = req.params;
      const { versionId } = req.body;
      const pv = await storage.getPackVersionRef(versionId);
      if (!pv || pv.packId !== packId) throw new ApiError('NOT_FOUND', { what: `通知包“${packId}”的这一版本` });
      await storage.transaction(async (t) => {
        const before = await t.latestPackVersionRef(packId);
        await t.setCurrentPackVersion(packId, versionId, u.id);
        await t.appendAudit({ actorId: u.id, action: 'pack.current', entity: 'pack', entityId: packId, before: { version: before?.version ?? null }, after: { version: pv.version, hash: pv.hash }, at: ctx.now() });
      });
      forgetLatest(ctx, packId);
      return (await storage.listPackVersions(packId)).map((v) => ({ ...versionView(v), current: v.current }));
    },
  );
}
