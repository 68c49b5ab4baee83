/**
 * People and places, for administrators: reset a password (the user must set a new one at the
 * next sign-in), disable and enable an account (a disabled user cannot sign in; their sessions
 * end), bulk-import accounts and parks from an xlsx (every row checked first, nothing stored
 * when one is wrong), and the audit log as a page — filtered and paginated on the server — for
 * administrators and, within their area, reviewers.
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Role, Storage, User } from '@yuanping/storage';
import { formatMessage, LONG_WORK_ROWS, type ErrorCode } from '@yuanping/core';
import { publicUser, requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { hashPassword } from '../auth.js';
import { ApiError } from '../errors.js';
import { idParam } from '../http.js';
import { isValidCreditCode, isValidMobile } from '../ids.js';
import { importTemplate, PARK_COLUMNS, readImportSheet, ROLE_NAMES, USER_COLUMNS, type ImportColumn, type ImportProblem, type ImportRow } from '../people-import.js';
import { contentDisposition } from './export.js';
import { submissionFilterFor } from '../scope.js';
import { file, ok, XLSX } from '../components.js';

const importBody = {
  type: 'object',
  additionalProperties: false,
  required: ['workbook'],
  properties: {
    workbook: { type: 'string', minLength: 1, maxLength: 16 * 1024 * 1024, description: 'xlsx 文件内容，base64' },
    dryRun: { type: 'boolean', description: '只检查，不保存' },
  },
} as const;
/** The answer of an import: what was created (none on a dry run) and how many rows. */
const importAnswer = (item: 'User' | 'Park') =>
  ({
    type: 'object',
    required: ['created', 'count', 'dryRun'],
    properties: { created: { type: 'array', items: { $ref: `${item}#` } }, count: { type: 'integer' }, dryRun: { type: 'boolean' } },
  }) as const;

/** The kind of the jobs that import accounts or parks (their result: the answer as JSON, problems included). */
export const IMPORT_JOB_KIND = 'import.people';
/** Rows checked (or prepared) between two progress reports of an import job. */
export const IMPORT_PROGRESS_ROWS = 100;

