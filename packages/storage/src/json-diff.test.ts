import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonChanges, revertChanges } from './json-diff.js';

describe('json changes (the audit entry of a draft save)', () => {
  it('rebuilds the document before from the one after and the changes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const changes = jsonChanges(a, b);
        expect(revertChanges(b, changes)).toEqual(a);
        // nothing changed: no changes
        expect(jsonChanges(a, structuredClone(a))).toEqual([]);
      }),
      { numRuns: 500, seed: 6 },
    );
  });

  it('also on edits of one document (the usual autosave)', () => {
    const doc = fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.integer(), { maxLength: 4 })), { maxKeys: 6 });
    fc.assert(
      fc.property(doc, doc, (base, patch) => {
        const after = { ...base, ...patch };
        expect(revertChanges(after, jsonChanges(base, after))).toEqual(base);
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('names each changed place once, with the values before and after', () => {
    expect(jsonChanges({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { b: 2, c: [1, 3] }, e: null })).toEqual([
      { path: ['a', 'b'], before: 1, after: 2 },
      { path: ['a', 'c', 1], before: 2, after: 3 },
      { path: ['d'], before: 1 },
      { path: ['e'], after: null },
    ]);
    // a key such as __proto__ is data, never a prototype
    const before = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    const back = revertChanges({}, jsonChanges(before, {})) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__']);
  });
});
