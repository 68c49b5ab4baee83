/**
 * Checks a problem's `details` against the schema of its code (errors.ts ERROR_DETAILS, with the
 * components it refers to). The test harness runs it on every error answer that carries details
 * (testing/harness.ts), so each test that provokes such an error checks its details too.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { COMPONENTS } from '../components.js';
import { ERROR_DETAILS } from '../errors.js';

let ajv: Ajv2020 | null = null;
const validators = new Map<string, ValidateFunction>();

/** What is wrong with `details` thrown with `code`: null when they match its schema. */
export function detailsMismatch(code: string, details: unknown): string | null {
  if (!Object.hasOwn(ERROR_DETAILS, code)) return `${code} 带 details，但 errors.ts 的 ERROR_DETAILS 没有它的 schema`;
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    for (const c of COMPONENTS) ajv.addSchema(c);
  }
  let validate = validators.get(code);
  if (!validate) {
    validate = ajv.compile(ERROR_DETAILS[code as keyof typeof ERROR_DETAILS]);
    validators.set(code, validate);
  }
  return validate(details) ? null : `${code} 的 details 不符合其 schema：${ajv.errorsText(validate.errors)}`;
}

/** Throws when an answer is a problem whose details do not match its code's schema. */
export function assertProblemDetails(res: { headers: Record<string, unknown>; body: string }): void {
  if (!String(res.headers['content-type'] ?? '').startsWith('application/problem+json')) return;
  let p: { code?: unknown; details?: unknown };
  try {
    p = JSON.parse(res.body) as typeof p;
  } catch {
    return;
  }
  if (p.details === undefined) return;
  const wrong = detailsMismatch(String(p.code), p.details);
  if (wrong) throw new Error(wrong);
}
