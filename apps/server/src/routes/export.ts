/**
 * Official-layout xlsx downloads: a county/city summary table, and a stored cohort run (the
 * source table's layout with the results appended on the right, as `yuanping cohort --out x.xlsx`).
 * Read access is the same as the JSON routes: outside one's area the answer is 404.
 *
 * Each is also an export job (POST …/xlsx-job, for more than LONG_WORK_ROWS rows: the web app
 * starts the job then): the workbook is written in steps with the job's progress (rows written of
 * the total) and cancel, and kept as the job's result (storage.saveJobResult, in the transaction
 * that ends the job: a cancelled job keeps nothing), downloaded from GET /api/jobs/:id/result
 * until housekeeping sweeps it (JOB_RESULT_TTL_MS). The direct download stays for any size.
 */
import { idParam } from '../http.js';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Job, OrgLevel, TableReport, User } from '@yuanping/storage';
import { gradedTable, type CohortRecordResult } from '@yuanping/cohort';
import { exportXlsx, type Row, type TableForm } from '@yuanping/tables';
import { EXPORT_JOB_KIND, LONG_WORK_ROWS } from '@yuanping/core';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import type { FormLike, PackLike } from '../engine.js';
import { ApiError } from '../errors.js';
import { rowsPath } from '../schema-path.js';
import { canSeeRun } from './cohort.js';
import { resolvePack } from './packs.js';
import { combineData, preambleOf, reportData } from '../table-data.js';
import { file, ok, XLSX } from '../components.js';
import type { JobRun } from '../jobs.js';

const LEVELS: OrgLevel[] = ['county', 'city', 'province'];

