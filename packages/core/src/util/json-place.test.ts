import { describe, expect, it } from 'vitest';
import { pointerPlace } from './json-place.js';
import { parseJsonText } from './json-text.js';

const text = JSON.stringify(
  {
    id: 'p',
    forms: [
      { id: 'app', title: '申请表' },
      { id: 'b', 'a/b': { '0': 7 } },
    ],
    quotas: { '330100': 8 },
  },
  null,
  2,
);
const lines = text.split('\n');
const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;

describe('pointerPlace: a checker problem (file + JSON pointer) → the place in the text', () => {
  it('a value under a key: the key and the value, at its line and column', () => {
    const p = pointerPlace(text, '/forms/0/title');
    expect(p.exact).toBe(true);
    expect(p.line).toBe(lineOf('"申请表"'));
    expect(text.slice(p.from, p.to)).toBe('"title": "申请表"');
    expect(p.column).toBe(lines[p.line - 1]!.indexOf('"title"') + 1);
  });

  it('an object under a key: its key only; an item of a list: its opening bracket', () => {
    const q = pointerPlace(text, '/quotas');
    expect(text.slice(q.from, q.to)).toBe('"quotas"');
    const f = pointerPlace(text, '/forms/1');
    expect(text.slice(f.from, f.to)).toBe('{');
    expect(f.line).toBe(lineOf('"id": "b"') - 1);
  });

  it('escaped tokens, keys that look like numbers, and the root', () => {
    expect(text.slice(pointerPlace(text, '/forms/1/a~1b/0').from, pointerPlace(text, '/forms/1/a~1b/0').to)).toBe('"0": 7');
    expect(pointerPlace(text, '/quotas/330100').line).toBe(lineOf('"330100"'));
    expect(pointerPlace(text, '')).toMatchObject({ from: 0, to: 1, line: 1, column: 1, exact: true });
  });

  it('a pointer the text does not have: the nearest enclosing value, not exact', () => {
    const p = pointerPlace(text, '/forms/0/maximum');
    expect(p.exact).toBe(false);
    expect(p.line).toBe(lineOf('"id": "app"') - 1);
    expect(pointerPlace(text, '/forms/9/id')).toMatchObject({ exact: false, line: lineOf('"forms"') });
  });

  it('the last of a key written twice (what JSON.parse keeps)', () => {
    const t = '{\n  "a": 1,\n  "a": 2\n}';
    expect(pointerPlace(t, '/a')).toMatchObject({ line: 3, exact: true });
  });

  it('places are still found while the text has a syntax error elsewhere, and agree with the syntax error of parseJsonText', () => {
    const broken = text.replace('"id": "b",', '"id": "b"');
    const syntax = parseJsonText(broken, 'x.json').problems[0]!;
    expect(syntax.code).toBe('PACK_JSON_SYNTAX');
    const bad = pointerPlace(broken, syntax.pointer);
    expect(bad.line).toBeLessThanOrEqual(lineOf('"a/b"'));
    expect(pointerPlace(broken, '/quotas/330100')).toMatchObject({ exact: true, line: lineOf('"330100"') });
    expect(pointerPlace('', '/a')).toMatchObject({ from: 0, line: 1, exact: false });
  });
});
