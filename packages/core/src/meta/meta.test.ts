import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { META_SCHEMAS } from './index.js';
import { createMetaAjv } from '../form/ajv.js';

describe('shipped meta-schemas', () => {
  for (const [name, schema] of Object.entries(META_SCHEMAS)) {
    it(`${name} is in sync with its TypeScript source (run pnpm gen:meta)`, () => {
      const file = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'meta', name), 'utf8'));
      expect(file).toEqual(JSON.parse(JSON.stringify(schema)));
    });
    it(`${name} compiles in ajv strict mode`, () => {
      expect(() => createMetaAjv().compile(schema)).not.toThrow();
    });
  }
});