function levelIndex(l: string): number {
  return LEVELS.indexOf(l as OrgLevel);
}

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266 / RFC 5987). */
export function contentDisposition(name: string, fallback: string): string {
  const ascii = fallback.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function safeName(s: string): string {
  return s.replace(/[\\/:*?"<>|\r\n\t]/g, '_').trim();
}

function sendXlsx(reply: FastifyReply, buf: Buffer, name: string, fallback: string): FastifyReply {
  return reply
    .header('content-type', XLSX)
    .header('content-disposition', contentDisposition(`${safeName(name)}.xlsx`, `${safeName(fallback)}.xlsx`))
    .header('cache-control', 'private, no-store')
    .send(buf);
}

/** The data rows of a table's data object: the rows of every section (arrays at the top level). */
function dataRows(data: unknown): number {
  if (Array.isArray(data)) return data.length;
  if (!data || typeof data !== 'object') return 0;
  return Object.values(data).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
}

function formLabel(form: FormLike): string {
  return form.attachment ?? form.title ?? form.id;
}

/** The table form a cohort step reads its records from: the manifest's declaration, or the only table of the pack. */
function cohortSource(pack: PackLike, stepId: string): { form: FormLike; path: string } | null {
  const decl = pack.manifest.cohortSteps?.find((s) => s.id === stepId)?.records;
  const tables = [...pack.forms.values()].filter((f) => f.kind === 'table');
  const form = decl?.form ? pack.forms.get(decl.form) : tables.length === 1 ? tables[0] : undefined;
  if (!form) return null;
  const path = decl?.path ?? rowsPath(form.schema);
  if (path === null || path === '') return null;
  return { form, path };
}

export async function exportRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  /** Whether `code` is `own` or lies under it (county under its city, anything under the province). */
  async function withinArea(own: string, code: string): Promise<boolean> {
    let cur: string | null = code;
    for (let i = 0; i < 5 && cur; i++) {
      if (cur === own) return true;
      cur = (await storage.getOrgUnit(cur))?.parentCode ?? null;
    }
    return false;
  }

  const accepted = (rs: TableReport[]) => rs.filter((r) => r.status === 'submitted' || r.status === 'accepted');

  /** A workbook to write: its data rows, its file name (and ASCII fallback), and the writing (with progress: rows written, or a phase). */
  interface Workbook {
    rows: number;
    name: string;
    fallback: string;
    write: (progress?: (done: number, phase?: string) => Promise<void>) => Promise<Buffer>;
  }

  const tableParams = {
    type: 'object',
    required: ['packId', 'formId'],
    properties: { packId: { type: 'string', maxLength: 100 }, formId: { type: 'string', maxLength: 100 } },
  } as const;
  const tableQuery = { type: 'object', additionalProperties: false, properties: { orgCode: { type: 'string', maxLength: 20 } } } as const;

  /** A summary table's workbook as `u` may download it: its own content, the combination of the units below, or one unit's below (orgCode). */
  async function tableWorkbook(u: User, packId: string, formId: string, orgCode: string | undefined): Promise<Workbook> {
    const { pv, pack } = await resolvePack(ctx, packId);
    const form = pack.forms.get(formId);
    if (!form) throw new ApiError('FORM_NOT_FOUND', { form: formId });
    const filler = form.scope;
    const path = rowsPath(form.schema);
    if ((filler !== 'county' && filler !== 'city') || path === null) throw new ApiError('TABLE_NOT_TABLE', { form: formId, level: '县或市' });
    if (u.role !== 'county' && u.role !== 'city' && u.role !== 'province') throw new ApiError('FORBIDDEN');
    if (!u.orgCode) throw new ApiError('FORBIDDEN');
    if (levelIndex(u.role) < levelIndex(filler)) throw new ApiError('FORBIDDEN');
    const own = u.orgCode;
    const target = orgCode ?? own;
    const unit = await storage.getOrgUnit(target);
    if (!unit || !(await withinArea(own, target))) throw new ApiError('NOT_FOUND', { what: '汇总表' });
    // the whole data object: every section and the top-level (preamble) fields
    let data: unknown;
    if (target !== own) {
      // a unit below: its own report as it stands
      const rep = await storage.getTableReport(pv.packId, form.id, target);
      if (!rep) throw new ApiError('NOT_FOUND', { what: '汇总表' });
      data = reportData(form.schema, rep);
    } else if (u.role === 'province' || (u.role === 'city' && filler === 'county')) {
      const below = await storage.listOrgUnits({ parentCode: own, level: u.role === 'province' ? 'city' : 'county' });
      const ownRep = await storage.getTableReport(pv.packId, form.id, own);
      data = combineData(form.schema, accepted(await storage.listTableReports(pv.packId, form.id, below.map((c) => c.code))), preambleOf(form.schema, reportData(form.schema, ownRep))).data;
    } else {
      data = reportData(form.schema, await storage.getTableReport(pv.packId, form.id, own));
    }
    return {
      rows: dataRows(data),
      name: `${formLabel(form)}-${unit.name}`,
      fallback: `${form.id}-${unit.code}`,
      write: (progress) => exportXlsx(form.schema as TableForm, data as Row[] | Record<string, unknown>, progress ? { onProgress: (n) => progress(n) } : {}),
    };
  }

  /** A stored cohort run's workbook: the source table's official layout with the results filled and appended. */
  async function cohortWorkbook(u: User, id: string): Promise<Workbook> {
    const r = await storage.getCohortRun(id);
    const parent = r ? ((await storage.getOrgUnit(r.orgCode))?.parentCode ?? null) : null;
    if (!r || !canSeeRun(u, r, () => parent)) throw new ApiError('NOT_FOUND', { what: '群体评价运行' });
    const pack = await ctx.packById(r.packVersionId);
    const src = cohortSource(pack, r.stepId);
    if (!src) throw new ApiError('NOT_FOUND', { what: `群体评价步骤“${r.stepId}”的来源汇总表` });
    const step = pack.cohortSteps.get(r.stepId);
    const stepTitle = (step?.step as { title?: unknown } | undefined)?.title;
    const org = (await storage.getOrgUnit(r.orgCode))?.name ?? r.orgCode;
    return {
      rows: r.recordCount,
      name: `${formLabel(src.form)}-${typeof stepTitle === 'string' ? stepTitle : r.stepId}-${org}`,
      fallback: `${r.stepId}-${r.id}`,
      write: async (progress) => {
        // the run's records read from the database page by page (input order), paired by seq
        const input: Row[] = [];
        const results: CohortRecordResult[] = [];
        for await (const page of storage.cohortRunRecordPages(r.id)) {
          for (const x of page) {
            input.push((x.input ?? {}) as Row);
            results.push(x.result as CohortRecordResult);
          }
          await progress?.(0, `读取记录（${input.length.toLocaleString('zh-CN')} / ${r.recordCount.toLocaleString('zh-CN')}）`);
        }
        // the official columns the form maps (x-result) filled, the platform's results appended where the form asks
        const { rows, extraColumns } = gradedTable(src.form.schema, src.path, input, results);
        await progress?.(0, '写入工作簿');
        return exportXlsx(src.form.schema as TableForm, { [src.path]: rows }, { extraColumns, ...(progress ? { onProgress: (n: number) => progress(n) } : {}) });
      },
    };
  }

  /** Writes the workbook as a job of `u`: progress (rows written), cancel, the file kept as the job's result. */
  async function exportJob(u: User, w: Workbook, params: Record<string, string>): Promise<Job> {
    return ctx.jobs.start({ kind: EXPORT_JOB_KIND, orgCode: u.orgCode, params: { ...params, rows: w.rows, name: `${safeName(w.name)}.xlsx` }, total: w.rows, createdBy: u.id }, async (j: JobRun) => {
      await j.progress(0, { total: w.rows, phase: '写入工作簿' });
      const buf = await w.write((done, phase) => j.progress(done, phase ? { phase } : {}));
      await j.progress(w.rows, { phase: '保存文件' });
      await j.commit(async (t) => {
        await t.saveJobResult(j.job.id, { name: `${safeName(w.name)}.xlsx`, contentType: XLSX, content: buf, at: ctx.now() });
        return j.job.id;
      }, w.rows);
    });
  }

  app.get(
    '/api/tables/:packId/:formId/xlsx',
    {
      schema: {
        tags: ['tables'],
        summary: '下载汇总表的官方版式 xlsx（本级内容或下级汇总；orgCode：本辖区内某一下级单位的表）',
        params: tableParams,
        querystring: tableQuery,
        response: file(XLSX, '汇总表工作簿'),
      },
    },
    async (req, reply) => {
      const w = await tableWorkbook(requireUser(req), req.params.packId, req.params.formId, req.query.orgCode);
      // writing a workbook is the expensive part: in the bounded export queue (503 + Retry-After when full)
      const buf = await ctx.queues.export.run(req, reply, () => w.write());
      return sendXlsx(reply, buf, w.name, w.fallback);
    },
  );

  app.post(
    '/api/tables/:packId/:formId/xlsx-job',
    {
      schema: {
        tags: ['tables', 'jobs'],
        summary: `以任务方式导出汇总表的官方版式 xlsx（超过 ${LONG_WORK_ROWS} 行时网页用它）：立即答复任务，进度（已写入行数 / 总行数）与取消见 /api/jobs/{id}，完成后从 /api/jobs/{id}/result 下载`,
        params: tableParams,
        querystring: tableQuery,
        response: ok({ $ref: 'Job#' }, '任务已创建（排队或运行中）', 202),
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const w = await tableWorkbook(u, req.params.packId, req.params.formId, req.query.orgCode);
      const job = await exportJob(u, w, { what: 'table', packId: req.params.packId, formId: req.params.formId, ...(req.query.orgCode ? { orgCode: req.query.orgCode } : {}) });
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/api/cohort-runs/:id/xlsx',
    {
      schema: {
        tags: ['cohort'],
        summary: '下载群体评价运行结果：来源汇总表的官方版式 xlsx，表单声明的官方列（x-result，如档次列）填入结果，表单要求的平台列（x-table.results）附在右侧并标为增设',
        params: idParam,
        response: file(XLSX, '结果工作簿'),
      },
    },
    async (req, reply) => {
      const w = await cohortWorkbook(requireUser(req, ['county', 'city', 'province', 'admin']), req.params.id);
      const buf = await ctx.queues.export.run(req, reply, () => w.write());
      return sendXlsx(reply, buf, w.name, w.fallback);
    },
  );

  app.post(
    '/api/cohort-runs/:id/xlsx-job',
    {
      schema: {
        tags: ['cohort', 'jobs'],
        summary: `以任务方式导出群体评价运行结果的官方版式 xlsx（超过 ${LONG_WORK_ROWS} 条记录时网页用它）：进度与取消见 /api/jobs/{id}，完成后从 /api/jobs/{id}/result 下载`,
        params: idParam,
        response: ok({ $ref: 'Job#' }, '任务已创建（排队或运行中）', 202),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['county', 'city', 'province', 'admin']);
      const w = await cohortWorkbook(u, req.params.id);
      return reply.status(202).send(await exportJob(u, w, { what: 'cohort-run', runId: req.params.id }));
    },
  );
}
