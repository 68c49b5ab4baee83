/**
 * How deeply a JSON text nests, found by one pass over its characters (no recursion, no parse):
 * the guard that runs before anything recursive (JSON.parse's consumers, canonicalJson, the
 * schema compiler, the checker) sees a document sent from outside.
 */

/** The maximum nesting of objects and arrays a pack file or request body may have. */
export const MAX_JSON_DEPTH = 64;

/** Whether `text` nests objects/arrays more than `max` deep (brackets inside strings do not count). */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
