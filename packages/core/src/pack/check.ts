import type { Condition, Operator, Rule, RuleSetFile } from '../meta/index.js';
import { fixtureSchema, manifestSchema, rulesetSchema, uiMetaSchema, scorecardKeywordSchema, scoreItemKeywordSchema, scoreTotalKeywordSchema } from '../meta/index.js';
import { problem, type Problem } from '../errors.js';
import { createFormAjv, createMetaAjv } from '../form/ajv.js';
import { indexFields } from '../form/fields.js';
import { unresolvedPageRefs } from '../form/vocabulary.js';
import { isObject, ptr } from '../util/json.js';
import { unknownOperators, varsOf } from '../rules/expr.js';
import { FactCatalog, orderDerived, PARAM_PREFIX } from '../rules/facts.js';
import { ARRAY_FACT_OPERATORS, ARRAY_VALUE_OPERATORS, DATE_OPERATORS, NUMERIC_OPERATORS } from '../rules/operators.js';
import { metaProblems } from './meta-problems.js';
import { checkSchemaSafety, findKeyword } from './schemaSafety.js';
import { runFixture } from './fixtures.js';
import type { CheckContext, FieldTitles, PackCheck } from './registry.js';
import type { NoticePack } from './types.js';
import { packPaths } from './types.js';

const metaAjv = createMetaAjv();
const validateManifest = metaAjv.compile(manifestSchema);
const validateRuleSet = metaAjv.compile(rulesetSchema);
const validateFixture = metaAjv.compile(fixtureSchema);
const validateUi = metaAjv.compile(uiMetaSchema);

/** Every form's field titles (form id → field path → title): what `CheckContext.formerFields` takes of a published predecessor. */
export function fieldTitlesOf(pack: NoticePack): FieldTitles {
  const out: Record<string, Record<string, string>> = {};
  for (const [id, form] of pack.forms) {
    const titles: Record<string, string> = {};
    for (const [path, f] of indexFields(form.schema)) if (f.title) titles[path] = f.title;
    out[id] = titles;
  }
  return out;
}

/** The fact a rule reads, as a message names it: a field removed since the predecessor by its former title. */
function factName(former: FieldTitles | undefined, formId: string, fact: string): string {
  const title = former?.[formId]?.[fact];
  return title ? `${title}（已删除的字段）` : fact;
}

export interface CheckOptions extends Partial<CheckContext> {
  /** checks other packages contribute (through a `CheckRegistry`) */
  checks?: readonly PackCheck[];
}

/**
 * Check a whole pack. Returns every problem found, each with a code, the file, a JSON
 * pointer and a Chinese message. An empty list means the pack can be published.
 */
