/**
 * Dashboards for the province and the cities (issue 16, item 6): reporting progress by the units
 * below, the status funnel, the level mix (star, grade …) by city and county, the grade mix of the
 * latest cohort run of each step by its groups (cities), the distribution of
 * the notice's indicators (the pack's `dashboard.indicators`, e.g. tax per unit of land) and the figures by year.
 * Every chart is also a table (the same figures, for screen readers and for reading exact numbers)
 * and can be saved as a PNG. The server aggregates in the database; ECharts loads with this page only.
 */
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, Card, Empty, Radio, Select, Space, Spin, Table, Typography } from 'antd';
import { ApiFailure } from '../lib/api';
import { navigate } from '../lib/router';
import { getDashboard, type Dashboard, type GradeMix, type IndicatorFigures, type LevelMix } from '../lib/results';
import { fmtDate } from '../lib/session';
import type { ChartOption } from './Chart';

const Chart = lazy(() => import('./Chart').then((m) => ({ default: m.Chart })));

const COLORS = ['#1677ff', '#52c41a', '#faad14', '#eb2f96', '#13c2c2', '#722ed1', '#fa541c', '#a0d911', '#2f54eb', '#8c8c8c'];

function fmt(v: number | null | undefined, precision: number): string {
  return v === null || v === undefined ? '—' : v.toFixed(precision);
}

/** A chart with its table: the figures shown both ways, the chart saved as a PNG. */
function Figure({ title, id, option, table, height, note }: { title: string; id: string; option: ChartOption; table: ReactNode; height?: number; note?: ReactNode }) {
  return (
    <Card size="small" title={title} data-testid={`dash-${id}`}>
      {note}
      <Suspense fallback={<Spin />}>
        <Chart option={option} height={height ?? 280} testId={`chart-${id}`} label={`${title}（图表，数据见下表）`} exportName={title} />
      </Suspense>
      <div className="yp-dash-table">{table}</div>
    </Card>
  );
}

const axisLabel = { interval: 0, rotate: 30, fontSize: 11 };

/** A bar per row (a unit, a group), stacked by part (a status, a grade, a level): the charts of counts. */
function stackedBar(names: string[], yName: string, series: Array<{ name: string; data: number[]; color: string }>): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 70 },
    xAxis: { type: 'category', data: names, axisLabel },
    yAxis: { type: 'value', name: yName, minInterval: 1 },
    series: series.map((x) => ({ name: x.name, type: 'bar', stack: 'all', data: x.data, itemStyle: { color: x.color } })),
  };
}

type CountRow = { name: string; counts: Record<string, number> };
/** Counts by part (grades of a cohort step, levels of an evaluation): the chart, and the same counts as table columns. */
function countsByPart<R extends CountRow>(rows: R[], parts: Array<{ id: string; label: string }>, yName: string, color: (id: string, i: number) => string) {
  const option = stackedBar(
    rows.map((r) => r.name),
    yName,
    parts.map((p, i) => ({ name: p.label, data: rows.map((r) => r.counts[p.id] ?? 0), color: color(p.id, i) })),
  );
  const columns = parts.map((p) => ({ title: p.label, key: p.id || 'none', align: 'right' as const, render: (_: unknown, r: R) => r.counts[p.id] ?? 0 }));
  return { option, columns };
}

function progressFigure(d: Dashboard) {
  const rows = d.progress ?? [];
  const option = stackedBar(
    rows.map((r) => r.name),
    '园区数',
    [
      { name: '已提交', data: rows.map((r) => r.reported), color: '#52c41a' },
      { name: '填报中', data: rows.map((r) => r.started - r.reported), color: '#faad14' },
      { name: '未开始', data: rows.map((r) => r.parks - r.started), color: '#bfbfbf' },
    ],
  );
  const table = (
    <Table
      size="small"
      rowKey="code"
      pagination={false}
      scroll={{ x: true }}
      dataSource={rows}
      columns={[
        { title: d.scope?.unitLabel ?? '单位', dataIndex: 'name', key: 'name' },
        { title: '园区数', dataIndex: 'parks', key: 'parks', align: 'right' },
        { title: '已开始填报', dataIndex: 'started', key: 'started', align: 'right' },
        { title: '已提交', dataIndex: 'reported', key: 'reported', align: 'right' },
        { title: '提交率', key: 'rate', align: 'right', render: (_, r) => (r.parks ? `${Math.round((r.reported / r.parks) * 100)}%` : '—') },
      ]}
    />
  );
  return <Figure title="报送进度（按单位）" id="progress" option={option} table={table} />;
}

