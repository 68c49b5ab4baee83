import { compileRuleSet, formatEvaluationText, loadPack, validateSubmission, YuanpingError } from '@yuanping/core';
import { EXIT, readJsonFile, UsageError } from '../io.js';

export async function evaluateCommand(
  file: string,
  opts: { pack: string; ruleset: string; format: string; basis?: string; root: string },
): Promise<number> {
  if (!opts.pack || !opts.ruleset) throw new UsageError('需要 --pack 和 --ruleset');
  const pack = await loadPack(opts.pack, { root: opts.root });
  const entry = pack.ruleSets.get(opts.ruleset);
  if (!entry) throw new YuanpingError('RULESET_NOT_FOUND', { ruleSet: opts.ruleset });
  const input = await readJsonFile(file);
  const form = pack.forms.get(entry.ruleSet.form);
  let data = input;
  const validation = form ? validateSubmission(form, input) : undefined;
  if (validation) data = validation.data;
  const basis = opts.basis === 'reviewer' ? 'reviewer' : 'self';
  const evaluation = compileRuleSet(pack, opts.ruleset).evaluate(data, { scoreBasis: basis });
  if (opts.format === 'text') {
    if (validation && !validation.valid) {
      process.stdout.write(`表单校验未通过（${validation.errors.length} 处）：\n`);
      for (const e of validation.errors) process.stdout.write(`  ✗ ${e.path}：${e.message}\n`);
    }
    process.stdout.write(formatEvaluationText(evaluation) + '\n');
  } else {
    process.stdout.write(JSON.stringify({ validation: validation && { valid: validation.valid, errors: validation.errors }, evaluation }, null, 2) + '\n');
  }
  return validation && !validation.valid ? EXIT.PROBLEMS : EXIT.OK;
}
