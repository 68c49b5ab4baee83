/**
 * The rule sets of a draft as sentences ("企业数 ≥ 50 家"): each condition's field picked by
 * its Chinese title, the operator from a Chinese list, the value with its unit; conditions grouped
 * by “全部满足 / 满足其一”. The uncommon ones (“不满足”, a comparison with another fact, a part of
 * a list) are shown read-only with a pointer to the expert mode. A level rule set (the star
 * rating) is shown first as its standard: a matrix of indicator × park type × level, each cell's
 * thresholds and options editable. Every edit goes into the draft and through the full check.
 */
import { useMemo } from 'react';
import { Button, Card, Collapse, DatePicker, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Operator } from '@yuanping/core/browser';
import {
  addLeaf,
  conditionView,
  leaves,
  levelMatrix,
  operatorsFor,
  removeCondition,
  ruleSetsOf,

  setJoin,
  setLeaf,
  setName,
  type ConditionView,
  type FactInfo,
  type RuleSetView,
} from '../../lib/rule-edit';
import type { Problem } from '../../lib/workbench';
import { ProblemList, problemsAt } from './ProblemList';

type Files = Record<string, unknown>;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TYPE_LABEL: Record<string, { text: string; color?: string }> = {
  criterion: { text: '判定条件', color: 'blue' },
  warning: { text: '提示', color: 'orange' },
  error: { text: '错误（阻止提交）', color: 'red' },
  points: { text: '加分', color: 'green' },
};

interface Ctx {
  files: Files;
  rs: RuleSetView;
  onChange: (f: Files) => void;
}

const key = (v: unknown) => JSON.stringify(v);

/** The value of one condition, as its field and operator want it. */
function ValueInput({ f, op, value, label, onChange }: { f: FactInfo | undefined; op: Operator; value: unknown; label: string; onChange: (v: unknown) => void }) {
  const opts = f?.type === 'array' ? f.itemOptions : f?.options;
  const many = op === 'in' || op === 'notIn' || op === 'containsAll';
  if (opts?.length || f?.type === 'boolean') {
    const choices = (opts ?? [{ value: true, label: '是' }, { value: false, label: '否' }]).map((o) => ({ value: key(o.value), label: o.label }));
    if (many) {
      return (
        <Select
          aria-label={label}
          mode="multiple"
          style={{ minWidth: 160, maxWidth: '100%' }}
          value={(Array.isArray(value) ? value : [value]).map(key)}
          options={choices}
          onChange={(xs: string[]) => xs.length && onChange(xs.map((x) => JSON.parse(x) as unknown))}
        />
      );
    }
    return <Select aria-label={label} style={{ minWidth: 120, maxWidth: '100%' }} value={key(value)} options={choices} onChange={(x: string) => onChange(JSON.parse(x) as unknown)} />;
  }
  if (f?.format === 'date') {
    return <DatePicker aria-label={label} value={typeof value === 'string' ? dayjs(value) : null} allowClear={false} format="YYYY-MM-DD" onChange={(d) => d && onChange(d.format('YYYY-MM-DD'))} />;
  }
  if (f?.type === 'number' || f?.type === 'integer' || typeof value === 'number') {
    return (
      <Space size={4}>
        <InputNumber aria-label={label} value={typeof value === 'number' ? value : null} style={{ width: 110 }} onChange={(v) => typeof v === 'number' && onChange(v)} />
        {f?.unit ? <span>{f.unit}</span> : null}
      </Space>
    );
  }
  if (many) {
    return <Select aria-label={label} mode="tags" style={{ minWidth: 160 }} value={(Array.isArray(value) ? value : []).map(String)} onChange={(xs: string[]) => onChange(xs)} />;
  }
  return <Input aria-label={label} value={String(value ?? '')} style={{ width: 180 }} onChange={(e) => onChange(e.target.value)} />;
}

/** A condition the sentence form does not edit: read-only, with where to change it. */
function Other({ v }: { v: Extract<ConditionView, { kind: 'other' }> }) {
  return (
    <Space wrap size={4} data-readonly-condition={v.pointer}>
      <Typography.Text>{v.text}</Typography.Text>
      <Tag>只读</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {v.why}：请在“专家模式”中修改
      </Typography.Text>
    </Space>
  );
}