function funnelFigure(d: Dashboard) {
  const steps = d.funnel ?? [];
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 100, right: 24, top: 16, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: steps.map((s) => s.label) },
    series: [{ name: '申报数', type: 'bar', data: steps.map((s) => s.count), itemStyle: { color: '#1677ff' }, label: { show: true, position: 'right' } }],
  };
  const table = (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table size="small" rowKey="id" pagination={false} dataSource={steps} columns={[{ title: '环节', dataIndex: 'label', key: 'label' }, { title: '申报数', dataIndex: 'count', key: 'count', align: 'right' }]} />
      <Table
        size="small"
        rowKey="status"
        pagination={false}
        dataSource={d.statuses ?? []}
        locale={{ emptyText: '还没有提交的申报' }}
        columns={[{ title: '当前状态', dataIndex: 'label', key: 'label' }, { title: '申报数', dataIndex: 'count', key: 'count', align: 'right' }]}
      />
    </Space>
  );
  return <Figure title="状态漏斗" id="funnel" option={option} table={table} height={220} />;
}

/** A cohort step's grades (its latest run) by group: a stacked bar and the same counts as a table. */
function gradeFigure(mix: GradeMix) {
  const rows = mix.byGroup;
  const { option, columns } = countsByPart(rows, mix.grades, '园区数', (id, i) => (id === 'excluded' ? '#bfbfbf' : (COLORS[i % COLORS.length] ?? '#1677ff')));
  const table = (
    <Table
      size="small"
      rowKey="name"
      pagination={false}
      scroll={{ x: true }}
      dataSource={rows}
      columns={[
        { title: '分组', dataIndex: 'name', key: 'name', fixed: 'left' },
        ...columns,
        { title: '合计', key: 'sum', align: 'right' as const, render: (_: unknown, r: (typeof rows)[number]) => Object.values(r.counts).reduce((a, b) => a + b, 0) },
      ]}
    />
  );
  return (
    <Figure
      key={`grades-${mix.stepId}`}
      title={`${mix.label}：分档分布`}
      id={`grades-${mix.stepId}`}
      option={option}
      table={table}
      note={<Typography.Text type="secondary">最近一次分档运行：{fmtDate(mix.runAt)}</Typography.Text>}
    />
  );
}

function LevelFigure({ mix, unitLabel }: { mix: LevelMix; unitLabel: string }) {
  const [by, setBy] = useState<'unit' | 'county'>('unit');
  const rows = by === 'county' && mix.byCounty ? mix.byCounty : mix.byUnit;
  const { option, columns } = countsByPart(rows, mix.levels, '申报数', (_id, i) => COLORS[i % COLORS.length] ?? '#1677ff');
  const table = (
    <Table
      size="small"
      rowKey="code"
      pagination={false}
      scroll={{ x: true }}
      dataSource={rows}
      locale={{ emptyText: '还没有评价结果' }}
      columns={[
        { title: by === 'county' ? '区县' : unitLabel, dataIndex: 'name', key: 'name', fixed: 'left' },
        ...columns,
      ]}
    />
  );
  return (
    <Figure
      title={`${mix.label}：等级分布`}
      id={`levels-${mix.id}`}
      option={option}
      table={table}
      note={
        mix.byCounty ? (
          <Radio.Group
            size="small"
            optionType="button"
            value={by}
            onChange={(e) => setBy(e.target.value as 'unit' | 'county')}
            aria-label="分组方式"
            options={[
              { label: `按${unitLabel}`, value: 'unit' },
              { label: '按区县', value: 'county' },
            ]}
          />
        ) : null
      }
    />
  );
}

