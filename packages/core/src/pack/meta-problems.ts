import type { ErrorObject } from 'ajv';
import localize from 'ajv-i18n/localize/zh/index.js';
import { problem, type Problem } from '../errors.js';

/**
 * ajv errors of one of our own formats (manifest, rule set, fixture, cohort fixture, …) as
 * PACK_META_SCHEMA problems in Chinese: only the most specific error of each place, no repeats.
 */
export function metaProblems(errors: ErrorObject[] | null | undefined, file: string, format: string): Problem[] {
  if (!errors) return [];
  const copy = errors.map((e) => ({ ...e }));
  localize(copy);
  // oneOf failures repeat their branches; keep the most specific messages
  const specific = copy.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  // an error deeper in the document explains the shallower ones reported by other oneOf branches
  const deepest = specific.filter((e) => !specific.some((o) => o.instancePath.startsWith(e.instancePath + '/')));
  const list = deepest.length ? deepest : copy;
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of list) {
    // a key whose schema is `false` (e.g. an unknown `ui:` key): said as a key not allowed
    if (e.keyword === 'false schema') {
      const key = e.instancePath.split('/').pop()?.replace(/~1/g, '/').replace(/~0/g, '~') ?? '';
      if (seen.has(e.instancePath + 'false')) continue;
      seen.add(e.instancePath + 'false');
      out.push(problem('PACK_META_SCHEMA', file, e.instancePath, { format, detail: `不允许的键：${key}` }));
      continue;
    }
    const extra =
      e.keyword === 'additionalProperties'
        ? `：${String((e.params as { additionalProperty?: string }).additionalProperty)}`
        : e.keyword === 'enum'
          ? `：${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join('、')}`
          : '';
    const key = e.instancePath + e.message + extra;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem('PACK_META_SCHEMA', file, e.instancePath, { format, detail: `${e.message ?? ''}${extra}` }));
  }
  return out;
}