/** One leaf as an editable sentence: 字段 运算符 值 单位. */
function Leaf({ v, ctx, label, compact }: { v: Extract<ConditionView, { kind: 'leaf' }>; ctx: Ctx; label: string; compact?: boolean }) {
  const { rs, files, onChange } = ctx;
  const f = rs.facts.get(v.fact);
  const set = (patch: { fact?: string; operator?: Operator; value?: unknown }) => onChange(setLeaf(files, rs, v.pointer, patch));
  const fieldOptions = useMemo(
    () => [...rs.facts.values()].filter((x) => x.kind !== 'param').map((x) => ({ value: x.id, label: x.unit ? `${x.title}（${x.unit}）` : x.title })),
    [rs.facts],
  );
  return (
    <Space wrap size={4} data-condition={v.pointer}>
      {compact ? (
        <Typography.Text>{f?.title ?? v.fact}</Typography.Text>
      ) : (
        <Select aria-label={`${label}：字段`} showSearch optionFilterProp="label" style={{ minWidth: 180, maxWidth: '100%' }} value={v.fact} options={fieldOptions} onChange={(x: string) => set({ fact: x })} />
      )}
      {compact ? (
        <Typography.Text strong>{operatorsFor(f).find((o) => o.value === v.operator)?.label ?? v.operator}</Typography.Text>
      ) : (
        <Select aria-label={`${label}：比较方式`} style={{ width: 96 }} value={v.operator} options={operatorsFor(f)} onChange={(x: Operator) => set({ operator: x })} />
      )}
      <ValueInput f={f} op={v.operator} value={v.value} label={`${label}：${f?.title ?? '值'}`} onChange={(x) => set({ value: x })} />
    </Space>
  );
}

/** A condition tree: groups with their join, leaves as sentences, the rest read-only. */
function ConditionTree({ v, ctx, label, depth = 0 }: { v: ConditionView; ctx: Ctx; label: string; depth?: number }) {
  if (v.kind === 'other') return <Other v={v} />;
  if (v.kind === 'leaf') return <Leaf v={v} ctx={ctx} label={label} />;
  const { rs, files, onChange } = ctx;
  const firstFact = leaves(v).find((x): x is Extract<ConditionView, { kind: 'leaf' }> => x.kind === 'leaf')?.fact ?? [...rs.facts.keys()][0];
  return (
    <Space direction="vertical" size={4} style={{ width: '100%', paddingLeft: depth ? 12 : 0, borderLeft: depth ? '2px solid #d9d9d9' : undefined }}>
      <Space wrap size={4}>
        <Select
          aria-label={`${label}：条件的组合`}
          size="small"
          style={{ width: 150 }}
          value={v.join}
          options={[
            { value: 'all', label: '以下全部满足' },
            { value: 'any', label: '以下满足其一' },
          ]}
          onChange={(j: 'all' | 'any') => onChange(setJoin(files, rs.file, v.pointer, j))}
        />
        {v.name !== undefined ? (
          <Typography.Text type="secondary" editable={{ tooltip: '修改这组条件的名称（解释中显示）', text: v.name, onChange: (t) => onChange(setName(files, rs.file, v.pointer, t)) }}>
            {rs.text(v.name)}
          </Typography.Text>
        ) : null}
      </Space>
      {v.children.map((c, i) => (
        <Space key={c.pointer} align="start" size={4} style={{ width: '100%' }}>
          <div style={{ flex: 1, minWidth: 0 }}>
            <ConditionTree v={c} ctx={ctx} label={`${label}·第 ${i + 1} 个条件`} depth={depth + 1} />
          </div>
          {v.children.length > 1 ? (
            <Button size="small" type="link" danger aria-label={`删除${label}·第 ${i + 1} 个条件`} onClick={() => onChange(removeCondition(files, rs.file, c.pointer))}>
              删除
            </Button>
          ) : null}
        </Space>
      ))}
      {firstFact ? (
        <Button size="small" onClick={() => onChange(addLeaf(files, rs, v.pointer, firstFact))} aria-label={`${label}：添加条件`}>
          添加条件
        </Button>
      ) : null}
    </Space>
  );
}

function RuleCard({ rule, i, ctx, problems }: { rule: Obj; i: number; ctx: Ctx; problems: Problem[] }) {
  const { rs } = ctx;
  const ev = isObj(rule.event) ? rule.event : {};
  const type = TYPE_LABEL[String(ev.type)] ?? { text: '规则' };
  const level = isObj(ev.params) && ev.params.level !== undefined ? rs.levels.find((l) => l.id === String(ev.params && (ev.params as Obj).level))?.label : undefined;
  const label = rule.label !== undefined ? rs.text(rule.label) : `第 ${i + 1} 条规则`;
  const mine = problemsAt(problems, rs.file, `/rules/${i}`);
  return (
    <Card size="small" data-rule-index={i} style={{ borderColor: mine.some((p) => p.severity === 'error') ? '#c41d1d' : undefined }}>
      <Space direction="vertical" size={6} style={{ width: '100%' }}>
        <Space wrap size={4}>
          <Typography.Text strong>{label}</Typography.Text>
          <Tag color={type.color}>{type.text}</Tag>
          {level ? <Tag>{level}</Tag> : null}
          {typeof rule.clause === 'string' ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              出处：{rs.text(rule.clause)}
            </Typography.Text>
          ) : null}
        </Space>
        {rule.applies !== undefined ? (
          <Space wrap size={4}>
            <Typography.Text type="secondary">适用于：</Typography.Text>
            <ConditionTree v={conditionView(rule.applies, `/rules/${i}/applies`, rs.facts)} ctx={ctx} label={`${label}的适用范围`} />
          </Space>
        ) : null}
        <ConditionTree v={conditionView(rule.conditions, `/rules/${i}/conditions`, rs.facts)} ctx={ctx} label={label} />
        {isObj(ev.params) && typeof ev.params.message === 'string' ? <Typography.Text type="secondary">提示文字：{rs.text(ev.params.message)}</Typography.Text> : null}
        <ProblemList problems={mine} okText={null} />
      </Space>
    </Card>
  );
}

