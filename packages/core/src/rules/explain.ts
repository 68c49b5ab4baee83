import type { CriterionResult, Evaluation } from './types.js';

const mark = (ok: boolean) => (ok ? '✓' : '✗');

function criterionLines(c: CriterionResult, indent = '  '): string[] {
  const head = `${indent}${mark(c.passed)} ${c.label}${c.clause ? `（${c.clause}）` : ''}`;
  const lines = [head];
  for (const k of c.checks) {
    lines.push(`${indent}    ${mark(k.passed)} ${k.label}：实际 ${k.actualText}，要求 ${k.requiredText}`);
  }
  return lines;
}

/** The evaluation as a readable Chinese text (the CLI's `--format text`). */
export function formatEvaluationText(e: Evaluation): string {
  const lines: string[] = [];
  lines.push(`【${e.title}】通知包 ${e.pack}（版本 ${e.packHash.slice(0, 12)}）`);
  const o = e.outcome;
  if (o.kind === 'level') {
    lines.push(`结果：${o.label}`);
    if (o.requested) {
      lines.push(`申请等级：${o.requested.label}——${o.requested.reached ? '已达到' : '未达到'}`);
    }
    if (o.next) {
      lines.push(`距${o.next.label}还差 ${o.next.missing.length} 项：`);
      for (const c of o.next.missing) lines.push(...criterionLines(c));
    }
  } else if (o.kind === 'eligibility') {
    lines.push(`结果：${o.label}`);
    for (const c of o.failed) lines.push(...criterionLines(c));
  } else {
    lines.push(`结果：${o.score} 分（按${o.basis === 'reviewer' ? '审核评分' : '自评分'}）`);
    for (const g of o.groupDetails) {
      lines.push(`  ${g.label}：${g.score}${g.cap !== undefined ? `（上限 ${g.cap}，原始 ${g.raw}）` : ''}`);
    }
    for (const it of o.items.filter((i) => i.capped)) lines.push(`  ! ${it.label}：填写分值超过满分 ${it.max}，按 ${it.max} 计`);
  }
  const derived = Object.entries(e.derived);
  if (derived.length) {
    lines.push('派生指标：');
    for (const [, d] of derived) lines.push(`  ${d.label}：${d.value ?? '无法计算'}${d.unit && d.value !== null ? ` ${d.unit}` : ''}`);
  }
  if (e.errors.length) {
    lines.push('错误（须更正）：');
    for (const w of e.errors) lines.push(`  ✗ ${w.message ?? w.label}`);
  }
  if (e.warnings.length) {
    lines.push('提示（请核实）：');
    for (const w of e.warnings) lines.push(`  ! ${w.message ?? w.label}`);
  }
  lines.push('逐条判定：');
  for (const c of e.criteria.filter((c) => c.type === 'criterion')) {
    if (!c.applicable) continue;
    lines.push(...criterionLines({ ...c, label: `${c.level ? `[${c.level}] ` : ''}${c.label}` }));
  }
  return lines.join('\n');
}
