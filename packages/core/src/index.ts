/**
 * @yuanping/core — notice packs: formats, loader, checker, form validation, the rule
 * runtime with explanations, fixtures, diff and scaffold.
 */
export * from './browser.js';
export { packFromFiles, hashFiles } from './pack/build.js';
export { checkPack, fieldTitlesOf, type CheckOptions } from './pack/check.js';
export { CheckRegistry, createCheckRegistry, type FieldTitles } from './pack/registry.js';
export { checkSchemaSafety, walkSchema } from './pack/schemaSafety.js';
export { newExpectation, runFixture, runFixtures, type FixtureRun } from './pack/fixtures.js';
export { validateSubmission, type ValidationResult } from './form/validate.js';
export { evaluateReference, referenceDerive, referenceRules, type ReferenceResult } from './rules/reference.js';
export { OPERATOR_FNS } from './rules/operators.js';
export { loadPack, loadPackWithProblems, type LoadedPack } from './node/load.js';
export { locatePack, readPackFiles, type PackLocation } from './node/files.js';
export { scaffoldPack } from './node/scaffold.js';
