/**
 * @yuanping/check — the one pack checker. Core's checks plus those @yuanping/cohort and
 * @yuanping/tables register, checked against the division file. `yuanping check`, the server's
 * `POST /api/packs/check` and `POST /api/packs` (publish), and the tests call `checkPackFully`,
 * so all of them refuse exactly the same packs. A pure function of the pack's files: no file
 * system, no network.
 *
 * To add a check: write a `PackCheck` (`{ id, run(pack, ctx) }`, problems with codes from the
 * one catalogue) in the package that owns the concept and register it below.
 */
import { createCheckRegistry, isObject, newExpectation, runFixtures, type NoticePack, type Problem, type RegistryCheckOptions } from '@yuanping/core';
import { cohortChecks, runCohortFixtures } from '@yuanping/cohort';
import { tableChecks } from '@yuanping/tables';
import { divisionUnits } from './divisions.js';

export { DIVISIONS, divisionUnits, type Divisions } from './divisions.js';

/** The registry every caller uses. */
export const packChecks = createCheckRegistry().register(...tableChecks, ...cohortChecks);

const UNITS = divisionUnits();

/** Every problem of the pack, as the CLI, the server and the tests see it. */
export function checkPackFully(pack: NoticePack, opts: RegistryCheckOptions = {}): Problem[] {
  return packChecks.check(pack, { orgUnits: UNITS, ...opts });
}

export interface AnyFixtureRun {
  kind: 'rules' | 'cohort';
  file: string;
  title: string;
  passed: boolean;
  differences: string[];
  problems: Problem[];
  /** 待复核: the fixture was copied from last year's pack and is not yet checked (its problems are warnings) */
  review?: string;
  /** marked for review, and its run as written found nothing different (the notice's change does not touch it) */
  unchanged?: boolean;
}

/** Every fixture of the pack, rule fixtures then cohort fixtures, through the same runners the check uses. */
export function runAllFixtures(pack: NoticePack): AnyFixtureRun[] {
  return [
    ...runFixtures(pack).map((r) => ({ kind: 'rules' as const, file: r.file, title: r.title, passed: r.passed, differences: r.differences, problems: r.problems, ...(r.review ? { review: r.review, unchanged: r.unchanged === true } : {}) })),
    ...runCohortFixtures(pack, { orgUnits: UNITS }).map((r) => ({ kind: 'cohort' as const, ...r })),
  ];
}

/**
 * The fixtures copied for review (待复核) whose run under this pack found nothing different, each
 * file as it is with its `review` marker removed: `yuanping fixtures <pack> --accept-unchanged`
 * writes them, the workbench's 一并接受 saves them into the draft. The rest stay for review.
 */
/**
 * 接受新结果 of one fixture copied for review (待复核) whose outcome the notice's change touches:
 * its file with `expect` rewritten to what this pack gives for its input (`newExpectation`) and the
 * review mark removed. The reason in Chinese when it cannot be: not a rule fixture marked for review,
 * or no result to accept (its input is invalid, its rule set unknown).
 */
export function acceptNewResult(pack: NoticePack, file: string): { content: Record<string, unknown> } | { reason: string } {
  const entry = pack.fixtures.find((x) => x.file === file);
  const content = pack.files[file];
  if (!entry || !isObject(content)) return { reason: '不是本通知包规则的样例（群体评价的样例请在专家模式中修改）' };
  if (!entry.fixture.review) return { reason: '它不是待复核的样例' };
  const expect = newExpectation(pack, entry.fixture, file);
  if (!expect) return { reason: '按今年的草稿运行没有可接受的结果（输入不符合表单或规则集不存在），请在专家模式中修改' };
  const { review: _review, ...rest } = content;
  return { content: { ...rest, expect } };
}

export function acceptUnchanged(files: Readonly<Record<string, unknown>>, runs: readonly AnyFixtureRun[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of runs) {
    const content = files[r.file];
    if (!r.review || !r.unchanged || typeof content !== 'object' || content === null || Array.isArray(content)) continue;
    const { review: _review, ...rest } = content as Record<string, unknown>;
    out[r.file] = rest;
  }
  return out;
}
