/**
 * The browser's ajv for pack forms: it knows our extension keywords (x-unit, x-compute, …)
 * and speaks Chinese the way core's `fieldErrors` writes it ("实际占地不能小于 0").
 */
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { RJSFValidationError } from '@rjsf/utils';
import { FORM_KEYWORD_NAMES, fieldErrors } from '@yuanping/core/browser';

type ErrorObject = NonNullable<Parameters<typeof fieldErrors>[0]>[number];

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function titleOf(e: ErrorObject): string {
  const s = e.parentSchema;
  if (isObj(s) && typeof s.title === 'string') return s.title;
  const last = e.instancePath.split('/').pop();
  return last || '此项';
}

/** Rewrites each ajv error's message in place (rjsf then attaches it to its field). */
export function localizeZh(errors?: null | ErrorObject[]): void {
  for (const e of errors ?? []) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      e.message = `${titleOf(e)}只能选择规定的选项`;
      continue;
    }
    if (e.keyword === 'if') {
      e.message = `${titleOf(e)}不符合条件要求`;
      continue;
    }
    // rjsf quotes property names in params while the localizer runs; core looks them up unquoted
    const params = { ...(e.params as Record<string, unknown>) };
    for (const k of ['missingProperty', 'property', 'additionalProperty']) {
      const v = params[k];
      if (typeof v === 'string' && /^'.*'$/.test(v)) params[k] = v.slice(1, -1);
    }
    const fe = fieldErrors([{ ...e, params }])[0];
    e.message = fe ? fe.message : `${titleOf(e)}不符合要求`;
  }
}

export const formValidator = customizeValidator(
  {
    ajvOptionsOverrides: { allErrors: true, verbose: true, coerceTypes: false, useDefaults: false, strict: false },
    extenderFn: (ajv) => {
      for (const k of [...FORM_KEYWORD_NAMES, 'enumNames']) {
        if (!ajv.getKeyword(k)) ajv.addKeyword(k);
      }
      return ajv;
    },
  },
  localizeZh,
);

/** Keep one message per field; the oneOf branches of an option list repeat each other. */
export function transformErrors(errors: RJSFValidationError[], showRequired: boolean): RJSFValidationError[] {
  const seen = new Set<string>();
  const out: RJSFValidationError[] = [];
  for (const e of errors) {
    if (!showRequired && e.name === 'required') continue;
    if (e.name === 'const' && e.schemaPath?.includes('/oneOf/')) continue;
    if (e.name === 'type' && e.schemaPath?.includes('/oneOf/')) continue;
    const key = `${e.property ?? ''}|${e.message ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...e, stack: e.message ?? e.stack });
  }
  return out;
}
