// Writes the JSON meta-schemas that pack files point to through `$schema`, from the
// TypeScript sources in packages/core/src/meta. `pnpm gen:meta`; a test keeps them in sync.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { META_SCHEMAS } from '@yuanping/core';

const dir = join(import.meta.dirname, '..', 'packages', 'core', 'meta');
for (const [name, schema] of Object.entries(META_SCHEMAS)) {
  writeFileSync(join(dir, name), JSON.stringify(schema, null, 2) + '\n');
  console.log(`写入 packages/core/meta/${name}`);
}
