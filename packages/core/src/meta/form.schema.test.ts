import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formMetaSchema, formMetaSchemaUnfolded } from './form.schema.js';
import { FORM_KEYWORD_NAMES } from '../form/vocabulary.js';
import { createMetaAjv } from '../form/ajv.js';

const root = join(import.meta.dirname, '..', '..', '..', '..', 'schemas');
const forms = readdirSync(root).flatMap((pack) =>
  readdirSync(join(root, pack, 'forms'))
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => ({ name: `${pack}/${f}`, schema: JSON.parse(readFileSync(join(root, pack, 'forms', f), 'utf8')) as unknown })),
);

/** The keywords a form uses at a field's place (properties' values, items, definitions, oneOf…). */
function keywordsOf(node: unknown, out: Set<string>): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  const n = node as Record<string, unknown>;
  for (const k of Object.keys(n)) out.add(k);
  for (const k of ['properties', 'definitions']) if (typeof n[k] === 'object' && n[k] !== null) for (const v of Object.values(n[k] as object)) keywordsOf(v, out);
  for (const k of ['items', 'not', 'if', 'then', 'else']) keywordsOf(n[k], out);
  for (const k of ['oneOf', 'anyOf', 'allOf']) if (Array.isArray(n[k])) for (const v of n[k] as unknown[]) keywordsOf(v, out);
}

describe('the form meta-schema (expert mode completion and hover)', () => {
  it('compiles in ajv strict mode', () => {
    expect(() => createMetaAjv().compile(formMetaSchema)).not.toThrow();
  });

  it('offers every keyword of the form vocabulary with its Chinese description', () => {
    for (const k of FORM_KEYWORD_NAMES) expect((formMetaSchema.properties as Record<string, { description?: string }>)[k]?.description, k).toMatch(/[\u4e00-\u9fff]/);
  });

  it('describes every keyword the shipped forms use, and accepts them', () => {
    expect(forms.length).toBeGreaterThan(10);
    const used = new Set<string>();
    for (const f of forms) keywordsOf(f.schema, used);
    const known = Object.keys(formMetaSchema.properties);
    expect([...used].filter((k) => !known.includes(k))).toEqual([]);
    const validate = createMetaAjv().compile(formMetaSchema);
    for (const f of forms) expect(validate(f.schema), `${f.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });
});

describe('the form meta-schema unfolded (no $ref)', () => {
  it('has the same keywords at every level and accepts the shipped forms', () => {
    const u = formMetaSchemaUnfolded(5);
    expect(JSON.stringify(u)).not.toContain('$ref":"#');
    const level = (u.properties as { properties: { additionalProperties: { properties: object } } }).properties.additionalProperties;
    expect(Object.keys(level.properties)).toEqual(Object.keys(formMetaSchema.definitions.field.properties));
    const validate = createMetaAjv().compile(u);
    for (const f of forms) expect(validate(f.schema), f.name).toBe(true);
  });
});
