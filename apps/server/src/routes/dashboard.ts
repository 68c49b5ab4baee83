/**
 * Dashboards for the province and the cities (issue 16, item 6): `GET /api/dashboard?packId=` —
 * reporting progress by unit below, the status funnel, the level mix (star, grade …: every
 * `level` rule set) by city and county, the distribution of the notice's indicators
 * (`dashboard.indicators` of the manifest, e.g. tax per unit of land) and the same figures by year along the
 * `succeeds` chain of published packs. Every figure is aggregated in the database; no submission
 * is loaded.
 */
import type { FastifyInstance } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { ok } from '../components.js';
import type { AreaFilter, IndicatorSources, OrgUnit, User } from '@yuanping/storage';
import { requireUser } from '../session.js';
import type { Ctx } from '../ctx.js';
import type { PackLike } from '../engine.js';
import { BUNDLE } from '../bundle.js';
import { ApiError } from '../errors.js';
import { statusLabel } from '../workflow.js';
import { publishedPacks, type PublishedPack } from './home.js';

/** The funnel's steps: a submission counts at a step when its status is one of those listed. */
const FUNNEL: Array<{ id: string; label: string; statuses: string[] }> = [
  { id: 'submitted', label: '已提交', statuses: ['submitted', 'returned', 'county_passed', 'city_recommended', 'not_recommended', 'approved', 'rejected'] },
  { id: 'county', label: '县级审核通过', statuses: ['county_passed', 'city_recommended', 'not_recommended', 'approved', 'rejected'] },
  { id: 'city', label: '市级推荐', statuses: ['city_recommended', 'approved', 'rejected'] },
  { id: 'province', label: '省级评定通过', statuses: ['approved'] },
];

/** The statuses a dashboard leaves out: drafts are the applicant's own. */
const NOT_COUNTED = ['draft'];

function sourcesOf(ind: { form: string; field: string; per?: string }): IndicatorSources {
  const field = ind.field.split('.');
  const per = ind.per ? ind.per.split('.') : null;
  // a whole application keeps each form's data under the form's id
  return { [ind.form]: { field, per }, [BUNDLE]: { field: [ind.form, ...field], per: per ? [ind.form, ...per] : null } };
}

function areaOf(u: User): AreaFilter {
  return u.role === 'city' ? { cityCode: u.orgCode ?? '', excludeStatuses: NOT_COUNTED } : { excludeStatuses: NOT_COUNTED };
}

/** The published packs this one succeeds, oldest first, ending with it (each year once). */
function yearsOf(packs: PublishedPack[], current: PublishedPack): PublishedPack[] {
  const byId = new Map(packs.map((p) => [p.packId, p]));
  const chain: PublishedPack[] = [current];
  let at = current;
  for (let i = 0; i < 20; i++) {
    const prev = at.pack.manifest.succeeds ? byId.get(at.pack.manifest.succeeds) : undefined;
    if (!prev || chain.includes(prev)) break;
    chain.unshift(prev);
    at = prev;
  }
  return chain;
}

function levelRuleSets(pack: PackLike) {
  const out: Array<{ id: string; label: string; levels: Array<{ id: string; label: string }>; noneLabel: string }> = [];
  for (const [id, entry] of pack.ruleSets) {
    const d = entry.ruleSet.outcome;
    if (d.kind !== 'level') continue;
    out.push({ id, label: entry.ruleSet.title ?? id, levels: d.levels.map((l) => ({ id: l.id, label: l.label })), noneLabel: d.noneLabel ?? '未达到等级' });
  }
  return out;
}

