// The samples that ship in examples/ (examples/examples.json): where each one's data comes from.
// Shared by `pnpm gen:examples` (scripts/gen-examples.ts) and the test that keeps them true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');
export const EXAMPLES = join(REPO, 'examples');

export interface Example {
  /** path under examples/ */
  file: string;
  pack: string;
  form: string;
  /** a repository file holding the data, and a JSON pointer into it ('' = the whole file) */
  from: string;
  pointer: string;
  /** fields of a table outside its rows (when `from` holds only the rows) */
  set?: Record<string, unknown>;
}

export interface ExampleList {
  submissions: Example[];
  tables: Example[];
}

export function exampleList(): ExampleList {
  return JSON.parse(readFileSync(join(EXAMPLES, 'examples.json'), 'utf8')) as ExampleList;
}

function at(doc: unknown, pointer: string): unknown {
  let v = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (v === null || typeof v !== 'object' || !(key in v)) throw new Error(`${pointer} 不存在`);
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The data an example is made of: a submission, or a table's data (`{ ...set, rows }` when `from` holds rows). */
export function exampleData(e: Example): unknown {
  const v = at(JSON.parse(readFileSync(join(REPO, e.from), 'utf8')), e.pointer);
  return Array.isArray(v) ? { ...e.set, rows: v } : { ...(v as Record<string, unknown>), ...e.set };
}
