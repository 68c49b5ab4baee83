import { canonicalJson, isObject } from '../util/json.js';
import { computeFields } from './compute.js';
import { deref } from './fields.js';

/**
 * Who writes each field of a form — one rule for every form, used by the web app (what it sends)
 * and the server (what it stores):
 *
 * - a field **the server computes** is written by nobody: whatever a client sends for it is
 *   dropped and the server computes it from the rest of the data (`isServerComputed`: today a
 *   field with `x-compute`; a new kind of computed field is added there and nowhere else);
 * - a field **another role owns** (`x-role` naming a role other than the writer's) is neither
 *   sent by the writer's client nor changed by its save: the stored value is kept; a save that
 *   sends a different value for it is refused (the paths come back in `refused`), one that sends
 *   the stored value unchanged is not;
 * - every other field is the writer's own.
 */

type Schema = Record<string, unknown>;

/** The role a field belongs to when it names none. */
export const DEFAULT_FIELD_ROLE = 'applicant';

/** Whether the server computes the field (the client's value for it is never used). */
export function isServerComputed(schema: Schema): boolean {
  return schema['x-compute'] !== undefined;
}

/** The role that fills the field (`x-role`, else the applicant). */
export function fieldRole(schema: Schema): string {
  return typeof schema['x-role'] === 'string' ? schema['x-role'] : DEFAULT_FIELD_ROLE;
}

/** Whether `role` writes the field itself (neither computed nor another role's). */
export function writesField(schema: Schema, role: string): boolean {
  return !isServerComputed(schema) && fieldRole(schema) === role;
}

type Kind = 'computed' | 'foreign' | 'own';
function kindOf(s: Schema, role: string): Kind {
  if (isServerComputed(s)) return 'computed';
  return fieldRole(s) === role ? 'own' : 'foreign';
}

/**
 * The part of `data` that `role` writes: computed fields and fields of other roles removed
 * (what a client sends with a save). Unknown keys are kept (validation names them).
 */
export function ownPart(rootSchema: unknown, data: unknown, role: string = DEFAULT_FIELD_ROLE): unknown {
  if (!isObject(rootSchema)) return data;
  const walk = (raw: Schema, v: unknown): unknown => {
    const s = deref(rootSchema, raw);
    if (kindOf(s, role) !== 'own') return undefined;
    if (isObject(v) && isObject(s.properties)) {
      const out: Record<string, unknown> = { ...v };
      for (const [k, sub] of Object.entries(s.properties)) {
        if (!isObject(sub) || !(k in out)) continue;
        const w = walk(sub, out[k]);
        if (w === undefined) delete out[k];
        else out[k] = w;
      }
      return out;
    }
    if (Array.isArray(v) && isObject(s.items)) {
      const items = s.items;
      return v.map((x) => walk(items, x) ?? null);
    }
    return v;
  };
  const r = walk(rootSchema, data);
  return r === undefined ? {} : r;
}

/**
 * The data to store when `role` saves `sent` over `before`: the role's own fields as sent, the
 * stored values of the fields of other roles, the computed fields computed. `refused`: dotted
 * paths of fields of other roles whose sent value differs from the stored one.
 *
 * Rows of an array are matched by position.
 */
export function mergeOwnWrites(rootSchema: unknown, before: unknown, sent: unknown, role: string = DEFAULT_FIELD_ROLE): { data: unknown; refused: string[] } {
  const refused: string[] = [];
  if (!isObject(rootSchema)) return { data: sent, refused };
  const join = (path: string, k: string | number) => (path ? `${path}.${k}` : String(k));
  const walk = (raw: Schema, b: unknown, v: unknown, path: string): unknown => {
    const s = deref(rootSchema, raw);
    const kind = kindOf(s, role);
    if (kind === 'computed') return undefined;
    if (kind === 'foreign') {
      if (v !== undefined && canonicalJson(v) !== canonicalJson(b ?? null) && !(b === undefined && v === null)) refused.push(path);
      return b;
    }
    if (isObject(s.properties)) {
      if (v === undefined && isObject(b)) {
        // nothing sent for this object: keep the other roles' values inside it, if any
        const kept = walk(raw, b, {}, path);
        return isObject(kept) && Object.keys(kept).length > 0 ? kept : undefined;
      }
      if (isObject(v)) {
        const bo = isObject(b) ? b : {};
        const out: Record<string, unknown> = { ...v };
        for (const [k, sub] of Object.entries(s.properties)) {
          if (!isObject(sub)) continue;
          const w = walk(sub, bo[k], v[k], join(path, k));
          if (w === undefined) delete out[k];
          else out[k] = w;
        }
        return out;
      }
    }
    if (Array.isArray(v) && isObject(s.items)) {
      const items = s.items;
      const ba = Array.isArray(b) ? b : [];
      return v.map((x, i) => walk(items, ba[i], x, join(path, i)) ?? null);
    }
    return v;
  };
  const merged = walk(rootSchema, before, sent, '');
  return { data: computeFields(rootSchema, merged === undefined ? {} : merged), refused };
}
