import type { NoticePack } from '../pack/types.js';
import { getPath, isObject } from '../util/json.js';
import { compareNumbers } from '../util/numbers.js';
import { displayValue, indexFields } from './fields.js';

/**
 * Consistency across forms (manifest `forms[].prefill`): a form's fields are pre-filled
 * from, and checked against, another form's record for the same park — e.g. the star
 * application against the park's row of the evaluation summary table.
 */
export interface Mismatch {
  /** this form's field path */
  field: string;
  label: string;
  value: unknown;
  valueText: string;
  sourceForm: string;
  sourceField: string;
  sourceValue: unknown;
  sourceText: string;
  /** blocks submission unless a reviewer accepts it with a reason */
  blocking: boolean;
  message: string;
}

/** Find the record for one park inside another form's data: the data itself, or a row of any table in it. */
export function findSourceRecord(sourceData: unknown, match: string | undefined, key: unknown): Record<string, unknown> | undefined {
  if (!match) return isObject(sourceData) ? sourceData : undefined;
  const hit = (o: unknown): o is Record<string, unknown> => isObject(o) && getPath(o, match) === key;
  if (hit(sourceData)) return sourceData;
  const visit = (v: unknown): Record<string, unknown> | undefined => {
    if (Array.isArray(v)) {
      for (const x of v) {
        if (hit(x)) return x;
        const inner = visit(x);
        if (inner) return inner;
      }
    } else if (isObject(v)) {
      for (const x of Object.values(v)) {
        const inner = visit(x);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return visit(sourceData);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let cur = target;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b) === 0;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The values to pre-fill into `formId` from the source records (by source form id). */
export function prefillData(pack: NoticePack, formId: string, data: unknown, sources: Record<string, unknown>): Record<string, unknown> {
  const form = pack.forms.get(formId);
  const out: Record<string, unknown> = structuredClone(isObject(data) ? data : {});
  for (const p of form?.decl.prefill ?? []) {
    const src = sources[p.from];
    if (!isObject(src)) continue;
    for (const [mine, theirs] of Object.entries(p.fields)) {
      const v = getPath(src, theirs);
      if (v !== undefined && getPath(out, mine) === undefined) setPath(out, mine, v);
    }
  }
  return out;
}

/** Every declared field whose value differs from the source record, with both values. */
export function checkConsistency(pack: NoticePack, formId: string, data: unknown, sources: Record<string, unknown>): Mismatch[] {
  const form = pack.forms.get(formId);
  if (!form) return [];
  const fields = indexFields(form.schema);
  const out: Mismatch[] = [];
  for (const p of form.decl.prefill ?? []) {
    const src = sources[p.from];
    if (!isObject(src)) continue;
    const srcForm = pack.forms.get(p.from);
    const srcFields = indexFields(srcForm?.schema);
    for (const [mine, theirs] of Object.entries(p.fields)) {
      const value = getPath(data, mine);
      const sourceValue = getPath(src, theirs);
      if (sourceValue === undefined || same(value, sourceValue)) continue;
      const f = fields.get(mine);
      const sf = srcFields.get(theirs) ?? findColumn(srcForm?.schema, theirs);
      const label = f?.title ?? mine;
      const valueText = displayValue(f, value);
      const sourceText = displayValue(sf, sourceValue);
      out.push({
        field: mine,
        label,
        value,
        valueText,
        sourceForm: p.from,
        sourceField: theirs,
        sourceValue,
        sourceText,
        blocking: p.blocking ?? true,
        message: `${label}与${srcForm?.attachment ?? ''}${srcForm?.title ?? p.from}不一致：本表填写 ${valueText}，${srcForm?.title ?? p.from}为 ${sourceText}`,
      });
    }
  }
  return out;
}

/** A column of a table form (fields of its row items), for labels. */
function findColumn(schema: unknown, column: string) {
  for (const f of indexFields(schema).values()) {
    if (f.type === 'array' && f.items) {
      const cols = indexFields(f.items.schema);
      const c = cols.get(column);
      if (c) return c;
    }
  }
  return undefined;
}
