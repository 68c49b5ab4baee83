/**
 * ajv's run-time helpers that its standalone code `require`s (server-compiled form validators,
 * apps/server/src/form-validators.ts): the module served to the browser is a function of
 * `require`, and the page hands it `requireAjvRuntime`. Nothing here compiles code.
 */
import * as equal from 'ajv/dist/runtime/equal.js';
import * as ucs2length from 'ajv/dist/runtime/ucs2length.js';
import * as uri from 'ajv/dist/runtime/uri.js';
import * as validationError from 'ajv/dist/runtime/validation_error.js';
import * as formats from 'ajv-formats/dist/formats.js';

/** A CommonJS module as `require` returns it, whichever way the bundler (or Node) handed it over. */
function asRequired(ns: object): object {
  const d = (ns as { default?: unknown }).default;
  return typeof d === 'object' && d !== null && ('default' in d || 'fullFormats' in d) ? d : ns;
}

const RUNTIME: Record<string, object> = {
  'ajv/dist/runtime/equal': asRequired(equal),
  'ajv/dist/runtime/ucs2length': asRequired(ucs2length),
  'ajv/dist/runtime/uri': asRequired(uri),
  'ajv/dist/runtime/validation_error': asRequired(validationError),
  'ajv-formats/dist/formats': asRequired(formats),
};

/** The `require` a precompiled validator module is called with: only ajv's helpers, anything else refused. */
export function requireAjvRuntime(name: string): object {
  const m = RUNTIME[name];
  if (!m) throw new Error(`precompiled validators need an unknown module: ${name}`);
  return m;
}
