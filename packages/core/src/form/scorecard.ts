/**
 * Scorecards written once (the `x-scorecard` / `x-score` / `x-score-total` keywords of a form).
 *
 * The form is the one source of a scorecard: its items (order, title, description, clause), each
 * item's maximum and group, the groups with their stated maxima, and the columns every item has
 * (self score, reviewer score, proof page). `expandScorecards` turns the source form into the
 * plain JSON Schema the rest of the runtime reads — each item's columns with `maximum`, titles
 * showing the maximum "（3分）", subtotal/total fields as `x-compute` (so they are computed by the
 * server like every computed field) — and returns the scorecard model from which a rule set's
 * score outcome takes its items and groups (pack/expand.ts).
 */
import { isObject, ptr } from '../util/json.js';

export type ScoreRole = 'self' | 'reviewer' | 'proof';

export interface ScorecardItem {
  id: string;
  /** the title as shown, the maximum included */
  label: string;
  max: number;
  group?: string;
  clause?: string;
}

export interface ScorecardGroup {
  id: string;
  label: string;
  /** sum of its items' maxima */
  sum: number;
  /** the stated maximum (checked against `sum`) */
  max?: number;
  /** the cap applied to the group's score: `limit`, else the stated or summed maximum */
  cap: number;
  clause?: string;
}

export interface Scorecard {
  /** dotted path of the object holding the items */
  path: string;
  /** JSON pointer of that object in the form file */
  pointer: string;
  items: ScorecardItem[];
  groups: ScorecardGroup[];
  /** column name of each role */
  columns: Partial<Record<ScoreRole, string>>;
  /** the cap on the total: `limit`, else the sum of the groups' caps (and ungrouped items) */
  cap: number;
}

export interface ScorecardIssue {
  pointer: string;
  code: 'SCORECARD_MAXIMA_SUM' | 'SCORECARD_NO_SELF_COLUMN' | 'SCORE_UNKNOWN_GROUP' | 'SCORECARD_COPY_DISAGREES' | 'SCORECARD_UNKNOWN' | 'PACK_DUPLICATE_ID';
  params: Record<string, unknown>;
}

type Node = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** The sum of maxima, free of binary floating-point noise (maxima such as 0.5 add up exactly). */
const add = (a: number, b: number) => Math.round((a + b) * 1e9) / 1e9;
const withMax = (title: unknown, max: number, on: boolean) => (typeof title === 'string' && on ? `${title}（${max}分）` : title);

/** The clamped value of one item's column, as json-logic. */
function itemExpr(path: string, item: ScorecardItem, column: string): unknown {
  return { min: [{ max: [{ var: [`${path}.${item.id}.${column}`, 0] }, 0] }, item.max] };
}

/**
 * A total over a scorecard as json-logic (the same arithmetic as the score outcome: each item
 * clamped to [0, max], each group capped, the whole capped): what a subtotal/total field computes.
 */
export function scoreTotalExpr(sc: Scorecard, basis: 'self' | 'reviewer', groups?: string[], relPath = sc.path): unknown {
  const column = sc.columns[basis];
  if (!column) return 0;
  const chosen = groups ? sc.groups.filter((g) => groups.includes(g.id)) : sc.groups;
  const parts: unknown[] = chosen.map((g) => {
    const items = sc.items.filter((it) => it.group === g.id).map((it) => itemExpr(relPath, it, column));
    const sum = { '+': items.length ? items : [0] };
    return g.cap < g.sum ? { min: [sum, g.cap] } : sum;
  });
  if (!groups) for (const it of sc.items.filter((x) => !x.group)) parts.push(itemExpr(relPath, it, column));
  const total = { '+': parts.length ? parts : [0] };
  const whole = groups ? undefined : sc.cap;
  const full = sc.groups.reduce((s, g) => add(s, g.cap), sc.items.filter((x) => !x.group).reduce((s, x) => add(s, x.max), 0));
  return whole !== undefined && whole < full ? { min: [total, whole] } : total;
}

