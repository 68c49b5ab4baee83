/**
 * Which sheets a pack's workbook has, built from the pack's source files (not the expanded
 * pack: a cell writes where the number is written once, e.g. the parameter, not the quota that
 * refers to it). One function per sheet; `packSheets` lists them in workbook order.
 */
import { divisionUnits } from '@yuanping/check';
import { indexFields, isObject, isParamRef, packPaths, ptr, resolvePointer, type Manifest } from '@yuanping/core';
import { listPackDates } from '@yuanping/core';
import { proposeId, type Binding, type CellKind, type CellValue, type RowInsert, type SheetRow, type SheetSpec } from './model.js';

type Files = Record<string, unknown>;

const OPERATOR_LABELS: Record<string, string> = {
  equal: '等于',
  notEqual: '不等于',
  greaterThanInclusive: '≥',
  greaterThan: '>',
  lessThanInclusive: '≤',
  lessThan: '<',
  in: '属于',
  notIn: '不属于',
  contains: '包含',
  doesNotContain: '不包含',
  containsAll: '包含全部',
  dateOnOrBefore: '不晚于',
  dateBefore: '早于',
  dateOnOrAfter: '不早于',
  dateAfter: '晚于',
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PARAM_ID = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const NUMERIC = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/** A new value typed as text, as the JSON it reads as: a number, a list (、), 是/否 stay text; a date stays its text. */
function valueOfText(text: string): unknown {
  const t = text.trim();
  if (NUMERIC.test(t)) return Number(t);
  const parts = t.split(/[、,，;；]/).map((x) => x.trim()).filter(Boolean);
  if (parts.length > 1) return parts.every((x) => NUMERIC.test(x)) ? parts.map(Number) : parts;
  return t;
}

/** A JSON value as a cell: a list joined with 、. */
export function showCell(v: unknown): CellValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => String(x)).join('、');
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** The kind of cell that holds a value like `v`. */
function kindOf(v: unknown): CellKind {
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string' && ISO_DATE.test(v)) return 'date';
  return 'text';
}

function bind(file: string, pointer: string, v: unknown, extra: Partial<Binding> = {}): Binding {
  const b: Binding = { file, pointer, kind: kindOf(v), ...extra };
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) b.numericItems = true;
  return b;
}

function manifestOf(files: Files, packId: string): Manifest | undefined {
  const m = files[packPaths(packId).manifest];
  return isObject(m) ? (m as unknown as Manifest) : undefined;
}

function basicsSheet(files: Files, packId: string): SheetSpec {
  const file = packPaths(packId).manifest;
  const m = (manifestOf(files, packId) ?? {}) as Record<string, unknown>;
  const rows: SheetRow[] = [];
  const add = (label: string, key: string, kind: CellKind, optional = false) => {
    rows.push({ cells: [label, showCell(m[key])], bindings: [undefined, { file, pointer: ptr(key), kind, optional }] });
  };
  add('通知标题', 'title', 'text');
  add('发文单位', 'issuer', 'text');
  add('文号', 'documentNumber', 'text', true);
  add('年度', 'year', 'integer');
  return { name: '基本信息', note: '通知的标题、发文单位、文号和年度（发文日期、数据截止日期在“日期”表）', columns: [{ header: '项目', width: 16, key: true }, { header: '内容', width: 70 }], rows };
}

function datesSheet(files: Files, packId: string): SheetSpec {
  const rows: SheetRow[] = listPackDates(files, packId).map((d) => ({
    cells: [d.id, d.label, d.date],
    bindings: [undefined, undefined, { file: d.file, pointer: d.pointer, kind: 'date' }],
  }));
  return {
    name: '日期',
    note: '发文日期、数据截止日期、时间节点、各流程环节的办理时间，以及规则中写的日期；日期写成 2023-09-20（也可写 2023/9/20）',
    columns: [{ header: '标识', width: 36, key: true }, { header: '名称', width: 50 }, { header: '日期', width: 14 }],
    rows,
  };
}

