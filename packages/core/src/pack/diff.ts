import type { Condition } from '../meta/index.js';
import { indexFields } from '../form/fields.js';
import { canonicalJson, isObject } from '../util/json.js';
import type { NoticePack } from './types.js';
import { OPERATOR_TEXT } from '../rules/operators.js';
import type { Operator } from '../meta/index.js';

/**
 * What changed from one pack to the next, one plain Chinese line each: fields added
 * or removed, thresholds, score items and maxima, dates, quotas, parameters.
 */
export function diffPacks(a: NoticePack, b: NoticePack): string[] {
  const out: string[] = [];
  const ma = a.manifest;
  const mb = b.manifest;
  const same = (x: unknown, y: unknown) => canonicalJson(x) === canonicalJson(y);
  for (const k of ['title', 'issuer', 'documentNumber', 'issueDate', 'year', 'dataCutoff'] as const) {
    if (!same(ma[k], mb[k])) out.push(`清单 ${k}：${ma[k] ?? '（无）'} → ${mb[k] ?? '（无）'}`);
  }
  // parameters
  const pa = (ma.parameters ?? {}) as Record<string, { label: string; value: unknown }>;
  const pb = (mb.parameters ?? {}) as Record<string, { label: string; value: unknown }>;
  for (const k of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
    const x = pa[k];
    const y = pb[k];
    if (!x && y) out.push(`新增参数 ${y.label}（${k}）= ${String(y.value)}`);
    else if (x && !y) out.push(`删除参数 ${x.label}（${k}）`);
    else if (x && y && !same(x.value, y.value)) out.push(`参数 ${y.label}（${k}）：${String(x.value)} → ${String(y.value)}`);
  }
  // dates and windows
  const da = new Map((ma.dates ?? []).map((d) => [d.id, d]));
  const db = new Map((mb.dates ?? []).map((d) => [d.id, d]));
  for (const [id, d] of db) {
    const o = da.get(id);
    if (!o) out.push(`新增时间节点 ${d.label}：${d.date}`);
    else if (o.date !== d.date) out.push(`时间节点 ${d.label}：${o.date} → ${d.date}`);
  }
  for (const [id, d] of da) if (!db.has(id)) out.push(`删除时间节点 ${d.label}`);
  const sa = new Map((ma.workflow?.stages ?? []).map((s) => [s.id, s]));
  for (const s of mb.workflow?.stages ?? []) {
    const o = sa.get(s.id);
    if (!o) out.push(`新增流程环节 ${s.label}`);
    else if (!same(o.window, s.window)) {
      const w = (x: typeof s.window) => (x ? `${x.opens ?? '…'} 至 ${x.closes ?? '…'}` : '不限');
      out.push(`环节 ${s.label} 的办理时间：${w(o.window)} → ${w(s.window)}`);
    }
  }
  // quotas
  const qa = new Map((ma.quotas ?? []).map((q) => [q.id, q]));
  for (const q of mb.quotas ?? []) {
    const o = qa.get(q.id);
    if (!o) out.push(`新增名额 ${q.label}：默认 ${q.default}`);
    else {
      if (o.default !== q.default) out.push(`名额 ${q.label} 默认值：${o.default} → ${q.default}`);
      const keys = new Set([...Object.keys(o.overrides ?? {}), ...Object.keys(q.overrides ?? {})]);
      for (const k of keys) {
        const x = o.overrides?.[k];
        const y = q.overrides?.[k];
        if (x !== y) out.push(`名额 ${q.label}（${k}）：${x ?? '默认'} → ${y ?? '默认'}`);
      }
    }
  }
  // forms and fields
  for (const [id, fb] of b.forms) {
    const fa = a.forms.get(id);
    if (!fa) {
      out.push(`新增表单 ${fb.attachment ?? ''}${fb.title}`);
      continue;
    }
    const xa = indexFields(fa.schema);
    const xb = indexFields(fb.schema);
    for (const [p, f] of xb) if (!xa.has(p)) out.push(`表单 ${fb.title} 新增字段 ${f.title}（${p}）`);
    for (const [p, f] of xa) if (!xb.has(p)) out.push(`表单 ${fb.title} 删除字段 ${f.title}（${p}）`);
    for (const [p, f] of xb) {
      const o = xa.get(p);
      if (!o) continue;
      for (const k of ['minimum', 'maximum', 'maxLength', 'maxItems', 'x-file']) {
        if (!same(o.schema[k], f.schema[k])) out.push(`表单 ${fb.title} 字段 ${f.title} 的 ${k}：${canonicalJson(o.schema[k] ?? null)} → ${canonicalJson(f.schema[k] ?? null)}`);
      }
      if (!same(o.options, f.options)) out.push(`表单 ${fb.title} 字段 ${f.title} 的选项有变化`);
    }
  }
  for (const [id, fa] of a.forms) if (!b.forms.has(id)) out.push(`删除表单 ${fa.title}`);
  // rule sets: rules, thresholds, score items
  for (const [id, rb] of b.ruleSets) {
    const ra = a.ruleSets.get(id);
    if (!ra) {
      out.push(`新增规则集 ${rb.ruleSet.title}`);
      continue;
    }
    const title = rb.ruleSet.title;
    const formFields = indexFields(b.forms.get(rb.ruleSet.form)?.schema);
    const derivedLabels = new Map((rb.ruleSet.derived ?? []).map((d) => [d.id, d.label]));
    const factLabel = (l: Leaf) => l.name ?? formFields.get(l.fact)?.title ?? derivedLabels.get(l.fact) ?? l.fact;
    const rulesA = new Map(ra.ruleSet.rules.map((r) => [r.name, r]));
    const rulesB = new Map(rb.ruleSet.rules.map((r) => [r.name, r]));
    for (const [n, r] of rulesB) {
      const o = rulesA.get(n);
      if (!o) {
        out.push(`${title} 新增规则 ${r.label ?? n}`);
        continue;
      }
      const la = leaves(o.conditions);
      const lb = leaves(r.conditions);
      lb.forEach((l, i) => {
        const x = la[i];
        if (x && x.fact === l.fact && !same(x.value, l.value)) {
          const op = OPERATOR_TEXT[l.operator as Operator] ?? l.operator;
          out.push(`${title} ${r.label ?? n}：${factLabel(l)} ${op} ${canonicalJson(x.value)} → ${canonicalJson(l.value)}`);
        }
      });
      if (la.length !== lb.length || la.some((x, i) => lb[i] && (x.fact !== lb[i]!.fact || x.operator !== lb[i]!.operator))) {
        out.push(`${title} ${r.label ?? n}：条件结构有变化`);
      }
    }
    for (const [n, r] of rulesA) if (!rulesB.has(n)) out.push(`${title} 删除规则 ${r.label ?? n}`);
    const oa = ra.ruleSet.outcome;
    const ob = rb.ruleSet.outcome;
    if (oa.kind === 'score' && ob.kind === 'score') {
      const ia = new Map(oa.items.map((i) => [i.id, i]));
      for (const it of ob.items) {
        const o = ia.get(it.id);
        if (!o) out.push(`${title} 新增评分项 ${it.label}（满分 ${it.max}）`);
        else if (o.max !== it.max) out.push(`${title} 评分项 ${it.label} 满分：${o.max} → ${it.max}`);
      }
      for (const [iid, it] of ia) if (!ob.items.some((x) => x.id === iid)) out.push(`${title} 删除评分项 ${it.label}`);
      const ga = new Map((oa.groups ?? []).map((g) => [g.id, g]));
      for (const g of ob.groups ?? []) {
        const o = ga.get(g.id);
        if (o && o.cap !== g.cap) out.push(`${title} 分组 ${g.label} 上限：${o.cap ?? '无'} → ${g.cap ?? '无'}`);
      }
      if (oa.cap !== ob.cap) out.push(`${title} 总分上限：${oa.cap ?? '无'} → ${ob.cap ?? '无'}`);
    }
  }
  for (const [id, ra] of a.ruleSets) if (!b.ruleSets.has(id)) out.push(`删除规则集 ${ra.ruleSet.title}`);
  // cohort steps: any change in the declaration
  for (const [id, cb] of b.cohortSteps) {
    const ca = a.cohortSteps.get(id);
    if (!ca) out.push(`新增群体评价步骤 ${id}`);
    else if (!same(ca.step, cb.step)) out.push(`群体评价步骤 ${id} 有变化（比例、权重或名额）`);
  }
  return out;
}

type Leaf = { fact: string; operator: string; value: unknown; name?: string };
function leaves(c: Condition): Leaf[] {
  if (isObject(c) && 'fact' in c) return [c as Leaf];
  if ('all' in c) return c.all.flatMap(leaves);
  if ('any' in c) return c.any.flatMap(leaves);
  return leaves((c as { not: Condition }).not);
}
