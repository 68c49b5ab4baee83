import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, newCommand } from '@yuanping/cli';
import { captureCliOutput } from '../support/cli-output.js';

const packs = join(import.meta.dirname, '..', 'packs');
const io = captureCliOutput();


function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'yp-cli-'));
  cpSync(join(packs, 'schemas'), join(root, 'schemas'), { recursive: true });
  cpSync(join(packs, 'rules'), join(root, 'rules'), { recursive: true });
  return root;
}

describe('yuanping evaluate', () => {
  it('prints the outcome and explanation as JSON', async () => {
    const root = tempRoot();
    const file = join(root, 'in.json');
    writeFileSync(file, JSON.stringify({ name: '园', kind: 'm', land: 30, tax: 899, built: '2018-01-01', services: ['a'] }));
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', '--ruleset', 'level', file])).toBe(0);
    const r = JSON.parse(io.out) as { evaluation: { outcome: { level: string; next: { missing: Array<{ rule: string }> } } } };
    expect(r.evaluation.outcome.level).toBe('1');
    expect(r.evaluation.outcome.next.missing.map((m) => m.rule)).toEqual(['l2.land', 'l2.svc']);
  });
  it('prints a readable Chinese table with --format text', async () => {
    const root = tempRoot();
    const file = join(root, 'in.json');
    writeFileSync(file, JSON.stringify({ name: '园', kind: 'm', land: 30, tax: 899, built: '2018-01-01', services: ['a'] }));
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', '--ruleset', 'level', '--format', 'text', file])).toBe(0);
    expect(io.out).toContain('结果：一星级');
    expect(io.out).toContain('实际用地面积：实际 30 亩，要求 ≥ 50 亩');
  });
  it('exits 1 and lists field errors for an invalid submission', async () => {
    const root = tempRoot();
    const file = join(root, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: '园', land: -1 }));
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', '--ruleset', 'level', '--format', 'text', file])).toBe(1);
    expect(io.out).toContain('实际用地面积不能小于 0');
  });
  it('takes a fixture file: its input and rule set, compared with what it expects', async () => {
    const root = tempRoot();
    const fixture = join(root, 'rules', 'mini', 'fixtures', 'a.json');
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', '--format', 'text', fixture])).toBe(0);
    expect(io.out).toContain('样例：比值恰为 1.5');
    expect(io.out).toContain('结果：二星级');
    expect(io.out).toContain('✓ 与样例的期望一致');
  });
  it('--param tries another parameter value without copying the pack (repeatable; the fixture is then a what-if)', async () => {
    const root = tempRoot();
    const fixture = join(root, 'rules', 'mini', 'fixtures', 'a.json');
    // tax per mu 900 / 30 = 30; against an average of 25 the ratio is 1.2 < 1.5: the relaxation of 二星级·规模 no longer holds
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', '--format', 'text', '--param', 'avgTax=25', fixture])).toBe(0);
    expect(io.out).toContain('参数 全省平均亩均税收（avgTax）：25 万元/亩（--param；清单中为 20）');
    expect(io.out).toContain('结果：一星级');
    expect(io.out).not.toContain('与样例的期望');
    io.out = '';
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', '--param', 'avgTax=25', '--param', 'avgTax=20', fixture])).toBe(0);
    const r = JSON.parse(io.out) as { parameters: Record<string, unknown>; evaluation: { outcome: { level: string } } };
    expect(r.parameters).toEqual({ avgTax: 20 });
    expect(r.evaluation.outcome.level).toBe('2');
  });
  it('refuses an unknown parameter, a non-number for a number, and form data without --ruleset, in Chinese (exit 2)', async () => {
    const root = tempRoot();
    const fixture = join(root, 'rules', 'mini', 'fixtures', 'a.json');
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', '--param', 'avgTx=25', fixture])).toBe(2);
    expect(io.err).toContain('没有参数“avgTx”');
    expect(io.err).toContain('avgTax（全省平均亩均税收）');
    io.err = '';
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', '--param', 'avgTax=很多', fixture])).toBe(2);
    expect(io.err).toContain('应为数字');
    io.err = '';
    const data = join(root, 'in.json');
    writeFileSync(data, JSON.stringify({ name: '园', land: 30 }));
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', data])).toBe(2);
    expect(io.err).toContain('需要 --ruleset');
    io.err = '';
    writeFileSync(data, '{\n  "name": "园",\n  "land": 30,\n}\n');
    expect(await main(['--root', root, 'evaluate', '--pack', 'mini', '--ruleset', 'level', data])).toBe(2);
    expect(io.err).toMatch(/第 4 行第 1 列附近有格式错误/);
  });
  it('exits 2 when the input file is missing', async () => {
    expect(await main(['--root', tempRoot(), 'evaluate', '--pack', 'mini', '--ruleset', 'level', '/no/such.json'])).toBe(2);
  });
});

