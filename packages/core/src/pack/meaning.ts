import type { Condition, Manifest, Operator } from '../meta/index.js';
import { indexFields, type FieldInfo } from '../form/fields.js';
import { formKindName, levelName, roleName } from '../glossary.js';
import { OPERATOR_TEXT } from '../rules/operators.js';
import { canonicalJson, isObject } from '../util/json.js';
import type { NoticePack } from './types.js';

/**
 * What a loaded pack *says*, as a flat list of statements a person can read: each
 * parameter, date, window, quota, option, scorecard item, rule condition and
 * cohort-step setting is one statement with a Chinese subject, attribute and value.
 * Files, key order, descriptions and clause references are not part of it, so a pack
 * reformatted or restructured without changing what it says has the same meaning.
 * The semantic diff (diff.ts) compares two of these.
 */
export type MeaningSection = 'manifest' | 'parameters' | 'dates' | 'quotas' | 'forms' | 'items' | 'rules' | 'cohort';

export const SECTION_LABELS: Record<MeaningSection, string> = {
  manifest: '基本信息',
  parameters: '参数',
  dates: '日期与办理时间',
  quotas: '名额',
  forms: '表单、字段与选项',
  items: '评分项',
  rules: '规则与计算',
  cohort: '群体评价步骤',
};

export interface Statement {
  section: MeaningSection;
  /** identity of the thing the statement is about (a parameter, an item, a rule …) */
  owner: string;
  /** the thing, in Chinese: 评分项“序号5 …”, 参数“…”（its id） */
  subject: string;
  /** identity of the attribute within its owner */
  key: string;
  /** the attribute, in Chinese: 满分, 截止日期, 条件“用地面积 ≥” */
  attribute: string;
  /** the value as a person reads it */
  value: string;
  /** the owner's position among its siblings, where order is part of the meaning (scorecard items) */
  order?: number;
  /**
   * What the pack's source file says for this statement (canonical JSON), where the loaded pack
   * expands it (a parameter or quota reference, a generated total): a change of the value whose
   * source did not change is an echo of a change reported where it was made.
   */
  source?: string;
  /** owners this one is part of (a field of its form and its scorecard item, an option of its field …): a
   *  thing added or removed with its container is not listed again */
  within?: string[];
}

export interface MeaningOptions {
  /** Chinese name of an org unit code (a division code → its name), where a division list is at hand */
  orgUnitName?: (code: string) => string | undefined;
  /**
   * Whether a parameter's or a field's identifier follows its Chinese name (参数“…”（its id））:
   * yes (the default) for the CLI and files an author edits, no on a page a user reads. The same for
   * the codes behind words: an option's stored value after its label (also where a rule compares a
   * field with it), a role's or a form kind's code after its name. (A change of an option's value is
   * a change: the option is identified by it, so the old one is removed and the new one added.)
   */
  ids?: boolean;
}

/** A value as a person reads it. */
export function showValue(v: unknown): string {
  if (v === undefined || v === null) return '（无）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.length ? v.map(showValue).join('、') : '（无）';
  if (isObject(v) && Object.keys(v).length === 1 && typeof v.param === 'string') return `参数 ${v.param}`;
  return canonicalJson(v);
}

class Collector {
  readonly out: Statement[] = [];
  constructor(readonly ids = true) {}
  /** A name with its identifier after it, where identifiers are shown. */
  named(name: string, id: string): string {
    return this.ids ? `${name}（${id}）` : name;
  }
  /** A code the runtime or the form defines (an option's value, a role), in words: its name, the code after it where identifiers are shown. */
  word(name: string, code: unknown): string {
    return name === String(code) ? name : this.named(name, showValue(code));
  }
  /** A value of a field as a person reads it: an option's label for an option's value (each of a list's), else the value. */
  fieldValue(field: FieldInfo | undefined, v: unknown): unknown {
    const opts = field?.options ?? field?.items?.options;
    if (!opts) return v;
    const one = (x: unknown) => {
      const o = opts.find((p) => p.value === x);
      return o ? this.word(o.label, x) : x;
    };
    return Array.isArray(v) ? v.map(one) : one(v);
  }
  add(section: MeaningSection, owner: string, subject: string, key: string, attribute: string, value: unknown, extra: Partial<Statement> = {}) {
    if (value === undefined) return;
    this.out.push({ section, owner, subject, key, attribute, value: showValue(value), ...extra });
  }
}

