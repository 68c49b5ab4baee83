/**
 * A UI schema derived from the form schema where the pack's own ui file says nothing:
 * long text → textarea, checklists → checkboxes, short option lists → radio,
 * computed fields read-only, files → our upload widget. The pack's ui wins.
 */
import { deref, roleName } from '@yuanping/core/browser';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionCount(s: Json): number {
  if (Array.isArray(s.oneOf)) return s.oneOf.length;
  if (Array.isArray(s.enum)) return s.enum.length;
  return 0;
}


function forField(root: Json, raw: Json, ui: Json, role: string): Json {
  const s = deref(root, raw);
  const out: Json = { ...ui };
  const has = (k: string) => out[k] !== undefined;
  const by = typeof s['x-role'] === 'string' ? s['x-role'] : 'applicant';
  if (by !== role) {
    out['ui:readonly'] = true;
    if (!has('ui:help')) out['ui:help'] = `由${roleName(by)}填写`;
  }
  if (s['x-compute'] !== undefined) {
    out['ui:readonly'] = true;
    if (!has('ui:help')) out['ui:help'] = '自动计算';
  }
  if (s['x-file'] !== undefined && !has('ui:widget')) out['ui:widget'] = 'FileWidget';
  if (s.type === 'string' && !has('ui:widget') && s['x-file'] === undefined) {
    const max = typeof s.maxLength === 'number' ? s.maxLength : 0;
    if (s['x-max-chars'] !== undefined || max > 200) out['ui:widget'] = 'textarea';
    else if (optionCount(s) > 0 && optionCount(s) <= 4) out['ui:widget'] = 'radio';
  }
  if (s.type === 'array' && s.uniqueItems === true && isObj(s.items)) {
    const it = deref(root, s.items);
    if (optionCount(it) > 0 && !has('ui:widget')) out['ui:widget'] = 'checkboxes';
  }
  if (s.type === 'object' && isObj(s.properties)) {
    for (const [k, sub] of Object.entries(s.properties)) {
      if (!isObj(sub)) continue;
      const childUi = isObj(out[k]) ? (out[k] as Json) : {};
      out[k] = forField(root, sub, childUi, role);
    }
  }
  if (s.type === 'array' && isObj(s.items) && !(s.uniqueItems === true)) {
    const childUi = isObj(out.items) ? (out.items as Json) : {};
    out.items = forField(root, s.items, childUi, role);
  }
  return out;
}

/** `role`: who is filling in (fields another role fills — `x-role` — are read-only). */
export function deriveUi(schema: Json, ui: Json, role = 'applicant'): Json {
  const out = forField(schema, schema, ui, role);
  out['ui:submitButtonOptions'] = { norender: true };
  return out;
}

export { deref, isObj };
export type { Json };
