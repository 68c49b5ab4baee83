/** Writes packages/cohort/meta/cohort-step.schema.json from the TS `as const` object. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cohortStepSchema } from '../src/meta/cohort-step.schema.js';

export const schemaJsonPath = fileURLToPath(new URL('../meta/cohort-step.schema.json', import.meta.url));
writeFileSync(schemaJsonPath, `${JSON.stringify(cohortStepSchema, null, 2)}\n`);
console.log(`已写入 ${schemaJsonPath}`);
