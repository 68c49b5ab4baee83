/**
 * A file imported into a table form, previewed: the filling unit uploads an xlsx or a CSV (UTF-8,
 * GB18030/GBK) and gets back the rows as the importer reads them — every bad cell kept as the file
 * wrote it and named (sheet, row, column, and where it went: section, row index, column key), every
 * normalisation named as a warning. Nothing is stored: the page shows the rows in its grid, the
 * user fixes the marked cells and saves them through the ordinary save (PUT /api/tables/…).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { importCsv, importXlsx, type ImportResult, type TableForm } from '@yuanping/tables';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import type { TableImportProblem } from '../components.js';
import { ApiError } from '../errors.js';
import { formatBytes } from '../gate.js';
import { cleanFileName, readUpload } from '../upload.js';
import { checkWindow } from '../workflow.js';
import { EDITABLE, statusLabel, tableSetup } from './tables.js';

/** The largest file a table import takes (a 1,200-row 附件1 is ≈ 150 KB as xlsx). */
export const TABLE_IMPORT_LIMIT = 16 * 1024 * 1024;

const params = {
  type: 'object',
  required: ['packId', 'formId'],
  properties: { packId: { type: 'string', maxLength: 100 }, formId: { type: 'string', maxLength: 100 } },
} as const;

const problem = { $ref: 'TableImportProblem#' } as const;

/** What kind of file the bytes are: an xlsx (a zip), an old binary .xls, or text (CSV). */
function kindOf(buf: Buffer): 'xlsx' | 'xls' | 'csv' {
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return 'xlsx';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'xls';
  return 'csv';
}

export async function tableImportRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  const { storage } = ctx;
  // request types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider<{ SerializerSchemaOptions: { references: [typeof TableImportProblem] } }>>();
  // the body is the file, handed on unread: it is read once the user may import into this table
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  app.post(
    '/api/tables/:packId/:formId/import',
    {
      bodyLimit: TABLE_IMPORT_LIMIT,
      schema: {
        tags: ['tables'],
        summary:
          '导入预览：请求体为 xlsx 或 CSV 文件本身（CSV 可为 UTF-8 或 GB18030/GBK），由本级填报单位上传；答复文件中读到的数据 data（有错的单元格保留文件中的原文）、每处错误 errors 与每处规整 warnings（工作表、行、列，及其在 data 中的节、行序号、列字段名）。不保存任何东西：改正后用 PUT 保存。读不出表格时答 422（TABLE_IMPORT_UNREADABLE、TABLE_IMPORT_NO_TABLE，details 写明位置）；上限 16 MiB',
        params,
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['filename'],
          properties: { filename: { type: 'string', minLength: 1, maxLength: 255, description: '文件名（只用于提示）' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['ok', 'format', 'filename', 'rowCount', 'data', 'errors', 'warnings'],
            properties: {
              ok: { type: 'boolean', description: '没有错误' },
              format: { type: 'string', enum: ['xlsx', 'csv'] },
              filename: { type: 'string' },
              rowCount: { type: 'integer', description: '读到的数据行数（各节合计）' },
              data: { type: 'object', additionalProperties: true, description: '表单数据：各节的行与表头前字段' },
              errors: { type: 'array', items: problem },
              warnings: { type: 'array', items: problem },
            },
          },
        },
      },
    },
    async (req) => {
      const u = requireUser(req);
      const { pv, pack, form, filler } = await tableSetup(ctx, req.params, u);
      if (u.role !== filler) throw new ApiError('FORBIDDEN');
      if (ctx.enforceWindows) checkWindow(pack, u.role, form.id, ctx.now(), { allowBeforeOpen: true });
      const own = await storage.getTableReport(pv.packId, form.id, u.orgCode as string);
      if (own && !EDITABLE.includes(own.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(own.status), action: '导入' });
      const name = cleanFileName(req.query.filename);
      const stream = req.body;
      if (!(stream instanceof Readable)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', { type: String(req.headers['content-type'] ?? '').trim() || '（未声明）' });
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > TABLE_IMPORT_LIMIT) throw new ApiError('FILE_TOO_LARGE', { size: formatBytes(declared), max: formatBytes(TABLE_IMPORT_LIMIT) });
      const { content } = await readUpload(stream, TABLE_IMPORT_LIMIT);
      if (content.length === 0) throw new ApiError('TABLE_IMPORT_UNREADABLE', { name, detail: '文件是空的' });
      const kind = kindOf(content);
      if (kind === 'xls') throw new ApiError('TABLE_IMPORT_UNREADABLE', { name, detail: '这是旧版 Excel 97-2003（.xls）格式，请在 Excel 或 WPS 中另存为“Excel 工作簿（.xlsx）”' });
      const schema = form.schema as TableForm;
      const r: ImportResult = kind === 'xlsx' ? await importXlsx(schema, content) : importCsv(schema, content);
      if (r.ok) return { ok: true, format: kind, filename: name, rowCount: rowCount(r.data), data: r.data, errors: [], warnings: r.warnings };
      if (!r.partial) {
        // the file holds no such table (no header found, no sheet, not a workbook): nothing to preview
        const first = r.errors[0];
        if (first && first.row === 0 && first.sheet === '' && kind === 'xlsx') throw new ApiError('TABLE_IMPORT_UNREADABLE', { name, detail: first.reason }, { details: r.errors });
        if (first && first.row === 0 && kind === 'csv') throw new ApiError('TABLE_IMPORT_UNREADABLE', { name, detail: first.reason }, { details: r.errors });
        const where = first ? `${first.sheet ? `工作表“${first.sheet}”` : ''}${first.row ? `第 ${first.row} 行` : ''}` : '';
        throw new ApiError('TABLE_IMPORT_NO_TABLE', { name, reason: `${where}${where ? '：' : ''}${first?.reason ?? '没有数据'}` }, { details: r.errors });
      }
      return { ok: false, format: kind, filename: name, rowCount: rowCount(r.partial), data: r.partial, errors: r.errors, warnings: r.warnings };
    },
  );
}

/** The rows of every section of a data object. */
function rowCount(data: Record<string, unknown>): number {
  return Object.values(data).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
}
