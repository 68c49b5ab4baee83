/**
 * Results (issue 16, item 7): a notice's result list, which the province publishes for 公示 with a
 * period (`POST /api/results/:packId/publish`, stored with its rows frozen, audited), visible to every
 * signed-in user while the period runs (`GET /api/results/:packId`); and the result document of one
 * decided application (`GET /api/submissions/:id/result-document`), printed to PDF by the web app's
 * print pipeline.
 */
import type { FastifyInstance } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { ok } from '../components.js';
import type { ResultList, Storage, User } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import type { PackLike } from '../engine.js';
import { ApiError } from '../errors.js';
import { BUNDLE } from '../bundle.js';
import { DECIDED, decidedResult, outcomesOf, outcomeTexts } from '../results.js';
import { statusLabelOf } from '../workflow.js';
import { loadVisible } from './submissions/common.js';
import { resolvePack } from './packs.js';

/** One line of a result list: a park, where it is, the form and what was decided. */
export interface ResultRow {
  submissionId: string;
  parkId: string;
  parkName: string;
  cityCode: string;
  cityLabel: string;
  countyCode: string;
  countyLabel: string;
  formTitle: string;
  /** what the rule sets established, in words (三星级, 符合条件, 得分 86) */
  result: string;
  decidedAt: string | null;
}

