/** What @yuanping/tables contributes to the one pack checker (core's `CheckRegistry`). */
import { ERRORS, STATUS_NAMES, problem, type ErrorCode, type PackCheck, type Problem } from '@yuanping/core/browser';
import { checkTableForm } from './check.js';
import { columnTypeOf, tableLayout, TableFormError, type JsonObject, type TableForm } from './form.js';
import { ORG_SOURCES, PARK_FACTS, schemaAtPath } from './prefill.js';

/** Table forms: header groups, sections, computed columns and total rows. */
export const tableFormsCheck: PackCheck = {
  id: 'tables.forms',
  run(pack) {
    const out: Problem[] = [];
    for (const form of pack.forms.values()) {
      if (form.kind !== 'table' || !(form.file in pack.files)) continue;
      for (const p of checkTableForm(form.schema as TableForm, form.file)) {
        const code: ErrorCode = p.code in ERRORS ? (p.code as ErrorCode) : 'TABLE_LAYOUT';
        out.push(problem(code, p.file, p.pointer, { detail: p.message }, p.severity));
      }
    }
    return out;
  },
};

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `x-table.prefill` (a table's rows from the parks' applications): the source is a park's form of
 * the pack, every column a column of the filled section (not computed), every source path a field
 * of the application with a value the column can hold, the match column one of the filled
 * columns, every org-unit field a top-level field of the table.
 */
