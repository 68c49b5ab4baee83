/**
 * `pnpm bench`: every benchmark, printed from one run on this machine.
 * Figures are measured, never asserted; compare ratios inside one run.
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchRules } from './rules.bench.js';
import { benchZen } from './zen.bench.js';

console.log(`园评 pnpm bench — ${new Date().toISOString()} — ${cpus()[0]?.model ?? '?'} × ${cpus().length}，内存 ${Math.round(totalmem() / 2 ** 30)} GiB`);
console.log('\n== 规则求值 ==');
await benchRules();
console.log('\n== 规则求值：各对照库的各模式（zen-engine 循环 / 逐份，json-rules-engine 最佳 / 默认）与园评逐份 / 批量，同一次运行 ==');
await benchZen();

const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
for (const [title, file] of [
  ['启动时间：命令行与服务器', 'startup.bench.ts'],
  ['群体评价：10 万个园区评分并按比例分档', 'cohort.bench.ts'],
  ['群体评价任务：10 万个园区经服务器与数据库运行（进度、保存）', 'cohort-job.bench.ts'],
  ['表格：1,200 行附件1 xlsx 导入、分档、导出；服务器导出 1,200 行（经 HTTP）', 'tables.bench.ts'],
  ['影响预览：1 万份申报按下一年度草稿重新计算（工作台）', 'impact.bench.ts'],
  ['存储：PostgreSQL 语句方式（未命名 / 命名预备语句，SET LOCAL，经 PgBouncer）', 'storage.bench.ts'],
  [`API（autocannon，${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite：未设置 DATABASE_URL'}）`, 'api.bench.ts'],
  ['网页：无头 Chromium 中的申请页（表单可交互、即时评价、1,200 行表格键入）', '../../apps/web/e2e/bench.ts'],
  ['网页：审核页可交互与审核通过往返（星级申报，现在与改前，同一次运行）', '../../apps/web/e2e/bench-review.ts'],
] as const) {
  console.log(`\n== ${title} ==`);
  const r = spawnSync(tsx, [join(import.meta.dirname, file)], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`  （${file} 未能运行，退出码 ${r.status}）`);
}
