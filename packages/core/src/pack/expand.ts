/**
 * The expanded pack. A pack's source files say each number of the notice once (parameters,
 * scorecard maxima, quotas); the loader keeps them as written (the content hash is over them)
 * and hands the rest of the runtime — validator, rule runtime, web renderer, tables, cohort,
 * print — an expanded copy in the plain shapes it has always read:
 *
 * - parameter and quota references resolved (pack/refs.ts): quotas, form keywords, texts;
 * - scorecards expanded (form/scorecard.ts): item columns with their maximum, titles showing
 *   it, subtotal/total fields as `x-compute`;
 * - a score outcome declared `{"kind": "score", "scorecard": "<field>"}` filled with the items,
 *   groups and cap of that scorecard; derived facts declared by `scorecard` (a count over the
 *   items) or `quota` (the limit for the submission's org unit) given their json-logic.
 *
 * Runs anywhere (no file system): the server, the CLI and the browser expand the same way.
 */
import type { Manifest, RuleSetFile } from '../meta/index.js';
import { problem, type ErrorCode, type Problem } from '../errors.js';
import { expandScorecards, scoredWithoutProofExpr, type Scorecard } from '../form/scorecard.js';
import { isObject, ptr } from '../util/json.js';
import { isParamRef, resolveRefs, type RefContext, type UnresolvedRef } from './refs.js';

type Node = Record<string, unknown>;

export interface ExpandInput {
  manifestFile: string;
  manifest: Node;
  forms: Array<{ id: string; file: string; schema: unknown; ui: unknown }>;
  ruleSets: Array<{ id: string; file: string; content: Node }>;
  cohortSteps: Array<{ id: string; file: string; content: unknown }>;
}

export interface ExpandOutput {
  manifest: Node;
  forms: Map<string, { schema: Node; ui: Node; scorecards: Map<string, Scorecard> }>;
  ruleSets: Map<string, Node>;
  cohortSteps: Map<string, unknown>;
  /** what could not be expanded, with the source file and pointer */
  problems: Problem[];
}

const REF_CODES: Record<UnresolvedRef['kind'], ErrorCode> = { param: 'PARAM_UNKNOWN', quota: 'QUOTA_UNKNOWN' };

