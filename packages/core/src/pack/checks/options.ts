/**
 * The same option written twice in one field (`enum` or `oneOf` of `const`), and two scorecard
 * items of one score rule set with the same fact or the same label: the second silently shadows the first.
 */
import { problem, type Problem } from '../../errors.js';
import { isObject, ptr } from '../../util/json.js';
import type { PackCheck } from '../registry.js';
import { walkSchema } from '../schemaSafety.js';

function optionDuplicates(schema: Record<string, unknown>, pointer: string, file: string, out: Problem[]): void {
  const seen = new Set<string>();
  const report = (v: unknown, at: string) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) out.push(problem('FORM_DUPLICATE_OPTION', file, at, { value: typeof v === 'string' ? v : k }));
    seen.add(k);
  };
  if (Array.isArray(schema.enum)) schema.enum.forEach((v, i) => report(v, pointer + ptr('enum', i)));
  if (Array.isArray(schema.oneOf) && schema.oneOf.every((o) => isObject(o) && 'const' in o)) {
    schema.oneOf.forEach((o, i) => report((o as { const: unknown }).const, pointer + ptr('oneOf', i, 'const')));
  }
}

export const duplicateOptionsCheck: PackCheck = {
  id: 'core.duplicate-options',
  run(pack) {
    const out: Problem[] = [];
    for (const form of pack.forms.values()) {
      if (!(form.file in pack.files)) continue;
      walkSchema(form.schema, (node, pointer) => optionDuplicates(node, pointer, form.file, out));
    }
    return out;
  },
};

export const duplicateScoreItemsCheck: PackCheck = {
  id: 'core.duplicate-score-items',
  run(pack) {
    const out: Problem[] = [];
    for (const { file, ruleSet } of pack.ruleSets.values()) {
      const o = isObject(ruleSet) && isObject(ruleSet.outcome) ? ruleSet.outcome : undefined;
      if (!o || o.kind !== 'score' || !Array.isArray(o.items)) continue;
      const facts = new Map<string, number>();
      const labels = new Map<string, number>();
      o.items.forEach((it, i) => {
        if (!isObject(it)) return;
        if (typeof it.fact === 'string') {
          if (facts.has(it.fact)) out.push(problem('SCORE_DUPLICATE_ITEM', file, ptr('outcome', 'items', i, 'fact'), { item: it.fact, first: (facts.get(it.fact) ?? 0) + 1 }));
          else facts.set(it.fact, i);
        }
        if (typeof it.label === 'string') {
          if (labels.has(it.label)) out.push(problem('SCORE_DUPLICATE_ITEM', file, ptr('outcome', 'items', i, 'label'), { item: it.label, first: (labels.get(it.label) ?? 0) + 1 }));
          else labels.set(it.label, i);
        }
      });
    }
    return out;
  },
};