function parametersSheet(files: Files, packId: string): SheetSpec {
  const file = packPaths(packId).manifest;
  const params = manifestOf(files, packId)?.parameters ?? {};
  const rows: SheetRow[] = Object.entries(params).map(([name, p]) => {
    const base = ptr('parameters', name);
    return {
      cells: [name, p.label, showCell(p.value), showCell(p.unit), showCell(p.clause), showCell(p.description), p.setByAdministrator ? '是' : '否'],
      bindings: [
        undefined,
        { file, pointer: `${base}/label`, kind: 'text' },
        bind(file, `${base}/value`, p.value),
        { file, pointer: `${base}/unit`, kind: 'text', optional: true },
        { file, pointer: `${base}/clause`, kind: 'text', optional: true },
        { file, pointer: `${base}/description`, kind: 'text', optional: true },
        undefined,
      ],
    };
  });
  const insert: RowInsert = {
    kinds: [undefined, { kind: 'text' }, { kind: 'text' }, { kind: 'text', optional: true }, { kind: 'text', optional: true }, { kind: 'text', optional: true }, { kind: 'boolean', optional: true }],
    blankKey: 0,
    create: ([id], values) => {
      if (id && !PARAM_ID.test(id)) return { refused: '参数标识只能用英文字母、数字和下划线，以字母开头（也可以留空，自动生成）', column: 0 };
      const label = String(values[1]);
      if (label.length > 100) return { refused: '名称不能超过 100 个字', column: 1 };
      const value = valueOfText(String(values[2]));
      const p: Record<string, unknown> = { label, value };
      for (const [j, k] of [[3, 'unit'], [4, 'clause'], [5, 'description']] as const) if (values[j] !== undefined) p[k] = values[j];
      if (values[6] === true) p.setByAdministrator = true;
      return (f) => {
        const m = f[file];
        if (!isObject(m)) return;
        const params = isObject(m.parameters) ? m.parameters : {};
        m.parameters = { ...params, [id || proposeId('param', Object.keys(params))]: p };
      };
    },
  };
  return {
    name: '参数',
    note: '通知中的数（名额、档次、全省平均值……）只写在这里一次，名额、规则、表单、文字都引用它；一组值用顿号“、”隔开。新增一个参数：插入一行，填名称和值（标识可留空，自动生成）',
    insert,
    columns: [
      { header: '标识', width: 22, key: true },
      { header: '名称', width: 36 },
      { header: '值', width: 14 },
      { header: '单位', width: 10 },
      { header: '条款', width: 22 },
      { header: '说明', width: 60 },
      { header: '须管理员设定', width: 12 },
    ],
    rows,
  };
}

function quotasSheet(files: Files, packId: string): SheetSpec {
  const file = packPaths(packId).manifest;
  const names = new Map(divisionUnits().map((u) => [u.code, u.name]));
  const rows: SheetRow[] = [];
  (manifestOf(files, packId)?.quotas ?? []).forEach((q, i) => {
    const cell = (v: unknown, pointer: string, unit: string, unitName: string) => {
      if (isParamRef(v)) {
        const param = manifestOf(files, packId)?.parameters?.[v.param];
        rows.push({ cells: [q.id, unit, q.label, unitName, showCell(param?.value), `参数 ${v.param}`], bindings: [], hints: [undefined, undefined, undefined, undefined, `（取自参数 ${v.param}，请在“参数”表中修改）`] });
      } else rows.push({ cells: [q.id, unit, q.label, unitName, showCell(v), ''], bindings: [undefined, undefined, undefined, undefined, { file, pointer, kind: 'integer' }] });
    };
    cell(q.default, ptr('quotas', i, 'default'), '默认', '其他单位');
    for (const [code, v] of Object.entries(q.overrides ?? {})) {
      cell(v, ptr('quotas', i, 'overrides', code), code, names.get(code) ?? '');
      // an exception left out of the sheet is removed (the unit then has the default)
      rows[rows.length - 1]!.remove = { file, pointer: ptr('quotas', i, 'overrides', code) };
    }
  });
  const insert: RowInsert = {
    kinds: [undefined, undefined, undefined, undefined, { kind: 'integer' }, undefined],
    create: ([id, code], values) => {
      const qi = (manifestOf(files, packId)?.quotas ?? []).findIndex((q) => q.id === id);
      if (qi < 0) return { refused: `没有标识为“${id}”的名额` };
      if (!names.has(code!)) return { refused: `单位代码“${code}”不是行政区划中的单位` };
      const cap = values[4] as number;
      if (cap < 0) return { refused: '上限不能小于 0' };
      return (f) => {
        const q = resolvePointer(f[file], ptr('quotas', qi));
        if (!isObject(q)) return;
        q.overrides = { ...(isObject(q.overrides) ? q.overrides : {}), [code!]: cap };
      };
    },
  };
  return {
    name: '名额',
    note: '每个名额的默认上限和单列的单位；取自参数的上限在“参数”表中修改。单列一个单位：新增一行，填名额标识、单位代码（6 位数字）和上限；删去一行即不再单列',
    insert,
    columns: [
      { header: '名额标识', width: 16, key: true },
      { header: '单位代码', width: 12, key: true },
      { header: '名额名称', width: 30 },
      { header: '单位名称', width: 14 },
      { header: '上限', width: 8 },
      { header: '取自', width: 22 },
    ],
    rows,
  };
}