export async function peopleRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  async function account(id: string): Promise<User> {
    const u = await storage.getUser(id);
    if (!u) throw new ApiError('NOT_FOUND', { what: '用户' });
    return u;
  }

  app.post(
    '/api/users/:id/reset-password',
    {
      schema: {
        tags: ['users'],
        summary: '重置用户密码（管理员）：设为给出的临时密码，用户下次登录须先设置新密码；该用户的会话全部结束',
        params: idParam,
        body: { type: 'object', additionalProperties: false, required: ['password'], properties: { password: { type: 'string', minLength: 8, maxLength: 200 } } },
        response: ok({ $ref: 'User#' }, '已重置'),
      },
    },
    async (req) => {
      const admin = requireUser(req, ['admin']);
      const target = await account(req.params.id);
      const passwordHash = await hashPassword(req.body.password);
      const after = await storage.transaction(async (t) => {
        const u = await t.updateUserAccount(target.id, { passwordHash, mustChangePassword: true });
        await t.appendAudit({ actorId: admin.id, action: 'user.reset_password', entity: 'user', entityId: target.id, at: ctx.now() });
        return u as User;
      });
      ctx.sessions.deleteUser(target.id);
      return publicUser(after);
    },
  );

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(
      `/api/users/:id/${path}`,
      {
        schema: {
          tags: ['users'],
          summary: disabled ? '停用账户（管理员）：不能再登录，会话全部结束' : '重新启用账户（管理员）',
          params: idParam,
          response: ok({ $ref: 'User#' }, disabled ? '已停用' : '已启用'),
        },
      },
      async (req) => {
        const admin = requireUser(req, ['admin']);
        const target = await account(req.params.id);
        if (disabled && target.id === admin.id) throw new ApiError('INVALID_STATE', { status: '当前登录', action: '停用自己的账户' });
        const after = await storage.transaction(async (t) => {
          const u = await t.updateUserAccount(target.id, { disabled, at: ctx.now() });
          await t.appendAudit({ actorId: admin.id, action: disabled ? 'user.disable' : 'user.enable', entity: 'user', entityId: target.id, at: ctx.now() });
          return u as User;
        });
        ctx.sessions.deleteUser(target.id);
        return publicUser(after);
      },
    );
  }

  const say = (row: number, column: string, code: ErrorCode, params: Record<string, unknown> = {}): ImportProblem => ({ row, column, code, message: formatMessage(code, params) });
  const refuse = (problems: ImportProblem[]) => {
    throw new ApiError('IMPORT_INVALID', { count: problems.length }, { details: problems });
  };

  app.get('/api/users/import-template', { schema: { tags: ['users'], summary: '批量导入账户的 xlsx 模板（管理员）', response: file(XLSX, '模板') } }, async (req, reply) => {
    requireUser(req, ['admin']);
    return reply.header('content-type', XLSX).header('content-disposition', contentDisposition('账户导入模板.xlsx', 'users-template.xlsx')).send(await importTemplate(USER_COLUMNS, '账户'));
  });
  app.get('/api/parks/import-template', { schema: { tags: ['parks'], summary: '批量导入园区的 xlsx 模板（管理员）', response: file(XLSX, '模板') } }, async (req, reply) => {
    requireUser(req, ['admin']);
    return reply.header('content-type', XLSX).header('content-disposition', contentDisposition('园区导入模板.xlsx', 'parks-template.xlsx')).send(await importTemplate(PARK_COLUMNS, '园区'));
  });

  /**
   * An import: its rows read from the workbook (a problem of the file refuses it at once), then
   * checked row by row — a problem names its row, column and reason — and, when none was found
   * and it is not a dry run, created in one transaction. Over LONG_WORK_ROWS rows it runs as a job
   * (answered 202: progress in rows checked, cancel); the job's result is the answer as JSON, the
   * problems included (nothing created then), downloaded from GET /api/jobs/:id/result.
   */
  async function runImport<K extends string, R, C>(
    reply: FastifyReply,
    b: { workbook: string; dryRun?: boolean },
    spec: {
      what: 'users' | 'parks';
      user: User;
      columns: ReadonlyArray<ImportColumn<K>>;
      check: (rows: Array<ImportRow<K>>, problems: ImportProblem[], progress: (done: number) => Promise<void>) => Promise<R[]>;
      prepare?: (ready: R[], progress: (done: number) => Promise<void>) => Promise<R[]>;
      create: (t: Storage, ready: R[]) => Promise<C[]>;
    },
  ): Promise<unknown> {
    const { rows, problems } = await readImportSheet(Buffer.from(b.workbook, 'base64'), spec.columns);
    if (problems.length) refuse(problems);
    const dryRun = !!b.dryRun;
    if (rows.length <= LONG_WORK_ROWS) {
      const ready = await spec.check(rows, problems, async () => {});
      if (problems.length) refuse(problems);
      if (dryRun) return { created: [], count: ready.length, dryRun: true };
      const prepared = spec.prepare ? await spec.prepare(ready, async () => {}) : ready;
      const created = await storage.transaction((t) => spec.create(t, prepared));
      return { created, count: created.length, dryRun: false };
    }
    const total = rows.length;
    const job = await ctx.jobs.start({ kind: IMPORT_JOB_KIND, orgCode: spec.user.orgCode, params: { what: spec.what, rows: total, dryRun }, total, createdBy: spec.user.id }, async (j) => {
      // progress every IMPORT_PROGRESS_ROWS rows (each report also checks the cancel)
      const step = (phase: string) => {
        let last = 0;
        return async (done: number) => {
          if (done - last < IMPORT_PROGRESS_ROWS && done < total) return;
          last = done;
          await j.progress(done, { phase });
        };
      };
      await j.progress(0, { total, phase: '逐行检查' });
      const ready = await spec.check(rows, problems, step('逐行检查'));
      const answer = problems.length
        ? { ok: false, count: 0, dryRun, message: formatMessage('IMPORT_INVALID', { count: problems.length }), problems }
        : { ok: true, count: ready.length, dryRun, problems: [] };
      const prepared = !problems.length && !dryRun && spec.prepare ? (await j.progress(0, { phase: '准备写入' }), await spec.prepare(ready, step('准备写入'))) : ready;
      await j.progress(total, { phase: '保存' });
      await j.commit(async (t) => {
        if (!problems.length && !dryRun) await spec.create(t, prepared);
        await t.saveJobResult(j.job.id, { name: `导入${spec.what === 'users' ? '账户' : '园区'}结果.json`, contentType: 'application/json', content: Buffer.from(JSON.stringify(answer)), at: ctx.now() });
        return j.job.id;
      }, total);
    });
    return reply.status(202).send(job);
  }

  const importResponse = (item: 'User' | 'Park') => ({
    ...ok(importAnswer(item), '已创建（dryRun：可创建的行数，未创建）'),
    ...ok({ $ref: 'Job#' }, `超过 ${LONG_WORK_ROWS} 行：以任务方式检查与导入（进度与取消见 /api/jobs/{id}；结果 JSON：ok、count、problems，见 /api/jobs/{id}/result）`, 202),
  });

  type UserRow = { username: string; displayName: string; role: Role; orgCode: string | null; parkId: string | null; mobile: string | null; password: string; hash?: string };
  app.post(
    '/api/users/import',
    {
      bodyLimit: 24 * 1024 * 1024,
      schema: {
        tags: ['users'],
        summary:
          `从 xlsx 批量创建账户（管理员）：用户名、姓名、角色（申报单位/县级审核/市级审核/省级评定/管理员）、单位代码、园区统一社会信用代码（申报单位）、手机号码、初始密码；用户首次登录须改密码。逐行检查，有错答 422 IMPORT_INVALID（details 写明行、列、原因），一行也不创建；超过 ${LONG_WORK_ROWS} 行时以任务方式运行（202）`,
        body: importBody,
        response: importResponse('User'),
      },
    },
    async (req, reply) => {
      const admin = requireUser(req, ['admin']);
      return runImport(reply, req.body, {
        what: 'users',
        user: admin,
        columns: USER_COLUMNS,
        check: async (rows, problems, progress) => {
          const seen = new Map<string, number>();
          const ready: UserRow[] = [];
          for (const [i, { row, values: v }] of rows.entries()) {
            const before = problems.length;
            const role = ROLE_NAMES[v.role];
            if (!v.username || !/^[A-Za-z0-9_.@-]{2,100}$/.test(v.username)) problems.push(say(row, '用户名', v.username ? 'IMPORT_USERNAME_INVALID' : 'IMPORT_REQUIRED', { column: '用户名', username: v.username }));
            else if (seen.has(v.username) || (await storage.getUserByUsername(v.username))) problems.push(say(row, '用户名', 'DUPLICATE', { what: `用户名“${v.username}”` }));
            seen.set(v.username, row);
            if (!v.displayName) problems.push(say(row, '姓名', 'IMPORT_REQUIRED', { column: '姓名' }));
            if (!role) problems.push(say(row, '角色', v.role ? 'IMPORT_ROLE_UNKNOWN' : 'IMPORT_REQUIRED', { column: '角色', role: v.role }));
            if (v.password.length < 8) problems.push(say(row, '初始密码', 'PASSWORD_WEAK'));
            if (v.mobile && !isValidMobile(v.mobile)) problems.push(say(row, '手机号码', 'MOBILE_INVALID', { mobile: v.mobile }));
            let orgCode: string | null = null;
            let parkId: string | null = null;
            if (role === 'applicant') {
              const park = isValidCreditCode(v.creditCode) ? await storage.getParkByCreditCode(v.creditCode) : null;
              if (!isValidCreditCode(v.creditCode)) problems.push(say(row, '园区统一社会信用代码', 'CREDIT_CODE_INVALID', { code: v.creditCode }));
              else if (!park) problems.push(say(row, '园区统一社会信用代码', 'NOT_FOUND', { what: `统一社会信用代码为 ${v.creditCode} 的园区` }));
              else ({ id: parkId, countyCode: orgCode } = park);
            } else if (role && role !== 'admin') {
              const org = await storage.getOrgUnit(v.orgCode);
              if (!org || org.level !== role) problems.push(say(row, '单位代码', 'ORG_UNIT_INVALID', { code: v.orgCode }));
              else orgCode = org.code;
            }
            if (problems.length === before && role) ready.push({ username: v.username, displayName: v.displayName, role, orgCode, parkId, mobile: v.mobile || null, password: v.password });
            await progress(i + 1);
          }
          return ready;
        },
        // the passwords hashed before the transaction (scrypt is the slow part), a batch at a time
        prepare: async (ready, progress) => {
          const out: UserRow[] = [];
          for (let i = 0; i < ready.length; i += IMPORT_PROGRESS_ROWS) {
            const batch = ready.slice(i, i + IMPORT_PROGRESS_ROWS);
            const hashes = await Promise.all(batch.map((r) => hashPassword(r.password)));
            batch.forEach((r, k) => out.push({ ...r, hash: hashes[k] as string }));
            await progress(out.length);
          }
          return out;
        },
        create: async (t, ready) => {
          const out = [];
          for (const r of ready) {
            const u = await t.createUser({ username: r.username, displayName: r.displayName, passwordHash: r.hash as string, role: r.role, orgCode: r.orgCode, parkId: r.parkId, mobile: r.mobile, mustChangePassword: true });
            await t.appendAudit({ actorId: admin.id, action: 'user.create', entity: 'user', entityId: u.id, after: { ...publicUser(u), importedFrom: 'xlsx' }, at: ctx.now() });
            out.push(publicUser(u));
          }
          return out;
        },
      });
    },
  );

  type ParkRow = { name: string; creditCode: string; countyCode: string; cityCode: string; contactName: string | null; contactMobile: string | null };
  app.post(
    '/api/parks/import',
    {
      bodyLimit: 24 * 1024 * 1024,
      schema: {
        tags: ['parks'],
        summary:
          `从 xlsx 批量登记园区（管理员；县级审核人只能登记本县）：园区全称、统一社会信用代码（按 GB 32100-2015 校验）、所在县级单位代码、联系人、联系电话。逐行检查，有错答 422 IMPORT_INVALID（details 写明行、列、原因），一行也不登记；超过 ${LONG_WORK_ROWS} 行时以任务方式运行（202）`,
        body: importBody,
        response: importResponse('Park'),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['admin', 'county']);
      return runImport(reply, req.body, {
        what: 'parks',
        user: u,
        columns: PARK_COLUMNS,
        check: async (rows, problems, progress) => {
          const seen = new Set<string>();
          const ready: ParkRow[] = [];
          for (const [i, { row, values: v }] of rows.entries()) {
            const before = problems.length;
            if (!v.name) problems.push(say(row, '园区全称', 'IMPORT_REQUIRED', { column: '园区全称' }));
            if (!isValidCreditCode(v.creditCode)) problems.push(say(row, '统一社会信用代码', 'CREDIT_CODE_INVALID', { code: v.creditCode }));
            else if (seen.has(v.creditCode) || (await storage.getParkByCreditCode(v.creditCode))) problems.push(say(row, '统一社会信用代码', 'DUPLICATE', { what: `统一社会信用代码为 ${v.creditCode} 的园区` }));
            seen.add(v.creditCode);
            const county = await storage.getOrgUnit(v.countyCode);
            if (!county || county.level !== 'county' || !county.parentCode) problems.push(say(row, '所在县级单位代码', 'ORG_UNIT_INVALID', { code: v.countyCode }));
            else if (u.role === 'county' && county.code !== u.orgCode) problems.push(say(row, '所在县级单位代码', 'FORBIDDEN'));
            if (v.contactMobile && !isValidMobile(v.contactMobile)) problems.push(say(row, '联系电话', 'MOBILE_INVALID', { mobile: v.contactMobile }));
            if (problems.length === before && county?.parentCode) {
              ready.push({ name: v.name, creditCode: v.creditCode, countyCode: county.code, cityCode: county.parentCode, contactName: v.contactName || null, contactMobile: v.contactMobile || null });
            }
            await progress(i + 1);
          }
          return ready;
        },
        create: async (t, ready) => {
          const out = [];
          for (const r of ready) {
            const p = await t.createPark(r);
            await t.appendAudit({ actorId: u.id, action: 'park.create', entity: 'park', entityId: p.id, after: { ...p, importedFrom: 'xlsx' }, at: ctx.now() });
            out.push(p);
          }
          return out;
        },
      });
    },
  );

  /** What an audit entry is about, by its name (a person, a park, a unit, a notice): the page shows no ids. */
  const entityName = async (e: { entity: string; entityId: string; before: unknown; after: unknown }): Promise<string | null> => {
    const own = (v: unknown) => {
      if (typeof v !== 'object' || v === null) return null;
      const o = v as Record<string, unknown>;
      const n = o.displayName ?? o.name ?? o.title;
      return typeof n === 'string' ? n : null;
    };
    const named = own(e.after) ?? own(e.before);
    if (named) return named;
    // the demo accounts are recorded by their user name
    if (e.entity === 'user') return ((await storage.getUser(e.entityId)) ?? (await storage.getUserByUsername(e.entityId)))?.displayName ?? null;
    if (e.entity === 'park') return (await storage.getPark(e.entityId))?.name ?? null;
    if (e.entity === 'org_unit') return (await storage.getOrgUnit(e.entityId))?.name ?? null;
    if (e.entity === 'submission') {
      const s = await storage.getSubmission(e.entityId);
      const park = s?.parkId ? await storage.getPark(s.parkId) : null;
      return park ? `${park.name}的申报` : null;
    }
    if (e.entity === 'pack') return (await storage.listPackVersions(e.entityId))[0]?.title ?? null;
    return null;
  };

  app.get(
    '/api/audit/search',
    {
      schema: {
        tags: ['audit'],
        summary:
          '审计日志（分页，新的在前）：按操作人、单位（含下级）、申报、通知包、操作、时间筛选。管理员看全部；县、市、省审核人只看本辖区（操作人、所涉园区、申报或用户属于本辖区的记录）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            actor: { type: 'string', maxLength: 100, description: '操作人的用户名' },
            orgCode: { type: 'string', maxLength: 20, description: '单位代码（设区市含其下各县）' },
            submissionId: { type: 'string', maxLength: 100 },
            packId: { type: 'string', maxLength: 100 },
            action: { type: 'string', maxLength: 100, description: '操作，或其类别（如 user 含 user.create、user.disable）' },
            from: { type: 'string', format: 'date', description: '起始日期（含）' },
            to: { type: 'string', format: 'date', description: '截止日期（含）' },
            page: { type: 'string', pattern: '^[1-9][0-9]{0,5}$', description: '第几页，默认 1' },
            pageSize: { type: 'string', pattern: '^([1-9][0-9]?|1[0-9][0-9]|200)$', description: '每页条数 1–200，默认 50' },
          },
        },
        response: ok(
          {
            type: 'object',
            required: ['total', 'page', 'pageSize', 'entries'],
            properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, entries: { type: 'array', items: { $ref: 'AuditEntry#' } } },
          },
          '一页审计日志',
        ),
      },
    },
    async (req) => {
      const u = requireUser(req, ['admin', 'county', 'city', 'province']);
      const q = req.query;
      const page = Number(q.page ?? 1);
      const pageSize = Number(q.pageSize ?? 50);
      const areaOf = async (code: string): Promise<string[]> => [code, ...(await storage.listOrgUnits({ parentCode: code })).map((c) => c.code)];
      // a reviewer's own area (the province reviewer's is the whole province)
      const own = u.role === 'county' || u.role === 'city' ? await areaOf(u.orgCode as string) : null;
      let area = own;
      if (q.orgCode) {
        const wanted = await areaOf(q.orgCode);
        area = own ? wanted.filter((c) => own.includes(c)) : wanted;
        if (!area.length) throw new ApiError('FORBIDDEN');
      }
      let actorId: string | undefined;
      if (q.actor) actorId = (await storage.getUserByUsername(q.actor))?.id ?? '-';
      const day = (d: string, plus = 0) => new Date(Date.parse(`${d}T00:00:00+08:00`) + plus * 86_400_000);
      const r = await storage.queryAudit({
        ...(actorId ? { actorId } : {}),
        ...(area ? { area } : {}),
        ...(q.submissionId ? { submissionId: q.submissionId } : {}),
        ...(q.packId ? { packId: q.packId } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.from ? { from: day(q.from) } : {}),
        ...(q.to ? { to: day(q.to, 1) } : {}),
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      return { total: r.total, page, pageSize, entries: await Promise.all(r.entries.map(async (e) => ({ ...e, entityName: await entityName(e) }))) };
    },
  );

  app.get(
    '/api/audit/submissions',
    {
      schema: {
        tags: ['audit'],
        summary:
          '审计日志的“申报”筛选项：按园区名称（其中几个字）或申报编号（开头几位）查找申报，新的在前，至多 50 条。管理员含草稿（审计日志记有草稿的新建与保存）；县、市、省审核人只见本辖区已提交的申报',
        querystring: { type: 'object', additionalProperties: false, properties: { q: { type: 'string', maxLength: 100, description: '园区名称中的几个字，或申报编号的开头' } } },
        response: ok(
          {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'packId', 'status', 'parkName', 'createdAt'],
              properties: { id: { type: 'string' }, packId: { type: 'string' }, status: { type: 'string' }, parkName: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } },
            },
          },
          '申报（不含数据）',
        ),
      },
    },
    async (req) => {
      const u = requireUser(req, ['admin', 'county', 'city', 'province']);
      const { excludeStatuses, ...scope } = submissionFilterFor(u);
      const refs = await storage.findSubmissionRefs({ ...scope, ...(u.role === 'admin' || !excludeStatuses ? {} : { excludeStatuses }), ...(req.query.q ? { text: req.query.q } : {}) });
      return refs.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
    },
  );
}
