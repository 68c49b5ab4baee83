export { main } from './main.js';
export { runCheck, type CheckReport } from './commands/check.js';
