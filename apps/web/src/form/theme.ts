/**
 * The rjsf Form with the antd theme's templates and the antd widgets our packs use.
 * Imported module by module (not @rjsf/antd's index, whose theme object pulls every
 * widget — date pickers, sliders, colour pickers — into the bundle); dates use the
 * browser's own date input through our BaseInputTemplate.
 */
import { withTheme } from '@rjsf/core';
import { generateTemplates } from '../../node_modules/@rjsf/antd/lib/templates/index.js';
import CheckboxWidget from '../../node_modules/@rjsf/antd/lib/widgets/CheckboxWidget/index.js';
import { SelectWidget } from './SelectWidget';
import { CheckboxesWidget, RadioWidget } from './GroupWidgets';

export { generateTemplates };

export const ThemedForm = withTheme({
  templates: generateTemplates(),
  widgets: { RadioWidget, CheckboxWidget, CheckboxesWidget, SelectWidget },
});
