/** Core's checks beyond the formats: the mistakes administrators make. Registered by `createCheckRegistry()`. */
import type { PackCheck } from '../registry.js';
import { dashboardCheck } from './dashboard.js';
import { datesCheck } from './dates.js';
import { duplicateOptionsCheck, duplicateScoreItemsCheck } from './options.js';
import { quotaOrgUnitsCheck } from './org-units.js';
import { placeholderParametersCheck } from './parameters.js';
import { fieldTitlesCheck } from './titles.js';
import { workflowPathsCheck } from './workflow-paths.js';

export { normalizeDivisionCode, orgUnitProblems } from './org-units.js';

export const coreChecks: readonly PackCheck[] = [fieldTitlesCheck, duplicateOptionsCheck, duplicateScoreItemsCheck, datesCheck, quotaOrgUnitsCheck, placeholderParametersCheck, workflowPathsCheck, dashboardCheck];
