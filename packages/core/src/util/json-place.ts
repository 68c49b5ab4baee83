/**
 * Where a JSON pointer is in a file's text: the place an editor marks for a problem of the
 * checker (file + JSON pointer → offsets, line and column). The text is read with jsonc-parser's
 * tolerant parser, so a place is found even while the text has a syntax error elsewhere. A pointer
 * that names nothing in the text (a missing key, a problem of a value the text no longer has)
 * is placed at the nearest enclosing value that exists (`exact: false`).
 */
import { parseTree, type Node } from 'jsonc-parser';
import { lineColumn } from './json-text.js';
import { pointerTokens } from './json.js';

export interface JsonPlace {
  /** offsets into the text (from inclusive, to exclusive) of what to mark */
  from: number;
  to: number;
  /** 1-based line and column of `from` */
  line: number;
  column: number;
  /** the pointer names a value of the text (else the place is its nearest enclosing value) */
  exact: boolean;
}

/**
 * What to mark for a node: a number, text, true/false/null whole (with its key); an object or a list under a
 * key by its key (not twenty lines of it); any other object or list by its opening bracket.
 */
function markOf(node: Node): { from: number; to: number } {
  const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  if (node.type !== 'object' && node.type !== 'array') return { from: key && key !== node ? key.offset : node.offset, to: node.offset + node.length };
  if (key && key !== node) return { from: key.offset, to: key.offset + key.length };
  return { from: node.offset, to: node.offset + 1 };
}

export function pointerPlace(text: string, pointer: string): JsonPlace {
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  const at = (from: number, to: number, exact: boolean): JsonPlace => ({ from, to, exact, ...lineColumn(text, from) });
  if (!root) return at(0, Math.min(1, text.length), false);
  const tokens = pointerTokens(pointer);
  // walk down as far as the text goes: a list by index, an object by key (the last of a key written twice, as JSON.parse)
  let node: Node = root;
  let n = 0;
  for (; n < tokens.length; n++) {
    const t = tokens[n]!;
    let next: Node | undefined;
    if (node.type === 'array' && /^(0|[1-9]\d*)$/.test(t)) next = node.children?.[Number(t)];
    else if (node.type === 'object') next = node.children?.filter((p) => p.children?.[0]?.value === t).pop()?.children?.[1];
    if (!next) break;
    node = next;
  }
  const m = markOf(node);
  return at(m.from, m.to, n === tokens.length);
}
