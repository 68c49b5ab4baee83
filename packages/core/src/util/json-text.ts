/**
 * Reading a pack file's text: JSON syntax errors with line, column and JSON pointer in Chinese
 * (jsonc-parser's scanner, comments and trailing commas refused), and keys written twice in one
 * object (JSON.parse silently keeps the last one: a field or an item written twice disappears).
 * Pure: used by the loader (CLI, server by reference) and by the server for posted file texts.
 */
import { getLocation, parse, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';
import { problem, type Problem } from '../errors.js';
import { ptr } from './json.js';

/** jsonc-parser's error names (printParseErrorCode) in Chinese. */
const SYNTAX: Record<string, string> = {
  InvalidSymbol: '无法识别的符号',
  InvalidNumberFormat: '数字格式不正确',
  PropertyNameExpected: '此处应为带双引号的键名',
  ValueExpected: '此处应为一个值（数字、带双引号的文字、true/false、null、对象或列表）',
  ColonExpected: '键名后应为冒号“:”',
  CommaExpected: '此处缺少逗号“,”',
  CloseBraceExpected: '缺少右花括号“}”',
  CloseBracketExpected: '缺少右方括号“]”',
  EndOfFileExpected: '文件应在此处结束（后面有多余的内容）',
  InvalidCommentToken: 'JSON 文件中不能写注释',
  UnexpectedEndOfComment: '注释没有结束',
  UnexpectedEndOfString: '文字没有结束（缺少右双引号“"”）',
  UnexpectedEndOfNumber: '数字不完整',
  InvalidUnicode: 'Unicode 转义（\\uXXXX）不正确',
  InvalidEscapeCharacter: '反斜杠“\\”后的转义字符不正确',
  InvalidCharacter: '文字中有不允许的字符（如未转义的换行或制表符）',
};

/** 1-based line and column (in characters) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

function syntaxDetail(text: string, e: ParseError): string {
  // a comma before a closing bracket: the usual mistake, said as such
  const name = printParseErrorCode(e.error);
  if (name === 'PropertyNameExpected' || name === 'ValueExpected') {
    const before = text.slice(0, e.offset).trimEnd();
    if (before.endsWith(',') && /^[\]}]/.test(text.slice(e.offset).trimStart())) return '最后一项后面多了一个逗号“,”';
  }
  return SYNTAX[name] ?? '语法错误';
}

export interface JsonTextResult {
  /** the parsed value; absent when the text is not JSON */
  value?: unknown;
  /** PACK_JSON_SYNTAX (then no value: only the first error is reported, the rest would be follow-ups) or PACK_DUPLICATE_KEY */
  problems: Problem[];
  /** where the syntax error is (an editor marks it there) */
  syntaxAt?: { offset: number; line: number; column: number };
}

export function parseJsonText(text: string, file: string): JsonTextResult {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.offset);
    const path = getLocation(text, first.offset).path;
    // where a key was expected jsonc-parser ends the path with '': the place is the object itself
    const pointer = ptr(...(path[path.length - 1] === '' ? path.slice(0, -1) : path));
    return { problems: [problem('PACK_JSON_SYNTAX', file, pointer, { line, column, detail: syntaxDetail(text, first) })], syntaxAt: { offset: first.offset, line, column } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // jsonc-parser accepted what JSON.parse refuses (should not happen): still a syntax problem, in Chinese
    return { problems: [problem('PACK_JSON_SYNTAX', file, '', { line: 1, column: 1, detail: `无法解析（${err instanceof Error ? err.name : '错误'}）` })] };
  }
  const problems: Problem[] = [];
  // keys per open object, with the line each was first written on
  const stack: Array<Map<string, number>> = [];
  visit(
    text,
    {
      onObjectBegin: () => void stack.push(new Map()),
      onObjectEnd: () => void stack.pop(),
      onObjectProperty: (key, offset, _length, _line, _col, pathSupplier) => {
        const seen = stack[stack.length - 1];
        if (!seen) return;
        const { line } = lineColumn(text, offset);
        const firstLine = seen.get(key);
        if (firstLine !== undefined) {
          problems.push(problem('PACK_DUPLICATE_KEY', file, ptr(...pathSupplier(), key), { key, line, firstLine }));
        } else seen.set(key, line);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return { value, problems };
}
