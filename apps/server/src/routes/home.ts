/**
 * A home for each role (`GET /api/home`): the applicant's applications with their status, result
 * and what needs doing; a reviewer's 待审核 / 待推荐 / 待评定 counts, the reporting progress of the
 * units below, quota use; for both the deadlines ahead and the 催报 received.
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { Storage, User } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import type { PackLike } from '../engine.js';
import { BUNDLE, validateData } from '../bundle.js';
import { deadlineReminder, deadlinesOf, type Deadline } from '../deadlines.js';
import { progressFor } from '../progress.js';
import { decidedResult } from '../results.js';
import { submissionFilterFor } from '../scope.js';
import { EDITABLE, REVIEW, statusLabel } from '../workflow.js';
import { audienceOf } from '../notify.js';
import { ok } from '../components.js';

/** What a reviewer level's queue is called on its home. */
const WAITING_LABEL: Record<string, string> = { county: '待审核', city: '待推荐', province: '待评定' };

const S = { type: 'string' } as const;
const I = { type: 'integer' } as const;
/** The answer of `GET /api/home`: what every role gets, then the applicant's or the reviewer's part. */
const HomeData = {
  type: 'object',
  description: '首页：截止日期、收到的催报、未读数；申报单位另有申报与待办，审核人另有待办数、下级报送进度与名额',
  required: ['role', 'now', 'deadlines', 'reminders', 'unread'],
  properties: {
    role: S,
    now: { type: 'string', format: 'date-time' },
    deadlines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['packId', 'packTitle', 'stageId', 'label', 'closes', 'daysLeft'],
        properties: { packId: S, packTitle: S, stageId: S, label: S, closes: S, daysLeft: I },
      },
    },
    reminders: { type: 'array', items: { $ref: 'NotificationItem#' } },
    unread: I,
    applications: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'packId', 'packTitle', 'formId', 'formTitle', 'status', 'statusLabel', 'updatedAt', 'submittedAt', 'lastComment', 'missing', 'result'],
        properties: {
          id: S,
          packId: S,
          packTitle: S,
          formId: S,
          formTitle: S,
          status: S,
          statusLabel: S,
          updatedAt: { type: 'string', format: 'date-time' },
          submittedAt: { type: ['string', 'null'], format: 'date-time' },
          lastComment: { type: ['string', 'null'] },
          missing: { type: 'integer', description: '提交前还须改正或填写的处数' },
          result: { anyOf: [{ $ref: 'DecidedResult#' }, { type: 'null' }] },
        },
      },
    },
    todo: { type: 'array', items: { type: 'object', required: ['kind', 'text', 'link'], properties: { kind: S, text: S, link: S } } },
    counts: {
      type: 'object',
      required: ['waiting', 'byStatus', 'total'],
      properties: {
        waiting: { type: 'object', required: ['status', 'label', 'count'], properties: { status: S, label: S, count: I } },
        byStatus: { type: 'object', additionalProperties: { type: 'object', required: ['label', 'count'], properties: { label: S, count: I } } },
        total: I,
      },
    },
    progress: {
      type: 'array',
      items: {
        type: 'object',
        required: ['packId', 'packTitle', 'formId', 'title', 'units', 'reported', 'total'],
        properties: {
          packId: S,
          packTitle: S,
          formId: { type: ['string', 'null'] },
          title: S,
          units: {
            type: 'array',
            items: {
              type: 'object',
              required: ['target', 'kind', 'name', 'reported', 'status', 'statusLabel'],
              properties: { target: S, kind: { type: 'string', enum: ['org', 'park'] }, name: S, reported: { type: 'boolean' }, status: S, statusLabel: S },
            },
          },
          reported: I,
          total: I,
        },
      },
    },
    quotas: {
      type: 'array',
      items: {
        type: 'object',
        required: ['packId', 'packTitle', 'quotaId', 'label', 'rows'],
        properties: {
          packId: S,
          packTitle: S,
          quotaId: S,
          label: S,
          rows: { type: 'array', items: { type: 'object', required: ['orgCode', 'orgName', 'used', 'limit'], properties: { orgCode: S, orgName: S, used: I, limit: I } } },
        },
      },
    },
  },
} as const;

export interface PublishedPack {
  packId: string;
  title: string;
  pack: PackLike;
}

/** The current published version of every notice (the latest, or the one a rollback made current), loaded. */
export async function publishedPacks(ctx: Ctx): Promise<PublishedPack[]> {
  const latest = new Map<string, { id: number; packId: string; title: string }>();
  for (const v of await ctx.storage.listPackVersions()) if (v.current) latest.set(v.packId, v);
  const out: PublishedPack[] = [];
  for (const v of latest.values()) out.push({ packId: v.packId, title: v.title, pack: await ctx.packById(v.id) });
  return out;
}

/** The deadlines ahead for `u`'s role; stores the 3-day and 1-day reminders due (once, whoever looks first). */
export async function deadlinesFor(ctx: Ctx, u: User, packs: PublishedPack[]): Promise<Deadline[]> {
  const now = ctx.now();
  const list = packs.flatMap((p) => deadlinesOf(p.pack, p.packId, p.title, u.role, now)).sort((a, b) => a.daysLeft - b.daysLeft);
  const audience = audienceOf(u);
  if (audience) {
    const due = list.map((d) => deadlineReminder(d, audience)).filter((n) => n !== null);
    if (due.length) {
      const added = await ctx.storage.transaction((t) => ctx.notifier.add(t, due));
      ctx.notifier.remember(due);
      void ctx.notifier.deliver(added);
    }
  }
  return list;
}

