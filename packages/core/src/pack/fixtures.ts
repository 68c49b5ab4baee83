import type { Fixture } from '../meta/index.js';
import { problem, type Problem } from '../errors.js';
import { validateSubmission } from '../form/validate.js';
import { compileRuleSet } from '../rules/evaluate.js';
import type { Evaluation } from '../rules/types.js';
import { deepEqual } from '../util/json.js';
import { compareNumbers } from '../util/numbers.js';
import { reviewProblems } from './review.js';
import type { NoticePack } from './types.js';

export interface FixtureRun {
  file: string;
  title: string;
  /** no error: the outcome is as expected, or the fixture is marked for review (待复核) */
  passed: boolean;
  /** the fixture's review note: copied from last year's pack and not yet checked (its problems are warnings) */
  review?: string;
  /** one Chinese line per difference between expected and actual */
  differences: string[];
  problems: Problem[];
  evaluation?: Evaluation;
}

const show = (v: unknown) => (v === undefined ? '（无）' : JSON.stringify(v));

/**
 * Run one fixture: validate its input, evaluate it, compare with what it expects. A fixture
 * marked `review` reports one FIXTURE_NEEDS_REVIEW warning (with what differs) instead of errors.
 */
export function runFixture(pack: NoticePack, f: Fixture, file: string): FixtureRun {
  const run = runAsWritten(pack, f, file);
  if (!f.review) return run;
  return { ...run, passed: true, review: f.review, problems: reviewProblems(file, f.review, run.problems) };
}

function runAsWritten(pack: NoticePack, f: Fixture, file: string): FixtureRun {
  const diffs: string[] = [];
  const problems: Problem[] = [];
  const rsEntry = pack.ruleSets.get(f.ruleSet);
  if (!rsEntry) {
    problems.push(problem('FIXTURE_RULESET_UNKNOWN', file, '/ruleSet', { ruleSet: f.ruleSet }));
    return { file, title: f.title, passed: false, differences: [], problems };
  }
  const form = pack.forms.get(rsEntry.ruleSet.form);
  let data: unknown = f.input;
  if (form) {
    try {
      const v = validateSubmission(form, f.input);
      data = v.data;
      const got = v.errors.map((e) => e.path).sort();
      if (f.expect.validation) {
        const want = [...f.expect.validation].sort();
        if (!deepEqual(got, want)) diffs.push(`校验错误字段：期望 ${show(want)}，实际 ${show(got)}`);
      } else if (!v.valid) {
        problems.push(
          problem('FIXTURE_INPUT_INVALID', file, '/input', { detail: v.errors.map((e) => `${e.path}：${e.message}`).join('；') }),
        );
      }
    } catch (err) {
      problems.push(problem('FIXTURE_INPUT_INVALID', file, '/input', { detail: (err as Error).message }));
    }
  }
  let evaluation: Evaluation | undefined;
  try {
    evaluation = compileRuleSet(pack, f.ruleSet).evaluate(data, {
      ...(f.parameters ? { parameters: f.parameters as Record<string, unknown> } : {}),
      ...(f.options?.scoreBasis ? { scoreBasis: f.options.scoreBasis } : {}),
    });
  } catch (err) {
    problems.push(problem('FIXTURE_MISMATCH', file, '', { detail: (err as Error).message }));
    return { file, title: f.title, passed: false, differences: diffs, problems };
  }
  const o = evaluation.outcome;
  const want = f.expect.outcome;
  if (want.eligible !== undefined && (o.kind !== 'eligibility' || o.eligible !== want.eligible)) {
    diffs.push(`资格：期望 ${want.eligible ? '符合' : '不符合'}，实际 ${o.kind === 'eligibility' ? (o.eligible ? '符合' : '不符合') : o.kind}`);
  }
  if (want.level !== undefined && (o.kind !== 'level' || o.level !== want.level)) {
    diffs.push(`等级：期望 ${show(want.level)}，实际 ${o.kind === 'level' ? show(o.level) : o.kind}`);
  }
  if (want.score !== undefined && (o.kind !== 'score' || compareNumbers(o.score, want.score) !== 0)) {
    diffs.push(`得分：期望 ${want.score}，实际 ${o.kind === 'score' ? o.score : o.kind}`);
  }
  if (want.groups) {
    for (const [g, v] of Object.entries(want.groups)) {
      const got = o.kind === 'score' ? o.groups[g] : undefined;
      if (got === undefined || compareNumbers(got, v) !== 0) diffs.push(`分组 ${g} 得分：期望 ${v}，实际 ${show(got)}`);
    }
  }
  for (const c of f.expect.criteria ?? []) {
    const got = evaluation.criteria.find((x) => x.rule === c.rule);
    if (!got) {
      diffs.push(`规则 ${c.rule} 不存在`);
      continue;
    }
    if (c.applicable !== undefined && got.applicable !== c.applicable) {
      diffs.push(`规则 ${c.rule}：期望${c.applicable ? '适用' : '不适用'}，实际${got.applicable ? '适用' : '不适用'}`);
    }
    if (got.passed !== c.passed) diffs.push(`规则 ${c.rule}：期望${c.passed ? '满足' : '不满足'}，实际${got.passed ? '满足' : '不满足'}`);
  }
  for (const [k, v] of Object.entries((f.expect.derived ?? {}) as Record<string, unknown>)) {
    const got = evaluation.derived[k]?.value;
    const same = typeof v === 'number' && typeof got === 'number' ? compareNumbers(v, got) === 0 : deepEqual(v, got ?? null);
    if (!same) diffs.push(`派生事实 ${k}：期望 ${show(v)}，实际 ${show(got)}`);
  }
  for (const [key, list] of [
    ['warnings', evaluation.warnings],
    ['errors', evaluation.errors],
  ] as const) {
    const expected = f.expect[key];
    if (!expected) continue;
    const got = list.map((w) => w.rule).sort();
    if (!deepEqual(got, [...expected].sort())) diffs.push(`${key === 'warnings' ? '提示' : '错误'}：期望 ${show([...expected].sort())}，实际 ${show(got)}`);
  }
  if (diffs.length) problems.push(problem('FIXTURE_MISMATCH', file, '/expect', { detail: diffs.join('；') }));
  return { file, title: f.title, passed: problems.length === 0, differences: diffs, problems, evaluation };
}

export function runFixtures(pack: NoticePack): FixtureRun[] {
  return pack.fixtures.map(({ file, fixture }) => runFixture(pack, fixture, file));
}
