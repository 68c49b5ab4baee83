import { LogicEngine } from 'json-logic-engine';
import { tableLayout, TableFormError, type JsonObject, type TableForm } from './form.js';

export interface Problem {
  code: string;
  file: string;
  pointer: string;
  message: string;
  severity: 'error' | 'warning';
}

const X_TABLE_KEYS = new Set(['title', 'attachment', 'sheetName', 'preamble', 'columns', 'total', 'notes', 'sections', 'rowsField', 'print', 'results', 'prefill']);
const SECTION_KEYS = new Set(['field', 'title', 'columns', 'total']);
const ops = new Set(Object.keys(new LogicEngine().methods as Record<string, unknown>));

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

function opsOf(logic: unknown, out: string[] = []): string[] {
  if (Array.isArray(logic)) for (const x of logic) opsOf(x, out);
  else if (isObj(logic)) for (const [k, v] of Object.entries(logic)) {
    out.push(k);
    if (k !== 'var') opsOf(v, out);
  }
  return out;
}

/** Static check of a table form's layout keywords. Problems are data; nothing is thrown. */
export function checkTableForm(form: TableForm, file = ''): Problem[] {
  const problems: Problem[] = [];
  const add = (code: string, pointer: string, message: string, severity: Problem['severity'] = 'error'): void => {
    problems.push({ code, file, pointer, message, severity });
  };
  const xt = form['x-table'];
  if (xt !== undefined && !isObj(xt)) {
    add('TABLE_LAYOUT', '/x-table', 'x-table 应为对象');
    return problems;
  }
  for (const k of Object.keys(xt ?? {})) if (!X_TABLE_KEYS.has(k)) add('TABLE_LAYOUT', `/x-table/${k}`, `x-table 中未知的键“${k}”`);
  if (isObj(xt) && xt.print !== undefined) {
    const pr = xt.print;
    if (!isObj(pr)) add('TABLE_LAYOUT', '/x-table/print', 'x-table.print 应为对象 { repeatColumns?, scale? }');
    else {
      for (const k of Object.keys(pr)) if (k !== 'repeatColumns' && k !== 'scale') add('TABLE_LAYOUT', `/x-table/print/${k}`, `x-table.print 中未知的键“${k}”`);
      if (pr.repeatColumns !== undefined && !(Number.isInteger(pr.repeatColumns) && (pr.repeatColumns as number) >= 0)) add('TABLE_LAYOUT', '/x-table/print/repeatColumns', 'repeatColumns 应为非负整数');
      if (pr.scale !== undefined && !(typeof pr.scale === 'number' && pr.scale >= 73 && pr.scale <= 100)) add('TABLE_LAYOUT', '/x-table/print/scale', '打印缩放 scale 应在 73–100 之间（低于 73% 时文字小于 8 磅）');
    }
  }
  if (isObj(xt) && xt.results !== undefined && !(Array.isArray(xt.results) && xt.results.every((r) => typeof r === 'string'))) {
    add('TABLE_LAYOUT', '/x-table/results', 'x-table.results 应为群体评价结果名的数组（score、rank、grade、reward、selected、status、explanation）');
  }
  if (isObj(xt) && Array.isArray(xt.sections)) {
    xt.sections.forEach((s, i) => {
      if (isObj(s)) for (const k of Object.keys(s)) if (!SECTION_KEYS.has(k)) add('TABLE_LAYOUT', `/x-table/sections/${i}/${k}`, `分节中未知的键“${k}”`);
    });
  }
  let layout;
  try {
    layout = tableLayout(form);
  } catch (e) {
    if (e instanceof TableFormError) {
      add('TABLE_LAYOUT', e.pointer, e.message);
      return problems;
    }
    throw e;
  }
  for (const s of layout.sections) {
    for (const c of s.columns) {
      const p = `/properties/${s.field}/items/properties/${c.key}`;
      const sch = c.schema;
      if (sch['x-precision'] !== undefined && (typeof sch['x-precision'] !== 'number' || !Number.isInteger(sch['x-precision']) || sch['x-precision'] < 0 || sch['x-precision'] > 10)) {
        add('TABLE_PRECISION', `${p}/x-precision`, `列“${c.title}”的 x-precision 应为 0–10 的整数`);
      }
      if (sch['x-total'] !== undefined && !isObj(sch['x-total']) && !['sum', 'recompute', 'none'].includes(String(sch['x-total']))) {
        add('TABLE_TOTAL', `${p}/x-total`, `列“${c.title}”的 x-total 应为 sum、recompute、none 或 json-logic 表达式`);
      }
      if (c.totalLogic !== undefined) {
        for (const op of opsOf(c.totalLogic)) if (!ops.has(op)) add('TABLE_TOTAL', `${p}/x-total`, `列“${c.title}”的合计式使用了未知运算符“${op}”`);
      }
      if (c.total !== 'none' && c.type !== 'number' && c.type !== 'integer') add('TABLE_TOTAL', `${p}/x-total`, `列“${c.title}”不是数值列，不能合计`);
      if (c.total === 'recompute' && c.compute === undefined) add('TABLE_TOTAL', `${p}/x-total`, `列“${c.title}”的 x-total 为 recompute，但没有 x-compute`);
      if (c.total !== 'none' && !s.total) add('TABLE_TOTAL', `${p}/x-total`, `列“${c.title}”声明了合计方式，但表格没有声明总计行（x-table.total）`, 'warning');
      for (const k of ['x-unit', 'x-numFmt'] as const) {
        if (sch[k] !== undefined && typeof sch[k] !== 'string') add('TABLE_LAYOUT', `${p}/${k}`, `列“${c.title}”的 ${k} 应为字符串`);
      }
      if (sch['x-width'] !== undefined && typeof sch['x-width'] !== 'number') add('TABLE_LAYOUT', `${p}/x-width`, `列“${c.title}”的 x-width 应为数字`);
      if (sch['x-added'] !== undefined && typeof sch['x-added'] !== 'boolean') add('TABLE_LAYOUT', `${p}/x-added`, `列“${c.title}”的 x-added 应为 true 或 false`);
      if (c.derive !== undefined) {
        if (!c.added) add('TABLE_LAYOUT', `${p}/x-derive`, `列“${c.title}”写了 x-derive，但不是增设列（x-added）：只有增设列在文件缺列时推算`);
        for (const op of opsOf(c.derive)) if (!ops.has(op)) add('TABLE_COMPUTE', `${p}/x-derive`, `列“${c.title}”的推算式使用了未知运算符“${op}”`);
      }
      if (c.compute !== undefined) {
        for (const op of opsOf(c.compute)) if (!ops.has(op)) add('TABLE_COMPUTE', `${p}/x-compute`, `列“${c.title}”的计算式使用了未知运算符“${op}”`);
        if (c.type !== 'number' && c.type !== 'integer') add('TABLE_COMPUTE', `${p}/x-compute`, `计算列“${c.title}”应为 number 类型`, 'warning');
      }
    }
  }
  const props = isObj(form.properties) ? form.properties : {};
  for (const p of layout.preamble) {
    if ('field' in p && !isObj(props[p.field])) add('TABLE_LAYOUT', '/x-table/preamble', `表头说明行引用的字段“${p.field}”不在 properties 中`);
  }
  return problems;
}