const S = { type: 'string' } as const;
const I = { type: 'integer' } as const;
const numOrNull = { type: ['number', 'null'] } as const;
const unitRef = { type: 'object', required: ['code', 'name'], properties: { code: S, name: S } } as const;
const levelTally = { type: 'array', items: { type: 'object', required: ['code', 'name', 'counts'], properties: { code: S, name: S, counts: { type: 'object', additionalProperties: I, description: '等级 → 数目（空串：未达等级）' } } } } as const;
/** The answer of `GET /api/dashboard`: without a published pack only the list (packId null). */
const Dashboard = {
  type: 'object',
  description: '看板：各指标按下级单位（市看区县，省看设区市）汇总',
  required: ['packs', 'packId'],
  properties: {
    packs: { type: 'array', items: { type: 'object', required: ['packId', 'title'], properties: { packId: S, title: S, year: I } } },
    packId: { type: ['string', 'null'] },
    title: S,
    year: I,
    scope: { type: 'object', required: ['role', 'unitLabel'], properties: { role: S, unitLabel: S } },
    units: { type: 'array', items: unitRef },
    progress: { type: 'array', items: { type: 'object', required: ['code', 'name', 'parks', 'started', 'reported'], properties: { code: S, name: S, parks: I, started: I, reported: I } } },
    funnel: { type: 'array', items: { type: 'object', required: ['id', 'label', 'count'], properties: { id: S, label: S, count: I } } },
    statuses: { type: 'array', items: { type: 'object', required: ['status', 'label', 'count'], properties: { status: S, label: S, count: I } } },
    levels: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'label', 'levels', 'byUnit', 'byCounty'],
        properties: {
          id: S,
          label: S,
          levels: { type: 'array', items: { type: 'object', required: ['id', 'label'], properties: { id: S, label: S } } },
          byUnit: levelTally,
          byCounty: { anyOf: [levelTally, { type: 'null' }] },
        },
      },
    },
    grades: {
      type: 'array',
      description: '各群体评价步骤最近一次运行的分档：按分组（如设区市）统计各档数目（数据库聚合）',
      items: {
        type: 'object',
        required: ['stepId', 'label', 'runId', 'runAt', 'grades', 'byGroup'],
        properties: {
          stepId: S,
          label: S,
          runId: S,
          runAt: { type: 'string', format: 'date-time' },
          grades: { type: 'array', items: { type: 'object', required: ['id', 'label'], properties: { id: S, label: S } } },
          byGroup: { type: 'array', items: { type: 'object', required: ['name', 'counts'], properties: { name: S, counts: { type: 'object', additionalProperties: I, description: '档次 → 数目（excluded：不参评）' } } } },
        },
      },
    },
    indicators: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'label', 'unit', 'precision', 'total', 'byUnit', 'histogram'],
        properties: {
          id: S,
          label: S,
          unit: S,
          precision: I,
          total: {
            description: '全辖区的统计（无数据为 null）',
            anyOf: [
              {
                type: 'object',
                required: ['n', 'min', 'max', 'mean', 'p25', 'median', 'p75'],
                properties: { n: I, min: numOrNull, max: numOrNull, mean: numOrNull, p25: numOrNull, median: numOrNull, p75: numOrNull },
              },
              { type: 'null' },
            ],
          },
          byUnit: {
            type: 'array',
            items: { type: 'object', required: ['code', 'name', 'n'], properties: { code: S, name: S, n: I, min: numOrNull, median: numOrNull, mean: numOrNull, max: numOrNull } },
          },
          histogram: {
            description: '分布直方图：各区间 [from, to) 的记录数',
            type: 'array',
            items: { type: 'object', required: ['from', 'to', 'count'], properties: { from: { type: 'number' }, to: { type: 'number' }, count: I } },
          },
        },
      },
    },
    years: {
      type: 'array',
      items: {
        type: 'object',
        required: ['year', 'packId', 'title', 'submitted', 'approved', 'medians'],
        properties: { year: I, packId: S, title: S, submitted: I, approved: I, medians: { type: 'object', additionalProperties: numOrNull } },
      },
    },
  },
} as const;

