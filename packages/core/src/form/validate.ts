import type { Form } from '../pack/types.js';
import { compileForm } from './ajv.js';
import { computeFields } from './compute.js';
import { fieldErrors, type FieldError } from './messages.js';

export interface ValidationResult {
  valid: boolean;
  errors: FieldError[];
  /** the data with computed fields filled in */
  data: unknown;
}

/**
 * Validate a submission against its form: computed fields are filled first, then
 * ajv checks the data strictly (no type coercion, nothing stripped, no defaults).
 */
export function validateSubmission(form: Form, data: unknown): ValidationResult {
  const prepared = computeFields(form.schema, data);
  const validate = compileForm(form.cacheId, form.schema);
  const ok = validate(prepared);
  return { valid: ok, errors: ok ? [] : fieldErrors(validate.errors), data: prepared };
}
