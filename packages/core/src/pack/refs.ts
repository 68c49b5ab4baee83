/**
 * Parameter references: how a pack writes a number of the notice once and uses it
 * everywhere. A parameter is declared in the manifest (`parameters.<name>`); elsewhere
 *
 * - `{"param": "<name>"}` stands for its value (quotas in the manifest, keywords of a
 *   form such as `maxItems`; cohort steps read the same reference at run time);
 * - `{"quota": "<quota id>"}` stands for the largest limit of that quota (a form's row
 *   limit that must hold for every org unit);
 * - `{{param.<name>}}` inside a text is replaced by the value (a list joined with 、),
 *   so a title or message that names a number does not repeat it; `{{pack.year}}` (also
 *   `pack.issueDate`, `pack.dataCutoff`) by the manifest's own value, so a form title that
 *   names the year follows the manifest.
 *
 * Rules keep reading parameters as facts (`{"fact": "param.<name>"}`, json-logic
 * `{"var": "param.<name>"}`), so a fixture or `--param` can override them at run time.
 * The loader resolves the references into the expanded pack (pack/expand.ts).
 */
import { isObject, ptr } from '../util/json.js';

export interface ParamRef {
  param: string;
}
export interface QuotaRef {
  quota: string;
}

/** `{"param": "<name>"}` and nothing else. */
export function isParamRef(v: unknown): v is ParamRef {
  return isObject(v) && typeof v.param === 'string' && Object.keys(v).length === 1;
}
/** `{"quota": "<id>"}` and nothing else. */
export function isQuotaRef(v: unknown): v is QuotaRef {
  return isObject(v) && typeof v.quota === 'string' && Object.keys(v).length === 1;
}

export interface RefContext {
  /** parameter name → value */
  params: Record<string, unknown>;
  /** quota id → its limits (default and overrides), already resolved */
  quotas: Record<string, number[]>;
  /** manifest values a text may name as `{{pack.<name>}}` */
  pack?: Record<string, unknown>;
}

/** A reference that could not be resolved: where, and what it named. */
export interface UnresolvedRef {
  pointer: string;
  kind: 'param' | 'quota';
  name: string;
}

const TEXT_REF = /\{\{\s*(param|pack)\.([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The text form of a parameter value. */
export function paramText(v: unknown): string {
  if (Array.isArray(v)) return v.map(paramText).join('、');
  return typeof v === 'string' ? v : JSON.stringify(v) ?? '';
}

/** Replace `{{param.<name>}}` in a text; unknown names are reported and left as written. */
export function fillText(s: string, ctx: RefContext, pointer: string, bad: UnresolvedRef[]): string {
  if (!s.includes('{{')) return s;
  return s.replace(TEXT_REF, (whole, scope: string, name: string) => {
    const from = scope === 'pack' ? (ctx.pack ?? {}) : ctx.params;
    if (!(name in from) || from[name] === undefined) {
      bad.push({ pointer, kind: 'param', name: scope === 'pack' ? `pack.${name}` : name });
      return whole;
    }
    return paramText(from[name]);
  });
}

/**
 * Resolve every reference in a JSON document (a new value; the input is not changed).
 * `keepParamRefs`: leave `{"param": …}` objects as written (cohort steps resolve them
 * at run time, so that a run's parameters can override them) but still report unknown names.
 */
export function resolveRefs(node: unknown, ctx: RefContext, bad: UnresolvedRef[], opts: { keepParamRefs?: boolean } = {}, pointer = ''): unknown {
  if (typeof node === 'string') return fillText(node, ctx, pointer, bad);
  if (Array.isArray(node)) return node.map((x, i) => resolveRefs(x, ctx, bad, opts, `${pointer}/${i}`));
  if (!isObject(node)) return node;
  if (isParamRef(node)) {
    if (!(node.param in ctx.params)) {
      bad.push({ pointer: pointer + '/param', kind: 'param', name: node.param });
      return node;
    }
    return opts.keepParamRefs ? node : ctx.params[node.param];
  }
  if (isQuotaRef(node)) {
    const limits = ctx.quotas[node.quota];
    if (!limits || limits.length === 0) {
      bad.push({ pointer: pointer + '/quota', kind: 'quota', name: node.quota });
      return node;
    }
    return Math.max(...limits);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = resolveRefs(v, ctx, bad, opts, pointer + ptr(k));
  return out;
}
