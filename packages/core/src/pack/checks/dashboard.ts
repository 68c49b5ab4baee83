/**
 * The dashboard's indicators (`dashboard.indicators` of the manifest) name a form of the pack that
 * parks fill, and numeric fields of it (`field`, and `per` for a ratio such as tax per unit of land);
 * indicator ids are unique.
 */
import { indexFields } from '../../form/fields.js';
import { problem, type Problem } from '../../errors.js';
import { isObject, ptr } from '../../util/json.js';
import type { PackCheck } from '../registry.js';

export const dashboardCheck: PackCheck = {
  id: 'core.dashboard',
  run(pack) {
    const out: Problem[] = [];
    const file = pack.manifestFile;
    if (!isObject(pack.files[file])) return out;
    const seen = new Set<string>();
    (pack.manifest.dashboard?.indicators ?? []).forEach((ind, i) => {
      const at = ptr('dashboard', 'indicators', i);
      if (seen.has(ind.id)) out.push(problem('DASHBOARD_INDICATOR_DUPLICATE', file, `${at}/id`, { id: ind.id }));
      seen.add(ind.id);
      const form = pack.forms.get(ind.form);
      if (!form || form.scope === 'county' || form.scope === 'city' || form.kind === 'table') {
        out.push(problem('DASHBOARD_INDICATOR_FORM', file, `${at}/form`, { indicator: ind.label, form: ind.form }));
        return;
      }
      const fields = indexFields(form.schema);
      for (const key of ['field', 'per'] as const) {
        const path = ind[key];
        if (path === undefined) continue;
        const f = fields.get(path);
        if (!f || (f.type !== 'number' && f.type !== 'integer')) out.push(problem('DASHBOARD_INDICATOR_FIELD', file, `${at}/${key}`, { indicator: ind.label, form: ind.form, field: path }));
      }
    });
    return out;
  },
};
