import { createRequire } from 'node:module';
import safeRegex from 'safe-regex2';
import { problem, type Problem } from '../errors.js';
import { isObject, ptr } from '../util/json.js';
import { unknownOperators } from '../rules/expr.js';

const MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies'];
const SCHEMA_KEYWORDS = ['additionalProperties', 'items', 'additionalItems', 'contains', 'propertyNames', 'if', 'then', 'else', 'not'];
const ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'items'];

/** Visit every subschema of a JSON Schema with its JSON pointer. */
export function walkSchema(schema: unknown, visit: (node: Record<string, unknown>, pointer: string) => void, pointer = ''): void {
  if (!isObject(schema)) return;
  visit(schema, pointer);
  for (const k of MAP_KEYWORDS) {
    const m = schema[k];
    if (isObject(m)) for (const [name, sub] of Object.entries(m)) walkSchema(sub, visit, pointer + ptr(k, name));
  }
  for (const k of SCHEMA_KEYWORDS) if (isObject(schema[k])) walkSchema(schema[k], visit, pointer + ptr(k));
  for (const k of ARRAY_KEYWORDS) {
    const a = schema[k];
    if (Array.isArray(a)) a.forEach((sub, i) => walkSchema(sub, visit, pointer + ptr(k, i)));
  }
}

// recheck (≈ 3 MB of compiled Scala) is loaded on the first pattern, not when the package is
// imported: most CLI calls and server requests never check a pattern
let recheck: typeof import('recheck') | undefined;
const verdicts = new Map<string, string>();
function recheckVerdict(pattern: string): string {
  let v = verdicts.get(pattern);
  if (v === undefined) {
    try {
      recheck ??= createRequire(import.meta.url)('recheck') as typeof import('recheck');
      // no wall-clock timeout: the verdict must not depend on how loaded the machine is (recheck's
      // own step bounds — maxIteration, maxNFASize, a fixed random seed — keep it finite)
      v = recheck.checkSync(pattern, 'u', { timeout: null }).status;
    } catch {
      v = 'unknown';
    }
    verdicts.set(pattern, v);
  }
  return v;
}

function checkRegex(pattern: string, file: string, pointer: string, out: Problem[]) {
  try {
    new RegExp(pattern, 'u');
  } catch {
    out.push(problem('SCHEMA_BAD_REGEX', file, pointer, { pattern }));
    return;
  }
  // safe-regex2 catches nested quantifiers quickly; recheck (an automaton-based ReDoS
  // checker) also catches overlapping alternatives such as ^(\w|\d)*!$
  if (!safeRegex(pattern) || recheckVerdict(pattern) !== 'safe') out.push(problem('SCHEMA_REDOS', file, pointer, { pattern }));
}

/**
 * Admin-written schemas are code: only a safe subset is allowed.
 * No `$data`, no `$ref` outside the document, a `maxLength` beside every `pattern`,
 * no regex with catastrophic backtracking, valid computed-field expressions.
 */
export function checkSchemaSafety(schema: unknown, file: string): Problem[] {
  const out: Problem[] = [];
  // `$data` may hide anywhere a value is expected, so look at every object in the file
  const findData = (v: unknown, pointer: string) => {
    if (Array.isArray(v)) return v.forEach((x, i) => findData(x, pointer + ptr(i)));
    if (!isObject(v)) return;
    if ('$data' in v) out.push(problem('SCHEMA_UNSAFE_DATA', file, pointer + ptr('$data')));
    for (const [k, x] of Object.entries(v)) findData(x, pointer + ptr(k));
  };
  findData(schema, '');
  walkSchema(schema, (node, pointer) => {
    if (typeof node.$ref === 'string' && !node.$ref.startsWith('#')) {
      out.push(problem('SCHEMA_REMOTE_REF', file, pointer + ptr('$ref'), { ref: node.$ref }));
    }
    if (typeof node.$id === 'string' && pointer !== '') {
      out.push(problem('SCHEMA_REMOTE_REF', file, pointer + ptr('$id'), { ref: node.$id }));
    }
    if (typeof node.pattern === 'string') {
      if (typeof node.maxLength !== 'number') out.push(problem('SCHEMA_PATTERN_NO_MAXLENGTH', file, pointer + ptr('pattern')));
      checkRegex(node.pattern, file, pointer + ptr('pattern'), out);
    }
    if (isObject(node.patternProperties)) {
      for (const p of Object.keys(node.patternProperties)) checkRegex(p, file, pointer + ptr('patternProperties', p), out);
    }
    if (node['x-compute'] !== undefined) {
      const bad = unknownOperators(node['x-compute']);
      if (bad.length) out.push(problem('SCHEMA_BAD_COMPUTE', file, pointer + ptr('x-compute'), { detail: `未知的运算 ${bad.join('、')}` }));
    }
  });
  return out;
}

/** Where in a schema a keyword first appears (to point at an ajv strict-mode failure). */
export function findKeyword(schema: unknown, keyword: string): string {
  let found = '';
  walkSchema(schema, (node, pointer) => {
    if (!found && keyword in node) found = pointer + ptr(keyword);
  });
  return found;
}
