/**
 * The forms' validators, compiled here ahead of time for the browser (its Content-Security-Policy
 * allows no eval: ajv's usual `compile` builds functions from source text with `new Function`).
 *
 * rjsf asks its validator about more than a form's root schema: every node the web app splits a
 * form into is its own rjsf form with its own root (`formLayout`), and rjsf checks every
 * `oneOf`/`anyOf` option on its own (`schemaParser` lists them, keyed by `$id` or rjsf's hash).
 * All of those, for every form given, are compiled by one ajv with the web app's options and
 * keywords (`RJSF_FORM_AJV_OPTIONS`, `addFormKeywords`) into ajv's standalone code, and served as
 * one JavaScript module: `export default function (require) { …; return exports }` — the module
 * takes ajv's few run-time helpers (`AJV_STANDALONE_RUNTIME` in core) from the page that imports
 * it, so it needs no bundler and runs under `script-src 'self'`.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { schemaParser, type RJSFSchema } from '@rjsf/utils';
import createAjvInstance from '@rjsf/validator-ajv8/lib/createAjvInstance.js';
import { _ } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { RJSF_FORM_AJV_OPTIONS, addFormKeywords, formLayout, formNodes } from '@yuanping/core';

type Json = Record<string, unknown>;

export interface CompiledValidators {
  /** the module's text (text/javascript) */
  code: string;
  /** sha-256 of the text (hex): the answer's ETag */
  hash: string;
  /** how many schemas it holds (roots and options) */
  count: number;
}

/** Every schema rjsf may validate against for these forms, keyed as rjsf looks them up. */
export function validatorSchemas(forms: Array<{ schema: Json; ui?: Json | null }>): Map<string, Json> {
  const all = new Map<string, Json>();
  for (const f of forms) {
    const roots = [f.schema, ...formNodes(formLayout(f.schema, f.ui ?? {})).map((n) => n.schema)];
    for (const root of roots) {
      for (const [key, schema] of Object.entries(schemaParser(root as RJSFSchema))) if (!all.has(key)) all.set(key, schema as Json);
    }
  }
  return all;
}

/** The module of the forms' precompiled validators (see the file's comment). */
export function compileValidators(forms: Array<{ schema: Json; ui?: Json | null }>): CompiledValidators {
  const schemas = validatorSchemas(forms);
  const ajv = createAjvInstance(
    undefined,
    undefined,
    {
      ...RJSF_FORM_AJV_OPTIONS,
      // the formats' functions come from ajv-formats at run time (handed over by the page)
      code: { source: true, lines: false, formats: _`require("ajv-formats/dist/formats").fullFormats` },
      schemas: [...schemas.values()],
    },
    undefined,
    undefined,
    addFormKeywords,
  );
  const body = standaloneCode(ajv);
  const code = `// precompiled form validators (ajv standalone); see apps/server/src/form-validators.ts\nexport default function (require) {\nconst exports = {};\n${body}\nreturn exports;\n}\n`;
  return { code, hash: createHash('sha256').update(code).digest('hex'), count: schemas.size };
}

/**
 * Compiled modules by what they were compiled from (`v<version id>/<form>` — a published version
 * never changes — or `d<draft id>@<revision>/<form>`): compiling the star form takes about a
 * second on a loaded machine, so each is compiled once; the oldest are dropped past the bound.
 */
const cache = new Map<string, CompiledValidators>();
const CACHE_ENTRIES = 64;

export function cachedValidators(key: string, forms: () => Array<{ schema: Json; ui?: Json | null }>): CompiledValidators {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const made = compileValidators(forms());
  cache.set(key, made);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return made;
}

/** The route's answer: the module as JavaScript, cacheable by its hash (ETag; 304 when the browser has it). */
export function sendValidators(req: FastifyRequest, reply: FastifyReply, compiled: CompiledValidators): FastifyReply {
  const etag = `"${compiled.hash}"`;
  reply.header('cache-control', 'private, max-age=86400').header('etag', etag).header('vary', 'cookie');
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type('text/javascript; charset=utf-8').send(compiled.code);
}

/** The route's OpenAPI answer: a JavaScript module. */
export const VALIDATORS_RESPONSE = {
  200: { description: '表单校验函数（预编译的 JavaScript 模块，浏览器以 import() 载入）', content: { 'text/javascript': { schema: { type: 'string' } } } },
  304: { description: '未改变（If-None-Match 与 ETag 相同）', type: 'null' },
} as const;
