import { isObject } from '../util/json.js';
import { roundHalfUp } from '../util/numbers.js';
import { buildExpr } from '../rules/expr.js';
import { deref } from './fields.js';

/**
 * Fill the computed fields (`x-compute`) of a form's data. The expression sees the
 * object that holds the field (for a table, its row). Computed values are always
 * recomputed: what a client sends for them is ignored. Returns a new object.
 */
export function computeFields(rootSchema: unknown, data: unknown): unknown {
  if (!isObject(rootSchema)) return data;
  const walk = (schemaRaw: Record<string, unknown>, value: unknown): unknown => {
    const schema = deref(rootSchema, schemaRaw);
    if (Array.isArray(value) && isObject(schema.items)) {
      const items = schema.items;
      return value.map((v) => walk(items, v));
    }
    if (!isObject(value) || !isObject(schema.properties)) return value;
    const out: Record<string, unknown> = { ...value };
    const computed: Array<[string, Record<string, unknown>]> = [];
    for (const [k, sub] of Object.entries(schema.properties)) {
      if (!isObject(sub)) continue;
      const s = deref(rootSchema, sub);
      if (s['x-compute'] !== undefined) computed.push([k, s]);
      else if (k in out) out[k] = walk(s, out[k]);
    }
    for (const [k, s] of computed) {
      const v = buildExpr(s['x-compute'])(out);
      const p = s['x-precision'];
      if (typeof v === 'number') out[k] = typeof p === 'number' ? roundHalfUp(v, p) : v;
      else if (v === undefined || v === null) delete out[k];
      else out[k] = v;
    }
    return out;
  };
  return walk(rootSchema, data);
}