function formTitle(pack: PackLike, formId: string): string {
  if (formId === BUNDLE) return '整套申报材料';
  const f = pack.forms.get(formId);
  return f ? `${f.attachment ? `${f.attachment} ` : ''}${f.title}` : formId;
}

async function applicantHome(ctx: Ctx, storage: Storage, u: User, packs: PublishedPack[], deadlines: Deadline[]) {
  const subs = await storage.listSubmissions(submissionFilterFor(u));
  const byId = new Map(packs.map((p) => [p.packId, p]));
  const applications = [];
  const todo: Array<{ kind: string; text: string; link: string }> = [];
  for (const s of subs) {
    const pack = await ctx.packById(s.packVersionId);
    const title = byId.get(s.packId)?.title ?? s.packId;
    let lastComment: string | null = null;
    let missing = 0;
    if (s.status === 'returned') {
      const reviews = await storage.listReviews(s.id);
      lastComment = [...reviews].reverse().find((r) => r.action === 'return')?.comment ?? null;
      todo.push({ kind: 'returned', text: `《${title}》${formTitle(pack, s.formId)}已退回修改${lastComment ? `：${lastComment}` : ''}`, link: `/submissions/${s.id}` });
    }
    if (EDITABLE.includes(s.status)) {
      missing = validateData(ctx, pack, s.formId, s.data, 'submit').length;
      if (s.status === 'draft') {
        todo.push({ kind: 'draft', text: missing ? `《${title}》${formTitle(pack, s.formId)}尚未提交，还有 ${missing} 处未填或有误` : `《${title}》${formTitle(pack, s.formId)}已填完，尚未提交`, link: `/submissions/${s.id}` });
      }
    }
    applications.push({
      id: s.id,
      packId: s.packId,
      packTitle: title,
      formId: s.formId,
      formTitle: formTitle(pack, s.formId),
      status: s.status,
      statusLabel: statusLabel(s.status),
      updatedAt: s.updatedAt,
      submittedAt: s.submittedAt,
      lastComment,
      missing,
      result: decidedResult(pack, s),
    });
  }
  // an open filling window of a notice the park has not started
  for (const d of deadlines) {
    if (!subs.some((s) => s.packId === d.packId) && !todo.some((t) => t.kind === 'start' && t.link.endsWith(d.packId))) {
      todo.push({ kind: 'start', text: `《${d.packTitle}》尚未开始填报（${d.closes} 截止）`, link: `/notices#${d.packId}` });
    }
  }
  return { applications: applications.reverse(), todo };
}

async function reviewerHome(ctx: Ctx, storage: Storage, u: User, packs: PublishedPack[]) {
  const subs = await storage.listSubmissions(submissionFilterFor(u));
  const from = REVIEW[u.role]?.from ?? '';
  const byStatus: Record<string, { label: string; count: number }> = {};
  for (const s of subs) (byStatus[s.status] ??= { label: statusLabel(s.status), count: 0 }).count++;
  const waiting = { status: from, label: WAITING_LABEL[u.role] ?? '待办', count: byStatus[from]?.count ?? 0 };
  const progress = await progressFor(storage, u, packs);
  const quotas = [];
  if (u.role === 'city' || u.role === 'province') {
    const cities = u.role === 'city' ? [u.orgCode as string] : (await storage.listOrgUnits({ level: 'city' })).map((c) => c.code);
    const names = new Map((await storage.listOrgUnits({ level: 'city' })).map((c) => [c.code, c.name]));
    for (const p of packs) {
      for (const q of p.pack.manifest.quotas ?? []) {
        if (q.scope !== 'city') continue;
        const rows = [];
        for (const city of cities) rows.push({ orgCode: city, orgName: names.get(city) ?? city, used: await storage.quotaUsed(p.packId, q.id, city), limit: q.overrides?.[city] ?? q.default });
        quotas.push({ packId: p.packId, packTitle: p.title, quotaId: q.id, label: q.label, rows });
      }
    }
  }
  return { counts: { waiting, byStatus, total: subs.length }, progress, quotas };
}

export async function homeRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;
  app.get('/api/home', { schema: { tags: ['home'], summary: '首页：待办、截止日期、下级报送进度、名额、收到的催报', response: ok(HomeData, '首页') } }, async (req) => {
    const u = requireUser(req, ['applicant', 'county', 'city', 'province']);
    const packs = await publishedPacks(ctx);
    const deadlines = await deadlinesFor(ctx, u, packs);
    const audience = audienceOf(u);
    const reminders = audience ? await storage.listNotifications(audience, u.id, { kinds: ['remind'], limit: 10 }) : [];
    const unread = audience ? await storage.countUnreadNotifications(audience, u.id) : 0;
    const base = { role: u.role, now: ctx.now(), deadlines, reminders, unread };
    if (u.role === 'applicant') return { ...base, ...(await applicantHome(ctx, storage, u, packs, deadlines)) };
    return { ...base, ...(await reviewerHome(ctx, storage, u, packs)) };
  });
}
