/**
 * The semantic diff on hand-made pack pairs: one kind of change per case, with the
 * expected lines written from the change (not from the output).
 */
import { describe, expect, it } from 'vitest';
import { packFromFiles } from './build.js';
import { diffPacks, formatDiffText } from './diff.js';

const M = 'schemas/p/pack.json';
const APP = 'schemas/p/forms/app.schema.json';
const CARD = 'schemas/p/forms/card.schema.json';
const REC = 'schemas/p/forms/rec.schema.json';
const ELIG = 'rules/p/elig.rules.json';
const SCORE = 'rules/p/score.rules.json';
const STEP = 'rules/p/grading.cohort.json';

const item = (n: number, name: string, max: number) => ({
  type: 'object',
  title: `序号${n} ${name}（${max}分）`,
  properties: {
    self: { type: 'number', title: '自评分', minimum: 0, maximum: max },
    page: { type: 'string', title: '佐证材料页码', maxLength: 50 },
    expert: { type: 'number', title: '考核分', minimum: 0, maximum: max },
  },
});
const scoreItem = (id: string, n: number, name: string, max: number, group: string) => ({
  id,
  label: `序号${n} ${name}（${max}分）`,
  max,
  fact: `scores.${id}.self`,
  reviewerFact: `scores.${id}.expert`,
  group,
});

function base(): Record<string, unknown> {
  return {
    [M]: {
      id: 'p',
      title: '测试通知',
      issuer: '测试办',
      issueDate: '2022-08-18',
      year: 2022,
      dataCutoff: '2021-12-31',
      jurisdiction: { level: 'province', code: '330000', name: '浙江省' },
      parameters: {
        capDefault: { label: '推荐上限（其他市）', value: 5, unit: '家', description: '说明文字' },
        capBig: { label: '推荐上限（甲市）', value: 8, unit: '家' },
      },
      forms: [
        { id: 'app', title: '申请表', attachment: '附件1', kind: 'record', scope: 'park', schema: 'forms/app.schema.json' },
        { id: 'card', title: '评分表', attachment: '附件2', kind: 'scorecard', scope: 'park', schema: 'forms/card.schema.json' },
        { id: 'rec', title: '推荐表', attachment: '附件3', kind: 'table', scope: 'city', schema: 'forms/rec.schema.json' },
      ],
      ruleSets: [
        { id: 'elig', file: 'elig.rules.json' },
        { id: 'score', file: 'score.rules.json' },
      ],
      cohortSteps: [{ id: 'grading', file: 'grading.cohort.json' }],
      workflow: {
        stages: [
          { id: 'fill', label: '填报', role: 'applicant', window: { opens: '2022-08-18', closes: '2022-09-20' } },
          { id: 'city', label: '市级推荐', role: 'city' },
        ],
      },
      dates: [{ id: 'due', label: '报送截止', date: '2022-09-20', clause: '二' }],
      quotas: [{ id: 'recommend', label: '推荐数量', scope: 'city', default: 5, overrides: { '330100': 8 } }],
    },
    [APP]: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', title: '园区名称', maxLength: 50 },
        grade: {
          type: 'string',
          title: '绩效评价档次',
          oneOf: [
            { const: 'A', title: 'A档' },
            { const: 'B', title: 'B档' },
            { const: 'C', title: 'C档' },
          ],
        },
        land: { type: 'number', title: '用地面积', minimum: 0, 'x-unit': '亩' },
      },
    },
    [CARD]: {
      type: 'object',
      properties: {
        scores: { type: 'object', title: '评分项目', properties: { i1: item(1, '规划', 2), i2: item(2, '组织', 3), i3: item(3, '特色', 5) } },
      },
    },
    [REC]: {
      type: 'object',
      properties: {
        rows: {
          type: 'array',
          title: '推荐园区',
          maxItems: 8,
          items: { type: 'object', properties: { name: { type: 'string', title: '园区名称', maxLength: 50 }, total: { type: 'number', title: '得分' } } },
        },
      },
    },
    [ELIG]: {
      id: 'elig',
      title: '申报条件',
      form: 'app',
      outcome: { kind: 'eligibility' },
      rules: [
        { name: 'e.grade', label: '绩效评价 B 档以上', conditions: { all: [{ fact: 'grade', operator: 'in', value: ['A', 'B'] }] }, event: { type: 'criterion' } },
        { name: 'e.land', label: '用地规模', conditions: { all: [{ fact: 'land', operator: 'greaterThanInclusive', value: 20 }] }, event: { type: 'criterion' } },
      ],
    },
    [SCORE]: {
      id: 'score',
      title: '评分',
      form: 'card',
      outcome: {
        kind: 'score',
        items: [scoreItem('i1', 1, '规划', 2, 'g1'), scoreItem('i2', 2, '组织', 3, 'g1'), scoreItem('i3', 3, '特色', 5, 'g2')],
        groups: [
          { id: 'g1', label: '战略', cap: 5 },
          { id: 'g2', label: '亮点', cap: 5 },
        ],
        cap: 10,
      },
      rules: [],
    },
    [STEP]: {
      id: 'grading',
      title: '按比例分档',
      description: '说明',
      key: 'code',
      rank: { field: 'total', order: 'desc' },
      grades: {
        levels: [
          { grade: 'A', title: 'A档', share: 0.2, rounding: 'floor' },
          { grade: 'B', title: 'B档', share: 0.3, rounding: 'round' },
          { grade: 'C', title: 'C档' },
        ],
      },
      caps: { field: 'county', rollUp: 'city', default: { param: 'capDefault' }, overrides: { '330100': { param: 'capBig' } } },
    },
  };
}