export function checkPack(pack: NoticePack, opts: CheckOptions = {}): Problem[] {
  const out: Problem[] = [];
  const paths = packPaths(pack.id);
  const mf = paths.manifest;
  if (!(mf in pack.files)) {
    // a manifest that is there but not JSON is reported once, as PACK_JSON_SYNTAX; nothing else can be checked
    if (!opts.unreadable?.includes(mf)) out.push(problem('PACK_FILE_MISSING', mf, '', { file: mf }));
    return out;
  }
  if (!validateManifest(pack.files[mf])) {
    out.push(...metaProblems(validateManifest.errors, mf, '通知包清单'));
    return out; // the rest is not safe to interpret
  }
  const m = pack.manifest;
  if (m.id !== pack.id) out.push(problem('PACK_ID_MISMATCH', mf, '/id', { id: m.id, dir: pack.id }));
  if (m.succeeds && opts.knownPacks && !opts.knownPacks.includes(m.succeeds)) {
    out.push(problem('PACK_SUCCEEDS_UNKNOWN', mf, '/succeeds', { pack: m.succeeds }));
  }
  const dup = (list: Array<{ id: string }>, where: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.id)) out.push(problem('PACK_DUPLICATE_ID', mf, ptr(where, i, 'id'), { id: x.id }));
      seen.add(x.id);
    });
  };
  dup(m.forms, 'forms');
  dup(m.ruleSets, 'ruleSets');
  dup(m.cohortSteps ?? [], 'cohortSteps');
  // a correction deadline (补正期限) extends a window: it cannot end before the window does
  (m.workflow?.stages ?? []).forEach((st, i) => {
    const w = st.window;
    if (w?.correctionCloses && w.closes && w.correctionCloses < w.closes) {
      out.push(problem('MANIFEST_CORRECTION_BEFORE_CLOSE', mf, ptr('workflow', 'stages', i, 'window', 'correctionCloses'), { correction: w.correctionCloses, closes: w.closes }));
    }
  });

  // ── forms ──
  m.forms.forEach((decl, i) => {
    const file = `${paths.schemasDir}/${decl.schema}`;
    const schema = pack.files[file];
    if (schema === undefined) {
      if (!opts.unreadable?.includes(file)) out.push(problem('PACK_FILE_MISSING', mf, ptr('forms', i, 'schema'), { file }));
      return;
    }
    const safety = checkSchemaSafety(schema, file);
    out.push(...safety);
    out.push(...checkScoreKeywords(schema, file));
    // a reference that could not be resolved is reported once (PARAM_UNKNOWN …), not again by ajv
    const unexpanded = (pack.expandProblems ?? []).some((p) => p.file === file);
    if (!unexpanded && !safety.some((p) => p.code === 'SCHEMA_UNSAFE_DATA' || p.code === 'SCHEMA_REMOTE_REF' || p.code === 'SCHEMA_BAD_REGEX')) {
      try {
        const expanded = pack.forms.get(decl.id)?.schema ?? schema;
        const { $id: _id, ...rest } = (isObject(expanded) ? expanded : {}) as Record<string, unknown>;
        createFormAjv().compile(rest);
      } catch (err) {
        const msg = (err as Error).message;
        const kw = /keyword[: ]+"?([^"\s]+)"?/.exec(msg)?.[1];
        out.push(problem('SCHEMA_STRICT', file, kw ? findKeyword(schema, kw) : '', { detail: msg }));
      }
    }
    if (decl.ui) {
      const uiFile = `${paths.schemasDir}/${decl.ui}`;
      const ui = pack.files[uiFile];
      if (ui === undefined) {
        if (!opts.unreadable?.includes(uiFile)) out.push(problem('PACK_FILE_MISSING', mf, ptr('forms', i, 'ui'), { file: uiFile }));
      } else out.push(...checkUi(ui, pack.forms.get(decl.id)?.schema ?? schema, uiFile));
    }
  });

  // ── parameter / quota references and scorecards that could not be expanded ──
  out.push(...(pack.expandProblems ?? []));

  // ── page-number fields name forms / fields of this pack (x-pages-of) ──
  for (const r of unresolvedPageRefs(pack.forms)) out.push(problem('SCHEMA_PAGES_OF_UNKNOWN', r.file, r.pointer, { ref: r.ref }));

  // ── consistency declarations (prefill) ──
  m.forms.forEach((decl, i) => {
    (decl.prefill ?? []).forEach((p, j) => {
      const at = ptr('forms', i, 'prefill', j);
      const src = pack.forms.get(p.from);
      if (!src) {
        out.push(problem('RULE_FORM_UNKNOWN', mf, at + '/from', { form: p.from }));
        return;
      }
      const mine = indexFields(pack.forms.get(decl.id)?.schema);
      const theirs = indexFields(src.schema);
      const columns = new Set<string>();
      for (const f of theirs.values()) if (f.items) for (const c of indexFields(f.items.schema).keys()) columns.add(c);
      const inSource = (path: string) => theirs.has(path) || columns.has(path);
      const former = opts.formerFields;
      if (p.match && !inSource(p.match)) out.push(problem('RULE_UNKNOWN_FACT', mf, at + '/match', { fact: factName(former, p.from, p.match) }));
      for (const [a, b] of Object.entries(p.fields)) {
        if (!mine.has(a)) out.push(problem('RULE_UNKNOWN_FACT', mf, at + ptr('fields', a), { fact: factName(former, decl.id, a) }));
        if (!inSource(b)) out.push(problem('RULE_UNKNOWN_FACT', mf, at + ptr('fields', a), { fact: factName(former, p.from, b) }));
      }
    });
  });

  // ── rule sets ──
  m.ruleSets.forEach((decl, i) => {
    const file = `${paths.rulesDir}/${decl.file}`;
    const content = pack.files[file];
    if (content === undefined) {
      if (!opts.unreadable?.includes(file)) out.push(problem('PACK_FILE_MISSING', mf, ptr('ruleSets', i, 'file'), { file }));
      return;
    }
    if (!validateRuleSet(content)) {
      out.push(...metaProblems(validateRuleSet.errors, file, '规则集'));
      return;
    }
    const expanded = pack.ruleSets.get(decl.id)?.ruleSet ?? (content as unknown as RuleSetFile);
    // a score outcome taken from a scorecard is checked with its form (its items are generated)
    const fromScorecard = isObject(content) && isObject(content.outcome) && 'scorecard' in content.outcome;
    out.push(...checkRuleSet(pack, expanded, file, fromScorecard, opts.formerFields));
  });

  const ctx: CheckContext = {
    orgUnits: opts.orgUnits ?? [],
    fixtures: opts.fixtures ?? true,
    production: opts.production ?? false,
    ...(opts.knownPacks ? { knownPacks: opts.knownPacks } : {}),
    ...(opts.formerFields ? { formerFields: opts.formerFields } : {}),
    unreadable: opts.unreadable ?? [],
  };
  const structural = new Set<string>();
  for (const c of opts.checks ?? []) if (c.stage !== 'fixtures') out.push(...c.run(pack, { ...ctx, broken: structural }));

  // ── fixtures ──
  const broken = new Set(out.filter((p) => p.severity === 'error').map((p) => p.file));
  for (const f of opts.unreadable ?? []) broken.add(f);
  if (ctx.fixtures) for (const c of opts.checks ?? []) if (c.stage === 'fixtures') out.push(...c.run(pack, { ...ctx, broken }));
  for (const { file } of pack.fixtures) {
    const content = pack.files[file];
    if (!validateFixture(content)) {
      out.push(...metaProblems(validateFixture.errors, file, '样例'));
      continue;
    }
    if (opts.fixtures === false) continue;
    const f = pack.fixtures.find((x) => x.file === file)!.fixture;
    const rs = pack.ruleSets.get(f.ruleSet);
    if (!rs) {
      // a rule set declared in the manifest whose file is not JSON: already reported, not a second mistake
      const declared = m.ruleSets.find((r) => r.id === f.ruleSet);
      if (declared && opts.unreadable?.includes(`${paths.rulesDir}/${declared.file}`)) continue;
      out.push(problem('FIXTURE_RULESET_UNKNOWN', file, '/ruleSet', { ruleSet: f.ruleSet }));
      continue;
    }
    const formFile = pack.forms.get(rs.ruleSet.form)?.file;
    if (!(rs.file in pack.files) || broken.has(rs.file) || (formFile && broken.has(formFile))) continue; // already reported
    out.push(...runFixture(pack, f, file).problems);
  }
  return out;
}

