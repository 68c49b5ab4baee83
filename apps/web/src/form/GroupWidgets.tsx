/**
 * antd's radio and checkbox groups (through rjsf) as named groups: a screen reader hears the
 * field's title, that a choice is required and that it is wrong, and reads its message.
 */
import type { WidgetProps } from '@rjsf/utils';
import AntRadioWidget from '../../node_modules/@rjsf/antd/lib/widgets/RadioWidget/index.js';
import AntCheckboxesWidget from '../../node_modules/@rjsf/antd/lib/widgets/CheckboxesWidget/index.js';
import { fieldAria, hasHelp } from './aria';

export function RadioWidget(props: WidgetProps) {
  const { id, required, rawErrors, uiSchema, label } = props;
  return (
    <div role="radiogroup" aria-label={label || undefined} {...fieldAria({ id, required, rawErrors, hasHelp: hasHelp(uiSchema) })}>
      <AntRadioWidget {...props} />
    </div>
  );
}

export function CheckboxesWidget(props: WidgetProps) {
  const { id, rawErrors, uiSchema, label } = props;
  // a group has no aria-required: its title says it (the form marks required fields with *)
  return (
    <div role="group" aria-label={label || undefined} {...fieldAria({ id, rawErrors, hasHelp: hasHelp(uiSchema) })}>
      <AntCheckboxesWidget {...props} />
    </div>
  );
}
