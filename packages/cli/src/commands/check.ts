import { checkPackFully } from '@yuanping/check';
import { fieldTitlesOf, loadPack, loadPackWithProblems, type FieldTitles, type Problem } from '@yuanping/core';
import { allPackIds, EXIT, UsageError } from '../io.js';

export interface CheckReport {
  pack: string;
  problems: Problem[];
}

export interface RunCheckOptions {
  production?: boolean;
  /**
   * the pack's predecessor (last year's pack, as `yuanping new --from`): a rule that still reads a
   * field removed since is named by the field's former title, as on the workbench
   */
  former?: string;
}

/** The field titles of the predecessor `ref` (it must load: a usage error otherwise). */
async function formerTitles(ref: string, root: string): Promise<FieldTitles> {
  try {
    return fieldTitlesOf(await loadPack(ref, { root }));
  } catch (e) {
    throw new UsageError(`--former：无法读取通知包“${ref}”（${e instanceof Error ? e.message : String(e)}）`);
  }
}

export async function runCheck(refs: string[], root: string, opts: RunCheckOptions = {}): Promise<CheckReport[]> {
  const ids = refs.length ? refs : await allPackIds(root);
  if (!ids.length) throw new UsageError('没有找到任何通知包（schemas/<id>/pack.json）');
  const known = await allPackIds(root);
  const formerFields = opts.former === undefined ? undefined : await formerTitles(opts.former, root);
  const reports: CheckReport[] = [];
  for (const ref of ids) {
    const { pack, readProblems } = await loadPackWithProblems(ref, { root });
    const problems = checkPackFully(pack, { knownPacks: known, readProblems, production: opts.production === true, ...(formerFields ? { formerFields } : {}) });
    reports.push({ pack: ref, problems });
  }
  return reports;
}

export async function checkCommand(refs: string[], opts: { root: string; format: string; production?: boolean; former?: string }): Promise<number> {
  const reports = await runCheck(refs, opts.root, { production: opts.production === true, ...(opts.former !== undefined ? { former: opts.former } : {}) });
  const errors = reports.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'error').length, 0);
  if (opts.format === 'json') {
    process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
  } else {
    for (const r of reports) {
      const errs = r.problems.filter((p) => p.severity === 'error');
      const warns = r.problems.filter((p) => p.severity === 'warning');
      if (!r.problems.length) {
        process.stdout.write(`✓ ${r.pack}：检查通过\n`);
        continue;
      }
      process.stdout.write(`${errs.length ? '✗' : '!'} ${r.pack}：${errs.length} 个错误，${warns.length} 个提示\n`);
      for (const p of r.problems) {
        process.stdout.write(`  ${p.severity === 'error' ? '错误' : '提示'} ${p.code}  ${p.file}#${p.pointer}\n      ${p.message}\n`);
      }
    }
  }
  return errors ? EXIT.PROBLEMS : EXIT.OK;
}
