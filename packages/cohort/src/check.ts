import { Ajv, type ErrorObject } from 'ajv';
import localizeZh from 'ajv-i18n/localize/zh/index.js';
import { cohortStepSchema, type CohortStep, type NumberOrParam } from './meta/cohort-step.schema.js';
import { knownOperators, scanLogic } from './logic.js';
import type { Problem } from './types.js';

export interface CheckCohortOptions {
  /** the file name reported in problems, e.g. `rules/my-pack/grading.cohort.json` */
  file?: string;
  /** names of the pack parameters; when given, every `{ "param": … }` and `param.*` var is checked */
  parameterNames?: readonly string[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(cohortStepSchema);

/**
 * Check a cohort step statically: the JSON Schema of the format, then every field it reads
 * against `fieldNames` (the fields of the records it will run on), shares, grades, weights,
 * parameters and json-logic operators. Problems are data; nothing is thrown.
 */
export function checkCohortStep(step: unknown, fieldNames: readonly string[], options: CheckCohortOptions = {}): Problem[] {
  const file = options.file ?? '';
  const problems: Problem[] = [];
  const add = (code: string, pointer: string, message: string, severity: Problem['severity'] = 'error'): void => {
    problems.push({ code, file, pointer, message, severity });
  };

  if (!validate(step)) {
    const errors: ErrorObject[] = [...(validate.errors ?? [])];
    localizeZh(errors);
    for (const e of errors) {
      const extra =
        e.keyword === 'additionalProperties'
          ? `：${String((e.params as { additionalProperty?: unknown }).additionalProperty)}`
          : e.keyword === 'enum'
            ? `：${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
            : '';
      add('COHORT_SCHEMA', e.instancePath, `格式错误：${e.message ?? e.keyword}${extra}`);
    }
    return problems;
  }
  const s = step as CohortStep;
  const fields = new Set(fieldNames);
  const params = options.parameterNames ? new Set(options.parameterNames) : undefined;
  const ops = knownOperators();

  const knownField = (name: string): boolean => {
    if (fields.has(name)) return true;
    // a dotted path is known when a prefix of it is a known (object) field
    const parts = name.split('.');
    for (let i = parts.length - 1; i > 0; i--) if (fields.has(parts.slice(0, i).join('.'))) return true;
    return false;
  };
  const field = (name: string | undefined, pointer: string, what: string): void => {
    if (name === undefined) return;
    if (!knownField(name)) add('COHORT_UNKNOWN_FIELD', pointer, `${what}引用的字段“${name}”在记录（表单）中不存在`);
  };
  const paramRef = (v: NumberOrParam | undefined, pointer: string): void => {
    if (v === undefined || typeof v === 'number' || !params) return;
    if (!params.has(v.param)) add('COHORT_UNKNOWN_PARAM', `${pointer}/param`, `引用的包参数“${v.param}”未在包参数中声明`);
  };
  const logic = (l: unknown, pointer: string, allowComputed: boolean): void => {
    const { vars, ops: used } = scanLogic(l);
    for (const op of used) if (!ops.has(op)) add('COHORT_UNKNOWN_OPERATOR', pointer, `条件中使用了未知的运算符“${op}”`);
    for (const v of vars) {
      if (v.startsWith('param.')) {
        const name = v.slice('param.'.length).split('.')[0] ?? '';
        if (params && !params.has(name)) add('COHORT_UNKNOWN_PARAM', pointer, `条件引用的包参数“${name}”未在包参数中声明`);
      } else if (v === '$' || v.startsWith('$.')) {
        const name = v.slice(2);
        if (!allowComputed) add('COHORT_COMPUTED_TOO_EARLY', pointer, `此处条件在计分之前求值，不能引用计算结果“${v}”`);
        else if (!['score', 'bonus'].includes(name)) add('COHORT_UNKNOWN_COMPUTED', pointer, `未知的计算结果“${v}”（可用 $.score、$.bonus）`);
      } else if (!knownField(v)) {
        add('COHORT_UNKNOWN_FIELD', pointer, `条件引用的字段“${v}”在记录（表单）中不存在`);
      }
    }
  };

  field(s.key, '/key', '主键');
  field(s.label, '/label', '显示名');

  const levelCodes = new Set<string>();
  (s.grades?.levels ?? []).forEach((l, i) => {
    if (levelCodes.has(l.grade)) add('COHORT_DUPLICATE_GRADE', `/grades/levels/${i}/grade`, `档次“${l.grade}”重复`);
    levelCodes.add(l.grade);
  });
  const gradeRef = (g: string | undefined, pointer: string, what: string): void => {
    if (g === undefined) return;
    if (!s.grades) add('COHORT_BAD_GRADE', pointer, `${what}给出了档次“${g}”，但步骤没有声明 grades`);
    else if (!levelCodes.has(g)) add('COHORT_BAD_GRADE', pointer, `${what}的档次“${g}”不在 grades.levels（${[...levelCodes].join('、')}）中`);
  };

  (s.exclusions ?? []).forEach((e, i) => {
    const p = `/exclusions/${i}`;
    logic(e.when, `${p}/when`, false);
    if ((e.action ?? 'exclude') === 'grade') {
      if (!e.grade) add('COHORT_BAD_GRADE', `${p}/grade`, `一票否决“${e.id}”的 action 为 grade，但没有给出 grade`);
      else gradeRef(e.grade, `${p}/grade`, `一票否决“${e.id}”`);
    } else if (e.grade) add('COHORT_UNUSED', `${p}/grade`, `排除“${e.id}”的 action 为 exclude，grade 不会生效`, 'warning');
  });

  // ---- score ----
  if (s.score) {
    const ids = new Set<string>();
    let weightSum = 0;
    let allLiteral = true;
    s.score.indicators.forEach((ind, i) => {
      const p = `/score/indicators/${i}`;
      if (ids.has(ind.id)) add('COHORT_DUPLICATE_ID', `${p}/id`, `指标 id“${ind.id}”重复`);
      ids.add(ind.id);
      field(ind.field, `${p}/field`, `指标“${ind.title}”`);
      field(ind.growth?.previous, `${p}/growth/previous`, `指标“${ind.title}”的上年值`);
      paramRef(ind.weight, `${p}/weight`);
      paramRef(ind.satisfactory, `${p}/satisfactory`);
      paramRef(ind.unacceptable, `${p}/unacceptable`);
      if (typeof ind.clamp === 'object') {
        paramRef(ind.clamp.min, `${p}/clamp/min`);
        paramRef(ind.clamp.max, `${p}/clamp/max`);
      }
      if (typeof ind.weight === 'number') {
        weightSum += ind.weight;
        if (ind.weight < 0) add('COHORT_BAD_WEIGHT', `${p}/weight`, `指标“${ind.title}”的权重为负数`);
      } else allLiteral = false;
      const method = ind.method ?? 'standard';
      if (method === 'standard') {
        if (ind.satisfactory === undefined) add('COHORT_EFFICACY_BOUNDS', `${p}/satisfactory`, `指标“${ind.title}”使用满意值/不允许值方法，缺少满意值 satisfactory`);
        if (ind.unacceptable === undefined) add('COHORT_EFFICACY_BOUNDS', `${p}/unacceptable`, `指标“${ind.title}”使用满意值/不允许值方法，缺少不允许值 unacceptable`);
        if (typeof ind.satisfactory === 'number' && typeof ind.unacceptable === 'number') {
          const reverse = (ind.direction ?? 'positive') === 'reverse';
          if (ind.satisfactory === ind.unacceptable) add('COHORT_EFFICACY_BOUNDS', p, `指标“${ind.title}”的满意值与不允许值相等`);
          else if (reverse && ind.satisfactory > ind.unacceptable) add('COHORT_EFFICACY_DIRECTION', p, `逆向指标“${ind.title}”的满意值应小于不允许值`);
          else if (!reverse && ind.satisfactory < ind.unacceptable) add('COHORT_EFFICACY_DIRECTION', p, `正向指标“${ind.title}”的满意值应大于不允许值`);
        }
      } else if (ind.satisfactory !== undefined || ind.unacceptable !== undefined) {
        add('COHORT_UNUSED', p, `指标“${ind.title}”使用 population 方法（群体最大/最小值），satisfactory/unacceptable 不会生效`, 'warning');
      }
      if (typeof ind.clamp === 'object' && typeof ind.clamp.min === 'number' && typeof ind.clamp.max === 'number' && ind.clamp.min > ind.clamp.max) {
        add('COHORT_BAD_CLAMP', `${p}/clamp`, `指标“${ind.title}”的下限大于上限`);
      }
    });
    if (allLiteral && s.score.indicators.length > 0 && Math.abs(weightSum - 1) > 1e-9) {
      add('COHORT_WEIGHT_SUM', '/score/indicators', `各指标权重之和为 ${Number(weightSum.toPrecision(12))}，不等于 1（总分将不在 60–100 之间）`, 'warning');
    }
    (s.score.bonus?.items ?? []).forEach((b, i) => {
      const p = `/score/bonus/items/${i}`;
      if (ids.has(b.id)) add('COHORT_DUPLICATE_ID', `${p}/id`, `加分项 id“${b.id}”与其他指标或加分项重复`);
      ids.add(b.id);
      if (b.when !== undefined) {
        logic(b.when, `${p}/when`, false);
        if (b.points === undefined) add('COHORT_BAD_BONUS', `${p}/points`, `加分项“${b.title}”有条件 when 但没有分值 points`);
        if (b.field !== undefined) add('COHORT_BAD_BONUS', `${p}/field`, `加分项“${b.title}”不能同时按条件和按字段加分`);
      } else if (b.field === undefined) {
        add('COHORT_BAD_BONUS', p, `加分项“${b.title}”既没有条件 when（加 points 分）也没有字段 field（按字段值加分）`);
      }
      field(b.field, `${p}/field`, `加分项“${b.title}”`);
      paramRef(b.points, `${p}/points`);
      paramRef(b.perUnit, `${p}/perUnit`);
      paramRef(b.cap, `${p}/cap`);
    });
    paramRef(s.score.bonus?.cap, '/score/bonus/cap');
    (s.score.populationGroupBy ?? []).forEach((f, i) => field(f, `/score/populationGroupBy/${i}`, '群体范围'));
  }

  // ---- rank ----
  field(s.rank?.field, '/rank/field', '排名');
  (s.rank?.tieBreak ?? []).forEach((t, i) => field(t.field, `/rank/tieBreak/${i}/field`, '同分比较'));
  // the explanation names the ranking fields: without a title a user would read the field's id
  if (s.rank?.field && !s.rank.title) add('COHORT_NO_TITLE', '/rank/title', `排名字段“${s.rank.field}”没有中文名（title）：排名说明将显示字段名`, 'warning');
  (s.rank?.tieBreak ?? []).forEach((t, i) => {
    if (!t.title) add('COHORT_NO_TITLE', `/rank/tieBreak/${i}/title`, `同分比较字段“${t.field}”没有中文名（title）：排名说明将显示字段名`, 'warning');
  });
  const hasRanking = Boolean(s.rank?.field) || Boolean(s.score);
  if (!hasRanking && (s.grades || s.caps || s.rewards)) {
    add('COHORT_NO_RANKING', '/rank', '分档、限额或奖励需要排名依据：请声明 score（计分）或 rank.field（排名字段）');
  }
  if (s.rank?.field && s.score) add('COHORT_UNUSED', '/rank/field', '同时声明了 score 和 rank.field：将按 rank.field 排名，计算出的总分不用于排名', 'warning');

  // ---- grades ----
  if (s.grades) {
    const g = s.grades;
    (g.groupBy ?? []).forEach((f, i) => field(f, `/grades/groupBy/${i}`, '分组'));
    for (const f of Object.keys(g.rollUp ?? {})) {
      if (!(g.groupBy ?? []).includes(f)) add('COHORT_BAD_ROLLUP', `/grades/rollUp/${f}`, `rollUp 中的字段“${f}”不在 groupBy 中`);
    }
    let sum = 0;
    let literal = true;
    g.levels.forEach((l, i) => {
      const p = `/grades/levels/${i}`;
      const last = i === g.levels.length - 1;
      paramRef(l.share, `${p}/share`);
      if (typeof l.share === 'number') {
        if (l.share < 0 || l.share > 1) add('COHORT_BAD_SHARE', `${p}/share`, `${l.grade} 档比例 ${l.share} 不在 0–1 之间（20% 请写 0.2）`);
        if (!last) sum += l.share;
        else sum += l.share;
      } else if (l.share === undefined) {
        if (!last && l.minScore === undefined) add('COHORT_BAD_SHARE', `${p}/share`, `${l.grade} 档不是最后一档，必须给出比例 share 或分数线 minScore`);
      } else literal = false;
      paramRef(l.minScore, `${p}/minScore`);
      if (last && l.minScore !== undefined) add('COHORT_BAD_LINE', `${p}/minScore`, `${l.grade} 档是最后一档，取其余全部记录，不能再有分数线（未达上一档分数线的都进入此档）`);
      if (l.inclusive !== undefined && l.minScore === undefined) add('COHORT_UNUSED', `${p}/inclusive`, `${l.grade} 档没有分数线 minScore，inclusive 不起作用`, 'warning');
    });
    // score lines go down with the levels (for rank.order desc; up for asc)
    let prevLine: { grade: string; v: number } | null = null;
    g.levels.forEach((l, i) => {
      if (typeof l.minScore !== 'number') return;
      const asc = (s.rank?.order ?? 'desc') === 'asc';
      if (prevLine && (asc ? l.minScore < prevLine.v : l.minScore > prevLine.v)) {
        add('COHORT_BAD_LINE', `/grades/levels/${i}/minScore`, `${l.grade} 档分数线 ${l.minScore} ${asc ? '低于' : '高于'}上一档 ${prevLine.grade} 的分数线 ${prevLine.v}：分数线应随档次${asc ? '升高' : '降低'}`);
      }
      prevLine = { grade: l.grade, v: l.minScore };
    });
    if (literal && sum > 1 + 1e-9) {
      add('COHORT_SHARES_OVER_100', '/grades/levels', `各档比例之和为 ${Number((sum * 100).toPrecision(12))}%，超过 100%`);
    }
    (g.exemptions ?? []).forEach((e, i) => {
      logic(e.when, `/grades/exemptions/${i}/when`, true);
      gradeRef(e.grade, `/grades/exemptions/${i}/grade`, `豁免“${e.id}”`);
    });
    if (g.ties === 'by-tiebreak' && !(s.rank?.tieBreak ?? []).length) {
      add('COHORT_NO_TIEBREAK', '/grades/ties', 'ties 为 by-tiebreak，但 rank.tieBreak 没有声明同分比较字段（同分将一律进入较低档）', 'warning');
    }
  }

  // ---- caps ----
  if (s.caps) {
    field(s.caps.field, '/caps/field', '限额单位');
    paramRef(s.caps.default, '/caps/default');
    for (const [code, v] of Object.entries(s.caps.overrides ?? {})) paramRef(v as NumberOrParam, `/caps/overrides/${code}`);
    (s.caps.grades ?? []).forEach((gr, i) => gradeRef(gr, `/caps/grades/${i}`, '限额推荐'));
    if (s.caps.when !== undefined) logic(s.caps.when, '/caps/when', true);
  }

  // ---- rewards ----
  if (s.rewards) {
    s.rewards.grades.forEach((gr, i) => gradeRef(gr, `/rewards/grades/${i}`, '奖励'));
    (s.rewards.byPosition ?? []).forEach((v, i) => paramRef(v, `/rewards/byPosition/${i}`));
    paramRef(s.rewards.otherwise, '/rewards/otherwise');
    if (!(s.rewards.byPosition ?? []).length && s.rewards.otherwise === undefined) {
      add('COHORT_BAD_REWARD', '/rewards', '奖励既没有按名次的金额 byPosition，也没有其余金额 otherwise');
    }
  }
  return problems;
}