/** UI schema keys must name fields the form has. */
function checkUi(ui: unknown, schema: unknown, file: string): Problem[] {
  if (!validateUi(ui)) return metaProblems(validateUi.errors, file, '表单界面文件');
  const out: Problem[] = [];
  const fields = indexFields(schema);
  const walk = (node: unknown, prefix: string, pointer: string) => {
    if (!isObject(node)) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$schema' && pointer === '') continue;
      if (k.startsWith('ui:') || k === 'items' || k === 'additionalItems') {
        if (k === 'items' && isObject(v)) {
          const f = fields.get(prefix);
          // items of a table: its columns are fields of the item schema
          const itemFields = f?.items ? indexFields(f.items.schema) : new Map();
          for (const [col, sub] of Object.entries(v)) {
            if (col.startsWith('ui:')) continue;
            if (!itemFields.has(col)) out.push(problem('UI_UNKNOWN_FIELD', file, pointer + ptr(k, col), { field: `${prefix}[].${col}` }));
            void sub;
          }
        }
        continue;
      }
      const path = prefix ? `${prefix}.${k}` : k;
      if (!fields.has(path)) {
        out.push(problem('UI_UNKNOWN_FIELD', file, pointer + ptr(k), { field: path }));
        continue;
      }
      walk(v, path, pointer + ptr(k));
    }
  };
  walk(ui, '', '');
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  number: '数值',
  integer: '数值',
  string: '文字',
  boolean: '是/否',
  array: '列表',
  object: '对象',
  unknown: '未知',
};