export async function dashboardRoutes(app0: FastifyInstance, ctx: Ctx): Promise<void> {
  // request and answer types from the route schemas (json-schema-to-ts)
  const app = app0.withTypeProvider<JsonSchemaToTsProvider>();
  const { storage } = ctx;
  app.get(
    '/api/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary: '省、市看板：报送进度、状态漏斗、等级分布、指标分布与年度对比（数据库聚合）',
        querystring: { type: 'object', additionalProperties: false, properties: { packId: { type: 'string', maxLength: 63 } } },
        response: ok(Dashboard, '看板'),
      },
    },
    async (req) => {
      const u = requireUser(req, ['city', 'province']);
      const packs = (await publishedPacks(ctx)).filter((p) => p.pack.forms.size > 0).sort((a, b) => (b.pack.manifest.year ?? 0) - (a.pack.manifest.year ?? 0) || a.packId.localeCompare(b.packId));
      const list = packs.map((p) => ({ packId: p.packId, title: p.title, year: p.pack.manifest.year }));
      const { packId } = req.query;
      const current = packId ? packs.find((p) => p.packId === packId) : packs[0];
      if (!current) {
        if (packId) throw new ApiError('PACK_NOT_PUBLISHED', { pack: packId });
        return { packs: list, packId: null };
      }
      const area = areaOf(u);
      const below: OrgUnit[] = await storage.listOrgUnits(u.role === 'city' ? { parentCode: u.orgCode ?? '', level: 'county' } : { level: 'city' });
      const counties = u.role === 'city' ? below : await storage.listOrgUnits({ level: 'county' });
      const nameOf = new Map([...below, ...counties].map((o) => [o.code, o.name]));
      // the unit a county's row belongs to on this dashboard: the county (city dashboard) or its city (province)
      const unitOf = (r: { cityCode: string; countyCode: string }) => (u.role === 'city' ? r.countyCode : r.cityCode);
      const units = below.map((o) => ({ code: o.code, name: o.name }));

      const [parkRows, statusRows, levelRows] = await Promise.all([storage.parkProgress(current.packId, area), storage.statusCounts(current.packId, area), storage.levelCounts(current.packId, area)]);

      const progress = units.map((x) => {
        const mine = parkRows.filter((r) => unitOf(r) === x.code);
        return { code: x.code, name: x.name, parks: mine.reduce((a, r) => a + r.parks, 0), started: mine.reduce((a, r) => a + r.started, 0), reported: mine.reduce((a, r) => a + r.reported, 0) };
      });
      const statusTotals = new Map<string, number>();
      for (const r of statusRows) statusTotals.set(r.status, (statusTotals.get(r.status) ?? 0) + r.count);
      const funnel = FUNNEL.map((f) => ({ id: f.id, label: f.label, count: f.statuses.reduce((a, s) => a + (statusTotals.get(s) ?? 0), 0) }));
      const statuses = [...statusTotals].map(([status, count]) => ({ status, label: statusLabel(status), count }));

      const levels = levelRuleSets(current.pack).map((rs) => {
        const rows = levelRows.filter((r) => r.ruleSet === rs.id);
        const tally = (key: (r: (typeof rows)[number]) => string, keys: Array<{ code: string; name: string }>) =>
          keys
            .map((k) => {
              const counts: Record<string, number> = {};
              for (const r of rows) if (key(r) === k.code) counts[r.level ?? ''] = (counts[r.level ?? ''] ?? 0) + r.count;
              return { code: k.code, name: k.name, counts };
            })
            .filter((x) => Object.keys(x.counts).length > 0 || u.role === 'city' || keys === units);
        const countyKeys = [...new Set(rows.map((r) => r.countyCode))].sort().map((c) => ({ code: c, name: nameOf.get(c) ?? c }));
        return {
          id: rs.id,
          label: rs.label,
          levels: [...rs.levels, { id: '', label: rs.noneLabel }],
          byUnit: tally(unitOf, units),
          byCounty: u.role === 'city' ? null : tally((r) => r.countyCode, countyKeys),
        };
      });

      // the grades of the latest run of each cohort step (the province: every run; a city: its own and its counties')
      const grades = [];
      const runs = await storage.latestCohortRuns(current.packId, u.role === 'city' ? [u.orgCode ?? '', ...below.map((o) => o.code)] : null);
      for (const run of runs) {
        const step = current.pack.cohortSteps.get(run.stepId)?.step as { title?: string; grades?: { levels?: Array<{ grade: string; title?: string }> } } | undefined;
        const counts = await storage.cohortGradeCounts(run.id);
        const declared = (step?.grades?.levels ?? []).map((l) => ({ id: l.grade, label: l.title ?? `${l.grade}档` }));
        const seen = new Set(counts.map((c) => c.grade));
        const extra = [...seen].filter((g) => g !== 'excluded' && !declared.some((d) => d.id === g)).map((g) => ({ id: g, label: g === '' ? '未分档' : g }));
        const gradeList = [...declared, ...extra, ...(seen.has('excluded') ? [{ id: 'excluded', label: '不参评' }] : [])];
        const groups = [...new Set(counts.map((c) => c.group))];
        const byGroup = groups.map((g) => {
          const tally: Record<string, number> = {};
          for (const c of counts) if (c.group === g) tally[c.grade] = (tally[c.grade] ?? 0) + c.count;
          return { name: g === '' ? '全部' : g, counts: tally };
        });
        grades.push({ stepId: run.stepId, label: step?.title ?? run.stepId, runId: run.id, runAt: run.createdAt, grades: gradeList, byGroup });
      }

      const indicators = [];
      for (const ind of current.pack.manifest.dashboard?.indicators ?? []) {
        const stats = await storage.indicatorStats(current.packId, sourcesOf(ind), area);
        const total = stats.groups.find((g) => g.cityCode === null && g.countyCode === null) ?? null;
        const byUnit = units.map((x) => {
          const g = stats.groups.find((r) => (u.role === 'city' ? r.countyCode === x.code : r.cityCode === x.code && r.countyCode === null));
          return { code: x.code, name: x.name, n: g?.n ?? 0, min: g?.min ?? null, median: g?.median ?? null, mean: g?.mean ?? null, max: g?.max ?? null };
        });
        indicators.push({ id: ind.id, label: ind.label, unit: ind.unit ?? '', precision: ind.precision ?? 2, total, byUnit, histogram: stats.histogram });
      }

      // year over year: the same indicator ids (and the submission counts) along the succeeds chain
      const years = [];
      const chain = yearsOf(packs, current);
      if (chain.length > 1) {
        for (const p of chain) {
          const counts = await storage.statusCounts(p.packId, area);
          const figures: Record<string, number | null> = {};
          for (const ind of p.pack.manifest.dashboard?.indicators ?? []) {
            const st = await storage.indicatorStats(p.packId, sourcesOf(ind), area);
            figures[ind.id] = st.groups.find((g) => g.cityCode === null && g.countyCode === null)?.median ?? null;
          }
          years.push({ year: p.pack.manifest.year, packId: p.packId, title: p.title, submitted: counts.reduce((a, r) => a + r.count, 0), approved: counts.filter((r) => r.status === 'approved').reduce((a, r) => a + r.count, 0), medians: figures });
        }
      }
      return {
        packs: list,
        packId: current.packId,
        title: current.title,
        year: current.pack.manifest.year,
        scope: { role: u.role, unitLabel: u.role === 'city' ? '区县' : '设区市' },
        units,
        progress,
        funnel,
        statuses,
        levels,
        grades,
        indicators,
        years,
      };
    },
  );
}
