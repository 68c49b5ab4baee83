import { checkPackFully } from '@yuanping/check';
import { loadPackWithProblems, type Problem } from '@yuanping/core';
import { allPackIds, EXIT, UsageError } from '../io.js';

export interface CheckReport {
  pack: string;
  problems: Problem[];
}

export async function runCheck(refs: string[], root: string, opts: { production?: boolean } = {}): Promise<CheckReport[]> {
  const ids = refs.length ? refs : await allPackIds(root);
  if (!ids.length) throw new UsageError('没有找到任何通知包（schemas/<id>/pack.json）');
  const known = await allPackIds(root);
  const reports: CheckReport[] = [];
  for (const ref of ids) {
    const { pack, readProblems } = await loadPackWithProblems(ref, { root });
    const problems = checkPackFully(pack, { knownPacks: known, readProblems, production: opts.production === true });
    reports.push({ pack: ref, problems });
  }
  return reports;
}

export async function checkCommand(refs: string[], opts: { root: string; format: string; production?: boolean }): Promise<number> {
  const reports = await runCheck(refs, opts.root, { production: opts.production === true });
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