const quote = (s: string) => `“${s}”`;

export function packMeaning(pack: NoticePack, opts: MeaningOptions = {}): Statement[] {
  const c = new Collector(opts.ids ?? true);
  const m = pack.manifest;
  const org = (code: string) => {
    const n = opts.orgUnitName?.(code);
    return n ? `${n}（${code}）` : code;
  };
  manifest(c, m);
  parameters(c, m);
  dates(c, m);
  quotas(c, m, org, pack.files[pack.manifestFile]);
  const itemBlocks = scoreItems(c, pack);
  forms(c, pack, itemBlocks);
  rules(c, pack);
  cohort(c, pack, org);
  return c.out;
}

function manifest(c: Collector, m: Manifest) {
  const labels: Array<[keyof Manifest, string]> = [
    ['title', '通知标题'],
    ['issuer', '发文单位'],
    ['documentNumber', '文号'],
    ['year', '年度'],
  ];
  for (const [k, label] of labels) c.add('manifest', 'manifest', '通知', k, label, m[k]);
  if (m.jurisdiction) c.add('manifest', 'manifest', '通知', 'jurisdiction', '辖区', `${m.jurisdiction.name ?? ''}（${m.jurisdiction.code}）`);
}

function parameters(c: Collector, m: Manifest) {
  for (const [id, raw] of Object.entries(m.parameters ?? {})) {
    const p = raw as { label?: string; value?: unknown; unit?: string; setByAdministrator?: boolean };
    const owner = `param:${id}`;
    const subject = c.named(`参数${quote(p.label ?? id)}`, id);
    c.add('parameters', owner, subject, 'value', '值', p.unit && typeof p.value === 'number' ? `${p.value} ${p.unit}` : p.value);
    c.add('parameters', owner, subject, 'label', '名称', p.label);
    if (p.setByAdministrator) c.add('parameters', owner, subject, 'setByAdministrator', '由管理员设定', true);
  }
}

function dates(c: Collector, m: Manifest) {
  c.add('dates', 'manifest:issueDate', '发文日期', 'date', '日期', m.issueDate);
  c.add('dates', 'manifest:dataCutoff', '数据截止日期', 'date', '日期', m.dataCutoff);
  for (const d of m.dates ?? []) {
    const owner = `date:${d.id}`;
    c.add('dates', owner, `时间节点${quote(d.label)}`, 'date', '日期', d.date);
  }
  for (const s of m.workflow?.stages ?? []) {
    const owner = `stage:${s.id}`;
    const subject = `流程环节${quote(s.label)}`;
    c.add('dates', owner, subject, 'role', '办理角色', s.role === undefined ? undefined : c.word(roleName(s.role), s.role));
    c.add('dates', owner, subject, 'opens', '开始日期', s.window?.opens);
    c.add('dates', owner, subject, 'closes', '截止日期', s.window?.closes);
    if (s.forms) c.add('dates', owner, subject, 'forms', '办理的表单', s.forms);
  }
}

function quotas(c: Collector, m: Manifest, org: (code: string) => string, sourceManifest: unknown) {
  const src = new Map((isObject(sourceManifest) && Array.isArray(sourceManifest.quotas) ? sourceManifest.quotas : []).filter(isObject).map((q) => [q.id, q]));
  for (const q of m.quotas ?? []) {
    const owner = `quota:${q.id}`;
    const subject = `名额${quote(q.label)}`;
    const sq = src.get(q.id);
    const source = (v: unknown) => (sq ? { source: canonicalJson(v ?? null) } : {});
    c.add('quotas', owner, subject, 'default', '默认', q.default, source(sq?.default));
    c.add('quotas', owner, subject, 'scope', '按单位', q.scope);
    const so = sq && isObject(sq.overrides) ? sq.overrides : {};
    for (const [code, n] of Object.entries(q.overrides ?? {})) c.add('quotas', owner, subject, `override:${code}`, org(code), n, source(so[code]));
  }
}