/** A level rule set's standard: a row per indicator and park type, a column per level, the cells' thresholds editable. */
function LevelMatrix({ ctx, problems }: { ctx: Ctx; problems: Problem[] }) {
  const { rs } = ctx;
  const rows = levelMatrix(rs);
  return (
    <Table
      size="small"
      bordered
      pagination={false}
      rowKey={(r) => `${r.indicator}/${r.appliesTo}`}
      dataSource={rows}
      scroll={{ x: 240 + rs.levels.length * 260 }}
      data-testid="level-matrix"
      columns={[
        {
          title: '指标',
          key: 'ind',
          width: 120,
          fixed: 'left',
          render: (_, r) => (
            <Space direction="vertical" size={0}>
              <Typography.Text strong>{r.indicator}</Typography.Text>
              {r.appliesTo ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.appliesTo.replace(/^.*= /, '')}</Typography.Text> : null}
            </Space>
          ),
        },
        ...rs.levels.map((l) => ({
          title: l.label,
          key: l.id,
          width: 260,
          render: (_: unknown, r: (typeof rows)[number]) => (
            <Space direction="vertical" size={6} style={{ width: '100%' }}>
              {(r.cells.get(l.id) ?? []).map((i) => {
                const rule = rs.rules[i]!;
                const label = rule.label !== undefined ? rs.text(rule.label) : `第 ${i + 1} 条规则`;
                const tree = conditionView(rule.conditions, `/rules/${i}/conditions`, rs.facts);
                const mine = problemsAt(problems, rs.file, `/rules/${i}`).filter((p) => p.severity === 'error');
                const ls = leaves(tree);
                return (
                  <Space key={i} direction="vertical" size={2} data-cell={`${r.indicator}/${r.appliesTo}/${l.id}`}>
                    {ls.length > 1 && tree.kind === 'group' ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tree.join === 'all' ? '全部满足：' : '满足其一：'}</Typography.Text> : null}
                    {ls.map((x) => (x.kind === 'leaf' ? <Leaf key={x.pointer} v={x} ctx={ctx} label={label} compact /> : x.kind === 'other' ? <Other key={x.pointer} v={x} /> : null))}
                    {mine.length ? <Tag color="red">{mine.length} 个错误，见“逐条规则”</Tag> : null}
                  </Space>
                );
              })}
            </Space>
          ),
        })),
      ]}
    />
  );
}

export default function RulesEditor({ files, packId, problems, onChange }: { files: Files; packId: string; problems: Problem[]; onChange: (f: Files) => void }) {
  const sets = ruleSetsOf(files, packId);
  if (sets.length === 0) return <Typography.Text type="secondary">这个通知包没有规则集</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="rules-editor">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        每条规则写成句子：字段、比较方式、要求的值。改动即保存并检查；少见的写法（“不满足”、与另一项数据比较等）只读显示，请在“专家模式”中修改。
      </Typography.Paragraph>
      <Collapse
        destroyOnHidden
        items={sets.map((rs) => {
          const ctx: Ctx = { files, rs, onChange };
          const matrix = rs.kind === 'level' && rs.levels.length > 0 && levelMatrix(rs).length > 0;
          const errors = problemsAt(problems, rs.file, '').filter((p) => p.severity === 'error').length;
          return {
            key: rs.id,
            label: (
              <Space wrap size={4}>
                <span>{rs.title}</span>
                <Tag>{rs.rules.length} 条规则</Tag>
                {errors ? <Tag color="red">{errors} 个错误</Tag> : null}
              </Space>
            ),
            children: (
              <Space direction="vertical" style={{ width: '100%' }} data-ruleset={rs.id}>
                {matrix ? (
                  <>
                    <Typography.Title level={5} style={{ margin: 0 }}>
                      评定标准（指标 × 适用园区 × 等级）
                    </Typography.Title>
                    <LevelMatrix ctx={ctx} problems={problems} />
                    <Typography.Title level={5} style={{ margin: '8px 0 0' }}>
                      逐条规则
                    </Typography.Title>
                  </>
                ) : null}
                {rs.rules.map((rule, i) => (
                  <RuleCard key={i} rule={rule} i={i} ctx={ctx} problems={problems} />
                ))}
              </Space>
            ),
          };
        })}
      />
    </Space>
  );
}