interface ScorecardAt {
  form: string;
  file: string;
  /** pointer of the field holding x-scorecard */
  pointer: string;
  /** dotted field path */
  field: string;
  node: Record<string, unknown>;
}

/** Every field of the source form schemas that carries x-scorecard. */
function scorecards(files: Files, packId: string): ScorecardAt[] {
  const out: ScorecardAt[] = [];
  for (const f of formFiles(files, packId)) {
    const walk = (node: unknown, pointer: string, path: string[]) => {
      if (!isObject(node)) return;
      if (isObject(node['x-scorecard'])) out.push({ form: f.id, file: f.file, pointer, field: path.join('.'), node });
      if (isObject(node.properties)) for (const [k, v] of Object.entries(node.properties)) walk(v, `${pointer}${ptr('properties', k)}`, [...path, k]);
      if (isObject(node.items)) walk(node.items, `${pointer}/items`, [...path, '[]']);
    };
    walk(f.schema, '', []);
  }
  return out;
}

function formFiles(files: Files, packId: string): Array<{ id: string; file: string; schema: unknown }> {
  const dir = packPaths(packId).schemasDir;
  return (manifestOf(files, packId)?.forms ?? []).map((f) => {
    const file = `${dir}/${f.schema}`;
    return { id: f.id, file, schema: files[file] };
  });
}

function groupsSheet(files: Files, packId: string): SheetSpec {
  const rows: SheetRow[] = [];
  for (const sc of scorecards(files, packId)) {
    const groups = (sc.node['x-scorecard'] as { groups?: unknown }).groups;
    if (!Array.isArray(groups)) continue;
    groups.forEach((g, i) => {
      if (!isObject(g)) return;
      const base = `${sc.pointer}${ptr('x-scorecard', 'groups', i)}`;
      rows.push({
        cells: [sc.form, sc.field, String(g.id), showCell(g.label), showCell(g.max), showCell(g.limit)],
        bindings: [undefined, undefined, undefined, { file: sc.file, pointer: `${base}/label`, kind: 'text' }, { file: sc.file, pointer: `${base}/max`, kind: 'number', optional: true }, { file: sc.file, pointer: `${base}/limit`, kind: 'number', optional: true }],
      });
    });
  }
  return {
    name: '评分分组',
    note: '评分表的分组（一级指标）：名称、满分（须等于组内各项满分之和，检查时核对）、上限（通知规定分组最高不超过某分时填写）',
    columns: [
      { header: '表单', width: 14, key: true },
      { header: '评分表', width: 12, key: true },
      { header: '分组标识', width: 12, key: true },
      { header: '分组名称', width: 20 },
      { header: '满分', width: 8 },
      { header: '上限', width: 8 },
    ],
    rows,
  };
}

