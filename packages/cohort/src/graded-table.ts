/**
 * A cohort step's results written into the official table the records came from: the notice's own
 * columns (a grade, a score, a reward …) filled through the mapping the table form declares, and the
 * platform's columns appended only where the pack asks — each marked as added.
 *
 * The mapping is declared in the table form (the @yuanping/tables format):
 * - a column's `"x-result": "<result>"` fills it with that result of the record;
 * - `x-table.results: ["<result>", …]` appends those results as added columns, in that order.
 * A form that declares neither gets every result appended (综合得分, 名次, 评定结果, 奖励, 说明).
 * Results: score, rank, grade, reward, selected, status, explanation.
 */
import type { CohortRecordResult } from './types.js';

type JsonObject = Record<string, unknown>;
type Row = Record<string, unknown>;

export const COHORT_RESULTS = ['score', 'rank', 'grade', 'reward', 'selected', 'status', 'explanation'] as const;
export type CohortResultField = (typeof COHORT_RESULTS)[number];

/** An appended column (the @yuanping/tables `ExtraColumn` shape). */
export interface ResultColumn {
  key: string;
  title: string;
  width?: number;
  numFmt?: string;
  wrap?: boolean;
}

const ADDED: Record<CohortResultField, Omit<ResultColumn, 'key'>> = {
  score: { title: '综合得分', numFmt: '0.00' },
  rank: { title: '名次', numFmt: '0' },
  grade: { title: '评定结果' },
  reward: { title: '奖励' },
  selected: { title: '推荐' },
  status: { title: '状态', width: 16, wrap: true },
  explanation: { title: '说明', width: 80, wrap: true },
};
const DEFAULT_ADDED: CohortResultField[] = ['score', 'rank', 'grade', 'reward', 'explanation'];

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const isResult = (v: unknown): v is CohortResultField => typeof v === 'string' && (COHORT_RESULTS as readonly string[]).includes(v);

/** A record's status in words (参评 / 不参评：… / 一票否决：… / 豁免：…). */
export function recordStatus(r: CohortRecordResult): string {
  return r.excluded ? `不参评：${r.excluded.reason}` : r.vetoed ? `一票否决：${r.vetoed.reason}` : r.exempt ? `豁免：${r.exempt.reason}` : '参评';
}

function resultOf(r: CohortRecordResult | undefined, f: CohortResultField, official: boolean): unknown {
  if (!r) return undefined;
  switch (f) {
    case 'score':
      return r.score;
    case 'rank':
      return r.rank;
    case 'grade':
      // an official grade column holds grades only; the added column names an exclusion
      return r.grade ?? (r.excluded && !official ? '不参评' : undefined);
    case 'reward':
      return r.reward;
    case 'selected':
      return r.selected === undefined ? undefined : r.selected ? '是' : '否';
    case 'status':
      return recordStatus(r);
    case 'explanation':
      return r.explanation.join('\n');
  }
}

/** The results a table form maps onto its own columns (`x-result`), and the ones it appends (`x-table.results`). */
export function resultMapping(form: JsonObject, path: string): { official: Array<[string, CohortResultField]>; added: CohortResultField[] } {
  const arr = isObj(form.properties) ? form.properties[path] : undefined;
  const items = isObj(arr) && isObj(arr.items) ? arr.items : {};
  const props = isObj(items.properties) ? items.properties : {};
  const official: Array<[string, CohortResultField]> = [];
  for (const [k, s] of Object.entries(props)) if (isObj(s) && isResult(s['x-result'])) official.push([k, s['x-result']]);
  const xt = isObj(form['x-table']) ? form['x-table'] : {};
  const declared = Array.isArray(xt.results) ? xt.results.filter(isResult) : undefined;
  return { official, added: declared ?? (official.length ? [] : DEFAULT_ADDED) };
}

/**
 * The source table's rows with the records' results: official columns overwritten by their mapped
 * result, added results under `yp.<result>` keys, and the columns to append for them.
 */
export function gradedTable(form: JsonObject, path: string, input: readonly Row[], records: readonly CohortRecordResult[]): { rows: Row[]; extraColumns: ResultColumn[] } {
  const { official, added } = resultMapping(form, path);
  const rows = input.map((row, i) => {
    const r = records[i];
    const out: Row = { ...row };
    for (const [k, f] of official) {
      const v = resultOf(r, f, true);
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    for (const f of added) out[`yp.${f}`] = resultOf(r, f, false);
    return out;
  });
  return { rows, extraColumns: added.map((f) => ({ key: `yp.${f}`, ...ADDED[f] })) };
}
