/**
 * A summary table filled from the parks' own data (`x-table.prefill`): for the unit that fills
 * the table, the row each park in its area would get from its submitted application, and the
 * top-level fields its org unit gives (填报地区 …). Nothing is stored: the page shows the offered
 * rows, the user picks the parks, and the rows go into the table through the ordinary save.
 */
import type { FastifyInstance } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { OrgUnit, Submission } from '@yuanping/storage';
import { prefillQualifies, prefillRow, prefillTop, prefillSection, tablePrefillOf, type OrgSource, type TableForm } from '@yuanping/tables';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { ApiError } from '../errors.js';
import { BUNDLE } from '../bundle.js';
import { submissionFilterFor } from '../scope.js';
import { statusLabel as submissionStatusLabel } from '../workflow.js';
import { reportData, sectionRows } from '../table-data.js';
import { tableSetup } from './tables.js';

const params = {
  type: 'object',
  required: ['packId', 'formId'],
  properties: { packId: { type: 'string', maxLength: 100 }, formId: { type: 'string', maxLength: 100 } },
} as const;

export async function tablePrefillRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  const { storage } = ctx;
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();

  app.get(
    '/api/tables/:packId/:formId/prefill',
    {
      schema: {
        tags: ['tables'],
        summary:
          '从园区申报带入（表单 x-table.prefill 声明）：本级填报单位辖区内已提交申报的各园区（只取符合 where 声明的申报，如所列的申请等级），各自的申报带入本表后的一行（rows：只含声明的列；existing：本表中同一园区已有的行号），以及由本单位带入的表头前字段（top）。不保存任何东西',
        params,
        response: {
          200: {
            type: 'object',
            required: ['from', 'fromTitle', 'section', 'columns', 'top', 'parks'],
            properties: {
              from: { type: 'string', description: '来源申请表的标识' },
              fromTitle: { type: 'string' },
              section: { type: 'string', description: '带入的分节（行数组的字段名）' },
              match: { type: 'string', description: '据它认出已有园区行的列' },
              columns: { type: 'array', items: { type: 'string' }, description: '带入的列' },
              statuses: { type: 'array', items: { type: 'string' }, description: '本表只带入处于这些状态的申报（status 声明；名称）；不写则凡已提交的都带入' },
              top: { type: 'object', additionalProperties: true, description: '由本单位带入的表头前字段' },
              parks: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['submissionId', 'parkId', 'parkName', 'status', 'statusLabel', 'row', 'problems'],
                  properties: {
                    submissionId: { type: 'string' },
                    parkId: { type: 'string' },
                    parkName: { type: 'string' },
                    status: { type: 'string' },
                    statusLabel: { type: 'string' },
                    row: { type: 'object', additionalProperties: true },
                    problems: { type: 'array', items: { type: 'string' }, description: '未能带入的值及原因' },
                    existing: { type: 'integer', description: '本表中已有的该园区行（从 0 起）；没有则不写' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (req) => {
      const u = requireUser(req);
      const { pv, pack, form, filler } = await tableSetup(ctx, req.params, u);
      if (u.role !== filler) throw new ApiError('FORBIDDEN');
      const schema = form.schema as TableForm;
      const spec = tablePrefillOf(schema);
      if (!spec || !prefillSection(schema, spec)) throw new ApiError('TABLE_NO_PREFILL', { form: form.id });
      const source = pack.forms.get(spec.from);
      // the account's unit and the units it lies in, by level
      const names: Partial<Record<OrgSource, string>> = {};
      const own = await storage.getOrgUnit(u.orgCode as string);
      if (own) {
        names.self = own.name;
        let cur: OrgUnit | null = own;
        for (let i = 0; i < 4 && cur; i++) {
          if (cur.level === 'county' || cur.level === 'city') names[cur.level] ??= cur.name;
          cur = cur.parentCode ? await storage.getOrgUnit(cur.parentCode) : null;
        }
      }
      // the parks' latest submitted application of the source form, in this unit's area
      const latest = new Map<string, Submission & { parkName: string }>();
      for (const s of await storage.listSubmissions({ ...submissionFilterFor(u), packId: pv.packId })) {
        if (s.formId !== spec.from && !(s.formId === BUNDLE && typeof s.data === 'object' && s.data !== null && spec.from in s.data)) continue;
        latest.set(s.parkId, s);
      }
      const current = sectionRows(reportData(form.schema, await storage.getTableReport(pv.packId, form.id, u.orgCode as string)), spec.section);
      const unitNames = new Map<string, string>();
      const unitName = async (code: string) => {
        if (!unitNames.has(code)) unitNames.set(code, (await storage.getOrgUnit(code))?.name ?? code);
        return unitNames.get(code) as string;
      };
      const parks = [];
      for (const s of latest.values()) {
        const park = await storage.getPark(s.parkId);
        const data = s.formId === BUNDLE ? (s.data as Record<string, unknown>)[spec.from] : s.data;
        // the pack's `where`: only the applications the table is for (e.g. the levels it lists)
        if (!prefillQualifies(spec, data, s.status)) continue;
        const facts = { name: park?.name ?? s.parkName, creditCode: park?.creditCode ?? '', county: await unitName(s.countyCode), city: await unitName(s.cityCode) };
        const { row, problems } = prefillRow(schema, spec, data, facts, source?.schema);
        const key = spec.match ? row[spec.match] : undefined;
        const existing = key === undefined ? -1 : current.findIndex((r) => typeof r === 'object' && r !== null && (r as Record<string, unknown>)[spec.match as string] === key);
        parks.push({ submissionId: s.id, parkId: s.parkId, parkName: facts.name, status: s.status, statusLabel: submissionStatusLabel(s.status), row, problems, ...(existing >= 0 ? { existing } : {}) });
      }
      parks.sort((a, b) => a.parkName.localeCompare(b.parkName, 'zh'));
      return {
        from: spec.from,
        fromTitle: source?.title ?? spec.from,
        section: spec.section,
        ...(spec.match ? { match: spec.match } : {}),
        columns: Object.keys(spec.columns),
        ...(spec.status ? { statuses: spec.status.map(submissionStatusLabel) } : {}),
        top: prefillTop(schema, spec, names),
        parks,
      };
    },
  );
}
