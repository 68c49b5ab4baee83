export type CohortRecord = Record<string, unknown>;

/** Read a field; a dotted name is first looked up as a flat key, then as a path. */
export function getField(record: CohortRecord, name: string): unknown {
  if (name in record) return record[name];
  if (!name.includes('.')) return undefined;
  let cur: unknown = record;
  for (const part of name.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