function itemsSheet(files: Files, packId: string): SheetSpec {
  const rows: SheetRow[] = [];
  for (const sc of scorecards(files, packId)) {
    const props = isObject(sc.node.properties) ? sc.node.properties : {};
    for (const [id, item] of Object.entries(props)) {
      if (!isObject(item)) continue;
      const base = `${sc.pointer}${ptr('properties', id)}`;
      const score = isObject(item['x-score']) ? item['x-score'] : {};
      const max = score.max;
      const maxRef = isParamRef(max);
      const param = maxRef ? manifestOf(files, packId)?.parameters?.[max.param] : undefined;
      rows.push({
        cells: [sc.form, sc.field, id, showCell(item.title), showCell(score.group), maxRef ? showCell(param?.value) : showCell(max), showCell(item['x-clause']), showCell(item.description)],
        bindings: [
          undefined,
          undefined,
          undefined,
          { file: sc.file, pointer: `${base}/title`, kind: 'text' },
          { file: sc.file, pointer: `${base}/x-score/group`, kind: 'text' },
          maxRef ? undefined : { file: sc.file, pointer: `${base}/x-score/max`, kind: 'number' },
          { file: sc.file, pointer: `${base}/x-clause`, kind: 'text', optional: true },
          { file: sc.file, pointer: `${base}/description`, kind: 'text', optional: true },
        ],
        ...(maxRef ? { hints: [undefined, undefined, undefined, undefined, undefined, `（取自参数 ${max.param}，请在“参数”表中修改）`] } : {}),
        // an item left out of the sheet is removed from its scorecard
        ...(isObject(item['x-score']) ? { remove: { file: sc.file, pointer: base } } : {}),
      });
    }
  }
  const insert: RowInsert = {
    kinds: [undefined, undefined, undefined, { kind: 'text' }, { kind: 'text' }, { kind: 'number' }, { kind: 'text', optional: true }, { kind: 'text', optional: true }],
    blankKey: 2,
    create: ([form, field, id], values) => {
      const sc = scorecards(files, packId).find((x) => x.form === form && x.field === field);
      if (!sc) return { refused: `表单“${form}”没有评分表“${field}”` };
      if (id && !/^[A-Za-z][A-Za-z0-9_]{0,40}$/.test(id)) return { refused: '项目标识只能用英文字母、数字和下划线，以字母开头（也可以留空，自动生成）' };
      const group = values[4] as string;
      const groups = ((sc.node['x-scorecard'] as { groups?: unknown }).groups ?? []) as unknown[];
      const ids = groups.filter(isObject).map((g) => String(g.id));
      if (!ids.includes(group)) return { refused: `分组“${group}”不是这张评分表的分组（${ids.join('、')}）` };
      const max = values[5] as number;
      if (max < 0) return { refused: '满分不能小于 0' };
      const item: Record<string, unknown> = { title: values[3], ...(values[7] !== undefined ? { description: values[7] } : {}), ...(values[6] !== undefined ? { 'x-clause': values[6] } : {}), 'x-score': { max, group } };
      return (f) => {
        const node = resolvePointer(f[sc.file], sc.pointer);
        if (!isObject(node)) return;
        const entries = Object.entries(isObject(node.properties) ? node.properties : {});
        // after the last item of its group, as the notice's table lists them
        let at = entries.length;
        entries.forEach(([, v], i) => {
          if (isObject(v) && isObject(v['x-score']) && v['x-score'].group === group) at = i + 1;
        });
        // an identifier left empty: the group's identifier and the first free number (digital1 …)
        entries.splice(at, 0, [id || proposeId(group, entries.map(([k]) => k)), item]);
        node.properties = Object.fromEntries(entries);
      };
    },
  };
  return {
    name: '评分项',
    note: '评分表的每一项：名称、所属分组（分组标识）、满分、条款、说明。满分只写在这里，自评分和审核分的上限、标题中的“（N分）”、小计合计随之改变。新增一项：插入一行，填表单、评分表和各列（项目标识可留空，自动生成）；删去一行即删除该项',
    insert,
    columns: [
      { header: '表单', width: 14, key: true },
      { header: '评分表', width: 12, key: true },
      { header: '项目标识', width: 10, key: true },
      { header: '名称', width: 36 },
      { header: '分组', width: 12 },
      { header: '满分', width: 8 },
      { header: '条款', width: 16 },
      { header: '说明', width: 60 },
    ],
    rows,
  };
}

