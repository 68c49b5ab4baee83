import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RJSFSchema } from '@rjsf/utils';
import { createPrecompiledValidator, customizeValidator } from '@rjsf/validator-ajv8';
import { RJSF_FORM_AJV_OPTIONS, addFormKeywords, formLayout, formNodes, requireAjvRuntime } from '@yuanping/core';
import { REPO_ROOT } from './app.js';
import { coreEngine, type PackLike } from './engine.js';
import { compileValidators, validatorSchemas } from './form-validators.js';

/**
 * The precompiled validators (what the browser runs, without eval) answer what rjsf's compiling
 * validator with the same options answers, for every form of the repository's packs: on every
 * root rjsf validates against (the form, each node of its layout) and on every option it checks.
 */
const packIds = existsSync(join(REPO_ROOT, 'schemas')) ? readdirSync(join(REPO_ROOT, 'schemas')).filter((id) => existsSync(join(REPO_ROOT, 'schemas', id, 'pack.json'))) : [];
const dir = mkdtempSync(join(tmpdir(), 'yp-validators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, unknown>;
type Fns = Record<string, (data: unknown) => boolean>;

async function load(code: string, name: string): Promise<Fns> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, code);
  const mod = (await import(pathToFileURL(file).href)) as { default: (req: (n: string) => object) => Fns };
  return mod.default(requireAjvRuntime);
}

const compiling = customizeValidator({ ajvOptionsOverrides: { ...RJSF_FORM_AJV_OPTIONS }, extenderFn: addFormKeywords });
const strip = (errors: unknown) => JSON.parse(JSON.stringify(errors ?? [], (k, v: unknown) => (k === 'schema' || k === 'parentSchema' || k === 'schemaPath' ? undefined : v))) as unknown;

describe.each(packIds)('precompiled validators of %s', (packId) => {
  it('answer as the compiling validator on every root and option, for empty data and the fixtures', async () => {
    const pack = (await coreEngine.loadPack(packId)) as PackLike & { fixtures: Array<{ fixture: { ruleSet: string; input: unknown } }> };
    for (const form of pack.forms.values()) {
      const f = { schema: form.schema as Json, ui: (form.ui ?? {}) as Json };
      const compiled = compileValidators([f]);
      expect(compiled.code).not.toMatch(/new Function|\beval\(/);
      const fns = await load(compiled.code, `${packId}-${form.id}`);
      const inputs: unknown[] = [{}, ...pack.fixtures.filter((x) => pack.ruleSets.get(x.fixture.ruleSet)?.ruleSet.form === form.id).map((x) => x.fixture.input)];
      const nodes = formNodes(formLayout(f.schema, f.ui));
      for (const root of [f.schema, ...nodes.map((n) => n.schema)]) {
        const pre = createPrecompiledValidator(fns as never, root as RJSFSchema);
        for (const data of inputs) {
          expect(strip(pre.rawValidation(root as RJSFSchema, data).errors)).toEqual(strip(compiling.rawValidation(root as RJSFSchema, data).errors));
        }
      }
      // every option rjsf checks on its own is there and answers the same
      for (const [key, schema] of validatorSchemas([f])) {
        expect(fns[key], `${form.id}: ${key}`).toBeTypeOf('function');
        for (const data of inputs) expect(fns[key]!(data)).toBe(compiling.isValid(schema as RJSFSchema, data, f.schema as RJSFSchema));
      }
    }
  });
});
