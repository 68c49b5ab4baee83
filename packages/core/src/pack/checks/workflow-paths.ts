/**
 * Review paths (`workflow.paths`) make sense: every stage they name exists; the condition names a
 * form of the pack and a field of it, and its values are options of that field; no value leads to
 * two paths; a path has the applicant's stages first and then review stages county → city →
 * province, at most one each, at least one; a result is filed only with a higher level than the
 * one that decides it.
 */
import { problem, type Problem } from '../../errors.js';
import { indexFields } from '../../form/fields.js';
import { isObject, ptr } from '../../util/json.js';
import { roleName } from '../../glossary.js';
import { isReviewLevel, REVIEW_LEVELS } from '../review-paths.js';
import type { PackCheck } from '../registry.js';

const show = (v: unknown) => JSON.stringify(v);

export const workflowPathsCheck: PackCheck = {
  id: 'core.workflow-paths',
  run(pack) {
    const out: Problem[] = [];
    const file = pack.manifestFile;
    if (!isObject(pack.files[file])) return out;
    const wf = pack.manifest.workflow;
    const paths = wf?.paths ?? [];
    const stages = new Map((wf?.stages ?? []).map((s) => [s.id, s]));
    const taken = new Map<string, string>();
    paths.forEach((p, i) => {
      const at = ptr('workflow', 'paths', i);
      // ── the condition ──
      const form = pack.forms.get(p.when.form);
      if (!form) out.push(problem('RULE_FORM_UNKNOWN', file, at + '/when/form', { form: p.when.form }));
      else {
        const info = indexFields(form.schema).get(p.when.field);
        if (!info) out.push(problem('WORKFLOW_PATH_UNKNOWN_FIELD', file, at + '/when/field', { path: p.label, field: p.when.field, form: p.when.form }));
        else if (info.options) {
          const options = info.options;
          p.when.in.forEach((v, j) => {
            if (!options.some((o) => o.value === v)) {
              out.push(problem('WORKFLOW_PATH_VALUE', file, at + `/when/in/${j}`, { path: p.label, value: show(v), field: info.title, options: options.map((o) => show(o.value)).join('、') }));
            }
          });
        }
      }
      p.when.in.forEach((v, j) => {
        const key = `${p.when.form}\u0000${p.when.field}\u0000${show(v)}`;
        const other = taken.get(key);
        if (other !== undefined) out.push(problem('WORKFLOW_PATH_OVERLAP', file, at + `/when/in/${j}`, { value: show(v), path: p.label, other }));
        else taken.set(key, p.label);
      });
      // ── the stages, in order ──
      let last: { label: string; role: string; rank: number } | null = null;
      let reviewers = 0;
      p.stages.forEach((id, j) => {
        const s = stages.get(id);
        if (!s) {
          out.push(problem('WORKFLOW_PATH_UNKNOWN_STAGE', file, at + `/stages/${j}`, { path: p.label, stage: id }));
          return;
        }
        // applicant 0, county 1, city 2, province 3; admin stages take no part in the order
        if (s.role === 'admin') return;
        const rank = s.role === 'applicant' ? 0 : REVIEW_LEVELS.indexOf(s.role as never) + 1;
        if (last && (rank < last.rank || (rank === last.rank && rank > 0))) {
          out.push(problem('WORKFLOW_PATH_ORDER', file, at + `/stages/${j}`, { path: p.label, stage: s.label, role: roleName(s.role), before: last.label, beforeRole: roleName(last.role) }));
        }
        if (isReviewLevel(s.role)) reviewers++;
        last = { label: s.label, role: s.role, rank };
      });
      if (reviewers === 0 && p.stages.every((id) => stages.has(id))) out.push(problem('WORKFLOW_PATH_NO_REVIEWER', file, at + '/stages', { path: p.label }));
      // ── filed with a higher level ──
      const decider = [...p.stages].reverse().map((id) => stages.get(id)).find((s) => s && isReviewLevel(s.role));
      if (p.filedWith && decider && isReviewLevel(decider.role) && REVIEW_LEVELS.indexOf(p.filedWith) <= REVIEW_LEVELS.indexOf(decider.role)) {
        out.push(problem('WORKFLOW_PATH_FILED_WITH', file, at + '/filedWith', { path: p.label, decider: roleName(decider.role), filedWith: roleName(p.filedWith) }));
      }
    });
    return out;
  },
};
