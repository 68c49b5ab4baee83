/**
 * A pack's workbook over HTTP (administrators only): download a published version's or a
 * draft's tables as one xlsx; upload the edited workbook against the same pack and get the
 * changed files, the full check and the readable diff — nothing is stored here: the page puts
 * the files into its draft, and publishing is `POST /api/packs` as for any draft. A refused cell
 * answers 422 WORKBOOK_INVALID with each cell's sheet, row, column and reason.
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { exportPackWorkbook, importPackWorkbook } from '@yuanping/workbook';
import type { Ctx } from '../ctx.js';
import { requireUser } from '../session.js';
import type { PackLike } from '../engine.js';
import { ApiError } from '../errors.js';
import { file, ok, XLSX } from '../components.js';
import { contentDisposition } from './export.js';


/** Which pack a workbook request is about: a published version, a directory of the server's repository, or a draft's files. */
const baseProps = {
  versionId: { type: 'integer', minimum: 1, maximum: 2147483647, description: '已发布的版本' },
  ref: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9-]*$', description: '服务器仓库中的通知包目录' },
  id: { type: 'string', minLength: 1, maxLength: 100, description: '草稿的通知包标识（与 files 一起）' },
  files: { type: 'object', description: '草稿的全部文件（路径 → 解析后的 JSON）' },
} as const;
type Base = { versionId?: number; ref?: string; id?: string; files?: Record<string, unknown> };

export async function workbookRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  async function basePack(b: Base): Promise<PackLike> {
    if (b.versionId !== undefined) {
      const pv = await ctx.storage.getPackVersion(b.versionId);
      if (!pv) throw new ApiError('NOT_FOUND', { what: '通知包版本' });
      return ctx.packOf(pv);
    }
    if (b.ref) {
      try {
        return await ctx.engine.loadPack(b.ref, ctx.packRoot ? { root: ctx.packRoot } : {});
      } catch {
        throw new ApiError('NOT_FOUND', { what: `通知包“${b.ref}”` });
      }
    }
    if (b.id && b.files) return ctx.engine.packFromFiles(b.files, b.id);
    throw new ApiError('BAD_REQUEST', { count: 1 }, { errors: [{ path: 'versionId', code: 'required', message: '请给出 versionId（已发布的版本）、ref（通知包目录名），或 id 与 files（草稿）' }] });
  }

  const sendWorkbook = async (pack: PackLike, reply: import('fastify').FastifyReply) =>
    reply
      .header('content-type', XLSX)
      .header('content-disposition', contentDisposition(`${pack.id}-工作簿.xlsx`, `${pack.id}-workbook.xlsx`))
      .header('cache-control', 'private, no-store')
      .send(await exportPackWorkbook(pack));

  app.get(
    '/api/pack-versions/:id/workbook',
    {
      schema: {
        tags: ['packs'],
        summary: '下载某一发布版本的工作簿（xlsx）：参数、日期、名额、评分分组、评分项、判定标准、选项各一张表，中文表头（管理员）',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,9}$' } } },
        response: file(XLSX, '工作簿'),
      },
    },
    async (req, reply) => {
      requireUser(req, ['admin']);
      return sendWorkbook(await basePack({ versionId: Number(req.params.id) }), reply);
    },
  );

  app.post(
    '/api/packs/workbook/export',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: { tags: ['packs'], summary: '下载草稿（或服务器仓库中某通知包）的工作簿（xlsx）（管理员）', body: { type: 'object', additionalProperties: false, properties: baseProps }, response: file(XLSX, '工作簿') },
    },
    async (req, reply) => {
      requireUser(req, ['admin']);
      return sendWorkbook(await basePack(req.body), reply);
    },
  );

  app.post(
    '/api/packs/workbook',
    {
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['packs'],
        summary:
          '上传修改过的工作簿（base64）：答复修改后的全部文件（files）、改动的文件、完整检查的问题和与原通知包的差异；不保存任何东西。有错误的单元格时答 422 WORKBOOK_INVALID，details 逐一写明工作表、行、列和原因（管理员）',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['workbook'],
          properties: { ...baseProps, workbook: { type: 'string', minLength: 1, maxLength: 24 * 1024 * 1024, description: 'xlsx 文件内容，base64' } },
        },
        response: ok(
          {
            type: 'object',
            required: ['packId', 'accepted', 'ok', 'stale', 'cellProblems', 'problems', 'diff', 'files', 'changedFiles', 'changes'],
            properties: {
              packId: { type: 'string' },
              accepted: { type: 'boolean', description: '没有被拒的单元格' },
              ok: { type: 'boolean', description: '修改后的通知包通过完整检查' },
              stale: { type: 'boolean', description: '工作簿导出自该通知包的另一内容' },
              cellProblems: {
                type: 'array',
                description: '被拒绝的单元格（拒绝时在错误的 details 中）',
                items: { $ref: 'CellProblem#' },
              },
              problems: { type: 'array', items: { $ref: 'CheckProblem#' } },
              diff: { type: 'array', items: { type: 'object', required: ['sectionLabel', 'kind', 'text'], properties: { sectionLabel: { type: 'string' }, kind: { type: 'string' }, text: { type: 'string' } } } },
              files: { type: ['object', 'null'], additionalProperties: {} },
              changedFiles: { type: 'array', items: { type: 'string' } },
              changes: { type: 'integer', description: '改动的单元格数' },
            },
          },
          '修改后的通知包（不保存）',
        ),
      },
    },
    async (req) => {
      requireUser(req, ['admin']);
      const b = req.body;
      const pack = await basePack(b);
      const r = await importPackWorkbook(pack, Buffer.from(b.workbook, 'base64'));
      if (!r.accepted) throw new ApiError('WORKBOOK_INVALID', { count: r.cellProblems.length }, { details: r.cellProblems });
      return { packId: pack.id, ...r };
    },
  );
}
