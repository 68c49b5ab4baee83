/** What @yuanping/tables contributes to the one pack checker (core's `CheckRegistry`). */
import { ERRORS, problem, type ErrorCode, type PackCheck, type Problem } from '@yuanping/core/browser';
import { checkTableForm } from './check.js';
import type { TableForm } from './form.js';

/** Table forms: header groups, sections, computed columns and total rows. */
export const tableFormsCheck: PackCheck = {
  id: 'tables.forms',
  run(pack) {
    const out: Problem[] = [];
    for (const form of pack.forms.values()) {
      if (form.kind !== 'table' || !(form.file in pack.files)) continue;
      for (const p of checkTableForm(form.schema as TableForm, form.file)) {
        const code: ErrorCode = p.code in ERRORS ? (p.code as ErrorCode) : 'TABLE_LAYOUT';
        out.push(problem(code, p.file, p.pointer, { detail: p.message }, p.severity));
      }
    }
    return out;
  },
};

/** Every check of this package, to register with core's `CheckRegistry`. */
export const tableChecks: readonly PackCheck[] = [tableFormsCheck];