function standardsSheet(files: Files, packId: string): SheetSpec {
  const dir = packPaths(packId).rulesDir;
  const rows: SheetRow[] = [];
  for (const rs of manifestOf(files, packId)?.ruleSets ?? []) {
    const file = `${dir}/${rs.file}`;
    const doc = files[file];
    if (!isObject(doc) || !Array.isArray(doc.rules)) continue;
    doc.rules.forEach((rule, i) => {
      if (!isObject(rule)) return;
      const params = isObject(rule.event) && isObject(rule.event.params) ? rule.event.params : {};
      const walk = (node: unknown, where: string) => {
        if (!isObject(node)) return;
        for (const k of ['all', 'any'] as const) {
          const list = node[k];
          if (Array.isArray(list)) list.forEach((c, j) => walk(c, `${where}/${k}/${j}`));
        }
        if (node.not !== undefined) walk(node.not, `${where}/not`);
        if (typeof node.fact !== 'string' || !('value' in node)) return;
        const v = node.value;
        const name = typeof node.name === 'string' ? node.name : node.fact;
        const cells: CellValue[] = [rs.id, String(rule.name), where.slice(1), showCell(rule.label), showCell(params.level), name, OPERATOR_LABELS[String(node.operator)] ?? String(node.operator), null];
        const pointer = `${ptr('rules', i)}${where}/value`;
        if (isObject(v) && typeof v.fact === 'string') {
          const p = v.fact.startsWith('param.') ? v.fact.slice(6) : undefined;
          cells[7] = p ? showCell(manifestOf(files, packId)?.parameters?.[p]?.value) : `字段 ${v.fact}`;
          rows.push({ cells, bindings: [], hints: [undefined, undefined, undefined, undefined, undefined, undefined, undefined, p ? `（取自参数 ${p}，请在“参数”表中修改）` : '（与另一字段比较，不能在工作簿中修改）'] });
        } else if (typeof v === 'string' && ISO_DATE.test(v)) {
          cells[7] = v;
          rows.push({ cells, bindings: [], hints: [undefined, undefined, undefined, undefined, undefined, undefined, undefined, '（日期在“日期”表中修改）'] });
        } else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || Array.isArray(v)) {
          cells[7] = showCell(v);
          const b: Array<Binding | undefined> = [];
          b[7] = bind(file, pointer, v);
          rows.push({ cells, bindings: b });
        }
      };
      walk(rule.applies, '/applies');
      walk(rule.conditions, '/conditions');
    });
  }
  const insert: RowInsert = {
    kinds: [undefined, undefined, undefined, undefined, undefined, { kind: 'text' }, { kind: 'text' }, { kind: 'text' }],
    blankKey: 2,
    create: ([rsId, ruleName, where], values) => newCondition(files, packId, rsId!, ruleName!, where!, String(values[5]), String(values[6]), String(values[7])),
  };
  return {
    name: '判定标准',
    note: '规则集中每个条件的要求值（如“… ≥ 50”中的 50）：等级标准、申报条件、提示。只改“要求值”一列；取自参数的值在“参数”表中修改。给一条规则新增一个条件：插入一行，填规则集、规则（照抄该规则的行）、条件（字段名称）、运算（≥、>、≤、<、等于、不等于、属于……）和要求值；条件位置留空即加在该规则的全部条件之后',
    insert,
    columns: [
      { header: '规则集', width: 14, key: true },
      { header: '规则', width: 18, key: true },
      { header: '条件位置', width: 22, key: true },
      { header: '规则名称', width: 24 },
      { header: '等级', width: 6 },
      { header: '条件', width: 36 },
      { header: '运算', width: 8 },
      { header: '要求值', width: 16 },
    ],
    rows,
  };
}

