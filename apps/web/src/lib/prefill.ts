/**
 * Pre-filling a park's form from its record in another form (manifest `forms[].prefill`, e.g.
 * the star application from the park's row of the county's summary table): what the server's
 * `GET /api/submissions/:id/prefill` found, turned into offers the applicant accepts or not.
 * An empty field is offered to be filled; a field the applicant already filled differently is
 * offered to be replaced, never replaced without being chosen.
 */
import type { Answer } from './api';
import { compareNumbers, displayValue, getPath, indexFields, type FieldInfo, type NoticePack } from '@yuanping/core/browser';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The answer of GET /api/submissions/:id/prefill: by form id, the park's record in each source form; the data pre-filled. */
export type PrefillAnswer = Answer<'/api/submissions/{id}/prefill', 'get'>;

export interface PrefillOffer {
  /** this form's field (dotted path) */
  field: string;
  label: string;
  value: unknown;
  valueText: string;
  /** the field's value when offered */
  current: unknown;
  currentText: string;
  /** 'fill': the field is empty; 'replace': it holds another value */
  kind: 'fill' | 'replace';
  sourceForm: string;
  /** 附件1《…》 */
  sourceTitle: string;
  sourceField: string;
  /** the source's column or field title */
  sourceLabel: string;
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b) === 0;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A field of a form, or a column of one of its tables (rows of an array field). */
function fieldOrColumn(schema: unknown, path: string): FieldInfo | undefined {
  const fields = indexFields(schema);
  const f = fields.get(path);
  if (f) return f;
  for (const a of fields.values()) {
    if (a.type === 'array' && a.items) {
      const c = indexFields(a.items.schema).get(path);
      if (c) return c;
    }
  }
  return undefined;
}

/** What the park's records in the source forms offer to `formId`'s data. */
export function prefillOffers(pack: NoticePack, formId: string, data: unknown, sources: Record<string, Record<string, unknown>> | undefined): PrefillOffer[] {
  const form = pack.forms.get(formId);
  if (!form || !sources) return [];
  const fields = indexFields(form.schema);
  const out: PrefillOffer[] = [];
  const seen = new Set<string>();
  for (const p of form.decl.prefill ?? []) {
    const src = sources[p.from];
    if (!isObj(src)) continue;
    const srcForm = pack.forms.get(p.from);
    const sourceTitle = srcForm ? `${srcForm.attachment ?? ''}《${srcForm.title}》` : p.from;
    for (const [mine, theirs] of Object.entries(p.fields)) {
      if (seen.has(mine)) continue;
      const value = getPath(src, theirs);
      if (value === undefined || value === null || value === '') continue;
      const current = getPath(data, mine);
      if (current !== undefined && same(current, value)) continue;
      seen.add(mine);
      const f = fields.get(mine);
      const sf = fieldOrColumn(srcForm?.schema, theirs);
      out.push({
        field: mine,
        label: f?.title ?? mine,
        value,
        valueText: displayValue(f, value),
        current,
        currentText: displayValue(f, current),
        kind: current === undefined || current === null || current === '' ? 'fill' : 'replace',
        sourceForm: p.from,
        sourceTitle,
        sourceField: theirs,
        sourceLabel: sf?.title ?? theirs,
      });
    }
  }
  return out;
}

function setPath(target: Json, path: string, value: unknown): Json {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...target, [head]: value };
  return { ...target, [head]: setPath(isObj(target[head]) ? target[head] : {}, rest.join('.'), value) };
}

/**
 * The data with the chosen offers filled in. An offer whose field changed since it was made
 * (the applicant typed there meanwhile) is skipped: `skipped` lists them.
 */
export function applyOffers(data: Json, offers: PrefillOffer[]): { data: Json; applied: PrefillOffer[]; skipped: PrefillOffer[] } {
  let out = data;
  const applied: PrefillOffer[] = [];
  const skipped: PrefillOffer[] = [];
  for (const o of offers) {
    const now = getPath(out, o.field);
    if (!same(now ?? null, o.current ?? null)) {
      skipped.push(o);
      continue;
    }
    out = setPath(out, o.field, o.value);
    applied.push(o);
  }
  return { data: out, applied, skipped };
}

/** The note under a pre-filled field. */
export function noteOf(o: PrefillOffer): string {
  return `已从${o.sourceTitle}“${o.sourceLabel}”预填${o.kind === 'replace' ? `（原为 ${o.currentText}）` : ''}`;
}
