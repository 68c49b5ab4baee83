import type { Fixture } from '../meta/index.js';
import { problem, type Problem } from '../errors.js';
import { validateSubmission } from '../form/validate.js';
import { compileRuleSet } from '../rules/evaluate.js';
import type { Evaluation } from '../rules/types.js';
import { deepEqual, isObject } from '../util/json.js';
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
  /** marked for review, and its run as written found nothing different (the notice's change does not touch it) */
  unchanged?: boolean;
  /** one Chinese line per difference between expected and actual */
  differences: string[];
  problems: Problem[];
  evaluation?: Evaluation;
}

const show = (v: unknown) => (v === undefined ? '（无）' : JSON.stringify(v));
const listText = (xs: readonly string[]) => (xs.length ? xs.join('、') : '（无）');

/**
 * The titles of the fields around a field path (`scores.i02.self` → 评分表 · 信息基础设施), so a
 * difference names what a person sees, not the path; a row of a table is 第 n 行.
 */
export function fieldPlace(schema: unknown, path: string, withLast = false): string {
  const parts = path.split('.').filter(Boolean);
  const titles: string[] = [];
  let node: unknown = schema;
  parts.forEach((seg, i) => {
    const last = i === parts.length - 1;
    if (/^\d+$/.test(seg)) {
      titles.push(`第 ${Number(seg) + 1} 行`);
      node = isObject(node) ? node.items : undefined;
      return;
    }
    node = isObject(node) && isObject(node.properties) ? node.properties[seg] : undefined;
    if (last && !withLast) return;
    titles.push(isObject(node) && typeof node.title === 'string' ? node.title : '（未知字段）');
  });
  return titles.join(' · ');
}

/**
 * Run one fixture: validate its input, evaluate it, compare with what it expects. A fixture
 * marked `review` reports one FIXTURE_NEEDS_REVIEW warning (with what differs) instead of errors.
 */