export function expandPack(input: ExpandInput): ExpandOutput {
  const problems: Problem[] = [];
  const report = (file: string, bad: UnresolvedRef[]) => {
    for (const b of bad) problems.push(problem(REF_CODES[b.kind], file, b.pointer, { name: b.name }));
  };
  const rawParams = isObject(input.manifest.parameters) ? input.manifest.parameters : {};
  const params: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(rawParams)) if (isObject(p) && 'value' in p) params[k] = p.value;
  const own = input.manifest;
  const ctx: RefContext = { params, quotas: {}, pack: { year: own.year, issueDate: own.issueDate, dataCutoff: own.dataCutoff } };

  // the manifest: quotas first (forms may name a quota), then everything else
  const badManifest: UnresolvedRef[] = [];
  const manifest = resolveRefs(input.manifest, ctx, badManifest) as Node;
  report(input.manifestFile, badManifest);
  const rawQuotas = Array.isArray(input.manifest.quotas) ? input.manifest.quotas.filter(isObject) : [];
  for (const q of Array.isArray(manifest.quotas) ? manifest.quotas.filter(isObject) : []) {
    if (typeof q.id !== 'string') continue;
    const limits = [q.default, ...Object.values(isObject(q.overrides) ? q.overrides : {})].filter((v): v is number => typeof v === 'number');
    ctx.quotas[q.id] = limits;
  }

  const forms: ExpandOutput['forms'] = new Map();
  const scorecardsOf = new Map<string, Map<string, Scorecard>>();
  for (const f of input.forms) {
    const bad: UnresolvedRef[] = [];
    const resolved = resolveRefs(isObject(f.schema) ? f.schema : {}, ctx, bad) as Node;
    const ui = resolveRefs(isObject(f.ui) ? f.ui : {}, ctx, bad) as Node;
    report(f.file, bad);
    const { schema, scorecards, issues } = expandScorecards(resolved);
    for (const i of issues) problems.push(problem(i.code, f.file, i.pointer, i.params));
    forms.set(f.id, { schema, ui, scorecards });
    scorecardsOf.set(f.id, scorecards);
  }

  const ruleSets: ExpandOutput['ruleSets'] = new Map();
  for (const r of input.ruleSets) {
    const bad: UnresolvedRef[] = [];
    const rs = resolveRefs(r.content, ctx, bad) as Node;
    report(r.file, bad);
    const cards = typeof rs.form === 'string' ? scorecardsOf.get(rs.form) : undefined;
    const cardAt = (field: unknown, pointer: string): Scorecard | undefined => {
      const sc = typeof field === 'string' ? cards?.get(field) : cards?.size === 1 ? [...cards.values()][0] : undefined;
      if (!sc) problems.push(problem('SCORECARD_UNKNOWN', r.file, pointer, { field: typeof field === 'string' ? field : '' }));
      return sc;
    };
    const o = rs.outcome;
    if (isObject(o) && o.kind === 'score' && 'scorecard' in o) {
      const sc = cardAt(o.scorecard, '/outcome/scorecard');
      const { scorecard: _s, ...rest } = o;
      rs.outcome = sc
        ? {
            ...rest,
            items: sc.items.map((it) => ({
              id: it.id,
              label: it.label,
              max: it.max,
              fact: `${sc.path}.${it.id}.${sc.columns.self ?? ''}`,
              ...(sc.columns.reviewer ? { reviewerFact: `${sc.path}.${it.id}.${sc.columns.reviewer}` } : {}),
              ...(it.group !== undefined ? { group: it.group } : {}),
              ...(it.clause !== undefined ? { clause: it.clause } : {}),
            })),
            groups: sc.groups.map((g) => ({ id: g.id, label: g.label, cap: g.cap })),
            cap: sc.cap,
          }
        : { ...rest, items: [] };
    }
    if (Array.isArray(rs.derived)) {
      rs.derived = rs.derived.map((d, i) => {
        if (!isObject(d)) return d;
        const at = ptr('derived', i);
        if (isObject(d.scorecard)) {
          const { scorecard: spec, ...rest } = d;
          const sc = cardAt(spec.field, at + '/scorecard/field');
          return { ...rest, expr: sc ? scoredWithoutProofExpr(sc) : 0 };
        }
        if (isObject(d.quota)) {
          const { quota: spec, ...rest } = d;
          const q = rawQuotas.find((x) => x.id === spec.id);
          if (!q) {
            problems.push(problem('QUOTA_UNKNOWN', r.file, at + '/quota/id', { name: String(spec.id) }));
            return { ...rest, expr: null };
          }
          return { ...rest, expr: quotaExpr(q, String(spec.unit)) };
        }
        return d;
      });
    }
    ruleSets.set(r.id, rs);
  }

  const cohortSteps: ExpandOutput['cohortSteps'] = new Map();
  for (const c of input.cohortSteps) {
    const bad: UnresolvedRef[] = [];
    const step = resolveRefs(c.content, ctx, bad, { keepParamRefs: true });
    // caps that name a quota of the manifest take its limits (as written: parameter references stay)
    if (isObject(step) && isObject(step.caps) && typeof step.caps.quota === 'string') {
      const q = rawQuotas.find((x) => x.id === (step.caps as Node).quota);
      if (!q) problems.push(problem('QUOTA_UNKNOWN', c.file, '/caps/quota', { name: step.caps.quota }));
      else step.caps = { ...step.caps, default: q.default, ...(isObject(q.overrides) ? { overrides: q.overrides } : {}) };
    }
    cohortSteps.set(c.id, step);
    report(c.file, bad);
  }
  return { manifest, forms, ruleSets, cohortSteps, problems };
}

/**
 * The limit of a quota for the org unit a fact holds, as json-logic: the override for that
 * unit, else the default. A limit written as a parameter reference is read as the fact
 * `param.<name>`, so a run's parameters override it.
 */
function quotaExpr(q: Node, unitFact: string): unknown {
  const value = (v: unknown) => (isParamRef(v) ? { var: `param.${v.param}` } : v);
  let expr: unknown = value(q.default);
  const overrides = isObject(q.overrides) ? Object.entries(q.overrides) : [];
  for (const [code, v] of overrides.reverse()) expr = { if: [{ '==': [{ var: unitFact }, code] }, value(v), expr] };
  return expr;
}

/** The expanded manifest and rule set as the runtime's types (their shapes once references are resolved). */
export type ExpandedManifest = Manifest;
export type ExpandedRuleSet = RuleSetFile;