/** Scorecard items of every score rule set; returns the form block of each item (its fields belong to it). */
function scoreItems(c: Collector, pack: NoticePack): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const [rsId, { ruleSet }] of pack.ruleSets) {
    const o = ruleSet.outcome;
    if (o.kind !== 'score') continue;
    const groups = new Map((o.groups ?? []).map((g) => [g.id, g]));
    o.items.forEach((it, i) => {
      const owner = `item:${rsId}:${it.id}`;
      const subject = `评分项${quote(it.label)}`;
      const extra = { order: i, within: [`ruleset:${rsId}`] };
      c.add('items', owner, subject, 'max', '满分', it.max, extra);
      c.add('items', owner, subject, 'label', '名称', it.label, extra);
      // compared by the group's id: a group whose maximum changed (its label shows it) is reported once, on the group
      c.add('items', owner, subject, 'group', '分组', it.group ? (groups.get(it.group)?.label ?? it.group) : undefined, { ...extra, ...(it.group ? { source: it.group } : {}) });
      for (const f of [it.fact, it.reviewerFact]) {
        if (!f) continue;
        const block = f.includes('.') ? f.slice(0, f.lastIndexOf('.')) : f;
        blocks.set(`${ruleSet.form}:${block}`, owner);
        blocks.set(`${ruleSet.form}:${f}`, owner);
      }
    });
    for (const g of o.groups ?? []) {
      const owner = `group:${rsId}:${g.id}`;
      const subject = `评分分组${quote(g.label)}`;
      const within = { within: [`ruleset:${rsId}`] };
      c.add('items', owner, subject, 'cap', '上限', g.cap, within);
      c.add('items', owner, subject, 'label', '名称', g.label, within);
    }
    const owner = `score:${rsId}`;
    const within = { within: [`ruleset:${rsId}`] };
    c.add('items', owner, `${quote(ruleSet.title)}的总分`, 'cap', '上限', o.cap, within);
    c.add('items', owner, `${quote(ruleSet.title)}的总分`, 'precision', '保留小数位', o.precision, within);
  }
  return blocks;
}

const FIELD_ATTRS: Array<[string, string]> = [
  ['minimum', '最小值'],
  ['maximum', '最大值'],
  ['exclusiveMinimum', '下限（不含）'],
  ['exclusiveMaximum', '上限（不含）'],
  ['minLength', '最少字数'],
  ['maxLength', '最多字数'],
  ['minItems', '最少行数（项数）'],
  ['maxItems', '最多行数（项数）'],
  ['x-maxItems', '最多行数（项数）'],
  ['pattern', '格式'],
  ['format', '格式'],
  ['x-file', '附件要求'],
  ['x-compute', '计算式'],
  ['x-role', '填写角色'],
];