function checkRuleSet(pack: NoticePack, rs: RuleSetFile, file: string, fromScorecard = false, former?: FieldTitles): Problem[] {
  const out: Problem[] = [];
  const form = pack.forms.get(rs.form);
  if (!form) {
    out.push(problem('RULE_FORM_UNKNOWN', file, '/form', { form: rs.form }));
    return out;
  }
  if (!(form.file in pack.files)) return out; // the form is missing: reported with the manifest
  const facts = new FactCatalog(pack, rs);
  const topKeys = new Set([...facts.fields.keys()].map((k) => k.split('.')[0]!));
  const derivedIds = new Set(facts.derived.map((d) => d.id));
  const known = (id: string) => facts.info(id) !== undefined;
  const name = (fact: string) => factName(former, rs.form, fact);

  // derived facts
  facts.derived.forEach((d, i) => {
    const p = ptr('derived', i);
    if (topKeys.has(d.id) || d.id === 'param') out.push(problem('DERIVED_SHADOWS_FIELD', file, p + '/id', { id: d.id }));
    const bad = unknownOperators(d.expr);
    if (bad.length) out.push(problem('DERIVED_BAD_EXPR', file, p + '/expr', { detail: `未知的运算 ${bad.join('、')}` }));
    for (const v of varsOf(d.expr)) {
      const head = v.split('.')[0]!;
      const ok = derivedIds.has(head) || (v.startsWith(PARAM_PREFIX) ? known(v) : facts.fields.has(v));
      if (!ok) out.push(problem('RULE_UNKNOWN_FACT', file, p + '/expr', { fact: name(v) }));
    }
  });
  const ordered = orderDerived(facts.derived);
  if ('cycle' in ordered) out.push(problem('DERIVED_CYCLE', file, '/derived', { cycle: ordered.cycle.join(' → ') }));

  // rules
  const names = new Set<string>();
  const o = rs.outcome;
  const levelIds = o.kind === 'level' ? new Set(o.levels.map((l) => l.id)) : new Set<string>();
  rs.rules.forEach((rule: Rule, i) => {
    const p = ptr('rules', i);
    if (names.has(rule.name)) out.push(problem('RULE_DUPLICATE_NAME', file, p + '/name', { name: rule.name }));
    names.add(rule.name);
    if (o.kind === 'level' && rule.event.type === 'criterion') {
      const lv = rule.event.params?.level;
      if (lv === undefined) out.push(problem('RULE_MISSING_LEVEL', file, p + '/event'));
      else if (!levelIds.has(lv)) out.push(problem('RULE_UNKNOWN_LEVEL', file, p + '/event/params/level', { level: lv }));
    }
    if (rule.applies) checkCondition(rule.applies, p + '/applies', facts, file, out, name);
    checkCondition(rule.conditions, p + '/conditions', facts, file, out, name);
  });
  if (o.kind === 'level' && o.requested && !known(o.requested)) {
    out.push(problem('RULE_UNKNOWN_FACT', file, '/outcome/requested', { fact: name(o.requested) }));
  }
  if (o.kind === 'score') {
    const groups = new Set((o.groups ?? []).map((g) => g.id));
    (fromScorecard ? [] : o.items).forEach((it, i) => {
      for (const key of ['fact', 'reviewerFact'] as const) {
        const f = it[key];
        if (!f) continue;
        const info = facts.info(f);
        if (!info) out.push(problem('RULE_UNKNOWN_FACT', file, ptr('outcome', 'items', i, key), { fact: name(f) }));
        else if (info.type !== 'number' && info.type !== 'integer') {
          out.push(problem('SCORE_ITEM_FACT', file, ptr('outcome', 'items', i, key), { item: it.label, fact: f }));
        } else if (info.field && typeof info.field.schema.maximum !== 'number') {
          // a reviewer re-scores this field (POST /api/submissions/:id/scores): it needs a ceiling
          out.push(problem('SCORE_ITEM_NO_MAXIMUM', file, ptr('outcome', 'items', i, key), { item: it.label, fact: f }));
        }
      }
      if (it.group && !groups.has(it.group)) out.push(problem('SCORE_UNKNOWN_GROUP', file, ptr('outcome', 'items', i, 'group'), { group: it.group }));
    });
    rs.rules.forEach((r, i) => {
      const g = r.event.params?.group;
      if (g && !groups.has(g)) out.push(problem('SCORE_UNKNOWN_GROUP', file, ptr('rules', i, 'event', 'params', 'group'), { group: g }));
    });
  }
  return out;
}

function valueKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}

