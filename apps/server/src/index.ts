export { buildServer } from './app.js';
export { SESSION_COOKIE, CSRF_HEADER } from './session.js';
export type { ServerOptions } from './options.js';
export { SERVER_ERRORS, ApiError, type ServerErrorCode } from './errors.js';
export { seedOrgUnits, seedDemo, publishRepoPacks, DEMO_USERS, DEMO_PARKS, DEMO_PASSWORD } from './seed.js';
export { isValidCreditCode, isValidMobile, creditCodeCheckChar } from './ids.js';
export { coreEngine, type Engine } from './engine.js';
export { openApiDocument } from './openapi-doc.js';