function forms(c: Collector, pack: NoticePack, itemBlocks: Map<string, string>) {
  for (const [formId, form] of pack.forms) {
    const fOwner = `form:${formId}`;
    const fSubject = `表单${quote(`${form.attachment ? `${form.attachment} ` : ''}${form.title}`)}`;
    c.add('forms', fOwner, fSubject, 'title', '名称', form.title);
    c.add('forms', fOwner, fSubject, 'kind', '类型', form.kind === undefined ? undefined : c.word(formKindName(form.kind), form.kind));
    c.add('forms', fOwner, fSubject, 'scope', '填报单位', form.scope === undefined ? undefined : c.word(levelName(form.scope), form.scope));
    const sourceRoot = pack.files[form.file];
    const walk = (fields: Map<string, FieldInfo>, rootSchema: unknown) => {
      for (const [path, f] of fields) {
        const node = sourceNode(sourceRoot, path);
        const src = node && !('$ref' in node) ? node : undefined; // through a $ref the source is elsewhere: no echo test
        const owner = `field:${formId}:${path}`;
        const item = itemBlocks.get(`${formId}:${path}`) ?? parentItem(itemBlocks, formId, path);
        const subject = c.named(`${fSubject}的字段${quote(f.title)}`, path);
        const parent = path.includes('.') ? `field:${formId}:${path.slice(0, path.lastIndexOf('.'))}` : undefined;
        const within = [fOwner, ...(parent ? [parent] : []), ...(item ? [item] : [])];
        const extra: Partial<Statement> = { within };
        c.add('forms', owner, subject, 'exists', '字段', f.title, extra);
        c.add('forms', owner, subject, 'required', '必填', requiredIn(rootSchema, path) || undefined, extra);
        for (const [k, label] of FIELD_ATTRS) {
          // a scorecard item's score fields carry the item's maximum: the item says it once
          if (item && k === 'maximum' && itemBlocks.get(`${formId}:${path}`)) continue;
          // a scorecard total's expression is generated from the items: its declaration is what was written
          if (k === 'x-compute' && f.schema['x-score-total'] !== undefined) {
            c.add('forms', owner, subject, 'x-score-total', '合计方式', f.schema['x-score-total'], extra);
            continue;
          }
          const v = k === 'x-role' && typeof f.schema[k] === 'string' ? c.word(roleName(f.schema[k]), f.schema[k]) : f.schema[k];
          c.add('forms', owner, subject, k, label, v, src ? { ...extra, source: canonicalJson(src[k] ?? null) } : extra);
        }
        for (const [list, prefix] of [
          [f.options, ''],
          [f.items?.options, '（列表项）'],
        ] as const) {
          for (const o of list ?? []) {
            const oOwner = `option:${formId}:${path}:${canonicalJson(o.value)}`;
            c.add('forms', oOwner, `${subject}的选项${prefix}${quote(o.label)}`, 'label', '选项', c.word(o.label, o.value), { within: [owner, ...within] });
          }
        }
        // a table's columns
        if (f.type === 'array' && f.items && isObject(f.items.schema.properties)) {
          const cols = indexFields(f.items.schema);
          walk(new Map([...cols].map(([p, x]) => [`${path}[].${p}`, x])), undefined);
        }
      }
    };
    walk(indexFields(form.schema), form.schema);
  }
}

/** The field's node in the form's source file (before expansion), by dotted path (`rows[].name` for a table column). */
function sourceNode(root: unknown, path: string): Record<string, unknown> | undefined {
  let cur: unknown = root;
  for (const part of path.split('.')) {
    const [key, ...rest] = part.split('[]');
    const props = isObject(cur) && isObject(cur.properties) ? cur.properties : undefined;
    cur = props && key !== undefined ? props[key] : undefined;
    for (let i = 0; i < rest.length; i++) cur = isObject(cur) ? cur.items : undefined;
  }
  return isObject(cur) ? cur : undefined;
}

function parentItem(itemBlocks: Map<string, string>, formId: string, path: string): string | undefined {
  for (let p = path; p.includes('.'); ) {
    p = p.slice(0, p.lastIndexOf('.'));
    const it = itemBlocks.get(`${formId}:${p}`);
    if (it) return it;
  }
  return undefined;
}

function requiredIn(root: unknown, path: string): boolean {
  if (!isObject(root)) return false;
  let cur: unknown = root;
  const keys = path.split('.');
  for (let i = 0; i < keys.length; i++) {
    if (!isObject(cur)) return false;
    const key = keys[i]!;
    if (i === keys.length - 1) return Array.isArray(cur.required) && cur.required.includes(key);
    const props = cur.properties;
    cur = isObject(props) ? props[key] : undefined;
  }
  return false;
}

type Leaf = { fact: string; operator: string; value: unknown; name?: string };

function leaves(cond: Condition | undefined): Leaf[] {
  if (!cond || !isObject(cond)) return [];
  if ('fact' in cond) return [cond as Leaf];
  if ('all' in cond) return cond.all.flatMap(leaves);
  if ('any' in cond) return cond.any.flatMap(leaves);
  if ('not' in cond) return leaves(cond.not);
  return [];
}

/** The shape of a condition tree without its values: all/any/not over fact + operator. */
function shape(cond: Condition | undefined): string {
  if (!cond || !isObject(cond)) return '';
  if ('fact' in cond) return '·';
  if ('all' in cond) return `全部(${cond.all.map(shape).join(',')})`;
  if ('any' in cond) return `任一(${cond.any.map(shape).join(',')})`;
  if ('not' in cond) return `非(${shape(cond.not)})`;
  return '';
}

