export { main } from './main.js';
export { runCheck, type RunCheckOptions, type CheckReport } from './commands/check.js';
export { newCommand, type Ask, type NewOptions } from './commands/packs.js';