function indicatorFigure(ind: IndicatorFigures, unitLabel: string) {
  const p = ind.precision;
  const unit = ind.unit ? `（${ind.unit}）` : '';
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 24, bottom: 70 },
    xAxis: { type: 'category', name: ind.unit, data: ind.histogram.map((b) => `${fmt(b.from, p)}–${fmt(b.to, p)}`), axisLabel },
    yAxis: { type: 'value', name: '园区数', minInterval: 1 },
    series: [{ name: '园区数', type: 'bar', data: ind.histogram.map((b) => b.count), itemStyle: { color: '#13c2c2' } }],
  };
  const rows = [...ind.byUnit, ...(ind.total ? [{ code: 'total', name: '合计', ...ind.total }] : [])];
  const table = (
    <Table
      size="small"
      rowKey="code"
      pagination={false}
      scroll={{ x: true }}
      dataSource={rows}
      columns={[
        { title: unitLabel, dataIndex: 'name', key: 'name' },
        { title: '园区数', dataIndex: 'n', key: 'n', align: 'right' },
        { title: `最小值${unit}`, key: 'min', align: 'right', render: (_, r) => fmt(r.min, p) },
        { title: `中位数${unit}`, key: 'median', align: 'right', render: (_, r) => fmt(r.median, p) },
        { title: `平均值${unit}`, key: 'mean', align: 'right', render: (_, r) => fmt(r.mean, p) },
        { title: `最大值${unit}`, key: 'max', align: 'right', render: (_, r) => fmt(r.max, p) },
      ]}
    />
  );
  const none = !ind.total || ind.total.n === 0;
  return (
    <Figure
      key={ind.id}
      title={`${ind.label}：分布`}
      id={`indicator-${ind.id}`}
      option={option}
      table={table}
      note={none ? <Typography.Text type="secondary">还没有提交的申报填写了这一指标</Typography.Text> : null}
    />
  );
}

function yearsFigure(d: Dashboard) {
  const years = d.years ?? [];
  const inds = d.indicators ?? [];
  if (years.length < 2) {
    return (
      <Card size="small" title="年度对比" data-testid="dash-years">
        <Typography.Text type="secondary">本通知没有已发布的往年通知，暂无年度对比</Typography.Text>
      </Card>
    );
  }
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: years.map((y) => `${y.year}年`) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '提交的申报', type: 'line', data: years.map((y) => y.submitted) },
      { name: '评定通过', type: 'line', data: years.map((y) => y.approved) },
    ],
  };
  const table = (
    <Table
      size="small"
      rowKey="packId"
      pagination={false}
      scroll={{ x: true }}
      dataSource={years}
      columns={[
        { title: '年度', key: 'year', render: (_, y) => `${y.year}年` },
        { title: '提交的申报', dataIndex: 'submitted', key: 'submitted', align: 'right' },
        { title: '评定通过', dataIndex: 'approved', key: 'approved', align: 'right' },
        ...inds.map((i) => ({ title: `${i.label}中位数${i.unit ? `（${i.unit}）` : ''}`, key: i.id, align: 'right' as const, render: (_: unknown, y: (typeof years)[number]) => fmt(y.medians[i.id], i.precision) })),
      ]}
    />
  );
  return <Figure title="年度对比" id="years" option={option} table={table} />;
}

export default function DashboardPage({ packId }: { packId?: string }) {
  const [d, setD] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setD(null);
    getDashboard(packId).then(setD, (e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [packId]);
  const unitLabel = d?.scope?.unitLabel ?? '单位';
  const levels = useMemo(() => (d?.levels ?? []).map((m) => <LevelFigure key={m.id} mix={m} unitLabel={unitLabel} />), [d, unitLabel]);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!d) return <Spin />;
  if (!d.packId) return <Empty description="还没有已发布的通知" />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="dashboard">
      <Typography.Title level={3} style={{ margin: 0 }}>
        看板
      </Typography.Title>
      <Select
        aria-label="选择通知"
        style={{ width: '100%', maxWidth: 720 }}
        value={d.packId}
        onChange={(v: string) => navigate(`/dashboard/${v}`)}
        options={d.packs.map((p) => ({ value: p.packId, label: `${p.year}年 ${p.title}` }))}
      />
      <div className="yp-dash-grid">
        {progressFigure(d)}
        {funnelFigure(d)}
        {levels}
        {(d.grades ?? []).map(gradeFigure)}
        {(d.indicators ?? []).map((i) => indicatorFigure(i, unitLabel))}
        {yearsFigure(d)}
      </div>
    </Space>
  );
}