export function runFixture(pack: NoticePack, f: Fixture, file: string): FixtureRun {
  const run = runAsWritten(pack, f, file);
  if (!f.review) return run;
  return { ...run, passed: true, review: f.review, unchanged: run.problems.length === 0, problems: reviewProblems(file, f.review, run.problems) };
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
        const named = (paths: string[]) => listText(paths.map((p) => fieldPlace(form.schema, p, true) || '整张表'));
        if (!deepEqual(got, want)) diffs.push(`校验出错的字段：期望 ${named(want)}，实际 ${named(got)}`);
      } else if (!v.valid) {
        problems.push(
          problem('FIXTURE_INPUT_INVALID', file, '/input', { detail: v.errors.map((e) => (fieldPlace(form.schema, e.path) ? `${fieldPlace(form.schema, e.path)}：${e.message}` : e.message)).join('；') }),
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
  // rules, groups and derived facts by their Chinese names, as the explanation names them
  const rs = rsEntry.ruleSet as { rules?: Array<{ name?: string; label?: string }>; outcome?: { levels?: Array<{ id: string; label?: string }> } };
  const ruleName = (id: string) => {
    const label = rs.rules?.find((r) => r.name === id)?.label;
    return label ? `“${label}”` : `“${id}”`;
  };
  const levelName = (id: unknown) => (typeof id === 'string' ? (rs.outcome?.levels?.find((l) => l.id === id)?.label ?? id) : id === null ? '未达到' : show(id));
  const kindName = (k: string) => ({ eligibility: '资格', level: '等级', score: '得分' })[k] ?? k;
  if (want.eligible !== undefined && (o.kind !== 'eligibility' || o.eligible !== want.eligible)) {
    diffs.push(`资格：期望 ${want.eligible ? '符合' : '不符合'}，实际 ${o.kind === 'eligibility' ? (o.eligible ? '符合' : '不符合') : kindName(o.kind)}`);
  }
  if (want.level !== undefined && (o.kind !== 'level' || o.level !== want.level)) {
    diffs.push(`等级：期望 ${levelName(want.level)}，实际 ${o.kind === 'level' ? levelName(o.level) : kindName(o.kind)}`);
  }
  if (want.score !== undefined && (o.kind !== 'score' || compareNumbers(o.score, want.score) !== 0)) {
    diffs.push(`得分：期望 ${want.score}，实际 ${o.kind === 'score' ? o.score : kindName(o.kind)}`);
  }
  const groupName = (g: string) => {
    const sc = (form?.schema as { properties?: Record<string, { 'x-scorecard'?: { groups?: Array<{ id: string; label?: string }> } }> } | undefined)?.properties;
    for (const p of Object.values(sc ?? {})) {
      const label = isObject(p) ? p['x-scorecard']?.groups?.find((x) => x.id === g)?.label : undefined;
      if (label) return label;
    }
    return g;
  };
  if (want.groups) {
    for (const [g, v] of Object.entries(want.groups)) {
      const got = o.kind === 'score' ? o.groups[g] : undefined;
      if (got === undefined || compareNumbers(got, v) !== 0) diffs.push(`分组“${groupName(g)}”得分：期望 ${v}，实际 ${show(got)}`);
    }
  }
  for (const c of f.expect.criteria ?? []) {
    const got = evaluation.criteria.find((x) => x.rule === c.rule);
    if (!got) {
      diffs.push(`规则${ruleName(c.rule)}不存在`);
      continue;
    }
    if (c.applicable !== undefined && got.applicable !== c.applicable) {
      diffs.push(`规则${ruleName(c.rule)}：期望${c.applicable ? '适用' : '不适用'}，实际${got.applicable ? '适用' : '不适用'}`);
    }
    if (got.passed !== c.passed) diffs.push(`规则${ruleName(c.rule)}：期望${c.passed ? '满足' : '不满足'}，实际${got.passed ? '满足' : '不满足'}`);
  }
  for (const [k, v] of Object.entries((f.expect.derived ?? {}) as Record<string, unknown>)) {
    const got = evaluation.derived[k]?.value;
    const same = typeof v === 'number' && typeof got === 'number' ? compareNumbers(v, got) === 0 : deepEqual(v, got ?? null);
    if (!same) diffs.push(`“${evaluation.derived[k]?.label ?? k}”：期望 ${show(v)}，实际 ${show(got)}`);
  }
  for (const [key, list] of [
    ['warnings', evaluation.warnings],
    ['errors', evaluation.errors],
  ] as const) {
    const expected = f.expect[key];
    if (!expected) continue;
    const got = list.map((w) => w.rule).sort();
    if (!deepEqual(got, [...expected].sort())) diffs.push(`${key === 'warnings' ? '提示' : '错误'}：期望 ${listText([...expected].sort().map(ruleName))}，实际 ${listText(got.map(ruleName))}`);
  }
  if (diffs.length) problems.push(problem('FIXTURE_MISMATCH', file, '/expect', { detail: diffs.join('；') }));
  return { file, title: f.title, passed: problems.length === 0, differences: diffs, problems, evaluation };
}

/**
 * 接受新结果: what a fixture expects, rewritten to what this pack gives for its input — each thing it
 * expects (eligibility, level, score, groups, criteria, derived facts, warnings, errors, the fields
 * refused) takes the actual value; nothing is added that it did not expect. Null when there is no
 * result to accept: the input is invalid, the rule set unknown, or the outcome of another kind.
 */
export function newExpectation(pack: NoticePack, f: Fixture, file: string): Record<string, unknown> | null {
  const run = runAsWritten(pack, f, file);
  const ev = run.evaluation;
  if (!ev || run.problems.some((p) => p.code !== 'FIXTURE_MISMATCH')) return null;
  const o = ev.outcome;
  const want = f.expect.outcome;
  const outcome: Record<string, unknown> = { ...want };
  if (want.eligible !== undefined) {
    if (o.kind !== 'eligibility') return null;
    outcome.eligible = o.eligible;
  }
  if (want.level !== undefined) {
    if (o.kind !== 'level') return null;
    outcome.level = o.level;
  }
  if (want.score !== undefined || want.groups) {
    if (o.kind !== 'score') return null;
    if (want.score !== undefined) outcome.score = o.score;
    if (want.groups) {
      const groups: Record<string, number> = {};
      for (const g of Object.keys(want.groups)) {
        const got = o.groups[g];
        if (got === undefined) return null;
        groups[g] = got;
      }
      outcome.groups = groups;
    }
  }
  const out: Record<string, unknown> = { ...f.expect, outcome };
  if (f.expect.criteria) {
    const criteria: unknown[] = [];
    for (const c of f.expect.criteria) {
      const got = ev.criteria.find((x) => x.rule === c.rule);
      if (!got) return null;
      criteria.push({ ...c, ...(c.applicable !== undefined ? { applicable: got.applicable } : {}), passed: got.passed });
    }
    out.criteria = criteria;
  }
  if (f.expect.derived) out.derived = Object.fromEntries(Object.keys(f.expect.derived).map((k) => [k, ev.derived[k]?.value ?? null]));
  if (f.expect.warnings) out.warnings = ev.warnings.map((w) => w.rule).sort();
  if (f.expect.errors) out.errors = ev.errors.map((w) => w.rule).sort();
  if (f.expect.validation) {
    const form = pack.forms.get(pack.ruleSets.get(f.ruleSet)?.ruleSet.form ?? '');
    if (!form) return null;
    out.validation = validateSubmission(form, f.input).errors.map((e) => e.path).sort();
  }
  return out;
}

export function runFixtures(pack: NoticePack): FixtureRun[] {
  return pack.fixtures.map(({ file, fixture }) => runFixture(pack, fixture, file));
}
