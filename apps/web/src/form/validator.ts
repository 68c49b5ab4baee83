/**
 * The browser's validators for pack forms: precompiled by the server (no eval in the browser:
 * apps/server/src/form-validators.ts, with core's ajv options and keywords), speaking Chinese the
 * way core's `fieldErrors` writes it ("实际占地不能小于 0").
 */
import { useEffect, useState } from 'react';
import { createPrecompiledValidator, type ValidatorFunctions } from '@rjsf/validator-ajv8';
import { deepEquals, hashForSchema, type RJSFSchema, type RJSFValidationError, type ValidatorType } from '@rjsf/utils';
import { FORM_KEYWORD_NAMES, fieldErrors, requireAjvRuntime } from '@yuanping/core/browser';

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

/** Keywords that do not constrain a value (annotations, our extension keywords, rjsf's enumNames). */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'readOnly', 'writeOnly', 'deprecated', 'enumNames', ...FORM_KEYWORD_NAMES]);
const NOT_CONST = Symbol('not a const option');

/** The value of an option schema that only says `const` (plus annotations and a `type` the const has), else NOT_CONST. */
export function constOf(schema: unknown): unknown {
  if (!isObj(schema) || !('const' in schema)) return NOT_CONST;
  for (const k of Object.keys(schema)) {
    if (k === 'const' || ANNOTATIONS.has(k) || k.startsWith('x-')) continue;
    if (k === 'type' && typeof schema.type === 'string' && typeMatches(schema.type, schema.const)) continue;
    return NOT_CONST;
  }
  return schema.const;
}

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number';
    case 'integer':
      return Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isObj(v);
    default:
      return false;
  }
}

/** A form's precompiled validators (the module the server compiles: rjsf's `ValidatorFunctions`). */
export type ValidatorFns = ValidatorFunctions;

const modules = new Map<string, Promise<ValidatorFns>>();

/**
 * The precompiled validators at `url` (a same-origin module: `import()` is allowed by
 * `script-src 'self'`, eval is not). Loaded once per page; a failed load is tried again next time.
 */
export function loadValidators(url: string): Promise<ValidatorFns> {
  let p = modules.get(url);
  if (!p) {
    p = (import(/* @vite-ignore */ url) as Promise<{ default: (require: typeof requireAjvRuntime) => ValidatorFns }>).then((m) => m.default(requireAjvRuntime));
    p.catch(() => modules.delete(url));
    modules.set(url, p);
  }
  return p;
}

/**
 * The validators at `url` once loaded: null before the first load; while another URL loads (a
 * draft's next revision), the last ones loaded (`validatorFor` answers PENDING for a root they
 * do not have), so the form is not taken down and put up again.
 */
export function useValidators(url: string | null): ValidatorFns | null {
  const [fns, setFns] = useState<ValidatorFns | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    loadValidators(url).then(
      (loaded) => live && setFns(loaded),
      (e: unknown) => console.warn('表单校验函数载入失败', url, e),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return fns;
}

/**
 * While a draft's preview is ahead of its last save, its validators are not compiled yet: this one
 * reports nothing (the module of the next save brings the checks back).
 */
const PENDING: ValidatorType = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: () => false,
  rawValidation: () => ({}),
  reset: () => {},
};

/** The precompiled function of a form's whole schema (keyed as rjsf keys it), null when the module has none. */
export function rootValidator(fns: ValidatorFns, schema: RJSFSchema): ValidatorFns[string] | null {
  return fns[typeof schema.$id === 'string' ? schema.$id : hashForSchema(schema)] ?? null;
}

const byRoot = new WeakMap<ValidatorFns, WeakMap<object, ValidatorType>>();

/**
 * rjsf's validator for one root schema from precompiled functions (rjsf checks that it is asked
 * about the root it was made for, so each node of a split form has its own). Errors are put into
 * Chinese by `localizeZh`; an option of `{ const, title }` is answered by equality (ajv's `const`
 * is deep equality too) without looking up its function.
 */
export function validatorFor(fns: ValidatorFns, root: RJSFSchema): ValidatorType {
  let m = byRoot.get(fns);
  if (!m) byRoot.set(fns, (m = new WeakMap()));
  let v = m.get(root);
  if (v) return v;
  try {
    v = createPrecompiledValidator(fns, root, localizeZh);
  } catch {
    v = PENDING;
  }
  if (v !== PENDING) {
    const isValid = v.isValid.bind(v);
    v.isValid = (schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema): boolean => {
      const c = constOf(schema);
      return c !== NOT_CONST ? deepEquals(formData, c) : isValid(schema, formData, rootSchema);
    };
  }
  m.set(root, v);
  return v;
}

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
