/**
 * The browser's ajv for pack forms: it knows our extension keywords (x-unit, x-compute, …)
 * and speaks Chinese the way core's `fieldErrors` writes it ("实际占地不能小于 0").
 */
import { customizeValidator } from '@rjsf/validator-ajv8';
import { deepEquals, type RJSFSchema, type RJSFValidationError } from '@rjsf/utils';
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

const validator = customizeValidator(
  {
    // the pack's schemas were checked when it was published: the browser does not compile the
    // meta-schema (~100 ms on a loaded machine) to check them against it again
    ajvOptionsOverrides: { allErrors: true, verbose: true, coerceTypes: false, useDefaults: false, strict: false, validateSchema: false },
    extenderFn: (ajv) => {
      for (const k of [...FORM_KEYWORD_NAMES, 'enumNames']) {
        if (!ajv.getKeyword(k)) ajv.addKeyword(k);
      }
      return ajv;
    },
  },
  localizeZh,
);

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

const hasRef = (v: unknown): boolean => (Array.isArray(v) ? v.some(hasRef) : isObj(v) ? '$ref' in v || Object.values(v).some(hasRef) : false);

// rjsf asks `isValid` of every option of every oneOf/anyOf (choosing defaults, matching options)
// and of a "junk" object option beside each, and for each call validator-ajv8 re-registers the
// form's root schema when it is not the one it saw last (every group of a sectioned form has its
// own: ajv then checks the whole schema against the meta-schema again). Here an option of
// `{ const, title }` answers by equality (ajv's `const` is deep equality too), and a schema
// without `$ref` (which needs no root) is compiled once on its own and kept.
const ajvIsValid = validator.isValid.bind(validator);
const ajv = (validator as unknown as { ajv: { compile(s: object): (d: unknown) => boolean } }).ajv;
const standalone = new Map<string, (d: unknown) => boolean>();
validator.isValid = (schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema): boolean => {
  const c = constOf(schema);
  if (c !== NOT_CONST) return deepEquals(formData, c);
  if (hasRef(schema)) return ajvIsValid(schema, formData, rootSchema);
  const key = JSON.stringify(schema);
  let fn = standalone.get(key);
  if (!fn) {
    const { $id: _id, ...rest } = schema as Json;
    try {
      fn = ajv.compile(rest);
    } catch {
      return ajvIsValid(schema, formData, rootSchema);
    }
    standalone.set(key, fn);
  }
  return fn(formData);
};

export const formValidator = validator;

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