function rules(c: Collector, pack: NoticePack) {
  for (const [rsId, { ruleSet, file }] of pack.ruleSets) {
    const src = pack.files[file];
    const srcRules = new Map((isObject(src) && Array.isArray(src.rules) ? src.rules : []).filter(isObject).map((r) => [r.name, r]));
    const srcDerived = new Map((isObject(src) && Array.isArray(src.derived) ? src.derived : []).filter(isObject).map((d) => [d.id, d]));
    const rsOwner = `ruleset:${rsId}`;
    const rsSubject = `规则集${quote(ruleSet.title)}`;
    // the form it reads, named by its title; a title that changed (a new year's) is the form's own change, not the rule set's
    c.add('rules', rsOwner, rsSubject, 'form', '读取的表单', pack.forms.get(ruleSet.form)?.title ?? ruleSet.form, { source: ruleSet.form });
    const fields = indexFields(pack.forms.get(ruleSet.form)?.schema);
    const derived = new Map((ruleSet.derived ?? []).map((d) => [d.id, d]));
    const params = (pack.manifest.parameters ?? {}) as Record<string, { label?: string }>;
    const factName = (fact: string) => {
      if (fact.startsWith('param.')) {
        const id = fact.slice(6);
        return `参数${quote(params[id]?.label ?? id)}`;
      }
      return fields.get(fact)?.title ?? derived.get(fact)?.label ?? fact;
    };
    // a value compared with a field: another fact by its name, an option's value by its label
    const value = (fact: string, v: unknown) => (isObject(v) && typeof v.fact === 'string' ? factName(v.fact) : c.fieldValue(fields.get(fact), v));
    const o = ruleSet.outcome;
    if (o.kind === 'level') {
      o.levels.forEach((l) => c.add('rules', rsOwner, rsSubject, `level:${l.id}`, `等级 ${l.id}`, l.label));
    }
    for (const d of ruleSet.derived ?? []) {
      const owner = `derived:${rsId}:${d.id}`;
      const subject = `${rsSubject}的计算指标${quote(d.label)}`;
      const sd = srcDerived.get(d.id);
      const within = { within: [rsOwner], ...(sd ? { source: canonicalJson(sd) } : {}) };
      // a derived fact declared by `scorecard` or `quota` has a generated expression: compare the declaration
      if (sd && sd.expr === undefined) c.add('rules', owner, subject, 'expr', '计算方式', sd.scorecard ?? sd.quota, within);
      else c.add('rules', owner, subject, 'expr', '计算式', d.expr, within);
      c.add('rules', owner, subject, 'precision', '保留小数位', d.precision, within);
      c.add('rules', owner, subject, 'unit', '单位', d.unit, within);
    }
    for (const r of ruleSet.rules) {
      const owner = `rule:${rsId}:${r.name}`;
      const subject = `${rsSubject}的规则${quote(r.label ?? r.name)}`;
      const kinds: Record<string, string> = { criterion: '判定', warning: '提示', error: '错误', points: '得分' };
      const sr = srcRules.get(r.name);
      const within = { within: [rsOwner], ...(sr ? { source: canonicalJson(sr) } : {}) };
      c.add('rules', owner, subject, 'type', '类型', kinds[r.event.type] ?? r.event.type, within);
      c.add('rules', owner, subject, 'level', '所属等级', r.event.params?.level, within);
      c.add('rules', owner, subject, 'points', '分值', r.event.params?.points, within);
      c.add('rules', owner, subject, 'message', '提示文字', r.event.params?.message, within);
      for (const [tree, prefix] of [
        [r.conditions, '条件'],
        [r.applies, '适用条件'],
      ] as const) {
        if (!tree) continue;
        const seen = new Map<string, number>();
        for (const l of leaves(tree)) {
          const id = `${l.fact}|${l.operator}`;
          const n = seen.get(id) ?? 0;
          seen.set(id, n + 1);
          const op = OPERATOR_TEXT[l.operator as Operator] ?? l.operator;
          c.add('rules', owner, subject, `${prefix}:${id}:${n}`, `${prefix}“${l.name ?? factName(l.fact)} ${op}”`, value(l.fact, l.value), within);
        }
        c.add('rules', owner, subject, `${prefix}:shape`, `${prefix}的组合方式`, shape(tree), within);
      }
    }
  }
}

