import {
  compileRuleSet,
  formatEvaluationText,
  isObject,
  loadPack,
  runFixture,
  validateSubmission,
  YuanpingError,
  type Fixture,
  type NoticePack,
} from '@yuanping/core';
import { EXIT, readJsonFile, UsageError } from '../io.js';

export interface EvaluateOptions {
  pack: string;
  /** the rule set; taken from the fixture when the file is one */
  ruleset?: string;
  format: string;
  basis?: string;
  /** `name=value`, repeatable: try a parameter without copying the pack */
  param?: string[];
  root: string;
}

/** A fixture file (`rules/<pack>/fixtures/*.json`) rather than a form's data: it names its rule set and holds input and expectations. */
function asFixture(v: unknown): Fixture | undefined {
  return isObject(v) && typeof v.ruleSet === 'string' && isObject(v.input) && isObject(v.expect) ? (v as unknown as Fixture) : undefined;
}

/** `--param name=value`: the value is read as JSON when it is JSON (15, 1.5, true, ["A","B"]), else as text. */
export function parseParams(pack: NoticePack, specs: string[]): Record<string, unknown> {
  const declared = (pack.manifest.parameters ?? {}) as Record<string, { label?: string; value?: unknown }>;
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param 应写成 名称=值，如 --param ${Object.keys(declared)[0] ?? 'avgTax'}=15（收到“${spec}”）`);
    const name = spec.slice(0, eq).trim();
    const raw = spec.slice(eq + 1).trim();
    const decl = declared[name];
    if (!decl) {
      const known = Object.entries(declared).map(([k, p]) => `${k}（${p.label ?? k}）`);
      throw new UsageError(`通知包 ${pack.id} 没有参数“${name}”。${known.length ? `可用的参数：${known.join('、')}` : '这个通知包没有声明参数'}`);
    }
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      /* text */
    }
    if (typeof decl.value === 'number' && typeof value !== 'number') throw new UsageError(`参数“${name}”（${decl.label ?? name}）应为数字，收到“${raw}”`);
    out[name] = value;
  }
  return out;
}

export async function evaluateCommand(file: string, opts: EvaluateOptions): Promise<number> {
  if (!opts.pack) throw new UsageError('需要 --pack（通知包标识）');
  const pack = await loadPack(opts.pack, { root: opts.root });
  const content = await readJsonFile(file);
  const fixture = asFixture(content);
  const ruleSetId = opts.ruleset ?? fixture?.ruleSet;
  if (!ruleSetId) throw new UsageError(`需要 --ruleset（规则集）。通知包 ${pack.id} 的规则集：${[...pack.ruleSets.keys()].join('、')}`);
  if (fixture && opts.ruleset && opts.ruleset !== fixture.ruleSet) throw new UsageError(`样例 ${file} 属于规则集“${fixture.ruleSet}”，与 --ruleset ${opts.ruleset} 不一致`);
  const entry = pack.ruleSets.get(ruleSetId);
  if (!entry) throw new YuanpingError('RULESET_NOT_FOUND', { ruleSet: ruleSetId });
  const given = parseParams(pack, opts.param ?? []);
  const parameters = { ...((fixture?.parameters ?? {}) as Record<string, unknown>), ...given };
  const input: unknown = fixture ? fixture.input : content;
  const form = pack.forms.get(entry.ruleSet.form);
  const validation = form ? validateSubmission(form, input) : undefined;
  const data = validation ? validation.data : input;
  const basis = opts.basis === 'reviewer' || opts.basis === 'self' ? opts.basis : (fixture?.options?.scoreBasis ?? 'self');
  const evaluation = compileRuleSet(pack, ruleSetId).evaluate(data, { scoreBasis: basis, ...(Object.keys(parameters).length ? { parameters } : {}) });
  // a fixture run as written is compared with what it expects; with --param it is a "what if"
  const check = fixture && !Object.keys(given).length ? runFixture(pack, fixture, file) : undefined;
  const declared = (pack.manifest.parameters ?? {}) as Record<string, { label?: string; value?: unknown; unit?: string; setByAdministrator?: boolean }>;
  if (opts.format === 'text') {
    if (fixture) process.stdout.write(`样例：${fixture.title}\n`);
    for (const [k, v] of Object.entries(parameters)) {
      const d = declared[k];
      const from = k in given ? '--param' : '样例';
      process.stdout.write(`参数 ${d?.label ?? k}（${k}）：${JSON.stringify(v)}${d?.unit ? ` ${d.unit}` : ''}（${from}；清单中为 ${JSON.stringify(d?.value)}）\n`);
    }
    for (const [k, d] of Object.entries(declared)) {
      if (d.setByAdministrator && !(k in parameters)) process.stdout.write(`提示：参数 ${d.label ?? k}（${k}）由管理员设定，这里用的是清单中的值 ${JSON.stringify(d.value)}；要试别的值，加 --param ${k}=值\n`);
    }
    if (validation && !validation.valid) {
      process.stdout.write(`表单校验未通过（${validation.errors.length} 处）：\n`);
      for (const e of validation.errors) process.stdout.write(`  ✗ ${e.path}：${e.message}\n`);
    }
    process.stdout.write(formatEvaluationText(evaluation) + '\n');
    if (check) {
      if (check.differences.length || !check.passed) {
        process.stdout.write('与样例的期望不一致：\n');
        for (const p of check.problems) process.stdout.write(`  ✗ ${p.message}\n`);
      } else process.stdout.write('✓ 与样例的期望一致\n');
    }
  } else {
    process.stdout.write(
      JSON.stringify(
        {
          ...(fixture ? { fixture: { title: fixture.title, ...(check ? { matches: check.passed, problems: check.problems } : {}) } } : {}),
          parameters,
          validation: validation && { valid: validation.valid, errors: validation.errors },
          evaluation,
        },
        null,
        2,
      ) + '\n',
    );
  }
  if (validation && !validation.valid && !fixture?.expect.validation) return EXIT.PROBLEMS;
  return check && !check.passed ? EXIT.PROBLEMS : EXIT.OK;
}
