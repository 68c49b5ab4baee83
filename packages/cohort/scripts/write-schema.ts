/** Writes packages/cohort/meta/*.schema.json (cohort step, cohort fixture) from the TS `as const` objects. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cohortFixtureSchema } from '../src/meta/cohort-fixture.schema.js';
import { cohortStepSchema } from '../src/meta/cohort-step.schema.js';

for (const [name, schema] of [
  ['cohort-step.schema.json', cohortStepSchema],
  ['cohort-fixture.schema.json', cohortFixtureSchema],
] as const) {
  const path = fileURLToPath(new URL(`../meta/${name}`, import.meta.url));
  writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`已写入 ${path}`);
}