describe('yuanping impact', () => {
  it('lists the submissions whose outcome changes under the new pack, with the reason, and writes the xlsx', async () => {
    const root = tempRoot();
    expect(await main(['--root', root, 'new', 'mini-2022', '--from', 'mini', '--no-input'])).toBe(0);
    const rPath = join(root, 'rules', 'mini-2022', 'level.rules.json');
    const rs = JSON.parse(readFileSync(rPath, 'utf8'));
    rs.rules[0].conditions.all[0].value = 25; // 一星级·规模: land ≥ 20 → ≥ 25
    writeFileSync(rPath, JSON.stringify(rs));
    const subs = join(root, 'subs.json');
    const base = { name: '园', kind: 'm', tax: 100, built: '2018-01-01', services: ['a'] };
    // 30 mu holds under both (level 1); 22 mu held ≥ 20 and misses ≥ 25
    writeFileSync(subs, JSON.stringify([
      { id: 's1', label: '甲园', forms: { app: { ...base, land: 30 } } },
      { id: 's2', label: '乙园', formId: 'app', data: { ...base, land: 22 } },
    ]));
    io.out = '';
    const xlsx = join(root, 'out', 'impact.xlsx');
    expect(await main(['--root', root, 'impact', 'mini', 'mini-2022', subs, '--out', xlsx])).toBe(0);
    const lines = io.out.trim().split('\n');
    expect(lines[0]).toMatch(/^2 份申报按 mini-2022 重新计算（\d+ ms），与 mini 相比 1 项结果变化：$/);
    expect(lines).toContain('  等级：比较 2 份，变化 1 份');
    const head = lines.find((l) => l.startsWith('乙园【等级】'));
    expect(head).toMatch(/^乙园【等级】一星级 → /);
    expect(head).not.toMatch(/→ 一星级$/);
    expect(io.out).toContain('一星级·规模——之前 一星级·规模：满足（实际用地面积 实际 22');
    expect(io.out).not.toContain('甲园');
    const { readXlsx } = await import('@yuanping/tables');
    const sheets = await readXlsx(readFileSync(xlsx));
    expect(sheets[0]?.rows.slice(3).map((r) => r[0])).toEqual(['乙园']);
  });
});

