/**
 * Option lists as the browser's own <select> (single) — light and keyboard-friendly;
 * multiple choice lists render as checkboxes (see ui.ts).
 */
import type { WidgetProps } from '@rjsf/utils';
import { fieldAria, hasHelp } from './aria';

export function SelectWidget({ id, options, value, required, disabled, readonly, onChange, onBlur, onFocus, rawErrors, uiSchema }: WidgetProps) {
  const list = options.enumOptions ?? [];
  const idx = list.findIndex((o) => o.value === value);
  return (
    <select
      id={id}
      name={id}
      className="yp-select"
      {...fieldAria({ id, required, rawErrors, hasHelp: hasHelp(uiSchema) }, { required: false })}
      value={idx < 0 ? '' : String(idx)}
      required={required}
      disabled={disabled || readonly}
      onChange={(e) => onChange(e.target.value === '' ? options.emptyValue : list[Number(e.target.value)]?.value)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    >
      <option value="">请选择</option>
      {list.map((o, i) => (
        <option key={i} value={String(i)} disabled={options.enumDisabled?.includes(o.value) ?? false}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