/** How many items have a self score above 0 and no proof (page) filled in, as json-logic. */
export function scoredWithoutProofExpr(sc: Scorecard): unknown {
  const self = sc.columns.self;
  const ev = sc.columns.proof;
  if (!self || !ev) return 0;
  return {
    '+': sc.items.map((it) => ({
      if: [{ and: [{ '>': [{ var: [`${sc.path}.${it.id}.${self}`, 0] }, 0] }, { '!': { var: [`${sc.path}.${it.id}.${ev}`, ''] } }] }, 1, 0],
    })),
  };
}

/**
 * Expand the scorecards of one (reference-resolved) form schema. Returns the expanded schema,
 * the scorecards by path, and what is wrong (pointers into the source form file).
 */
export function expandScorecards(schema: Node): { schema: Node; scorecards: Map<string, Scorecard>; issues: ScorecardIssue[] } {
  const scorecards = new Map<string, Scorecard>();
  const issues: ScorecardIssue[] = [];

  const expandCard = (node: Node, path: string, pointer: string): Node => {
    const spec = node['x-scorecard'];
    if (!isObject(spec)) return node;
    const columns = isObject(spec.columns) ? spec.columns : {};
    const roles: Partial<Record<ScoreRole, string>> = {};
    for (const [name, col] of Object.entries(columns)) {
      const role = isObject(col) ? col['x-score'] : undefined;
      if (role === 'self' || role === 'reviewer' || role === 'proof') roles[role] ??= name;
    }
    if (!roles.self) issues.push({ pointer: pointer + '/x-scorecard/columns', code: 'SCORECARD_NO_SELF_COLUMN', params: {} });
    const inTitle = spec.maxInTitle !== false;
    const groupSpecs = Array.isArray(spec.groups) ? spec.groups.filter(isObject) : [];
    const groupIds = new Set<string>();
    groupSpecs.forEach((g, i) => {
      if (typeof g.id !== 'string') return;
      if (groupIds.has(g.id)) issues.push({ pointer: pointer + ptr('x-scorecard', 'groups', i, 'id'), code: 'PACK_DUPLICATE_ID', params: { id: g.id } });
      groupIds.add(g.id);
    });
    const items: ScorecardItem[] = [];
    const props: Node = {};
    const source = isObject(node.properties) ? node.properties : {};
    for (const [itemId, raw] of Object.entries(source)) {
      if (!isObject(raw) || !isObject(raw['x-score'])) {
        props[itemId] = raw;
        continue;
      }
      const at = pointer + ptr('properties', itemId);
      const xs = raw['x-score'];
      const max = num(xs.max) ?? 0;
      const group = typeof xs.group === 'string' ? xs.group : undefined;
      if (group !== undefined && !groupIds.has(group)) issues.push({ pointer: at + '/x-score/group', code: 'SCORE_UNKNOWN_GROUP', params: { group } });
      const item: ScorecardItem = {
        id: itemId,
        label: String(withMax(raw.title ?? itemId, max, inTitle)),
        max,
        ...(group !== undefined ? { group } : {}),
        ...(typeof raw['x-clause'] === 'string' ? { clause: raw['x-clause'] } : {}),
      };
      items.push(item);
      const overrides = isObject(raw.properties) ? raw.properties : {};
      const cols: Node = {};
      for (const [name, col] of Object.entries(columns)) {
        if (!isObject(col)) continue;
        const over = isObject(overrides[name]) ? overrides[name] : {};
        const merged: Node = { ...col, ...over };
        if (col['x-score'] === 'self' || col['x-score'] === 'reviewer') {
          // a maximum written by hand is a second copy: it must agree with x-score.max
          if (over.maximum !== undefined && over.maximum !== max) {
            issues.push({ pointer: at + ptr('properties', name, 'maximum'), code: 'SCORECARD_COPY_DISAGREES', params: { item: item.label, written: over.maximum, max } });
          }
          merged.maximum = max;
        }
        cols[name] = merged;
      }
      for (const [name, over] of Object.entries(overrides)) if (!(name in cols)) cols[name] = over; // reported by ajv/the UI check as an unknown column
      const { properties: _p, ...rest } = raw;
      props[itemId] = { type: 'object', additionalProperties: false, ...rest, title: item.label, properties: cols };
    }
    const groups: ScorecardGroup[] = groupSpecs
      .filter((g) => typeof g.id === 'string')
      .map((g) => {
        const gid = g.id as string;
        const sum = items.filter((it) => it.group === gid).reduce((s, it) => add(s, it.max), 0);
        const max = num(g.max);
        const limit = num(g.limit);
        const shown = max ?? sum;
        return {
          id: gid,
          label: String(withMax(g.label ?? gid, shown, inTitle)),
          sum,
          ...(max !== undefined ? { max } : {}),
          cap: limit ?? shown,
          ...(typeof g.clause === 'string' ? { clause: g.clause } : {}),
        };
      });
    groups.forEach((g, i) => {
      if (g.max !== undefined && g.max !== g.sum) {
        issues.push({ pointer: pointer + ptr('x-scorecard', 'groups', i, 'max'), code: 'SCORECARD_MAXIMA_SUM', params: { group: g.label, max: g.max, sum: g.sum } });
      }
    });
    const full = groups.reduce((s, g) => add(s, g.cap), items.filter((x) => !x.group).reduce((s, x) => add(s, x.max), 0));
    const sc: Scorecard = { path, pointer, items, groups, columns: roles, cap: num(spec.limit) ?? full };
    scorecards.set(path, sc);
    return { ...node, required: items.map((it) => it.id).concat(Array.isArray(node.required) ? node.required.filter((r) => typeof r === 'string' && !items.some((it) => it.id === r)) : []), properties: props };
  };

  // scorecards first (depth-first), then the totals of each object, which read its scorecard fields
  const walk = (node: Node, path: string, pointer: string): Node => {
    let out = expandCard(node, path, pointer);
    if (!isObject(out.properties)) return out;
    const props: Node = {};
    for (const [k, v] of Object.entries(out.properties)) {
      props[k] = isObject(v) ? walk(v, path ? `${path}.${k}` : k, pointer + ptr('properties', k)) : v;
    }
    out = { ...out, properties: props };
    // totals: siblings of a scorecard field
    for (const [k, v] of Object.entries(props)) {
      if (!isObject(v) || !isObject(v['x-score-total'])) continue;
      const t = v['x-score-total'];
      const at = pointer + ptr('properties', k, 'x-score-total');
      const local = Object.keys(props).filter((p) => scorecards.has(path ? `${path}.${p}` : p));
      const of = typeof t.of === 'string' ? t.of : local.length === 1 ? local[0] : undefined;
      const sc = of !== undefined ? scorecards.get(path ? `${path}.${of}` : of) : undefined;
      if (!sc || of === undefined) {
        issues.push({ pointer: at + '/of', code: 'SCORECARD_UNKNOWN', params: { field: of ?? '' } });
        continue;
      }
      const groups = Array.isArray(t.groups) ? t.groups.filter((g): g is string => typeof g === 'string') : undefined;
      (groups ?? []).forEach((g, i) => {
        if (!sc.groups.some((x) => x.id === g)) issues.push({ pointer: at + ptr('groups', i), code: 'SCORE_UNKNOWN_GROUP', params: { group: g } });
      });
      const basis = t.basis === 'reviewer' ? 'reviewer' : 'self';
      props[k] = { ...v, 'x-compute': scoreTotalExpr(sc, basis, groups, of) };
    }
    return out;
  };
  return { schema: walk(schema, '', ''), scorecards, issues };
}