describe('yuanping new and diff', () => {
  it('scaffolds next year from last year, and diff lists what changed one line each', async () => {
    const root = tempRoot();
    expect(await main(['--root', root, 'new', 'mini-2022', '--from', 'mini'])).toBe(0);
    const mPath = join(root, 'schemas', 'mini-2022', 'pack.json');
    const m = JSON.parse(readFileSync(mPath, 'utf8'));
    expect(m).toMatchObject({ id: 'mini-2022', succeeds: 'mini', year: 2022 });
    expect(await main(['--root', root, 'check', 'mini-2022'])).toBe(0);
    // new moved the year and every date on by one year
    io.out = '';
    expect(await main(['--root', root, 'diff', 'mini', 'mini-2022'])).toBe(0);
    const moved = [
      '【基本信息】',
      '  通知：年度 2021 → 2022',
      '【日期与办理时间】',
      '  发文日期：日期 2021-06-22 → 2022-06-22',
      '  数据截止日期：日期 2020-12-31 → 2021-12-31',
    ];
    const movedRule = '  规则集“等级”的规则“二星级·规模”：条件“投运时间 不晚于” 2018-12-31 → 2019-12-31';
    expect(io.out.trim().split('\n')).toEqual([...moved, '【规则与计算】', movedRule, '共 4 处变化']);
    // the administrator edits this year's pack
    m.parameters.avgTax.value = 22;
    writeFileSync(mPath, JSON.stringify(m));
    const rPath = join(root, 'rules', 'mini-2022', 'level.rules.json');
    const rs = JSON.parse(readFileSync(rPath, 'utf8'));
    rs.rules[0].conditions.all[0].value = 25;
    writeFileSync(rPath, JSON.stringify(rs));
    const fPath = join(root, 'schemas', 'mini-2022', 'forms', 'app.schema.json');
    const f = JSON.parse(readFileSync(fPath, 'utf8'));
    f.properties.firms = { type: 'integer', title: '入驻企业数', minimum: 0 };
    writeFileSync(fPath, JSON.stringify(f));
    io.out = '';
    expect(await main(['--root', root, 'diff', 'mini', 'mini-2022'])).toBe(0);
    expect(io.out.trim().split('\n')).toEqual([
      ...moved.slice(0, 2),
      '【参数】',
      '  参数“全省平均亩均税收”（avgTax）：值 20 万元/亩 → 22 万元/亩',
      ...moved.slice(2),
      '【表单、字段与选项】',
      '  新增表单“申请表”的字段“入驻企业数”（firms）（最小值 0）',
      '【规则与计算】',
      '  规则集“等级”的规则“一星级·规模”：条件“实际用地面积 ≥” 20 → 25',
      movedRule,
      '共 7 处变化',
    ]);
  });
  it('new takes the year and dates as flags; a date not given is shifted by the year difference and listed for review', async () => {
    const root = tempRoot();
    expect(await main(['--root', root, 'new', 'mini-2022', '--from', 'mini', '--year', '2022', '--issue-date', '2022-06-20'])).toBe(0);
    const m = JSON.parse(readFileSync(join(root, 'schemas', 'mini-2022', 'pack.json'), 'utf8'));
    expect(m).toMatchObject({ year: 2022, issueDate: '2022-06-20', dataCutoff: '2021-12-31' });
    // the rule's date (parks built on or before 2018-12-31) moves a year too, and is listed
    const rs = JSON.parse(readFileSync(join(root, 'rules', 'mini-2022', 'level.rules.json'), 'utf8'));
    expect(rs.rules[1].conditions.any[1].all[1].value).toBe('2019-12-31');
    const lines = io.out.split('\n');
    expect(lines).toContain('  ✓ 发文日期：2021-06-22 → 2022-06-20（已给出）');
    expect(lines).toContain('  ? 数据截止日期：2020-12-31 → 2021-12-31（按年份顺延，请核对）');
    expect(lines).toContain('  ? “二星级·规模”中的日期（rules/mini-2022/level.rules.json#/rules/1/conditions/any/1/all/1/value）：2018-12-31 → 2019-12-31（按年份顺延，请核对）');
    expect(io.out).toContain('1 个复制的样例已标记为“待复核”');
  });
  it('new asks for the year and each date on a terminal; an empty answer keeps the shifted date (listed for review)', async () => {
    const root = tempRoot();
    const asked: string[] = [];
    const answers = ['2023', '2023-06-20', ''];
    const ask = async (q: string, suggestion: string) => {
      asked.push(`${q} [${suggestion}]`);
      return answers.shift() ?? '';
    };
    expect(await newCommand('mini-2023', { from: 'mini', root, ask })).toBe(0);
    expect(asked).toEqual(['年度 [2022]', '发文日期（去年 2021-06-22） [2023-06-22]', '数据截止日期（去年 2020-12-31） [2022-12-31]']);
    const m = JSON.parse(readFileSync(join(root, 'schemas', 'mini-2023', 'pack.json'), 'utf8'));
    expect(m).toMatchObject({ year: 2023, issueDate: '2023-06-20', dataCutoff: '2022-12-31' });
    expect(io.out).toContain('  ? 数据截止日期：2020-12-31 → 2022-12-31（按年份顺延，请核对）');
  });
  it('refuses a malformed or unknown date, in Chinese (exit 2), and writes nothing', async () => {
    const root = tempRoot();
    expect(await main(['--root', root, 'new', 'mini-2022', '--from', 'mini', '--issue-date', '2022-02-30'])).toBe(2);
    expect(io.err).toContain('应写成 YYYY-MM-DD 且是真实的日期');
    io.err = '';
    expect(await main(['--root', root, 'new', 'mini-2022', '--from', 'mini', '--date', 'noSuch=2022-09-01'])).toBe(2);
    expect(io.err).toContain('没有日期“date:noSuch”');
    expect(() => readFileSync(join(root, 'schemas', 'mini-2022', 'pack.json'))).toThrow();
  });
  it('copied fixtures are 待复核: a warning in check and fixtures, not a failure, until the review mark is removed', async () => {
    const root = tempRoot();
    expect(await main(['--root', root, 'new', 'mini-2022', '--from', 'mini'])).toBe(0);
    // this year's notice raises 一星级's land threshold to 35: last year's fixture (land 30, expects 二星级) no longer holds
    const rPath = join(root, 'rules', 'mini-2022', 'level.rules.json');
    const rs = JSON.parse(readFileSync(rPath, 'utf8'));
    rs.rules[0].conditions.all[0].value = 35;
    writeFileSync(rPath, JSON.stringify(rs));
    io.out = '';
    expect(await main(['--root', root, 'fixtures', 'mini-2022'])).toBe(0);
    expect(io.out).toContain('? a.json  比值恰为 1.5  待复核');
    expect(io.out).toContain('等级：期望 二星级，实际 未达到');
    expect(io.out).toContain('0 个通过，0 个未通过，1 个待复核');
    io.out = '';
    expect(await main(['--root', root, 'check', '--format', 'json', 'mini-2022'])).toBe(0);
    const [report] = JSON.parse(io.out) as Array<{ problems: Array<{ code: string; severity: string; pointer: string }> }>;
    expect(report!.problems).toEqual([expect.objectContaining({ code: 'FIXTURE_NEEDS_REVIEW', severity: 'warning', pointer: '/review' })]);
    // reviewed: the administrator removes the mark without fixing the expectation → a failure again
    const fPath = join(root, 'rules', 'mini-2022', 'fixtures', 'a.json');
    const fx = JSON.parse(readFileSync(fPath, 'utf8'));
    expect(fx.review).toMatch(/^复制自 2021 年度的通知包，尚未按 2022 年的通知核对/);
    delete fx.review;
    writeFileSync(fPath, JSON.stringify(fx));
    io.out = '';
    expect(await main(['--root', root, 'fixtures', 'mini-2022'])).toBe(1);
    expect(io.out).toContain('0 个通过，1 个未通过');
  });
  it('fixtures --accept-unchanged clears the review mark of the copied fixtures whose outcome this year is as expected, and of no other', async () => {
    const root = tempRoot();
    expect(await main(['--root', root, 'new', 'mini-2022', '--from', 'mini'])).toBe(0);
    const fPath = join(root, 'rules', 'mini-2022', 'fixtures', 'a.json');
    const rPath = join(root, 'rules', 'mini-2022', 'level.rules.json');
    const original = readFileSync(rPath, 'utf8');
    // a changed threshold changes the fixture's outcome: it stays 待复核
    const rs = JSON.parse(original);
    rs.rules[0].conditions.all[0].value = 35;
    writeFileSync(rPath, JSON.stringify(rs));
    io.out = '';
    expect(await main(['--root', root, 'fixtures', 'mini-2022', '--accept-unchanged'])).toBe(0);
    expect(io.out).toContain('? a.json  比值恰为 1.5  待复核');
    expect(JSON.parse(readFileSync(fPath, 'utf8')).review).toBeTypeOf('string');
    // the notice left it alone: the plain run says it can be accepted, --accept-unchanged does it
    writeFileSync(rPath, original);
    io.out = '';
    expect(await main(['--root', root, 'fixtures', 'mini-2022'])).toBe(0);
    expect(io.out).toContain('--accept-unchanged');
    io.out = '';
    expect(await main(['--root', root, 'fixtures', 'mini-2022', '--accept-unchanged'])).toBe(0);
    expect(io.out).toContain('✓ a.json  比值恰为 1.5  结果与期望一致，已标为已复核');
    const fx = JSON.parse(readFileSync(fPath, 'utf8'));
    expect(fx.review).toBeUndefined();
    expect(fx.title).toBe('比值恰为 1.5');
    io.out = '';
    expect(await main(['--root', root, 'fixtures', 'mini-2022'])).toBe(0);
    expect(io.out).toContain('1 个通过，0 个未通过');
  });
  it('check --former names a field removed since last year by its former title, as the workbench does', async () => {
    const root = tempRoot();
    expect(await main(['--root', root, 'new', 'mini-2022', '--from', 'mini'])).toBe(0);
    // this year's form drops 实际用地面积 (land), which the level rules still read
    const fPath = join(root, 'schemas', 'mini-2022', 'forms', 'app.schema.json');
    const form = JSON.parse(readFileSync(fPath, 'utf8'));
    delete form.properties.land;
    form.required = form.required.filter((k: string) => k !== 'land');
    writeFileSync(fPath, JSON.stringify(form));
    type Report = Array<{ problems: Array<{ code: string; message: string }> }>;
    const unknownFacts = () => (JSON.parse(io.out) as Report)[0]!.problems.filter((p) => p.code === 'RULE_UNKNOWN_FACT').map((p) => p.message);
    io.out = '';
    expect(await main(['--root', root, 'check', '--format', 'json', 'mini-2022'])).toBe(1);
    const bare = unknownFacts();
    expect(bare.length).toBeGreaterThan(0);
    for (const m of bare) expect(m).toContain('“land”');
    io.out = '';
    expect(await main(['--root', root, 'check', '--format', 'json', '--former', 'mini', 'mini-2022'])).toBe(1);
    const named = unknownFacts();
    // the same problems, each naming the field as last year's form titled it
    expect(named).toHaveLength(bare.length);
    for (const m of named) {
      expect(m).toContain('“实际用地面积（已删除的字段）”');
      expect(m).not.toContain('“land”');
    }
    // a predecessor that does not exist is a usage error (exit 2), in Chinese
    io.out = '';
    io.err = '';
    expect(await main(['--root', root, 'check', '--former', 'nosuch', 'mini-2022'])).toBe(2);
    expect(io.err).toContain('--former：无法读取通知包“nosuch”');
  });
  it('refuses to overwrite an existing pack', async () => {
    const root = tempRoot();
    expect(await main(['--root', root, 'new', 'mini', '--from', 'mini'])).toBe(2);
  });
});