/** Chinese names of cohort-step settings (the vocabulary of docs/cohort.md). */
const COHORT_KEYS: Record<string, string> = {
  key: '记录主键字段',
  label: '名称字段',
  records: '记录来源',
  form: '表单',
  path: '路径',
  exclusions: '排除条件',
  reason: '原因',
  action: '处理',
  when: '条件',
  score: '功效系数法计分',
  indicators: '指标',
  field: '字段',
  direction: '方向',
  method: '方法',
  satisfactory: '满意值',
  unacceptable: '不允许值',
  weight: '权重',
  clamp: '功效分上下限',
  min: '下限',
  max: '上限',
  growth: '增速',
  previous: '上年值字段',
  kind: '方式',
  missing: '缺失时',
  bonus: '加分',
  items: '加分项',
  points: '分值',
  perUnit: '每单位分数',
  cap: '上限',
  precision: '保留小数位',
  populationGroupBy: '取值范围',
  rank: '排名',
  order: '顺序',
  tieBreak: '同分比较',
  grades: '档次',
  groupBy: '分组',
  rollUp: '上卷到',
  base: '名额基数',
  levels: '档次',
  grade: '档次',
  share: '比例',
  rounding: '取整',
  exemptions: '豁免',
  ties: '同分跨档',
  caps: '限额推荐',
  default: '默认名额',
  overrides: '特例名额',
  rewards: '奖励',
  byPosition: '按名次金额',
  otherwise: '其余金额',
  unit: '单位',
  scope: '排名范围',
  computed: '计算字段',
  expr: '计算式',
};
const SKIP_KEYS = new Set(['$schema', 'description', 'clause', 'title', 'id']);
const IDENTITY_KEYS = ['grade', 'field', 'id', 'reason', 'title'];

function cohort(c: Collector, pack: NoticePack, org: (code: string) => string) {
  const decls = new Map((pack.manifest.cohortSteps ?? []).map((d) => [d.id, d]));
  for (const [id, entry] of pack.cohortSteps) {
    const step = isObject(entry.step) ? entry.step : {};
    const title = typeof step.title === 'string' ? step.title : id;
    const owner = `cohort:${id}`;
    const subject = `群体评价步骤${quote(title)}`;
    const src = pack.files[entry.file];
    const source = src !== undefined ? canonicalJson(src) : undefined;
    const c0 = c.out.length;
    c.add('cohort', owner, subject, 'title', '名称', title);
    const decl = decls.get(id) as { records?: unknown } | undefined;
    if (decl?.records) flatten(c, owner, subject, 'records', COHORT_KEYS.records!, decl.records, org);
    for (const [k, v] of Object.entries(step)) {
      if (SKIP_KEYS.has(k)) continue;
      flatten(c, owner, subject, k, COHORT_KEYS[k] ?? k, v, org);
    }
    if (source !== undefined) for (const st of c.out.slice(c0)) st.source = source;
  }
}

function flatten(c: Collector, owner: string, subject: string, key: string, label: string, v: unknown, org: (code: string) => string): void {
  const last = key.slice(key.lastIndexOf('/') + 1);
  if (isObject(v) && !(Object.keys(v).length === 1 && typeof v.param === 'string') && !isLogic(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (SKIP_KEYS.has(k)) continue;
      const name = last === 'overrides' ? org(k) : (COHORT_KEYS[k] ?? k);
      flatten(c, owner, subject, `${key}/${k}`, `${label} · ${name}`, x, org);
    }
    return;
  }
  if (Array.isArray(v) && v.length && v.every(isObject)) {
    const idKey = IDENTITY_KEYS.find((k) => v.every((x) => isObject(x) && x[k] !== undefined));
    v.forEach((x, i) => {
      const ident = idKey ? showValue((x as Record<string, unknown>)[idKey]) : String(i + 1);
      flatten(c, owner, subject, `${key}/${idKey ? `${idKey}=${ident}` : i}`, `${label}（${ident}）`, x, org);
    });
    return;
  }
  c.add('cohort', owner, subject, key, label, v);
}

/** A json-logic expression: one operator key whose value is its arguments. */
function isLogic(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.length === 1 && !(keys[0]! in COHORT_KEYS) && !/^\d+$/.test(keys[0]!);
}