const OPERATORS_BY_LABEL = new Map<string, string>([...Object.entries(OPERATOR_LABELS).flatMap(([op, label]) => [[label, op], [op, op]] as Array<[string, string]>), ['>=', 'greaterThanInclusive'], ['<=', 'lessThanInclusive'], ['=', 'equal'], ['≠', 'notEqual']]);
const LIST_OPERATORS = new Set(['in', 'notIn', 'containsAll']);

/** A new condition of a rule (a new row of 判定标准): its field by title or path, operator, and value as the field's type reads it. */
function newCondition(files: Files, packId: string, rsId: string, ruleName: string, where: string, factText: string, opText: string, valueText: string): ReturnType<RowInsert['create']> {
  const m = manifestOf(files, packId);
  const decl = (m?.ruleSets ?? []).find((r) => r.id === rsId);
  if (!decl) return { refused: `没有标识为“${rsId}”的规则集（照抄已有条件的“规则集”）`, column: 0 };
  const file = `${packPaths(packId).rulesDir}/${decl.file}`;
  const doc = files[file];
  const rules = isObject(doc) && Array.isArray(doc.rules) ? doc.rules : [];
  const ri = rules.findIndex((r) => isObject(r) && r.name === ruleName);
  if (ri < 0) return { refused: `规则集“${rsId}”中没有规则“${ruleName}”（照抄该规则已有条件的“规则”）`, column: 1 };
  // the group the condition joins: the rule's conditions, or a group named by its position
  const rule = rules[ri] as Record<string, unknown>;
  const group = where ? resolvePointer(rule, `/${where}`) : rule.conditions;
  if (where && !(isObject(group) && (Array.isArray(group.all) || Array.isArray(group.any)))) {
    return { refused: '条件位置留空（加在该规则的全部条件之后），或填一组条件的位置（如 conditions/any/1）', column: 2 };
  }
  const formDecl = (m?.forms ?? []).find((f) => isObject(doc) && f.id === doc.form);
  const fields = indexFields(formDecl ? files[`${packPaths(packId).schemasDir}/${formDecl.schema}`] : undefined);
  const wanted = factText.trim();
  const byTitle = [...fields.values()].filter((f) => f.title === wanted);
  const field = fields.get(wanted) ?? (byTitle.length === 1 ? byTitle[0] : undefined);
  if (!field) return { refused: byTitle.length > 1 ? `表单中有 ${byTitle.length} 个字段叫“${wanted}”，请写字段的路径（${byTitle.map((f) => f.path).join('、')}）` : `表单中没有名为“${wanted}”的字段`, column: 5 };
  const operator = OPERATORS_BY_LABEL.get(opText.trim());
  if (!operator) return { refused: `“${opText}”不是一种运算（可写 ≥、>、≤、<、等于、不等于、属于、不属于、包含、不早于、不晚于……）`, column: 6 };
  let value: unknown = valueText.trim();
  if (LIST_OPERATORS.has(operator)) {
    const parts = valueText.split(/[、,，;；]/).map((x) => x.trim()).filter(Boolean);
    value = field.type === 'number' || field.type === 'integer' || field.items?.type === 'number' || field.items?.type === 'integer' ? parts.map(Number) : parts;
    if ((value as unknown[]).some((x) => typeof x === 'number' && !Number.isFinite(x))) return { refused: '这个字段的值是数字，要求值应是用顿号隔开的一组数字', column: 7 };
  } else if (field.type === 'number' || field.type === 'integer') {
    if (!NUMERIC.test(valueText.trim())) return { refused: `“${field.title}”是数值，要求值应是一个数`, column: 7 };
    value = Number(valueText.trim());
  } else if (field.type === 'boolean') {
    if (!['是', '否'].includes(valueText.trim())) return { refused: `“${field.title}”是“是/否”，要求值应填“是”或“否”`, column: 7 };
    value = valueText.trim() === '是';
  }
  const condition = { fact: field.path, operator, value, name: field.title };
  return (f) => {
    const r = resolvePointer(f[file], ptr('rules', ri));
    if (!isObject(r)) return;
    const target = where ? resolvePointer(r, `/${where}`) : r.conditions;
    if (isObject(target) && Array.isArray(target.all)) target.all.push(condition);
    else if (isObject(target) && Array.isArray(target.any) && where) target.any.push(condition);
    // the rule's conditions were one condition, or "any one of": all of them and the new one
    else r.conditions = { all: [target, condition] };
  };
}

