import type { CohortStep } from './meta/cohort-step.schema.js';
import type { CohortResult } from './types.js';
import { recordStatus } from './graded-table.js';

type JsonObject = Record<string, unknown>;

/**
 * A table form (JSON Schema + `x-table` layout, the @yuanping/tables format) describing the
 * result sheet of a cohort step: one row per record with score, per-indicator 功效分, rank,
 * grade, reward, selection and the Chinese explanation. Feed it with `cohortResultRows(result)`
 * to `exportXlsx` / `exportCsv`.
 */
export function cohortResultForm(step: CohortStep): JsonObject {
  const precision = step.score?.precision ?? 2;
  const num = (title: string, p?: number): JsonObject => ({ type: 'number', title, ...(p === undefined ? {} : { 'x-precision': p }) });
  const props: JsonObject = {
    key: { type: 'string', title: '编码' },
    label: { type: 'string', title: '名称' },
  };
  const columns: unknown[] = ['key', 'label'];
  if (step.grades?.groupBy?.length) {
    props.group = { type: 'string', title: '分组' };
    columns.push('group');
  }
  if (step.score) {
    const dCols: string[] = [];
    step.score.indicators.forEach((ind) => {
      const k = `d_${ind.id}`;
      props[k] = num(ind.title, 2);
      dCols.push(k);
    });
    if (dCols.length) columns.push({ title: '功效分', children: dCols });
    if (step.score.bonus?.items.length) {
      props.bonus = num('加分', 2);
      columns.push('bonus');
    }
    props.score = num('总分', precision);
    columns.push('score');
  }
  if (step.score || step.rank?.field) {
    props.rank = { type: 'integer', title: '排名' };
    columns.push('rank');
  }
  if (step.grades) {
    props.grade = { type: 'string', title: '档次' };
    columns.push('grade');
  }
  if (step.rewards) {
    props.reward = num(step.rewards.unit ? `奖励（${step.rewards.unit}）` : '奖励', 2);
    columns.push('reward');
  }
  if (step.caps) {
    props.selected = { type: 'string', title: step.caps.title ?? '推荐' };
    columns.push('selected');
  }
  props.status = { type: 'string', title: '状态' };
  props.explanation = { type: 'string', title: '说明', 'x-width': 80 };
  columns.push('status', 'explanation');
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${step.title} 结果`,
    type: 'object',
    'x-table': { title: `${step.title} 结果`, sheetName: '结果', columns },
    properties: { rows: { type: 'array', items: { type: 'object', properties: props } } },
  };
}

/** The rows for `cohortResultForm`: one per record, in input order. */
export function cohortResultRows(result: CohortResult): JsonObject[] {
  return result.records.map((r) => {
    const row: JsonObject = { key: r.key, group: r.group, explanation: r.explanation.join('\n') };
    if (r.label !== undefined) row.label = r.label;
    if (r.score !== undefined) row.score = r.score;
    if (r.bonus !== undefined) row.bonus = r.bonus;
    for (const b of r.breakdown) if (b.kind === 'indicator' && b.d !== undefined) row[`d_${b.id}`] = b.d;
    if (r.rank !== undefined) row.rank = r.rank;
    if (r.grade !== undefined) row.grade = r.grade;
    if (r.reward !== undefined) row.reward = r.reward;
    if (r.selected !== undefined) row.selected = r.selected ? '是' : '否';
    row.status = recordStatus(r);
    return row;
  });
}
