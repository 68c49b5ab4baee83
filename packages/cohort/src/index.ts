export { cohortStepSchema } from './meta/cohort-step.schema.js';
export type { CohortStep, NumberOrParam } from './meta/cohort-step.schema.js';
export { forgetRendered, runCohortStep } from './run.js';
export { checkCohortStep, type CheckCohortOptions } from './check.js';
export { roundTo } from './numbers.js';
export { buildCondition, scanLogic } from './logic.js';
export type {
  BreakdownItem,
  CohortCapResult,
  CohortDecision,
  CohortGroupResult,
  CohortRecord,
  CohortRecordResult,
  CohortResult,
  OrgUnit,
  Problem,
  RunCohortOptions,
} from './types.js';
export { CohortConfigError } from './types.js';
export { cohortResultForm, cohortResultRows } from './report.js';
export { gradedTable, resultMapping, recordStatus, COHORT_RESULTS, type CohortResultField, type ResultColumn } from './graded-table.js';
export { cohortChecks, cohortStepsCheck, cohortFixtureFormatCheck, cohortFixturesCheck, adoptProblem } from './pack-checks.js';
export { runCohortFixtures, runCohortFixture, cohortFixtureFiles, type CohortFixtureRun } from './fixtures.js';
export { cohortFixtureSchema, type CohortFixture } from './meta/cohort-fixture.schema.js';