function optionsSheet(files: Files, packId: string): SheetSpec {
  const rows: SheetRow[] = [];
  // the option lists a new row can join: form id + field path → where the list is and its values
  const lists = new Map<string, { file: string; pointer: string; values: unknown[] }>();
  for (const f of formFiles(files, packId)) {
    const walk = (node: unknown, pointer: string, path: string[], title: string) => {
      if (!isObject(node)) return;
      const here = typeof node.title === 'string' ? node.title : title;
      for (const k of ['oneOf', 'anyOf'] as const) {
        const list = node[k];
        if (!Array.isArray(list)) continue;
        if (list.length > 0 && list.every((o) => isObject(o) && 'const' in o && typeof o.title === 'string')) lists.set(`${f.id}\u0000${path.join('.')}`, { file: f.file, pointer: `${pointer}${ptr(k)}`, values: list.map((o) => (o as { const: unknown }).const) });
        list.forEach((o, i) => {
          if (!isObject(o) || !('const' in o) || typeof o.title !== 'string') return;
          rows.push({
            cells: [f.id, path.join('.'), String(o.const), here, o.title],
            bindings: [undefined, undefined, undefined, undefined, { file: f.file, pointer: `${pointer}${ptr(k, i, 'title')}`, kind: 'text' }],
          });
        });
      }
      if (isObject(node.properties)) for (const [k, v] of Object.entries(node.properties)) walk(v, `${pointer}${ptr('properties', k)}`, [...path, k], here);
      if (isObject(node.items)) walk(node.items, `${pointer}/items`, [...path, '[]'], here);
      if (isObject(node.definitions)) for (const [k, v] of Object.entries(node.definitions)) walk(v, `${pointer}${ptr('definitions', k)}`, [`#${k}`], k);
    };
    walk(f.schema, '', [], '');
  }
  const insert: RowInsert = {
    kinds: [undefined, undefined, undefined, undefined, { kind: 'text' }],
    create: ([form, field, value], values) => {
      const list = lists.get(`${form}\u0000${field}`);
      if (!list) return { refused: `表单“${form}”的字段“${field}”不是已有选项的字段（表单和字段照抄这个字段已有选项的行）` };
      if (!value) return { refused: '选项值不能为空' };
      const numeric = list.values.every((v) => typeof v === 'number');
      if (numeric && !Number.isFinite(Number(value))) return { refused: `这个字段的选项值是数字，“${value}”不是数字` };
      const v = numeric ? Number(value) : value;
      if (list.values.includes(v)) return { refused: `选项值“${value}”已经有了` };
      const title = String(values[4]);
      return (f) => {
        const target = resolvePointer(f[list.file], list.pointer);
        if (Array.isArray(target)) target.push({ const: v, title });
      };
    },
  };
  return {
    name: '选项',
    note: '表单中各字段的选项：“显示名称”是申报人看到的文字；“选项值”是保存和规则比较用的值，已有的不能改。新增一个选项：插入一行，表单和字段照抄同一字段已有选项的行，填新的选项值和显示名称',
    insert,
    columns: [
      { header: '表单', width: 14, key: true },
      { header: '字段', width: 30, key: true },
      { header: '选项值', width: 14, key: true },
      { header: '字段名称', width: 30 },
      { header: '显示名称', width: 40 },
    ],
    rows,
  };
}

/** The sheets of a pack's workbook, in order (after the 说明 sheet). */
export function packSheets(files: Files, packId: string): SheetSpec[] {
  return [basicsSheet, datesSheet, parametersSheet, quotasSheet, groupsSheet, itemsSheet, standardsSheet, optionsSheet].map((f) => f(files, packId));
}
