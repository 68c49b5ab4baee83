/**
 * What @yuanping/cohort contributes to the one pack checker (core's `CheckRegistry`):
 * the cohort steps (format, fields, parameters), the format of the cohort fixtures, and the
 * cohort fixtures themselves (run like the rule fixtures).
 */
import { ERRORS, indexFields, isObject, orgUnitProblems, problem, ptr, type ErrorCode, type NoticePack, type PackCheck, type Problem } from '@yuanping/core/browser';
import { checkCohortStep } from './check.js';
import { checkCohortFixtureFormat, runCohortFixtures } from './fixtures.js';
import type { Problem as CohortProblem } from './types.js';

/** A problem of this package in the one catalogue of codes (every code it uses is in it). */
export function adoptProblem(p: CohortProblem, fallback: ErrorCode = 'COHORT_STEP_INVALID'): Problem {
  const code = p.code in ERRORS ? (p.code as ErrorCode) : fallback;
  return problem(code, p.file, p.pointer, { detail: p.message }, p.severity);
}

/** The fields of the rows a cohort step runs over: declared in the manifest, else every table's columns. */
function recordFields(pack: NoticePack, stepId: string): string[] {
  const decl = pack.manifest.cohortSteps?.find((s) => s.id === stepId);
  const fields = new Set<string>();
  const addRows = (schema: unknown, path?: string) => {
    for (const [p, f] of indexFields(schema)) {
      if (f.type === 'array' && f.items && (!path || p === path)) for (const c of indexFields(f.items.schema).keys()) fields.add(c);
    }
  };
  if (decl?.records) addRows(pack.forms.get(decl.records.form)?.schema, decl.records.path);
  else for (const form of pack.forms.values()) addRows(form.schema);
  return [...fields];
}

export const cohortStepsCheck: PackCheck = {
  id: 'cohort.steps',
  run(pack, ctx) {
    const out: Problem[] = [];
    const params = Object.keys(pack.manifest.parameters ?? {});
    for (const { id, file, step } of pack.cohortSteps.values()) {
      out.push(...checkCohortStep(step, recordFields(pack, id), { file, parameterNames: params }).map((p) => adoptProblem(p)));
    }
    for (const [i, s] of (pack.manifest.cohortSteps ?? []).entries()) {
      if (!pack.cohortSteps.has(s.id) && !ctx.unreadable.includes(`rules/${pack.id}/${s.file}`)) out.push(problem('PACK_FILE_MISSING', pack.manifestFile, `/cohortSteps/${i}/file`, { file: `rules/${pack.id}/${s.file}` }));
    }
    return out;
  },
};

/** Caps name org units of the division file: each key of `caps.overrides` is a unit code at the `rollUp` level. */
export const cohortCapUnitsCheck: PackCheck = {
  id: 'cohort.cap-org-units',
  run(pack, ctx) {
    const out: Problem[] = [];
    for (const { file, step } of pack.cohortSteps.values()) {
      const caps = isObject(step) ? step.caps : undefined;
      if (!isObject(caps) || !isObject(caps.overrides)) continue;
      const level = typeof caps.rollUp === 'string' ? caps.rollUp : undefined;
      for (const key of Object.keys(caps.overrides)) out.push(...orgUnitProblems(ctx.orgUnits, key, file, ptr('caps', 'overrides', key), level));
    }
    return out;
  },
};

export const cohortFixtureFormatCheck: PackCheck = {
  id: 'cohort.fixture-format',
  run: (pack) => checkCohortFixtureFormat(pack),
};

export const cohortFixturesCheck: PackCheck = {
  id: 'cohort.fixtures',
  stage: 'fixtures',
  run(pack, ctx) {
    const stepFiles = new Set([...pack.cohortSteps.values()].map((s) => s.file));
    // a broken step or table is reported by the structural checks: running fixtures on it only repeats that
    if ([...stepFiles].some((f) => ctx.broken.has(f)) || [...pack.forms.values()].some((f) => ctx.broken.has(f.file))) return [];
    return runCohortFixtures(pack, { orgUnits: ctx.orgUnits })
      .filter((r) => !ctx.broken.has(r.file))
      .flatMap((r) => r.problems);
  },
};

/** Every check of this package, to register with core's `CheckRegistry`. */
export const cohortChecks: readonly PackCheck[] = [cohortStepsCheck, cohortCapUnitsCheck, cohortFixtureFormatCheck, cohortFixturesCheck];
