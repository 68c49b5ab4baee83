/**
 * What a screen reader is told about a field: required (`aria-required`), wrong
 * (`aria-invalid`) and where its message is (`aria-describedby`: the error message when
 * there is one, the help text under it). One rule for every widget of every form.
 */
import { errorId, helpId } from '@rjsf/utils';

export interface FieldAriaInput {
  id: string;
  required?: boolean | undefined;
  rawErrors?: string[] | undefined;
  /** the field has help text under it (`ui:help`) */
  hasHelp?: boolean | undefined;
}

export interface FieldAria {
  'aria-required'?: true;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

export function fieldAria({ id, required, rawErrors, hasHelp }: FieldAriaInput, opts: { required?: boolean } = {}): FieldAria {
  const invalid = (rawErrors?.length ?? 0) > 0;
  const ids = [...(invalid ? [errorId(id)] : []), ...(hasHelp ? [helpId(id)] : [])];
  return {
    ...(required && opts.required !== false ? { 'aria-required': true as const } : {}),
    ...(invalid ? { 'aria-invalid': true as const } : {}),
    ...(ids.length ? { 'aria-describedby': ids.join(' ') } : {}),
  };
}

/** Whether a field's ui schema gives it help text. */
export const hasHelp = (uiSchema: unknown): boolean => typeof uiSchema === 'object' && uiSchema !== null && typeof (uiSchema as Record<string, unknown>)['ui:help'] === 'string';