export const tablePrefillCheck: PackCheck = {
  id: 'tables.prefill',
  run(pack) {
    const out: Problem[] = [];
    for (const form of pack.forms.values()) {
      if (form.kind !== 'table' || !(form.file in pack.files)) continue;
      const xt = form.schema['x-table'];
      const p = isObj(xt) ? xt.prefill : undefined;
      if (p === undefined) continue;
      const at = '/x-table/prefill';
      const add = (pointer: string, detail: string, severity: 'error' | 'warning' = 'error') => out.push(problem('TABLE_PREFILL', form.file, `${at}${pointer}`, { detail }, severity));
      if (!isObj(p)) {
        add('', 'prefill 应为对象 { from, columns, match?, section?, orgUnit?, where?, status? }');
        continue;
      }
      for (const k of Object.keys(p)) if (!['from', 'columns', 'match', 'section', 'orgUnit', 'where', 'status'].includes(k)) add(`/${k}`, `未知的键“${k}”`);
      let layout;
      try {
        layout = tableLayout(form.schema as TableForm);
      } catch (e) {
        if (e instanceof TableFormError) continue; // the layout's own problem is reported by tables.forms
        throw e;
      }
      const source = typeof p.from === 'string' ? pack.forms.get(p.from) : undefined;
      if (typeof p.from !== 'string') add('/from', '应写来源表单的标识（园区填报的申请表）');
      else if (!source) add('/from', `来源表单“${p.from}”不在清单的 forms 中`);
      else if (source.scope !== 'park' || source.kind === 'table') add('/from', `来源表单“${p.from}”不是由园区填报的申请表（scope 应为 park）`);
      // status: the submission statuses that qualify (each one the platform knows, a draft never)
      if (p.status !== undefined) {
        const known = Object.keys(STATUS_NAMES).filter((x) => x !== 'draft');
        if (!Array.isArray(p.status) || p.status.length === 0) add('/status', `status 应为申报状态的列表（${known.join('、')}）`);
        else
          p.status.forEach((x, i) => {
            if (typeof x !== 'string' || !known.includes(x)) add(`/status/${i}`, `“${String(x)}”不是可带入的申报状态（${known.join('、')}）`);
          });
      }
      // where: application field → the values that qualify (each a value the field can hold)
      if (p.where !== undefined) {
        if (!isObj(p.where) || Object.keys(p.where).length === 0) add('/where', 'where 应为对象：申请表的字段路径 → 可取的值的列表（如 {"request.level": ["4", "5"]}）');
        else
          for (const [path, values] of Object.entries(p.where)) {
            const ptr = `/where/${path}`;
            if (!Array.isArray(values) || values.length === 0) {
              add(ptr, '应为非空的值列表');
              continue;
            }
            if (!source) continue;
            const node = schemaAtPath(source.schema, path);
            if (!node) {
              add(ptr, `“${path}”不是申请表“${source.title}”中的字段（写作以点分隔的路径，如 "section.field"）`);
              continue;
            }
            const allowed = Array.isArray(node.enum) ? node.enum : Array.isArray(node.oneOf) ? node.oneOf.map((o) => (isObj(o) ? o.const : undefined)) : null;
            for (const v of values) if (allowed && !allowed.includes(v)) add(ptr, `“${String(v)}”不是申请表字段“${path}”可取的值（${allowed.map(String).join('、')}）`);
          }
      }
      const sectionField = typeof p.section === 'string' ? p.section : layout.sections[0]?.field;
      const section = layout.sections.find((s) => s.field === sectionField);
      if (p.section !== undefined && !section) add('/section', `“${String(p.section)}”不是本表的分节（行数组）`);
      if (!isObj(p.columns) || Object.keys(p.columns).length === 0) add('/columns', 'columns 应为对象：本表的列名 → 申请表的字段路径（如 "section.field"）或 {"park": "name"}');
      else if (section) {
        for (const [key, src] of Object.entries(p.columns)) {
          const col = section.columns.find((c) => c.key === key);
          const ptr = `/columns/${key}`;
          if (!col) {
            add(ptr, `“${key}”不是本表的列`);
            continue;
          }
          if (col.compute !== undefined) add(ptr, `“${col.title}”是计算列，由同行其他列算出，不能带入`);
          if (typeof src === 'string') {
            if (!source) continue;
            const node = schemaAtPath(source.schema, src);
            if (!node) {
              add(ptr, `“${src}”不是申请表“${source.title}”中的字段（写作以点分隔的路径，如 "section.field"）`);
              continue;
            }
            const from = columnTypeOf(node);
            const numeric = (t: string) => t === 'number' || t === 'integer';
            if (node.type === 'array' || node.type === 'object') add(ptr, `申请表字段“${src}”是${node.type === 'array' ? '列表' : '一组字段'}，不是单个值`);
            else if (numeric(col.type) && !numeric(from)) add(ptr, `“${col.title}”是数值列，申请表字段“${src}”不是数值`);
            else if (col.type === 'integer' && from === 'number') add(ptr, `“${col.title}”是整数列，申请表字段“${src}”可以是小数`, 'warning');
            else if (col.enum) {
              const consts = Array.isArray(node.enum) ? node.enum : Array.isArray(node.oneOf) ? node.oneOf.map((o) => (isObj(o) ? o.const : undefined)) : null;
              const titles = Array.isArray(node.oneOf) ? node.oneOf.map((o) => (isObj(o) ? o.title : undefined)) : [];
              const enumList = col.enum;
              const lost = consts ? consts.filter((v, i) => !enumList.includes(v) && !enumList.includes(titles[i])) : [];
              if (!consts) add(ptr, `“${col.title}”只能填可选值（${enumList.map(String).join('、')}），申请表字段“${src}”是自由填写`, 'warning');
              else if (lost.length && lost.length === consts.length) add(ptr, `申请表字段“${src}”的选项（${consts.map(String).join('、')}）都不是“${col.title}”的可选值（${enumList.map(String).join('、')}）`);
            }
          } else if (!(isObj(src) && ((typeof src.park === 'string' && (PARK_FACTS as readonly string[]).includes(src.park))))) {
            add(ptr, `来源应为申请表的字段路径、{"park": ${PARK_FACTS.map((x) => `"${x}"`).join(' / ')}}（园区名称、统一社会信用代码、所在县、所在市）`);
          }
        }
        if (p.match !== undefined && !(typeof p.match === 'string' && p.match in p.columns)) add('/match', `match 应为 columns 中的一列（据它认出已有的园区行），“${String(p.match)}”不是`);
      }
      if (p.orgUnit !== undefined) {
        if (!isObj(p.orgUnit)) add('/orgUnit', 'orgUnit 应为对象：表头前字段 → "self" / "county" / "city"');
        else {
          const props = isObj(form.schema.properties) ? form.schema.properties : {};
          const sections = new Set(layout.sections.map((s) => s.field));
          for (const [field, lvl] of Object.entries(p.orgUnit)) {
            if (!isObj(props[field]) || sections.has(field)) add(`/orgUnit/${field}`, `“${field}”不是本表的表头前字段`);
            if (typeof lvl !== 'string' || !(ORG_SOURCES as readonly string[]).includes(lvl)) add(`/orgUnit/${field}`, `应为 ${ORG_SOURCES.map((x) => `"${x}"`).join('、')}（本单位、所在县、所在市的名称）`);
          }
        }
      }
    }
    return out;
  },
};

/** Every check of this package, to register with core's `CheckRegistry`. */
export const tableChecks: readonly PackCheck[] = [tableFormsCheck, tablePrefillCheck];