type Files = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test data edited in place
const names: Record<string, string> = { '330100': '杭州市', '330200': '宁波市' };

function diff(change: (f: Files) => void): string[] {
  const a = base();
  const b = structuredClone(a) as Files;
  change(b);
  return diffPacks(packFromFiles(a, 'p'), packFromFiles(b, 'p'), { orgUnitName: (c) => names[c] }).map((l) => l.text);
}

describe('semantic diff: one line per change of meaning', () => {
  it('finds nothing when only descriptions, clauses, key order and formatting change', () => {
    expect(
      diff((f) => {
        f[M].parameters.capDefault.description = '另一段说明';
        f[M].dates[0].clause = '三';
        f[STEP].description = '改写的说明';
        const reorder = (v: unknown): unknown =>
          Array.isArray(v) ? v.map(reorder) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v;
        for (const k of Object.keys(f)) f[k] = reorder(f[k]);
      }),
    ).toEqual([]);
  });

  it('a form renamed is one line for the form, not again for each rule set that reads it', () => {
    const lines = diff((f) => (f[M].forms[0].title = '新申请表'));
    expect(lines.filter((l) => l.includes('读取的表单'))).toEqual([]);
    expect(lines.filter((l) => l.includes('申请表 → 新申请表'))).toHaveLength(1);
  });

  it('a parameter value', () => {
    expect(diff((f) => (f[M].parameters.capBig.value = 10))).toEqual(['参数“推荐上限（甲市）”（capBig）：值 8 家 → 10 家']);
  });

  it('for a page a user reads (ids: false): the names without the parameters\' and fields\' identifiers', () => {
    const a = base();
    const b = structuredClone(a) as Files;
    b[M].parameters.capBig.value = 10;
    const lines = diffPacks(packFromFiles(a, 'p'), packFromFiles(b, 'p'), { orgUnitName: (c) => names[c], ids: false }).map((l) => l.text);
    expect(lines).toEqual(['参数“推荐上限（甲市）”：值 8 家 → 10 家']);
  });

  it('for a page a user reads (ids: false): an option compared in a rule by its label, roles and form kinds in words', () => {
    const a = base();
    const b = structuredClone(a) as Files;
    b[ELIG].rules[0].conditions.all[0].value = ['A'];
    b[M].workflow.stages[1].role = 'province';
    b[M].forms[2].scope = 'county';
    b[M].forms[2].kind = 'record';
    const lines = diffPacks(packFromFiles(a, 'p'), packFromFiles(b, 'p'), { orgUnitName: (c) => names[c], ids: false }).map((l) => l.text);
    expect(lines).toEqual([
      '流程环节“市级推荐”：办理角色 市级审核人 → 省级审核人',
      '表单“附件3 推荐表”：类型 汇总表 → 申请表',
      '表单“附件3 推荐表”：填报单位 市级 → 县级',
      '规则集“申报条件”的规则“绩效评价 B 档以上”：条件“绩效评价档次 属于” A档、B档 → A档',
    ]);
    // no code of the runtime or the form on the page
    expect(lines.join('\n')).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('a quota override names the city; an added override too', () => {
    expect(
      diff((f) => {
        f[M].quotas[0].overrides['330100'] = 10;
        f[M].quotas[0].overrides['330200'] = 6;
      }),
    ).toEqual(['名额“推荐数量”：杭州市（330100） 8 → 10', '名额“推荐数量”：宁波市（330200） （无） → 6']);
  });

  it('dates and windows', () => {
    expect(
      diff((f) => {
        f[M].issueDate = '2023-08-10';
        f[M].dates[0].date = '2023-09-15';
        f[M].workflow.stages[0].window.closes = '2023-09-15';
        f[M].workflow.stages[1].window = { closes: '2023-09-30' };
      }),
    ).toEqual([
      '发文日期：日期 2022-08-18 → 2023-08-10',
      '时间节点“报送截止”：日期 2022-09-20 → 2023-09-15',
      '流程环节“填报”：截止日期 2022-09-20 → 2023-09-15',
      '流程环节“市级推荐”：截止日期 （无） → 2023-09-30',
    ]);
  });

  it('options: one added, one relabelled, one removed', () => {
    const lines = diff((f) => {
      const opts = f[APP].properties.grade.oneOf;
      opts[0].title = '优秀（A档）';
      opts.pop();
      opts.push({ const: 'D', title: 'D档' });
    });
    expect(lines).toEqual([
      '删除表单“附件1 申请表”的字段“绩效评价档次”（grade）的选项“C档”',
      '表单“附件1 申请表”的字段“绩效评价档次”（grade）的选项“优秀（A档）”：选项 A档（A） → 优秀（A档）（A）',
      '新增表单“附件1 申请表”的字段“绩效评价档次”（grade）的选项“D档”',
    ]);
  });

  it('a rule threshold, by rule label and field title', () => {
    expect(
      diff((f) => {
        f[ELIG].rules[0].conditions.all[0].value = ['A'];
        f[ELIG].rules[1].conditions.all[0].value = 30;
      }),
    ).toEqual(['规则集“申报条件”的规则“绩效评价 B 档以上”：条件“绩效评价档次 属于” A档（A）、B档（B） → A档（A）', '规则集“申报条件”的规则“用地规模”：条件“用地面积 ≥” 20 → 30']);
  });

  it('a rule added and a rule removed', () => {
    expect(
      diff((f) => {
        f[ELIG].rules.splice(1, 1);
        f[ELIG].rules.push({ name: 'e.name', label: '园区名称已填', conditions: { all: [{ fact: 'name', operator: 'notEqual', value: '' }] }, event: { type: 'error', params: { message: '请填写园区名称' } } });
      }),
    ).toEqual(['删除规则集“申报条件”的规则“用地规模”', '新增规则集“申报条件”的规则“园区名称已填”（类型 错误；提示文字 请填写园区名称；条件“园区名称 ≠” ；条件的组合方式 全部(·)）']);
  });

  it('a rule message and a computed value naming a cap (a quota rule) are rule changes', () => {
    expect(
      diff((f) => {
        f[ELIG].rules[1].event = { type: 'error', params: { message: '甲市不超过 10 家' } };
        f[ELIG].derived = [{ id: 'n', label: '推荐园区数', expr: { length: { var: 'rows' } } }];
      }),
    ).toEqual([
      // within a rule set, its computed values come before its rules
      '新增规则集“申报条件”的计算指标“推荐园区数”（计算式 {"length":{"var":"rows"}}）',
      '规则集“申报条件”的规则“用地规模”：类型 判定 → 错误',
      '规则集“申报条件”的规则“用地规模”：提示文字 （无） → 甲市不超过 10 家',
    ]);
  });

  it('a changed maximum names its scorecard item, once (not again for the score fields, the form title or the label\'s "（4分）")', () => {
    expect(
      diff((f) => {
        f[SCORE].outcome.items[1] = scoreItem('i2', 2, '组织', 4, 'g1');
        f[SCORE].outcome.groups[0].cap = 6;
        f[CARD].properties.scores.properties.i2 = item(2, '组织', 4);
      }),
    ).toEqual(['评分项“序号2 组织（4分）”：满分 3 → 4', '评分分组“战略”：上限 5 → 6']);
  });

  it('inserting one item is one line, the renumbering of the others one summary line', () => {
    const lines = diff((f) => {
      const items = f[SCORE].outcome.items;
      items.splice(1, 0, scoreItem('i1b', 2, '制度', 1, 'g1'));
      items[2] = scoreItem('i2', 3, '组织', 3, 'g1');
      items[3] = scoreItem('i3', 4, '特色', 5, 'g2');
      const card = f[CARD].properties.scores.properties;
      f[CARD].properties.scores.properties = { i1: card.i1, i1b: item(2, '制度', 1), i2: item(3, '组织', 3), i3: item(4, '特色', 5) };
    });
    expect(lines).toEqual([
      '新增评分项“序号2 制度（1分）”（满分 1；分组 战略）',
      '2 项的名称只有数字不同（序号、分值随增删项目改变，或年份随年度改变）：序号2 组织（3分） → 序号3 组织（3分）；序号3 特色（5分） → 序号4 特色（5分）',
    ]);
  });

  it('moving one item is one line', () => {
    const lines = diff((f) => {
      const items = f[SCORE].outcome.items;
      f[SCORE].outcome.items = [items[0], items[2], items[1]];
    });
    expect(lines).toEqual(['评分项“序号2 组织（3分）”：位置改变，移到评分项“序号3 特色（5分）”之后']);
  });

  it('a table row limit and a new column', () => {
    expect(
      diff((f) => {
        f[REC].properties.rows.maxItems = 10;
        f[REC].properties.rows.items.properties.grade = { type: 'string', title: '档次', enum: ['A', 'B'] };
      }),
    ).toEqual(['表单“附件3 推荐表”的字段“推荐园区”（rows）：最多行数（项数） 8 → 10', '新增表单“附件3 推荐表”的字段“档次”（rows[].grade）']);
  });

  it('cohort-step settings, labelled by step, setting and grade or city', () => {
    expect(
      diff((f) => {
        f[STEP].grades.levels[0].share = 0.25;
        f[STEP].caps.overrides['330100'] = 9;
        f[STEP].rank.order = 'asc';
      }),
    ).toEqual([
      '群体评价步骤“按比例分档”：排名 · 顺序 desc → asc',
      '群体评价步骤“按比例分档”：档次 · 档次（A） · 比例 0.2 → 0.25',
      '群体评价步骤“按比例分档”：限额推荐 · 特例名额 · 杭州市（330100） 参数 capBig → 9',
    ]);
  });

  it('a value the loader expanded from a reference whose source did not change is an echo, not a change', () => {
    // the source says rows ≤ the quota, the quota = a parameter; the loaded pack holds the numbers.
    // Only the parameter changed in the source: only the parameter is a line.
    const srcA = base() as Files;
    srcA[REC].properties.rows.maxItems = { quota: 'recommend' };
    srcA[M].quotas[0].overrides['330100'] = { param: 'capBig' };
    const srcB = structuredClone(srcA) as Files;
    srcB[M].parameters.capBig.value = 10;
    const expand = (files: Files, cap: number) => {
      const pack = packFromFiles(files, 'p');
      const expanded = structuredClone(files) as Files;
      expanded[REC].properties.rows.maxItems = cap;
      expanded[M].quotas[0].overrides['330100'] = cap;
      const loaded = packFromFiles(expanded, 'p');
      return { ...loaded, files: pack.files };
    };
    const lines = diffPacks(expand(srcA, 8), expand(srcB, 10)).map((l) => l.text);
    expect(lines).toEqual(['参数“推荐上限（甲市）”（capBig）：值 8 家 → 10 家']);
  });

  it('groups lines by section in the text form', () => {
    const a = packFromFiles(base(), 'p');
    const bf = base() as Files;
    bf[M].parameters.capBig.value = 10;
    bf[M].quotas[0].overrides['330100'] = 10;
    const text = formatDiffText(diffPacks(a, packFromFiles(bf, 'p')));
    expect(text.split('\n')).toEqual(['【参数】', '  参数“推荐上限（甲市）”（capBig）：值 8 家 → 10 家', '【名额】', '  名额“推荐数量”：330100 8 → 10', '共 2 处变化']);
    expect(formatDiffText([])).toBe('两个通知包的内容没有差别');
  });
});
