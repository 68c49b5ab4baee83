import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './app.js';
import { coreEngine, type FormLike, type PackLike } from './engine.js';
import { formAccepts, withoutPlainRequired } from './form-check.js';
import { testPackFiles, TEST_PACK_ID } from './testing/fixture-pack.js';

/**
 * The fast check never says "valid" where core has errors (in draft mode: errors other than
 * `required`), on every form of the repository's packs, over their fixtures and over random edits
 * of them; and it does say "valid" on the fixtures core accepts (so saves take the fast path).
 */
const packIds = existsSync(join(REPO_ROOT, 'schemas'))
  ? readdirSync(join(REPO_ROOT, 'schemas')).filter((id) => existsSync(join(REPO_ROOT, 'schemas', id, 'pack.json')))
  : [];

function coreSays(form: FormLike, data: unknown, mode: 'draft' | 'submit'): boolean {
  const r = coreEngine.validateSubmission(form, data);
  return (mode === 'draft' ? r.errors.filter((e) => e.code !== 'required') : r.errors).length === 0;
}

type Json = unknown;
/** Paths to every value in a JSON document. */
function pathsOf(v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...at, k]));
  return out;
}
function edit(v: Json, path: Array<string | number>, value: Json | undefined): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  if (Array.isArray(v)) {
    const copy = [...v];
    if (rest.length === 0 && value === undefined) copy.splice(head as number, 1);
    else copy[head as number] = edit(copy[head as number], rest, value);
    return copy;
  }
  const copy = { ...(v as Record<string, Json>) };
  if (rest.length === 0 && value === undefined) delete copy[head as string];
  else copy[head as string] = edit(copy[head as string], rest, value);
  return copy;
}

const replacement = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -5, max: 2000 }),
  fc.double({ noNaN: true, min: -10, max: 1e6 }),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('', '是', '否', 'A', '一星级', '2021-08-01', 'x'.repeat(300)),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
);

describe('fast form check agrees with core', () => {
  it.each([TEST_PACK_ID, ...packIds])('%s', async (id) => {
    const pack = id === TEST_PACK_ID ? coreEngine.packFromFiles(testPackFiles(), TEST_PACK_ID) : await coreEngine.loadPack(id, { root: REPO_ROOT });
    const fixtures = (pack as PackLike & { fixtures: Array<{ fixture: { ruleSet: string; input: unknown } }> }).fixtures;
    for (const form of pack.forms.values()) {
      const inputs = fixtures.filter((f) => pack.ruleSets.get(f.fixture.ruleSet)?.ruleSet.form === form.id).map((f) => f.fixture.input);
      inputs.push({});
      for (const input of inputs) {
        for (const mode of ['draft', 'submit'] as const) {
          const core = coreSays(form, input, mode);
          expect(formAccepts(form, input, mode), `${form.id} ${mode}`).toBe(core);
        }
      }
      const seeds = inputs.filter((x) => x && typeof x === 'object');
      fc.assert(
        fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), replacement), { minLength: 1, maxLength: 3 }), (i, edits) => {
          let data: unknown = seeds[i];
          for (const [n, value] of edits) {
            const paths = pathsOf(data);
            data = edit(data, paths[n % paths.length] as Array<string | number>, value);
          }
          for (const mode of ['draft', 'submit'] as const) {
            // "valid" only where core agrees; "ask core" is always allowed
            if (formAccepts(form, data, mode)) expect(coreSays(form, data, mode), `${form.id} ${mode} ${JSON.stringify(data).slice(0, 300)}`).toBe(true);
          }
        }),
        { numRuns: 150, seed: 6 },
      );
    }
  });

  it('strips required on plain paths only', () => {
    const s = {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'object', required: ['b'], properties: { b: {} } }, l: { type: 'array', items: { type: 'object', required: ['c'] } } },
      oneOf: [{ required: ['x'] }, { required: ['y'] }],
      if: { required: ['a'] },
      then: { required: ['z'] },
    };
    expect(withoutPlainRequired(s)).toEqual({
      type: 'object',
      properties: { a: { type: 'object', properties: { b: {} } }, l: { type: 'array', items: { type: 'object' } } },
      oneOf: [{ required: ['x'] }, { required: ['y'] }],
      if: { required: ['a'] },
      then: { required: ['z'] },
    });
  });
});
