/**
 * A parameter the notice leaves to the administrator (`setByAdministrator: true`) is a placeholder
 * until the administrator records that they set it (`confirmed: { date, by?, source? }`): a warning
 * in `check`, refused when publishing in production.
 */
import { problem, type Problem } from '../../errors.js';
import { isObject, ptr } from '../../util/json.js';
import type { PackCheck } from '../registry.js';

export const placeholderParametersCheck: PackCheck = {
  id: 'core.placeholder-parameters',
  run(pack, ctx) {
    const out: Problem[] = [];
    const params = pack.manifest.parameters;
    if (!isObject(params)) return out;
    for (const [name, p] of Object.entries(params)) {
      if (!isObject(p) || p.setByAdministrator !== true || isObject(p.confirmed)) continue;
      out.push(problem('PARAM_PLACEHOLDER', pack.manifestFile, ptr('parameters', name, 'value'), { label: p.label, name, value: String(p.value) }, ctx.production ? 'error' : 'warning'));
    }
    return out;
  },
};
