/**
 * The part of @yuanping/core that runs anywhere (browser included): no file system.
 * The web app imports `@yuanping/core/browser`.
 */
export * from './meta/index.js';
export * from './errors.js';
export { EXPORT_JOB_KIND, LONG_WORK_ROWS } from './long-work.js';
export type { NoticePack, Form, FormKind, RuleSetEntry, FixtureEntry } from './pack/types.js';
export { packPaths } from './pack/types.js';
export { assemblePack } from './pack/assemble.js';
export { isParamRef, isQuotaRef, paramText } from './pack/refs.js';
export { scoreTotalExpr, type Scorecard, type ScorecardItem, type ScorecardGroup } from './form/scorecard.js';
export { FORM_KEYWORDS, FORM_KEYWORD_NAMES } from './form/vocabulary.js';
export { createFormAjv, addFormKeywords, RJSF_FORM_AJV_OPTIONS } from './form/ajv.js';
export { EDITABLE_KINDS, FIELD_KIND_LABELS, fieldEditSchema, fieldEditSchemas, type FieldKind, type FieldEditShape } from './form/field-edit-form.js';
export { requireAjvRuntime } from './form/standalone-runtime.js';
export { deref, formLayout, formNodes, type FormNode, type LayoutNode } from './form/layout.js';
export { indexFields, displayValue, optionsOf, type FieldInfo } from './form/fields.js';
export { fieldErrors, type FieldError } from './form/messages.js';
export { computeFields } from './form/compute.js';
export { validateSubmission, type ValidationResult } from './form/validate.js';
export { DEFAULT_FIELD_ROLE, fieldRole, isServerComputed, mergeOwnWrites, ownPart, writesField } from './form/ownership.js';
export { buildExpr, varsOf } from './rules/expr.js';
export { CompiledRuleSet, compileRuleSet, evaluate, type QuickResult } from './rules/evaluate.js';
export { BatchEvaluation } from './rules/batch.js';
export { compileExpr } from './rules/expr-compile.js';
export { formatEvaluationText } from './rules/explain.js';
export { packMeaning, showValue, SECTION_LABELS, type Statement, type MeaningSection, type MeaningOptions } from './pack/meaning.js';
export { OPERATOR_TEXT, NUMERIC_OPERATORS, DATE_OPERATORS } from './rules/operators.js';
export { planNextYear, listPackDates, shiftDate, isIsoDate, reviewNote, type DateSlot, type PlannedDate, type NextYearPlan, type NextYearOptions } from './pack/next-year.js';
export { reviewProblems } from './pack/review.js';
export { impactOf, explainDifference, type ImpactSubmission, type ImpactChange, type ImpactReport, type ImpactOptions } from './pack/impact.js';
export { diffPacks, diffMeanings, formatDiffText, DIFF_KIND_LABELS, type DiffLine, type DiffKind } from './pack/diff.js';
export type * from './rules/types.js';
export { normalize, roundHalfUp, roundDecimal, compareNumbers, type RoundingMode } from './util/numbers.js';
export { canonicalJson, changedFiles, getPath, isObject, ptr, ptrToken, pointerTokens, resolvePointer } from './util/json.js';
export { checkConsistency, prefillData, findSourceRecord, type Mismatch } from './form/prefill.js';
export { reviewPathFor, pathFieldValue, stagesOnPath, reviewStagesOf, isReviewLevel, REVIEW_LEVELS, type ReviewPath, type ReviewLevel, type WorkflowStage } from './pack/review-paths.js';
export { metaProblems } from './pack/meta-problems.js';
export type { CheckContext, FieldTitles, KnownOrgUnit, PackCheck, RegistryCheckOptions } from './pack/registry.js';
export * from './glossary.js';
export { parseJsonText, lineColumn, type JsonTextResult } from './util/json-text.js';
export { pointerPlace, type JsonPlace } from './util/json-place.js';
export { jsonTooDeep, MAX_JSON_DEPTH } from './util/json-depth.js';
export { normalizeDivisionCode, orgUnitProblems } from './pack/checks/org-units.js';
