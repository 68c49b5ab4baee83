/**
 * Rule conditions as sentences and the level standard as a matrix, on the star pack's own files:
 * what the editor reads (sentences, the matrix's rows and cells, read-only conditions) and what
 * its edits write (only the condition edited, in a copy; other files shared).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addLeaf, conditionView, leaves, levelMatrix, operatorsFor, removeCondition, ruleSetsOf, sentence, setJoin, setLeaf, setName } from './rule-edit';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const PACK = 'zj-2021-evaluation-star';
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test data

function packFiles(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.json')) out[relative(ROOT, p)] = JSON.parse(readFileSync(p, 'utf8'));
    }
  };
  walk(join(ROOT, 'schemas', PACK));
  walk(join(ROOT, 'rules', PACK));
  return out;
}

const FILE = `rules/${PACK}/star-rating.rules.json`;
const files = packFiles();
const star = () => ruleSetsOf(files, PACK).find((r) => r.id === 'star-rating')!;
const ruleIndex = (name: string) => star().rules.findIndex((r) => r.name === name);

describe('判定规则写成句子', () => {
  it('读出规则集、字段的中文标题和单位', () => {
    const rs = star();
    expect(rs.file).toBe(FILE);
    expect(rs.kind).toBe('level');
    expect(rs.levels.map((l) => l.label)).toEqual(['一星级', '二星级', '三星级', '四星级', '五星级']);
    const land = rs.facts.get('area.land')!;
    expect(land.kind).toBe('field');
    expect(land.unit).toBe('亩');
    expect(rs.facts.get('taxPerMu')).toMatchObject({ kind: 'derived', unit: '万元/亩' });
    expect(operatorsFor(land).map((o) => o.label)).toEqual(['≥', '>', '≤', '<', '=', '≠']);
    // labels as the applicant reads them: the year and parameters filled in
    expect(rs.text('{{pack.year}} 年度，A 档占比 {{param.shareA}}')).toBe('2021 年度，A 档占比 0.2');
    expect(rs.text('{{param.noSuch}}')).toBe('{{param.noSuch}}');
  });

  it('常见的条件可编辑，少见的只读', () => {
    const rs = star();
    const i = ruleIndex('star1.size.manufacturing');
    const v = conditionView(rs.rules[i]!.conditions, `/rules/${i}/conditions`, rs.facts);
    expect(v.kind).toBe('group');
    const ls = leaves(v);
    expect(ls.map((x) => x.kind)).toEqual(['leaf', 'leaf']);
    expect(ls[0]).toMatchObject({ fact: 'area.land', operator: 'greaterThanInclusive', value: 20, pointer: `/rules/${i}/conditions/any/0/any/0` });
    expect(sentence(rs.rules[i]!.conditions, rs.facts)).toBe('实际用地面积(亩) ≥ 20 亩，或者 已建建筑面积 ≥ 20000 平方米');
    // a comparison with a parameter (another fact) is shown, not edited here
    const g = ruleIndex('star1.grade');
    const gv = leaves(conditionView(rs.rules[g]!.conditions, `/rules/${g}/conditions`, rs.facts));
    expect(gv[0]!.kind).toBe('other');
    expect(gv[0]).toMatchObject({ why: '与另一项数据或参数比较' });
    expect((gv[0] as { text: string }).text).toContain('参数“');
  });

  it('改一个值只改这一处，其他文件不动', () => {
    const rs = star();
    const i = ruleIndex('star1.size.manufacturing');
    const at = `/rules/${i}/conditions/any/0/any/0`;
    const next = setLeaf(files, rs, at, { value: 25 });
    expect((next[FILE] as Obj).rules[i].conditions.any[0].any[0]).toEqual({ fact: 'area.land', operator: 'greaterThanInclusive', value: 25 });
    expect((files[FILE] as Obj).rules[i].conditions.any[0].any[0].value).toBe(20);
    for (const f of Object.keys(files)) if (f !== FILE) expect(next[f]).toBe(files[f]);
    // the group's name (shown in the explanation) is edited on its own
    const named = setName(next, FILE, `/rules/${i}/conditions/any/0`, '占地面积≥25亩或建筑面积≥2万平方米');
    expect((named[FILE] as Obj).rules[i].conditions.any[0].name).toBe('占地面积≥25亩或建筑面积≥2万平方米');
  });

  it('换字段时比较方式和值随之换成合适的', () => {
    const rs = star();
    const i = ruleIndex('star1.size.manufacturing');
    const at = `/rules/${i}/conditions/any/0/any/0`;
    const typeField = [...rs.facts.values()].find((f) => f.id === 'basic.parkType')!;
    const next = setLeaf(files, rs, at, { fact: typeField.id });
    const c = (next[FILE] as Obj).rules[i].conditions.any[0].any[0];
    expect(c.fact).toBe('basic.parkType');
    expect(operatorsFor(typeField).map((o) => o.value)).toContain(c.operator);
    expect(typeField.options!.map((o) => o.value)).toContain(c.value);
    // 属于 takes a list
    const inList = setLeaf(next, rs, at, { operator: 'in' });
    expect(Array.isArray((inList[FILE] as Obj).rules[i].conditions.any[0].any[0].value)).toBe(true);
  });

  it('组合、添加、删除条件', () => {
    const rs = star();
    const i = ruleIndex('star1.size.manufacturing');
    const group = `/rules/${i}/conditions/any/0`;
    const all = setJoin(files, FILE, group, 'all');
    expect(Object.keys((all[FILE] as Obj).rules[i].conditions.any[0])).toEqual(expect.arrayContaining(['all', 'name']));
    const added = addLeaf(files, rs, group, 'area.land');
    expect((added[FILE] as Obj).rules[i].conditions.any[0].any).toHaveLength(3);
    const removed = removeCondition(added, FILE, `${group}/any/2`);
    expect((removed[FILE] as Obj).rules[i].conditions.any[0].any).toEqual((files[FILE] as Obj).rules[i].conditions.any[0].any);
    // the last condition of a group stays
    const only = `/rules/${ruleIndex('star1.size.service')}/conditions/all/0`;
    expect(removeCondition(files, FILE, only)).toBe(files);
  });
});

describe('等级标准矩阵', () => {
  it('按指标和园区类型分行、按星级分列', () => {
    const rows = levelMatrix(star());
    const size = rows.filter((r) => r.indicator === '园区规模');
    expect(size.map((r) => r.appliesTo)).toEqual(['园区类型 = 生产制造类', '园区类型 = 生产性服务类等其他类']);
    for (const r of size) expect([...r.cells.keys()].sort()).toEqual(['1', '2', '3', '4', '5']);
    const grade = rows.find((r) => r.indicator === '绩效评价')!;
    expect(grade.appliesTo).toBe('');
    // every criterion rule is in exactly one cell
    const rs = star();
    const inCells = rows.flatMap((r) => [...r.cells.values()].flat()).sort((a, b) => a - b);
    const criteria = rs.rules.map((r, i) => ((r.event as Obj).type === 'criterion' && (r.event as Obj).params?.level !== undefined ? i : -1)).filter((i) => i >= 0);
    expect(inCells).toEqual(criteria);
  });
});
