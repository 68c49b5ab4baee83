/**
 * The bell (`GET /api/notifications`, `POST /api/notifications/read`) and 催报
 * (`POST /api/reminders`): a reviewer reminds the units below that have not reported — all of
 * them, or the ones chosen — once per unit and notice form within `remindIntervalMs` (counted in
 * the database), audited; the reminded see it on their home and in the bell.
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { NewNotification } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import { ApiError } from '../errors.js';
import { audienceOf } from '../notify.js';
import { progressFor } from '../progress.js';
import { resolvePack } from './packs.js';
import { deadlinesFor, publishedPacks } from './home.js';
import { ok } from '../components.js';

export async function notificationRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;

  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: '站内通知（最新在前）与未读数；到期前 3 天、1 天的截止提醒在此生成（每条只生成一次）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { unread: { enum: ['0', '1'] }, limit: { type: 'string', pattern: '^[0-9]{1,3}$' } },
        },
        response: ok({ $ref: 'Bell#' }, '未读数与通知'),
      },
    },
    async (req) => {
      const u = requireUser(req);
      const q = req.query;
      const audience = audienceOf(u);
      if (!audience) return { unread: 0, items: [] };
      await deadlinesFor(ctx, u, await publishedPacks(ctx));
      const items = await storage.listNotifications(audience, u.id, { unreadOnly: q.unread === '1', limit: Math.min(200, Math.max(1, Number(q.limit ?? 30))) });
      return { unread: await storage.countUnreadNotifications(audience, u.id), items };
    },
  );

  app.post(
    '/api/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: '标记通知为已读（所列编号，或全部）',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { ids: { type: 'array', maxItems: 500, items: { type: 'integer', minimum: 1 } }, all: { type: 'boolean' } },
        },
        response: ok({ type: 'object', required: ['marked', 'unread'], properties: { marked: { type: 'integer' }, unread: { type: 'integer' } } }, '标记的条数与剩余未读数'),
      },
    },
    async (req) => {
      const u = requireUser(req);
      const b = req.body;
      const audience = audienceOf(u);
      if (!audience) return { marked: 0, unread: 0 };
      // another's notification is not named to this user: not found, like any resource outside one's area
      const ids = b.ids ?? [];
      if (!b.all && ids.length && (await storage.listNotifications(audience, u.id, { ids, limit: ids.length })).length !== new Set(ids).size) {
        throw new ApiError('NOT_FOUND', { what: '通知' });
      }
      const marked = await storage.markNotificationsRead(audience, u.id, b.all ? 'all' : (b.ids ?? []), ctx.now());
      return { marked, unread: await storage.countUnreadNotifications(audience, u.id) };
    },
  );

  app.post(
    '/api/reminders',
    {
      schema: {
        tags: ['notifications'],
        summary: '催报：提醒尚未报送的下级单位（全部或所选）；每个单位每张表在间隔内只催一次，记入审计日志',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['packId'],
          properties: {
            packId: { type: 'string', maxLength: 100 },
            formId: { type: ['string', 'null'], maxLength: 100, description: '汇总表；缺省（县级）：园区申报' },
            targets: { type: 'array', maxItems: 2000, items: { type: 'string', maxLength: 100 }, description: '所选单位（组织代码或园区编号）；缺省：全部未报送的' },
            message: { type: 'string', maxLength: 500 },
          },
        },
        response: ok(
          {
            type: 'object',
            required: ['sent', 'skipped'],
            properties: {
              sent: { type: 'array', items: { type: 'object', required: ['target', 'name'], properties: { target: { type: 'string' }, name: { type: 'string' } } } },
              skipped: {
                type: 'array',
                description: '间隔内已催报过的单位',
                items: { type: 'object', required: ['target', 'name', 'reason'], properties: { target: { type: 'string' }, name: { type: 'string' }, reason: { type: 'string' } } },
              },
            },
          },
          '已催报与跳过的单位',
        ),
      },
    },
    async (req) => {
      const u = requireUser(req, ['county', 'city', 'province']);
      const b = req.body;
      const { pv, pack } = await resolvePack(ctx, b.packId);
      const formId = b.formId ?? null;
      const progress = (await progressFor(storage, u, [{ packId: pv.packId, title: pv.title, pack }])).find((p) => p.formId === formId);
      if (!progress) throw new ApiError('NOT_FOUND', { what: formId ? `本级可催报的汇总表“${formId}”` : '本级可催报的园区申报' });
      const unknown = (b.targets ?? []).filter((t) => !progress.units.some((x) => x.target === t));
      // a unit outside one's area is not found, like any resource there
      if (unknown.length) throw new ApiError('NOT_FOUND', { what: `下级单位“${unknown.join('、')}”` });
      const chosen = b.targets ? progress.units.filter((x) => b.targets?.includes(x.target)) : progress.units;
      const pending = chosen.filter((x) => !x.reported);
      if (pending.length === 0) throw new ApiError('REMIND_NOTHING');
      const sender = u.orgCode ? await storage.getOrgUnit(u.orgCode) : null;
      const now = ctx.now();
      const windowMs = ctx.opts.remindIntervalMs;
      const result = await storage.transaction(async (t) => {
        const sent: typeof pending = [];
        const skipped: Array<(typeof pending)[number] & { reason: string }> = [];
        const rows: NewNotification[] = [];
        for (const x of pending) {
          const key = `remind:${u.orgCode ?? ''}:${pv.packId}:${formId ?? '*'}:${x.target}`;
          if ((await t.peekRateLimit(key, windowMs, now)) > 0) {
            skipped.push({ ...x, reason: '间隔内已催报过' });
            continue;
          }
          await t.hitRateLimit(key, windowMs, now);
          sent.push(x);
          rows.push({
            ...(x.kind === 'park' ? { parkId: x.target } : { orgCode: x.target }),
            kind: 'remind',
            title: `${sender?.name ?? ''}催报：请尽快报送《${pv.title}》${progress.title}`,
            body: b.message?.trim() || null,
            link: formId ? `/tables/${encodeURIComponent(pv.packId)}/${encodeURIComponent(formId)}` : '/notices',
            data: { packId: pv.packId, formId, from: u.orgCode, fromName: sender?.name ?? null },
            createdBy: u.id,
            at: now,
          });
        }
        if (sent.length === 0) throw new ApiError('REMIND_TOO_SOON', { hours: Math.round(windowMs / 3600_000) });
        const added = await ctx.notifier.add(t, rows);
        await t.appendAudit({
          actorId: u.id,
          action: 'remind.send',
          entity: 'pack',
          entityId: pv.packId,
          after: { formId, message: b.message ?? null, sent: sent.map((x) => ({ target: x.target, name: x.name })), skipped: skipped.map((x) => ({ target: x.target, name: x.name, reason: x.reason })) },
          at: now,
        });
        return { sent, skipped, added };
      });
      void ctx.notifier.deliver(result.added);
      return {
        sent: result.sent.map((x) => ({ target: x.target, name: x.name })),
        skipped: result.skipped.map((x) => ({ target: x.target, name: x.name, reason: x.reason })),
      };
    },
  );
}
