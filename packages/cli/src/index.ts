export { main } from './main.js';
export { runCheck, type CheckReport } from './commands/check.js';
export { packCheckPlugins, runCohortFixtures, loadOrgUnits } from './plugins.js';