function checkCondition(c: Condition, pointer: string, facts: FactCatalog, file: string, out: Problem[], name: (fact: string) => string) {
  if ('all' in c) return c.all.forEach((k, i) => checkCondition(k, `${pointer}/all/${i}`, facts, file, out, name));
  if ('any' in c) return c.any.forEach((k, i) => checkCondition(k, `${pointer}/any/${i}`, facts, file, out, name));
  if ('not' in c) return checkCondition(c.not, `${pointer}/not`, facts, file, out, name);
  const leaf = c as Extract<Condition, { fact: string }>;
  const op = leaf.operator as Operator;
  const info = facts.info(leaf.fact);
  if (!info) {
    out.push(problem('RULE_UNKNOWN_FACT', file, pointer + '/fact', { fact: name(leaf.fact) }));
    return;
  }
  let value: unknown = leaf.value;
  let valueType = valueKind(value);
  if (isObject(value) && typeof value.fact === 'string') {
    const ref = facts.info(value.fact);
    if (!ref) {
      out.push(problem('RULE_UNKNOWN_FACT', file, pointer + '/value/fact', { fact: name(value.fact) }));
      return;
    }
    valueType = ref.type === 'integer' ? 'number' : ref.type;
    // a parameter holding a list of options (e.g. the grades that qualify) is checked like a literal list
    value = ref.source === 'param' && Array.isArray(facts.params[value.fact.slice(PARAM_PREFIX.length)]?.value) ? facts.params[value.fact.slice(PARAM_PREFIX.length)]?.value : undefined;
  }
  if (leaf.path) return; // a path into an object fact: its type is not known statically
  const t = info.type === 'integer' ? 'number' : info.type;
  const typeBad = (expected: string) =>
    out.push(problem('RULE_OPERATOR_TYPE', file, pointer + '/operator', { operator: op, type: TYPE_NAMES[t] ?? t, fact: leaf.fact, expected }));
  const valueBad = (expected: string) => out.push(problem('RULE_VALUE_TYPE', file, pointer + '/value', { operator: op, expected }));
  if (NUMERIC_OPERATORS.has(op)) {
    if (t !== 'number') typeBad('数值');
    if (valueType !== 'number') valueBad('数值');
  } else if (DATE_OPERATORS.has(op)) {
    if (t !== 'string' || (info.format && info.format !== 'date')) typeBad('日期');
    if (valueType !== 'string' || (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(value))) valueBad('日期（YYYY-MM-DD）');
  } else if (ARRAY_FACT_OPERATORS.has(op)) {
    if (t !== 'array') typeBad('列表');
    if (op === 'containsAll' && valueType !== 'array') valueBad('列表');
  } else if (op === 'in' || op === 'notIn') {
    if (t === 'array' || t === 'object') typeBad('单个值');
    if (valueType !== 'array') valueBad('列表');
  } else if (op === 'equal' || op === 'notEqual') {
    if (t === 'object' || t === 'array') typeBad('单个值');
    else if (value !== undefined && t !== 'unknown' && valueType !== t) valueBad(TYPE_NAMES[t] ?? t);
  }
  // values compared with a field that has options must be among them
  const options = ARRAY_FACT_OPERATORS.has(op) ? info.field?.items?.options : info.field?.options;
  if (options && value !== undefined) {
    const vals = ARRAY_VALUE_OPERATORS.has(op) && Array.isArray(value) ? value : [value];
    for (const v of vals) {
      if (!options.some((o) => o.value === v)) {
        out.push(problem('RULE_ENUM_VALUE', file, pointer + '/value', { value: String(v), fact: leaf.fact }));
      }
    }
  }
}

const validateScorecardKeyword = metaAjv.compile(scorecardKeywordSchema);
const validateScoreItemKeyword = metaAjv.compile(scoreItemKeywordSchema);
const validateScoreTotalKeyword = metaAjv.compile(scoreTotalKeywordSchema);

/** The scorecard keywords of a form (x-scorecard, x-score, x-score-total) against their meta-schema. */
function checkScoreKeywords(schema: unknown, file: string): Problem[] {
  const out: Problem[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((x, i) => visit(x, `${pointer}/${i}`));
    if (!isObject(node)) return;
    const checks = [
      ['x-scorecard', validateScorecardKeyword],
      ['x-score-total', validateScoreTotalKeyword],
    ] as const;
    for (const [kw, validate] of checks) {
      if (node[kw] !== undefined && !validate(node[kw])) {
        out.push(...metaProblems(validate.errors, file, '评分表').map((p) => ({ ...p, pointer: pointer + ptr(kw) + p.pointer })));
      }
    }
    // x-score is an item's annotation (an object) or a column's role (a string)
    const xs = node['x-score'];
    if (xs !== undefined && !(typeof xs === 'string' && ['self', 'reviewer', 'proof'].includes(xs)) && !validateScoreItemKeyword(xs)) {
      out.push(...metaProblems(validateScoreItemKeyword.errors, file, '评分项').map((p) => ({ ...p, pointer: pointer + '/x-score' + p.pointer })));
    }
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object') visit(v, pointer + ptr(k));
  };
  visit(schema, '');
  return out;
}
