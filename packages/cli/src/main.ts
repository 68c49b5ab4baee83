#!/usr/bin/env -S npx tsx
import { Command, CommanderError } from 'commander';
import { pathToFileURL } from 'node:url';
import { checkCommand } from './commands/check.js';
import { evaluateCommand } from './commands/evaluate.js';
import { diffCommand, fixturesCommand, newCommand } from './commands/packs.js';
import { cohortCommand, templateCommand } from './commands/tables.js';
import { impactCommand } from './commands/impact.js';
import { workbookExportCommand, workbookImportCommand } from './commands/workbook.js';
import { describeError, EXIT, UsageError, withPrompt } from './io.js';
import { YuanpingError } from '@yuanping/core';

function program(): Command {
  const p = new Command('yuanping')
    .description('园评 Yuanping：通知包的检查、试算、比对与生成')
    .option('--root <dir>', '通知包根目录（含 schemas/ 和 rules/）', process.cwd())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const root = () => p.opts<{ root: string }>().root;
  let code: number = EXIT.OK;
  p.command('check')
    .description('检查通知包，列出每一个问题（代码、文件、JSON 指针、说明）')
    .argument('[packs...]', '通知包标识或目录；省略时检查 schemas/ 下全部')
    .option('--format <fmt>', 'text 或 json', 'text')
    .option('--production', '按生产环境发布的标准检查：须由管理员设定而仍是占位值的参数算作错误')
    .option('--former <pack>', '上一年度（或上一版本）的通知包：规则仍读取已删除的字段时，按该字段原来的名称指出（与通知包工作台相同）')
    .action(async (packs: string[], o: { format: string; production?: boolean; former?: string }) => {
      code = await checkCommand(packs, { root: root(), format: o.format, production: o.production === true, ...(o.former !== undefined ? { former: o.former } : {}) });
    });
  const collect = (v: string, prev: string[]) => [...prev, v];
  p.command('evaluate')
    .description('按规则集试算：输入可以是一个样例文件（用其输入和参数，并与其期望比较）或一份表单数据；输出结果与逐条解释')
    .argument('<file>', '样例文件（rules/<通知包>/fixtures/*.json）或表单数据 JSON 文件')
    .requiredOption('--pack <pack>', '通知包')
    .option('--ruleset <id>', '规则集（输入是样例文件时可省略）')
    .option('--param <名称=值>', '临时改用的参数值，可重复，如 --param provincialAvgTaxPerMu=15', collect, [] as string[])
    .option('--format <fmt>', 'json 或 text', 'json')
    .option('--basis <basis>', '评分依据：self（自评）或 reviewer（审核）；默认用样例的设置或 self')
    .action(async (file: string, o: { pack: string; ruleset?: string; format: string; basis?: string; param: string[] }) => {
      code = await evaluateCommand(file, { ...o, root: root() });
    });
  p.command('new')
    .description('以上一年度的通知包为底稿生成新通知包：给出年度和日期（终端中逐项询问），未给出的日期按年份顺延并列为“请核对”，复制的样例标记为“待复核”')
    .argument('<new>', '新通知包标识')
    .requiredOption('--from <old>', '上一年度通知包标识')
    .option('--year <year>', '新通知的年度（默认上一年度 + 1）')
    .option('--issue-date <date>', '发文日期 YYYY-MM-DD')
    .option('--data-cutoff <date>', '数据截止日期 YYYY-MM-DD')
    .option('--date <id=date>', '清单 dates 中某个时间节点的新日期，可重复，如 --date citySubmission=2023-09-15', collect, [] as string[])
    .option('--window <stage=opens..closes>', '流程环节的办理时间，可重复，某一端可空，如 --window apply=2023-08-20..2023-09-20', collect, [] as string[])
    .option('--no-input', '不在终端中询问（未给出的日期一律按年份顺延）')
    .action(async (id: string, o: { from: string; year?: string; issueDate?: string; dataCutoff?: string; date: string[]; window: string[]; input: boolean }) => {
      const interactive = o.input && process.stdin.isTTY === true && process.stdout.isTTY === true;
      code = interactive
        ? await withPrompt((ask) => newCommand(id, { ...o, root: root(), ask }))
        : await newCommand(id, { ...o, root: root() });
    });
  p.command('diff')
    .description('列出两个通知包在内容上的变化（阈值、满分、名额、日期、选项、规则、群体评价设置），按类别分组，一行一项')
    .argument('<old>', '原通知包（如上一年度）')
    .argument('<new>', '新通知包')
    .option('--format <fmt>', 'text 或 json', 'text')
    .action(async (a: string, b: string, o: { format: string }) => {
      code = await diffCommand(a, b, { root: root(), format: o.format });
    });
  p.command('impact')
    .description('影响预览：把一批申报分别按原通知包和新通知包计算，列出结果（等级、资格、得分）变化的申报及原因')
    .argument('<old>', '原通知包（申报当时的版本，如上一年度）')
    .argument('<new>', '新通知包（如今年的草稿）')
    .argument('<file>', '申报 JSON：数组，每项 { id, label, forms: { 表单标识: 数据 } } 或 { id, label, formId, data }')
    .option('--out <file>', '输出文件：.xlsx 或 .json')
    .option('--format <fmt>', 'text 或 json', 'text')
    .action(async (a: string, b: string, file: string, o: { out?: string; format: string }) => {
      code = await impactCommand(a, b, file, { root: root(), ...o });
    });
  p.command('fixtures')
    .description('运行通知包的全部样例')
    .argument('<pack>')
    .option('--accept-unchanged', '待复核的样例中，按今年的通知包运行结果与期望一致的，标为已复核（删除其 review 字段）')
    .action(async (ref: string, o: { acceptUnchanged?: boolean }) => {
      code = await fixturesCommand(ref, { root: root(), acceptUnchanged: o.acceptUnchanged === true });
    });
  p.command('cohort')
    .description('对一批记录运行群体评价步骤（功效系数法评分、按比例分档、名额、奖励），输出结果与说明')
    .argument('<file>', '记录文件：.xlsx、.csv 或 .json')
    .requiredOption('--pack <pack>', '通知包')
    .requiredOption('--step <id>', '群体评价步骤')
    .option('--form <id>', '记录所在的表格（清单未声明时）')
    .option('--out <file>', '输出文件：.xlsx（官方版式）或 .json；省略时 JSON 输出到屏幕')
    .action(async (file: string, o: { pack: string; step: string; form?: string; out?: string }) => {
      code = await cohortCommand(file, { ...o, root: root() });
    });
  p.command('template')
    .description('生成表格的空白官方 xlsx 模板')
    .requiredOption('--pack <pack>', '通知包')
    .requiredOption('--form <id>', '表格表单')
    .option('--out <file>', '输出文件（默认 out/<通知包>-<表单>.xlsx；out/ 不进入 git）')
    .action(async (o: { pack: string; form: string; out?: string }) => {
      code = await templateCommand({ ...o, root: root() });
    });
  const wb = p.command('workbook').description('通知包的工作簿（xlsx）：参数、日期、名额、评分项、判定标准、选项各一张表，用 Excel/WPS 修改后导回');
  wb.command('export')
    .description('把通知包的各张表写成一个 xlsx 工作簿')
    .argument('<pack>', '通知包')
    .option('--out <file>', '输出文件（默认 out/<通知包>-workbook.xlsx；out/ 不进入 git）')
    .action(async (ref: string, o: { out?: string }) => {
      code = await workbookExportCommand(ref, { root: root(), ...o });
    });
  wb.command('import')
    .description('把修改过的工作簿应用到通知包的文件：先列出差异和检查结果；有错误的单元格（写明工作表、行、列和原因）则一处也不写入')
    .argument('<pack>', '通知包')
    .argument('<file>', '修改过的 xlsx 工作簿')
    .option('--dry-run', '只显示差异和检查结果，不写入文件')
    .option('--format <fmt>', 'text 或 json', 'text')
    .action(async (ref: string, file: string, o: { dryRun?: boolean; format: string }) => {
      code = await workbookImportCommand(ref, file, { root: root(), ...o });
    });
  return Object.assign(p, { exitCode: () => code });
}

export async function main(argv: string[]): Promise<number> {
  const p = program();
  try {
    await p.parseAsync(argv, { from: 'user' });
    return (p as Command & { exitCode: () => number }).exitCode();
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    process.stderr.write(describeError(err) + '\n');
    if (err instanceof UsageError) return EXIT.USAGE;
    if (err instanceof YuanpingError) return err.code === 'USAGE' || err.code === 'PACK_NOT_FOUND' || err.code === 'RULESET_NOT_FOUND' ? EXIT.USAGE : EXIT.PROBLEMS;
    return EXIT.PROBLEMS;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // pnpm passes a literal `--` through when asked to (`pnpm yuanping -- check`)
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  main(args).then((c) => process.exit(c));
}
