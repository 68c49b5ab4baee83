/**
 * Every field a user sees has a Chinese title: without one, the form shows the key and the
 * validation messages say `请填写i03b`. A field hidden by `"ui:widget": "hidden"` needs none.
 */
import { problem, type Problem } from '../../errors.js';
import { isObject, ptr } from '../../util/json.js';
import type { PackCheck } from '../registry.js';

const CHINESE = /[\u3400-\u9fff]/;

function walk(schema: unknown, ui: unknown, pointer: string, path: string, file: string, out: Problem[]): void {
  if (!isObject(schema)) return;
  const uiObj = isObject(ui) ? ui : {};
  if (isObject(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (!isObject(sub)) continue;
      const subUi = uiObj[key];
      const hidden = isObject(subUi) && subUi['ui:widget'] === 'hidden';
      const at = pointer + ptr('properties', key);
      const name = path ? `${path}.${key}` : key;
      if (!hidden && !(typeof sub.title === 'string' && CHINESE.test(sub.title))) out.push(problem('FORM_FIELD_NO_TITLE', file, at, { field: name }));
      walk(sub, subUi, at, name, file, out);
    }
  }
  if (isObject(schema.items)) walk(schema.items, uiObj.items, pointer + '/items', `${path}[]`, file, out);
}

export const fieldTitlesCheck: PackCheck = {
  id: 'core.field-titles',
  run(pack) {
    const out: Problem[] = [];
    for (const form of pack.forms.values()) if (form.file in pack.files) walk(form.schema, form.ui, '', '', form.file, out);
    return out;
  },
};
