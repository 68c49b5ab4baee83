import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OrgLevel, Storage, TableReport, User } from '@yuanping/storage';
import { normalizeData, type TableForm } from '@yuanping/tables';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { ApiError } from '../errors.js';
import { requiredText } from '../text.js';
import { rowsPath } from '../schema-path.js';
import { combineData, firstSectionRows, preambleFields, preambleOf, reportData, sectionRows, tableShapeErrors, withFirstSection } from '../table-data.js';
import { checkWindow } from '../workflow.js';
import { resolvePack } from './packs.js';
import { ok } from '../components.js';

const LEVELS: OrgLevel[] = ['county', 'city', 'province'];
/** The statuses in which the filling unit may still change its table. */
export const EDITABLE = ['draft', 'returned'];
/** A table report's status in words (a table is reported upward, not reviewed like an application). */
const TABLE_STATUS: Record<string, string> = { draft: '草稿', submitted: '已报送', accepted: '已接收', returned: '已退回' };
export const statusLabel = (s: string): string => TABLE_STATUS[s] ?? s;
const params = {
  type: 'object',
  required: ['packId', 'formId'],
  properties: { packId: { type: 'string', maxLength: 100 }, formId: { type: 'string', maxLength: 100 } },
} as const;

function levelIndex(l: string): number {
  return LEVELS.indexOf(l as OrgLevel);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseIfMatch(req: FastifyRequest): number | null {
  const h = req.headers['if-match'];
  if (typeof h !== 'string' || !h.trim()) return null;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(h.trim());
  if (!m) throw new ApiError('PRECONDITION_FAILED', { current: '?' });
  return Number(m[1]);
}

/**
 * The rows of a table form that `u` sees combined: own rows, the submitted rows of the counties,
 * or of every city. `section` names the table's row array (`x-table.sections`); without it, the
 * first section's rows.
 */
export async function visibleTableRows(ctx: Ctx, u: User, packId: string, formId: string, section?: string): Promise<unknown[]> {
  const { storage } = ctx;
  const org = u.orgCode;
  if (!org) throw new ApiError('FORBIDDEN');
  const schema = section === undefined ? undefined : (await resolvePack(ctx, packId)).pack.forms.get(formId)?.schema;
  const rowsOf = (r: TableReport): unknown[] => (schema && section !== undefined ? sectionRows(reportData(schema, r), section) : r.rows);
  const done = (rs: TableReport[]) => rs.filter((r) => r.status === 'submitted').flatMap(rowsOf);
  if (u.role === 'province') {
    const cities = await storage.listOrgUnits({ parentCode: org, level: 'city' });
    const cityReports = await storage.listTableReports(packId, formId, cities.map((c) => c.code));
    if (cityReports.length > 0) return done(cityReports);
    const counties = (await storage.listOrgUnits({ level: 'county' })).map((c) => c.code);
    return done(await storage.listTableReports(packId, formId, counties));
  }
  if (u.role === 'city') {
    const own = await storage.getTableReport(packId, formId, org);
    // the city's own report: its table (a form the city fills), or the combined table once reported;
    // a draft of a combined table holds only the city's preamble, so the counties' rows are read live
    const { pack } = await resolvePack(ctx, packId);
    if (own && (pack.forms.get(formId)?.scope === 'city' || own.status === 'submitted' || own.status === 'accepted')) return rowsOf(own);
    const counties = await storage.listOrgUnits({ parentCode: org, level: 'county' });
    return done(await storage.listTableReports(packId, formId, counties.map((c) => c.code)));
  }
  const mine = await storage.getTableReport(packId, formId, org);
  return mine ? rowsOf(mine) : [];
}

/** The table form a `/api/tables/:packId/:formId…` request is about, and who fills it; refused unless it is a county's or city's table and `u` a reviewer with an org unit. */
export async function tableSetup(ctx: Ctx, { packId, formId }: { packId: string; formId: string }, u: User) {
  const { pv, pack } = await resolvePack(ctx, packId);
  const form = pack.forms.get(formId);
  if (!form) throw new ApiError('FORM_NOT_FOUND', { form: formId });
  const filler = form.scope;
  if ((filler !== 'county' && filler !== 'city') || rowsPath(form.schema) === null) {
    throw new ApiError('TABLE_NOT_TABLE', { form: formId, level: '县或市' });
  }
  if (u.role !== 'county' && u.role !== 'city' && u.role !== 'province') throw new ApiError('FORBIDDEN');
  if (!u.orgCode) throw new ApiError('FORBIDDEN');
  return { pv, pack, form, filler: filler as OrgLevel };
}

export async function tableRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  const setup = (params: { packId: string; formId: string }, u: User) => tableSetup(ctx, params, u);

  /** The reports one level below `orgCode` that roll up into it. */
  async function childReports(packId: string, formId: string, orgCode: string, childLevel: OrgLevel): Promise<TableReport[]> {
    const children = await storage.listOrgUnits({ parentCode: orgCode, level: childLevel });
    return storage.listTableReports(packId, formId, children.map((c) => c.code));
  }

  const done = (reports: TableReport[]) => reports.filter((r) => r.status === 'submitted' || r.status === 'accepted');
  function combined(reports: TableReport[]): unknown[] {
    return done(reports).flatMap((r) => r.rows);
  }

  app.get('/api/tables/:packId/:formId', { schema: { tags: ['tables'], summary: '汇总表：本级填报内容，或下级汇总（县 → 市 → 省）', params, response: ok({ $ref: 'TableView#' }, '汇总表') } }, async (req) => {
    const u = requireUser(req);
    const { pv, form, filler } = await setup(req.params, u);
    const org = u.orgCode as string;
    const own = await storage.getTableReport(pv.packId, form.id, org);
    if (levelIndex(u.role) < levelIndex(filler)) throw new ApiError('FORBIDDEN');
    let parts: TableReport[] = [];
    if (u.role === 'city' && filler === 'county') parts = await childReports(pv.packId, form.id, org, 'county');
    if (u.role === 'province') {
      const cities = await storage.listOrgUnits({ parentCode: org, level: 'city' });
      parts = await storage.listTableReports(pv.packId, form.id, cities.map((c) => c.code));
    }
    const units = await storage.listOrgUnits(u.role === 'province' ? { parentCode: org, level: 'city' } : u.role === 'city' && filler === 'county' ? { parentCode: org, level: 'county' } : {});
    const rolled = u.role === 'province' || (u.role === 'city' && filler === 'county');
    const ownData = reportData(form.schema, own);
    // the combined table: each section the submitted rows of the units below (origins: each row's unit), the top-level fields this unit's own
    const comb = rolled ? combineData(form.schema, done(parts), preambleOf(form.schema, ownData)) : combineData(form.schema, own ? [own] : []);
    return {
      packId: pv.packId,
      formId: form.id,
      filler,
      own: own ? { ...own, data: ownData } : null,
      parts: u.role === 'county' || (u.role === 'city' && filler === 'city') ? [] : units.map((unit) => {
        const r = parts.find((p) => p.orgCode === unit.code);
        return { orgCode: unit.code, orgName: unit.name, status: r?.status ?? 'missing', statusLabel: r ? statusLabel(r.status) : '未填报', rows: r?.rows ?? [], data: r ? reportData(form.schema, r) : null, version: r?.version ?? null };
      }),
      combined: rolled ? combined(parts) : (own?.rows ?? []),
      combinedData: rolled ? comb.data : ownData,
      origins: comb.origins,
    };
  });

  /** Whether `u` is the unit that combines the filler's tables and reports them upward (the city, for a county's table). */
  const rollsUp = (u: User, filler: OrgLevel) => u.role === 'city' && filler === 'county';

  /** Refuses values for fields that are no top-level (preamble) field of the form. */
  function checkPreambleKeys(schema: Record<string, unknown>, given: Record<string, unknown>): void {
    const known = preambleFields(schema);
    const unknown = Object.keys(given).filter((k) => !known.includes(k));
    if (unknown.length) throw new ApiError('SUBMISSION_INVALID', { count: unknown.length }, { errors: unknown.map((k) => ({ path: k, code: 'additionalProperties', message: '不是表头前字段' })) });
  }

  /** Saves this unit's report (draft, returned or submitted) and returns it; null when the state or version refuses it. */
  function store(t: Storage, a: { pv: { id: number; packId: string }; formId: string; schema: Record<string, unknown>; u: User; level: OrgLevel; data: unknown; status: string; expected: number | null; submitted?: boolean }): Promise<TableReport | null> {
    return t.saveTableReport({
      packVersionId: a.pv.id,
      packId: a.pv.packId,
      formId: a.formId,
      orgCode: a.u.orgCode as string,
      level: a.level,
      rows: firstSectionRows(a.schema, a.data),
      data: a.data,
      status: a.status,
      editableStatuses: EDITABLE,
      expectedVersion: a.expected,
      updatedBy: a.u.id,
      now: ctx.now(),
      ...(a.submitted ? { submitted: true } : {}),
    });
  }

  app.put(
    '/api/tables/:packId/:formId',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['tables'],
        summary:
          '保存本级的汇总表（草稿照存，答复中列出尚有的错误 errors；以文字写的数值、是/否、选项按导入的同一规整（全角数字、千分位、√ 等）读取，每处规整列在 warnings（节、行号、列）；数据不成表——节不是行的列表、表单没有的字段——则拒绝）：填报单位的 data 为表单的完整数据（各节的行与表头前字段），或 rows（第一节的行，其余保留），或 preamble（只改表头前字段）；汇总上报的单位（县填的表由市汇总）只能保存 preamble（汇总表的填报单位、联系人等），各节的行取自下级；可带 If-Match；上限 16 MiB',
        params,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          properties: { rows: { type: 'array' }, data: { anyOf: [{ type: 'object' }, { type: 'array' }] }, preamble: { type: 'object' } },
        },
        response: ok({ $ref: 'TableReport#' }, '已保存（errors：尚有的错误）'),
      },
    },
    async (req, reply) => {
      const u = requireUser(req);
      const { pv, pack, form, filler } = await setup(req.params, u);
      const body = req.body;
      const combining = rollsUp(u, filler);
      if (u.role !== filler && !(combining && body.preamble !== undefined)) throw new ApiError('FORBIDDEN');
      if (ctx.enforceWindows) checkWindow(pack, u.role, form.id, ctx.now(), { allowBeforeOpen: true });
      if (body.preamble !== undefined) checkPreambleKeys(form.schema, body.preamble);
      const expected = parseIfMatch(req);
      const saved = await storage.transaction(async (t) => {
        const before = await t.getTableReport(pv.packId, form.id, u.orgCode as string);
        const current = reportData(form.schema, before);
        let input: unknown;
        if (body.preamble !== undefined) {
          // the top-level fields replaced, the sections kept (the combining unit's: empty, its rows come from below)
          const sections = combining ? combineData(form.schema, []).data : current;
          input = { ...(isObj(sections) ? Object.fromEntries(Object.entries(sections).filter(([k]) => !preambleFields(form.schema).includes(k))) : {}), ...body.preamble };
        } else input = body.data !== undefined ? body.data : withFirstSection(form.schema, current, body.rows ?? []);
        // every text cell through the one normaliser of import and paste (３０００, 1,234.5, √ …), each change a warning
        const normalized = normalizeData(form.schema as TableForm, input);
        input = normalized.data;
        // a draft is stored whatever its state, like an application's: the errors go back with the
        // answer (required is checked on submit); refused, with its path, is only what is no table
        // (a section that is no list of rows, a field the form does not have)
        const r = ctx.engine.validateSubmission(form, input);
        const errors = r.valid ? [] : r.errors.filter((e) => e.code !== 'required');
        const refused = tableShapeErrors(form.schema, errors);
        if (refused.length) throw new ApiError('SUBMISSION_INVALID', { count: refused.length }, { errors: refused });
        // the combining unit's draft holds only its top-level fields
        const data = combining ? preambleOf(form.schema, r.data) : r.data;
        const x = await store(t, { pv, formId: form.id, schema: form.schema, u, level: u.role as OrgLevel, data, status: before?.status === 'returned' ? 'returned' : 'draft', expected });
        if (!x) {
          if (before && !EDITABLE.includes(before.status)) throw new ApiError('INVALID_STATE', { status: statusLabel(before.status), action: '保存' });
          throw new ApiError('PRECONDITION_FAILED', { current: before?.version ?? 0 });
        }
        await t.appendAudit({ actorId: u.id, action: 'table.save', entity: 'table', entityId: x.id, before: before ? { version: before.version, data: current } : null, after: { version: x.version, data }, at: ctx.now() });
        return { ...x, errors, warnings: normalized.notes };
      });
      void reply.header('etag', `"${saved.version}"`);
      return saved;
    },
  );

  app.post('/api/tables/:packId/:formId/submit', { schema: { tags: ['tables'], summary: '报送：县报本县的表；市汇总各县已报送的行（可带 preamble：汇总表的表头前字段，缺省用已保存的）报省', params, response: ok({ $ref: 'TableReport#' }, '已报送') } }, async (req) => {
    const u = requireUser(req);
    const { pv, pack, form, filler } = await setup(req.params, u);
    const org = u.orgCode as string;
    if (u.role === 'province' || levelIndex(u.role) < levelIndex(filler)) throw new ApiError('FORBIDDEN');
    if (ctx.enforceWindows) checkWindow(pack, u.role, form.id, ctx.now());
    // the rolling-up unit may give the combined table's top-level fields: { preamble: {...} }
    const given = isObj(req.body) && isObj(req.body.preamble) ? req.body.preamble : null;
    if (given) checkPreambleKeys(form.schema, given);
    return storage.transaction(async (t) => {
      let input: unknown;
      const before = await t.getTableReport(pv.packId, form.id, org);
      if (u.role === filler) {
        if (!before) throw new ApiError('NOT_FOUND', { what: '本级汇总表' });
        input = reportData(form.schema, before);
      } else {
        const children = await t.listOrgUnits({ parentCode: org, level: 'county' });
        const preamble = given ?? preambleOf(form.schema, reportData(form.schema, before));
        input = combineData(form.schema, done(await t.listTableReports(pv.packId, form.id, children.map((c) => c.code))), preamble).data;
      }
      const r = ctx.engine.validateSubmission(form, input);
      if (!r.valid) throw new ApiError('SUBMISSION_INVALID', { count: r.errors.length }, { errors: r.errors });
      const x = await store(t, { pv, formId: form.id, schema: form.schema, u, level: u.role as OrgLevel, data: r.data, status: 'submitted', expected: null, submitted: true });
      if (!x) throw new ApiError('INVALID_STATE', { status: statusLabel(before?.status ?? ''), action: '报送' });
      await t.appendAudit({ actorId: u.id, action: 'table.submit', entity: 'table', entityId: x.id, before: before ? { status: before.status } : null, after: { status: 'submitted', rows: x.rows.length }, at: ctx.now() });
      return x;
    });
  });

  app.post(
    '/api/tables/:packId/:formId/return',
    {
      schema: {
        tags: ['tables'],
        summary: '退回下级已报送的汇总表（须填写意见）',
        params,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['orgCode', 'comment'],
          properties: { orgCode: { type: 'string', maxLength: 20 }, comment: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
        response: ok({ $ref: 'TableReport#' }, '已退回'),
      },
    },
    async (req) => {
      const u = requireUser(req);
      const { pv, form } = await setup(req.params, u);
      const b0 = req.body;
      const b = { ...b0, comment: requiredText(b0.comment, 'comment', '退回时必须填写意见') };
      const child = await storage.getOrgUnit(b.orgCode);
      if (!child || child.parentCode !== u.orgCode) throw new ApiError('NOT_FOUND', { what: '下级汇总表' });
      const rep = await storage.getTableReport(pv.packId, form.id, child.code);
      if (!rep) throw new ApiError('NOT_FOUND', { what: '下级汇总表' });
      const r = await storage.transaction(async (t) => {
        const x = await t.setTableReportStatus(rep.id, ['submitted'], 'returned', ctx.now());
        if (!x) throw new ApiError('INVALID_STATE', { status: statusLabel(rep.status), action: '退回' });
        await t.appendAudit({ actorId: u.id, action: 'table.return', entity: 'table', entityId: rep.id, before: { status: rep.status }, after: { status: 'returned', comment: b.comment }, at: ctx.now() });
        const notified = await ctx.notifier.add(t, [
          {
            orgCode: child.code,
            kind: 'table.return',
            title: `《${pv.title}》${form.attachment ? `${form.attachment} ` : ''}${form.title}已被退回，请修改后重新报送`,
            body: b.comment,
            link: `/tables/${encodeURIComponent(pv.packId)}/${encodeURIComponent(form.id)}`,
            data: { packId: pv.packId, formId: form.id, reportId: rep.id },
            createdBy: u.id,
            at: ctx.now(),
          },
        ]);
        return { x, notified };
      });
      void ctx.notifier.deliver(r.notified);
      return r.x;
    },
  );
}
