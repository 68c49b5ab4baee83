/**
 * Every catalogue message rendered with the parameters its call sites give: no `{hole}` left
 * unfilled and no hole filled with nothing ("上限为 请求上限", "不支持的内容类型：" were such).
 * Call sites are found in the source (TypeScript's parser): `new ApiError(code, params)`,
 * `new YuanpingError(code, params)`, `formatMessage(code, params)` and `problem(code, file,
 * pointer, params)` with a literal code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERRORS, formatMessage, type ErrorCode } from '@yuanping/core';

const ROOT = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const holesOf = (code: ErrorCode) => [...ERRORS[code].message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

interface Site {
  where: string;
  code: ErrorCode;
  /** the literal parameter object's keys and, for literal values, the values; null when the parameters are not a literal object */
  params: Map<string, string | null> | null;
}

function callSites(): Site[] {
  const sites: Site[] = [];
  const files = [...sourceFiles(join(ROOT, 'apps')), ...sourceFiles(join(ROOT, 'packages'))];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node: ts.Node) => {
      let callee: string | null = null;
      let args: readonly ts.Expression[] = [];
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        callee = node.expression.text;
        args = node.arguments ?? [];
      } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        callee = node.expression.text;
        args = node.arguments;
      }
      const paramIndex = callee === 'ApiError' || callee === 'YuanpingError' || callee === 'formatMessage' ? 1 : callee === 'problem' ? 3 : -1;
      const first = args[0];
      if (paramIndex >= 0 && first && ts.isStringLiteral(first) && first.text in ERRORS) {
        const arg = args[paramIndex];
        let params: Map<string, string | null> | null = new Map();
        if (arg && ts.isObjectLiteralExpression(arg)) {
          for (const prop of arg.properties) {
            if (ts.isSpreadAssignment(prop)) {
              params = null;
              break;
            }
            const name = prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) ? prop.name.text : null;
            if (!name) continue;
            const init = ts.isPropertyAssignment(prop) ? prop.initializer : null;
            params.set(name, init && (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) ? init.text : null);
          }
        } else if (arg) params = null;
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
        sites.push({ where: `${relative(ROOT, file)}:${line + 1}`, code: first.text as ErrorCode, params });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return sites;
}

describe('every catalogue message is filled where it is used', () => {
  const sites = callSites();

  it('finds the call sites', () => {
    expect(sites.length).toBeGreaterThan(150);
  });

  it('every literal call site gives every parameter of its message, none empty', () => {
    const problems: string[] = [];
    for (const s of sites) {
      if (s.params === null) continue; // parameters passed on from elsewhere (checked where they are made)
      for (const hole of holesOf(s.code)) {
        if (!s.params.has(hole)) problems.push(`${s.where} ${s.code}: no {${hole}}`);
        else if (s.params.get(hole)?.trim() === '') problems.push(`${s.where} ${s.code}: {${hole}} is empty`);
      }
      // a rendering with the literal values (others stand in as "值") leaves no hole
      const values = Object.fromEntries([...s.params].map(([k, v]) => [k, v ?? '值']));
      const rendered = formatMessage(s.code, values);
      if (/\{\w+\}/.test(rendered)) problems.push(`${s.where} ${s.code}: "${rendered}"`);
    }
    expect(problems).toEqual([]);
  });

  it('the limits and types once left as holes are written out', () => {
    const literal = (code: ErrorCode, key: string) => sites.filter((s) => s.code === code && s.params !== null).map((s) => s.params?.get(key));
    expect(literal('PAYLOAD_TOO_LARGE', 'limit')).not.toContain('请求上限');
    expect(literal('UNSUPPORTED_MEDIA_TYPE', 'type')).not.toContain('');
  });
});