/** A calendar date in China Standard Time. */
function cstDate(t: Date): string {
  return new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whether a publication is shown now: within its period and not withdrawn. */
export function isShowing(r: ResultList, now: Date): boolean {
  const today = cstDate(now);
  return r.withdrawnAt === null && r.startsOn <= today && today <= r.endsOn;
}

function formTitleOf(pack: PackLike, formId: string): string {
  if (formId === BUNDLE) return '整套申报材料';
  const f = pack.forms.get(formId);
  return f ? `${f.attachment ? `${f.attachment} ` : ''}${f.title}` : formId;
}

/** The applications of a notice approved now, as lines of its result list (by city, county, park). */
export async function approvedRows(ctx: Ctx, packId: string): Promise<ResultRow[]> {
  const subs = await ctx.storage.listSubmissions({ packId, statuses: ['approved'] });
  const names = new Map((await ctx.storage.listOrgUnits()).map((o) => [o.code, o.name]));
  const rows: ResultRow[] = [];
  for (const s of subs) {
    const pack = await ctx.packById(s.packVersionId);
    const texts = outcomeTexts(pack, s.outcomes);
    rows.push({
      submissionId: s.id,
      parkId: s.parkId,
      parkName: s.parkName,
      cityCode: s.cityCode,
      cityLabel: names.get(s.cityCode) ?? s.cityCode,
      countyCode: s.countyCode,
      countyLabel: names.get(s.countyCode) ?? s.countyCode,
      formTitle: formTitleOf(pack, s.formId),
      result: texts.length ? texts.join('，') : '通过',
      decidedAt: s.updatedAt ? cstDate(new Date(s.updatedAt)) : null,
    });
  }
  return rows.sort((a, b) => a.cityCode.localeCompare(b.cityCode) || a.countyCode.localeCompare(b.countyCode) || a.parkName.localeCompare(b.parkName, 'zh-CN'));
}

function publicationView(r: ResultList, now: Date) {
  return { id: r.id, title: r.title, startsOn: r.startsOn, endsOn: r.endsOn, publishedAt: r.publishedAt, withdrawnAt: r.withdrawnAt, showing: isShowing(r, now), rows: r.rows as ResultRow[] };
}

/** The publication of a notice shown now (the latest one in its period), or null. */
export async function showingPublication(storage: Storage, packId: string, now: Date): Promise<ResultList | null> {
  return (await storage.listResultLists(packId)).find((r) => isShowing(r, now)) ?? null;
}

const packParam = { type: 'object', required: ['packId'], properties: { packId: { type: 'string', maxLength: 63 } } } as const;
const DATE = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', format: 'date' } as const;

const S = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const ResultRowSchema = {
  type: 'object',
  required: ['submissionId', 'parkId', 'parkName', 'cityCode', 'cityLabel', 'countyCode', 'countyLabel', 'formTitle', 'result', 'decidedAt'],
  properties: { submissionId: S, parkId: S, parkName: S, cityCode: S, cityLabel: S, countyCode: S, countyLabel: S, formTitle: S, result: S, decidedAt: strOrNull },
} as const;
const Publication = {
  type: 'object',
  description: '一次公示：公示期、是否正在公示、发布时固定的名单',
  required: ['id', 'title', 'startsOn', 'endsOn', 'publishedAt', 'withdrawnAt', 'showing', 'rows'],
  properties: {
    id: { type: 'integer' },
    title: S,
    startsOn: S,
    endsOn: S,
    publishedAt: { type: 'string', format: 'date-time' },
    withdrawnAt: { type: ['string', 'null'], format: 'date-time' },
    showing: { type: 'boolean' },
    rows: { type: 'array', items: ResultRowSchema },
  },
} as const;

export async function resultRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  app.get(
    '/api/results/:packId',
    { schema: { tags: ['results'], summary: '评定结果公示：正在公示的名单（所有已登录用户）；省级另见拟公示名单和历次公示',
        params: packParam,
        response: ok(
          {
            type: 'object',
            required: ['packId', 'title', 'today', 'showing'],
            properties: {
              packId: S,
              title: S,
              today: S,
              showing: { anyOf: [Publication, { type: 'null' }] },
              candidates: { type: 'array', items: ResultRowSchema, description: '拟公示名单（省级）' },
              publications: { type: 'array', items: Publication, description: '历次公示（省级）' },
            },
          },
          '公示',
        ),
      } },
    async (req) => {
      const u: User = requireUser(req);
      const { packId } = req.params;
      const { pv } = await resolvePack(ctx, packId);
      const now = ctx.now();
      const lists = await storage.listResultLists(packId);
      const showing = lists.find((r) => isShowing(r, now)) ?? null;
      const base = { packId, title: pv.title, today: cstDate(now), showing: showing ? publicationView(showing, now) : null };
      if (u.role !== 'province') return base;
      return { ...base, candidates: await approvedRows(ctx, packId), publications: lists.map((r) => publicationView(r, now)) };
    },
  );

  app.post(
    '/api/results/:packId/publish',
    {
      schema: {
        tags: ['results'],
        summary: '省级发布评定结果公示：当前评定通过的申报（名单在发布时固定）与公示期；记入审计日志',
        params: packParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['startsOn', 'endsOn'],
          properties: { startsOn: DATE, endsOn: DATE, title: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: ok(Publication, '已发布', 201),
      },
    },
    async (req, reply) => {
      const u = requireUser(req, ['province']);
      const { packId } = req.params;
      const b = req.body;
      const { pv } = await resolvePack(ctx, packId);
      if (b.endsOn < b.startsOn) throw new ApiError('RESULTS_PERIOD_INVALID', { startsOn: b.startsOn, endsOn: b.endsOn });
      const rows = await approvedRows(ctx, packId);
      if (rows.length === 0) throw new ApiError('RESULTS_NOTHING_DECIDED', { pack: pv.title });
      const title = b.title?.trim() || `《${pv.title}》评定结果公示`;
      const list = await storage.transaction(async (t) => {
        const r = await t.publishResultList({ packId, packVersionId: pv.id, title, startsOn: b.startsOn, endsOn: b.endsOn, rows, publishedBy: u.id, at: ctx.now() });
        await t.appendAudit({ actorId: u.id, action: 'results.publish', entity: 'pack', entityId: packId, after: { id: r.id, title, startsOn: r.startsOn, endsOn: r.endsOn, parks: rows.length }, at: ctx.now() });
        // each park on the list is told (its bell): its result and the period of the 公示
        const notified = await ctx.notifier.add(
          t,
          rows.map((x) => ({
            parkId: x.parkId,
            kind: 'results.published',
            title: `《${pv.title}》评定结果已公示：${x.result}`,
            body: `公示期 ${r.startsOn} 至 ${r.endsOn}（${title}）`,
            link: `/results/${encodeURIComponent(packId)}`,
            data: { packId, resultListId: r.id, submissionId: x.submissionId },
            dedupeKey: `results.published:${r.id}:${x.parkId}`,
            createdBy: u.id,
            at: ctx.now(),
          })),
        );
        return { r, notified };
      });
      void ctx.notifier.deliver(list.notified);
      void reply.status(201);
      return publicationView(list.r, ctx.now());
    },
  );

  app.post(
    '/api/results/:packId/:id/withdraw',
    {
      schema: {
        tags: ['results'],
        summary: '省级撤回一次公示（提前结束）；记入审计日志',
        params: { type: 'object', required: ['packId', 'id'], properties: { packId: { type: 'string', maxLength: 63 }, id: { type: 'string', pattern: '^[0-9]{1,12}$' } } },
        response: ok(Publication, '已撤回'),
      },
    },
    async (req) => {
      const u = requireUser(req, ['province']);
      const { packId, id } = req.params;
      const existing = await storage.getResultList(Number(id));
      if (!existing || existing.packId !== packId) throw new ApiError('NOT_FOUND', { what: '公示' });
      const r = await storage.transaction(async (t) => {
        const w = await t.withdrawResultList(existing.id, ctx.now());
        if (!w) throw new ApiError('RESULTS_ALREADY_WITHDRAWN');
        await t.appendAudit({ actorId: u.id, action: 'results.withdraw', entity: 'pack', entityId: packId, before: { id: w.id, title: w.title }, at: ctx.now() });
        return w;
      });
      return publicationView(r, ctx.now());
    },
  );

  app.get(
    '/api/submissions/:id/result-document',
    {
      schema: {
        tags: ['results'],
        summary: '一份已评定申报的评定结果文书（打印为 PDF）：园区、通知、评定结果、评定日期与公示期',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        response: ok(
          {
            type: 'object',
            required: ['id', 'packId', 'packTitle', 'issuer', 'formTitle', 'park', 'countyLabel', 'cityLabel', 'status', 'statusLabel', 'result', 'outcomes', 'decidedAt', 'publication', 'printedOn'],
            properties: {
              id: S,
              packId: S,
              packTitle: S,
              issuer: S,
              documentNumber: strOrNull,
              formTitle: S,
              park: { anyOf: [{ type: 'object', required: ['name', 'creditCode'], properties: { name: S, creditCode: S } }, { type: 'null' }] },
              countyLabel: S,
              cityLabel: S,
              status: S,
              statusLabel: S,
              result: { anyOf: [{ $ref: 'DecidedResult#' }, { type: 'null' }] },
              outcomes: { type: 'array', items: S, description: '各规则集结果的文字' },
              decidedAt: strOrNull,
              decisionComment: strOrNull,
              publication: {
                anyOf: [{ type: 'object', required: ['title', 'startsOn', 'endsOn', 'showing'], properties: { title: S, startsOn: S, endsOn: S, showing: { type: 'boolean' } } }, { type: 'null' }],
              },
              printedOn: S,
            },
          },
          '评定结果文书的内容',
        ),
      },
    },
    async (req) => {
      const u = requireUser(req);
      const { id } = req.params;
      const s = await loadVisible(storage, u, id);
      if (!DECIDED.includes(s.status)) throw new ApiError('NOT_FOUND', { what: '评定结果' });
      const pack = await ctx.packById(s.packVersionId);
      const pv = await storage.getPackVersionRef(s.packVersionId);
      const [park, reviews, county, city] = await Promise.all([storage.getPark(s.parkId), storage.listReviews(s.id), storage.getOrgUnit(s.countyCode), storage.getOrgUnit(s.cityCode)]);
      const outcomes = outcomesOf(s.evaluation);
      const decision = [...reviews].reverse().find((r) => r.toStatus === s.status) ?? null;
      const showing = await showingPublication(storage, s.packId, ctx.now());
      const published = (await storage.listResultLists(s.packId)).find((r) => r.withdrawnAt === null && (r.rows as ResultRow[]).some((x) => x.submissionId === s.id)) ?? null;
      return {
        id: s.id,
        packId: s.packId,
        packTitle: pv?.title ?? s.packId,
        issuer: pack.manifest.issuer,
        documentNumber: pack.manifest.documentNumber ?? null,
        formTitle: formTitleOf(pack, s.formId),
        park: park ? { name: park.name, creditCode: park.creditCode } : null,
        countyLabel: county?.name ?? s.countyCode,
        cityLabel: city?.name ?? s.cityCode,
        status: s.status,
        statusLabel: statusLabelOf(pack, s),
        result: decidedResult(pack, { status: s.status, outcomes }),
        outcomes: outcomeTexts(pack, outcomes),
        decidedAt: decision ? cstDate(new Date(decision.createdAt)) : null,
        decisionComment: decision?.comment ?? null,
        publication: published ? { title: published.title, startsOn: published.startsOn, endsOn: published.endsOn, showing: showing?.id === published.id } : null,
        printedOn: cstDate(ctx.now()),
      };
    },
  );
}
