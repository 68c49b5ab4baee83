import { Ajv, type ErrorObject, type ValidateFunction, type AnySchema } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { FORM_KEYWORD_NAMES, RJSF_KEYWORDS } from './vocabulary.js';

// ajv-formats ships CommonJS; take the function whichever way the bundler hands it over.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

/** ajv for admin-written form schemas: strict, no coercion, no defaults, no stripping. */
export function createFormAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
    $data: false,
    loadSchema: undefined,
    messages: true,
    verbose: true,
  });
  addFormats(ajv);
  for (const k of [...FORM_KEYWORD_NAMES, ...RJSF_KEYWORDS]) ajv.addKeyword(k);
  return ajv;
}

/** ajv for our own meta-schemas (manifest, rule set, fixture). */
export function createMetaAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, coerceTypes: false, verbose: false, strictTypes: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-note' });
  return ajv;
}

/**
 * The options of the forms' validator as rjsf runs it (`@rjsf/validator-ajv8`'s
 * `ajvOptionsOverrides`): the web app's validator and the server's precompiled validator modules
 * take them from here, so both validate the same way. The pack's schemas were checked when it was
 * published: no meta-schema check again, not strict.
 */
export const RJSF_FORM_AJV_OPTIONS = { allErrors: true, verbose: true, coerceTypes: false, useDefaults: false, strict: false, validateSchema: false } as const;

/** Declares the forms' extension keywords (x-unit, x-compute, …) and rjsf's on an ajv (rjsf's `extenderFn`). */
export function addFormKeywords<A extends Pick<Ajv, 'getKeyword' | 'addKeyword'>>(ajv: A): A {
  for (const k of [...FORM_KEYWORD_NAMES, ...RJSF_KEYWORDS]) {
    if (!ajv.getKeyword(k)) ajv.addKeyword(k);
  }
  return ajv;
}

let formAjv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * Compile a form schema once and cache it by `$id` (we give every form the id
 * `yuanping:<pack>@<hash>/<form>`, so a new pack version is a new cache entry).
 */
export function compileForm(id: string, schema: AnySchema): ValidateFunction {
  const hit = compiled.get(id);
  if (hit) return hit;
  formAjv ??= createFormAjv();
  const withId = { ...(schema as object), $id: id };
  const fn = formAjv.compile(withId);
  compiled.set(id, fn);
  return fn;
}

export type { ErrorObject, ValidateFunction };
