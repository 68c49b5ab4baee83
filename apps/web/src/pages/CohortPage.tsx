/**
 * Cohort grading for reviewers: run a pack's cohort step over a summary table their level
 * sees, and read the result — the grade distribution and the ranked figures as charts, the
 * ranked table with each park's explanation — and download it. A run is a job on the server
 * (POST /api/cohort-jobs): the page shows its progress (已处理 N / M) with a 取消 button, and
 * picks up a job still running when it is opened again. The official xlsx of a run of more than
 * LONG_WORK_ROWS records is written as an export job too (progress, cancel, downloaded when done).
 * A run with more records than its detail holds is read page by page from the server, which
 * filters (group, grade, name) and sorts (rank); /cohort?run=<id> opens a run.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Row, Select, Space, Tag, Typography } from 'antd';
import { LONG_WORK_ROWS } from '@yuanping/core/browser';
import { JobCard, useExportJob, useJobFollow } from '../lists/JobProgress';
import { DataTable, type RemoteQuery } from '../lists/DataTable';
import { ApiFailure, api, type PackDetail, type PackVersionView } from '../lib/api';
import type { components } from '../api/schema';

type Schemas = components['schemas'];
import { loadPackVersion } from '../lib/pack';
import { fmtDate } from '../lib/session';
import { Chart, type ChartOption } from './Chart';
import { columnsOf } from '../grid/columns';
import { downloadFile } from '../lib/download';

type Run = Schemas['CohortRunDetail'];
type CohortRecord = Run['results']['records'][number];
/** a row of the results table: a record's result, with its input row when it came from a page of the server's */
type Row = CohortRecord & { input?: Record<string, unknown> };
/** rows per page of a run too large for its detail (more than the detail's records), read from the server */
const REMOTE_PAGE = 100;
type RunSummary = Schemas['CohortRun'];

type Step = { id: string; title?: string; key?: string; label?: string; rank?: { field?: string; tieBreak?: Array<{ field: string; title?: string }> } };

const GRADE_COLORS: Record<string, string> = { A: '#389e0d', B: '#1677ff', C: '#d48806', D: '#cf1322' };

function csv(rows: string[][]): string {
  return '\uFEFF' + rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
}

export default function CohortPage() {
  const { message } = App.useApp();
  const [packs, setPacks] = useState<PackVersionView[]>([]);
  const [packId, setPackId] = useState<string>('');
  const [detail, setDetail] = useState<PackDetail | null>(null);
  const [stepId, setStepId] = useState<string>('');
  const [formId, setFormId] = useState<string>('');
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [run, setRun] = useState<Run | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // /cohort?run=<id>: that run opened (a link to a run's results)
  useEffect(() => {
    const id = new URLSearchParams(location.search).get('run');
    if (id) void api.get('/api/cohort-runs/{id}', { params: { id } }).then(setRun, () => undefined);
  }, []);

  useEffect(() => {
    Promise.all([api.get('/api/packs'), api.get('/api/cohort-runs')])
      .then(([p, r]) => {
        const withSteps = p.filter((x) => ((x.manifest as unknown as { cohortSteps?: unknown[] }).cohortSteps ?? []).length > 0);
        setPacks(withSteps);
        setRuns(r);
        if (withSteps[0]) setPackId(withSteps[0].packId);
      })
      .catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, []);

  useEffect(() => {
    const v = packs.find((p) => p.packId === packId);
    if (!v) return;
    // another notice chosen: no step or table of the former one stays selected while its detail loads
    // (运行分档 would have sent the new notice with the old step), and a slower earlier load is ignored
    let current = true;
    setStepId('');
    setFormId('');
    void loadPackVersion(v.id).then(({ detail: d }) => {
      if (!current) return;
      setDetail(d);
      const steps = (d.manifest as unknown as { cohortSteps?: Array<{ id: string }> }).cohortSteps ?? [];
      setStepId(steps[0]?.id ?? '');
      setFormId(d.forms.find((f) => f.kind === 'table' && f.scope !== 'park')?.id ?? '');
    });
    return () => {
      current = false;
    };
  }, [packId, packs]);

  // a run opened (from the list of runs, or /cohort?run=): the selects show its notice and step, so
  // that its ranking figure and title are its step's (once per run; the user may change them after)
  const synced = useRef<string | null>(null);
  useEffect(() => {
    if (!run || synced.current === run.id) return;
    const p = packs.find((x) => x.id === run.packVersionId);
    if (!p) return;
    if (p.packId !== packId) {
      setPackId(p.packId);
      return;
    }
    if (detail?.id !== run.packVersionId) return;
    synced.current = run.id;
    setStepId(run.stepId);
  }, [run, packs, packId, detail]);

  const steps: Step[] = useMemo(() => {
    if (!detail) return [];
    const decl = (detail.manifest as unknown as { cohortSteps?: Array<{ id: string; file: string }> }).cohortSteps ?? [];
    return decl.map((s) => ({ id: s.id, ...((detail.files?.[`rules/${detail.packId}/${s.file}`] as Step | undefined) ?? {}) }));
  }, [detail]);
  const step = steps.find((s) => s.id === stepId);

  // the running job, polled until it ends (also one still running when the page was opened)
  const runJob = useJobFollow({
    what: '分档',
    onEnd: (j) => {
      runJob.setJob(null);
      if (j.status === 'succeeded' && j.resultId) {
        void api.get('/api/cohort-runs/{id}', { params: { id: j.resultId } }).then((r) => {
          setRun(r);
          setRuns((l) => [r, ...l.filter((x) => x.id !== r.id)]);
          void message.success(`已完成分档：${r.recordCount} 条记录`);
        });
      } else if (j.status === 'cancelled') void message.info('已取消分档，没有保存任何结果');
      else void message.error(j.errorMessage ?? '运行失败');
    },
  });
  const { job, follow } = runJob;
  useEffect(() => {
    void api.get('/api/jobs', { query: { kind: 'cohort.run', active: 'true' } }).then((l) => {
      if (l[0]) follow(l[0]);
    });
  }, [follow]);

  const start = async () => {
    setBusy(true);
    try {
      follow(await api.post('/api/cohort-jobs', { body: { packId, stepId, formId } }));
    } catch (e) {
      // an empty input is a warning naming who has not reported, not a run over 0 records
      if (e instanceof ApiFailure && e.code === 'COHORT_INPUT_EMPTY') void message.warning({ content: e.message, duration: 10 });
      else void message.error(e instanceof ApiFailure ? e.message : '运行失败');
    } finally {
      setBusy(false);
    }
  };

  const ranked = useMemo(() => [...(run?.results.records ?? [])].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)), [run]);

  // a run with more records than its detail holds: the table reads them page by page from the
  // server (GET /api/cohort-runs/:id/records), which also filters (group, grade, name) and sorts (rank)
  const large = !!run && run.recordCount > run.results.records.length;
  const [remotePage, setRemotePage] = useState(1);
  const [query, setQuery] = useState<RemoteQuery>({ q: '', filters: {}, sort: null });
  const [remote, setRemote] = useState<{ total: number; rows: Row[] } | null>(null);
  const [facets, setFacets] = useState<{ groups: Array<{ value: string; count: number }>; grades: Array<{ value: string; count: number }> } | null>(null);
  const [remoteLoading, setRemoteLoading] = useState(false);
  useEffect(() => {
    setRemotePage(1);
    setQuery({ q: '', filters: {}, sort: null });
    setRemote(null);
    setFacets(null);
  }, [run?.id]);
  useEffect(() => {
    if (!run || !large) return;
    let live = true;
    setRemoteLoading(true);
    const desc = query.sort?.key === 'rank' && query.sort.order === 'descend';
    const group = query.filters.group ?? null;
    const grade = query.filters.g ?? null;
    api
      .get('/api/cohort-runs/{id}/records', {
        params: { id: run.id },
        query: {
          offset: String((remotePage - 1) * REMOTE_PAGE),
          limit: String(REMOTE_PAGE),
          order: 'rank',
          ...(desc ? { dir: 'desc' as const } : {}),
          ...(group !== null ? { group } : {}),
          ...(grade !== null ? { grade } : {}),
          ...(query.q ? { q: query.q } : {}),
          ...(facets ? {} : { facets: '1' as const }),
        },
      })
      .then((p) => {
        if (!live) return;
        setRemote({ total: p.total, rows: p.records.map((x) => ({ ...x.result, input: x.input })) });
        if (p.facets) setFacets(p.facets);
      })
      .catch((e: unknown) => live && void message.error(e instanceof ApiFailure ? e.message : '读取记录失败'))
      .finally(() => live && setRemoteLoading(false));
    return () => {
      live = false;
    };
    // facets are read once per run (with its first page)
  }, [run?.id, large, remotePage, query]);
  const rankField = step?.rank?.field;
  const inputForm = detail?.forms.find((f) => f.id === formId);
  const rankTitle = useMemo(() => {
    const c = inputForm ? columnsOf(inputForm.schema).find((x) => x.key === rankField) : undefined;
    return c ? `${c.title}${c.unit ? `（${c.unit}）` : ''}` : (rankField ?? '得分');
  }, [inputForm, rankField]);
  const byKey = useMemo(() => new Map((run?.input ?? []).map((r) => [String(r[step?.key ?? ''] ?? ''), r])), [run, step]);
  /** a record's figure the ranking is by (from the input row), or its score */
  const rankValue = (r: Row): string | number | null => {
    const v = (r.input ?? byKey.get(r.key))?.[rankField ?? ''] ?? r.score;
    return typeof v === 'number' || typeof v === 'string' ? v : null;
  };

  const distOption: ChartOption = useMemo(() => {
    const d = run?.results.distribution ?? {};
    const grades = Object.keys(d);
    return {
      title: { text: '分档分布', left: 'center', textStyle: { fontSize: 14 } },
      tooltip: {},
      xAxis: { type: 'category', data: grades.map((g) => (g === 'excluded' ? '不参评' : g)) },
      yAxis: { type: 'value', name: '个数' },
      series: [{ type: 'bar', data: grades.map((g) => ({ value: d[g] ?? 0, itemStyle: { color: GRADE_COLORS[g] ?? '#999' } })), label: { show: true, position: 'top' } }],
    };
  }, [run]);

  const figureOption: ChartOption = useMemo(() => {
    const f = rankField ?? '';
    const pts = ranked.filter((r) => r.rank !== undefined);
    return {
      title: { text: `排序依据：${rankTitle}`, left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: pts.map((r) => String(r.rank)), name: '名次' },
      yAxis: { type: 'value' },
      series: [
        {
          type: 'bar',
          data: pts.map((r) => ({ value: Number(byKey.get(r.key)?.[f] ?? r.score ?? 0), itemStyle: { color: GRADE_COLORS[r.grade ?? ''] ?? '#999' }, name: r.label ?? r.key })),
        },
      ],
    };
  }, [ranked, rankField, byKey, rankTitle]);

  const download = () => {
    const rows = [['名次', '名称', '分组', '分档', rankTitle, '说明'], ...ranked.map((r) => [String(r.rank ?? ''), r.label ?? r.key, r.group, r.grade ?? (r.excluded ? '不参评' : ''), String(rankValue(r) ?? ''), r.explanation.join('；')])];
    const blob = new Blob([csv(rows)], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${step?.title ?? stepId}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  const [exporting, setExporting] = useState(false);
  // a run of more than LONG_WORK_ROWS records: its workbook written as a job (progress, cancel, downloaded when done)
  const bigExport = useExportJob('export-job');
  const exportXlsx = async () => {
    if (!run) return;
    if (run.recordCount > LONG_WORK_ROWS) {
      await bigExport.start(() => api.post('/api/cohort-runs/{id}/xlsx-job', { params: { id: run.id } }));
      return;
    }
    setExporting(true);
    try {
      const name = await downloadFile(`/api/cohort-runs/${encodeURIComponent(run.id)}/xlsx`, `${run.stepId}.xlsx`);
      void message.success(`已导出 ${name}`);
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '导出失败');
    } finally {
      setExporting(false);
    }
  };

  if (error) return <Alert type="error" showIcon message={error} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        群体评价（分档）
      </Typography.Title>
      <Card size="small">
        <Space wrap>
          <Select aria-label="通知" style={{ width: 380 }} value={packId} onChange={setPackId} options={packs.map((p) => ({ value: p.packId, label: p.title }))} placeholder="通知" />
          <Select aria-label="评价步骤" style={{ width: 360 }} value={stepId} onChange={setStepId} options={steps.map((s) => ({ value: s.id, label: s.title ?? s.id }))} placeholder="评价步骤" />
          <Select
            aria-label="输入的汇总表"
            style={{ width: 280 }}
            value={formId}
            onChange={setFormId}
            options={(detail?.forms ?? []).filter((f) => f.kind === 'table' && f.scope !== 'park').map((f) => ({ value: f.id, label: `${f.attachment ?? ''} ${f.title}` }))}
            placeholder="输入：汇总表"
          />
          <Button type="primary" loading={busy || !!job} disabled={!packId || !stepId || !formId} onClick={() => void start()} data-testid="run-cohort">
            运行分档
          </Button>
          <Select
            aria-label="历次运行"
            style={{ width: 300 }}
            placeholder="历次运行"
            value={run?.id}
            onChange={(id: string) => void api.get('/api/cohort-runs/{id}', { params: { id } }).then(setRun)}
            options={runs.map((r) => ({ value: r.id, label: `${fmtDate(r.createdAt)} · ${steps.find((x) => x.id === r.stepId)?.title ?? '分档'}` }))}
          />
        </Space>
      </Card>
      {job ? <JobCard job={job} what="分档" unit="条" cancelling={runJob.cancelling} onCancel={() => void runJob.cancel()} testId="cohort-job" /> : null}
      {bigExport.card}
      {run ? (
        <>
          {run.results.warnings.length ? <Alert type="warning" showIcon message={run.results.warnings.join('；')} /> : null}
          <Row gutter={16}>
            <Col xs={24} lg={10}>
              <Card size="small">
                <Chart option={distOption} testId="chart-distribution" />
              </Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card size="small">
                <Chart option={figureOption} testId="chart-figures" />
              </Card>
            </Col>
          </Row>
          <Card size="small" title={`排名与分档（${large ? `共 ${run.recordCount.toLocaleString('zh-CN')} 条，按名次分页读取；图表为按名次的前 ${ranked.length} 条` : `${ranked.length} 条`}）`} extra={
              <Space>
                <Button type="primary" onClick={() => void exportXlsx()} loading={exporting || bigExport.running} data-testid="export-xlsx">
                  导出 Excel（官方版式）
                </Button>
                <Button onClick={download}>下载 CSV</Button>
              </Space>
            }
          >
            <DataTable<Row>
              id="cohort-results"
              testId="cohort-table"
              rows={large ? (remote?.rows ?? []) : ranked}
              {...(large
                ? {
                    loading: remoteLoading,
                    remote: {
                      current: remotePage,
                      pageSize: REMOTE_PAGE,
                      total: remote?.total ?? run.recordCount,
                      onChange: setRemotePage,
                      onQuery: (q: RemoteQuery) => {
                        setQuery(q);
                        setRemotePage(1);
                      },
                    },
                  }
                : {})}
              rowKey={(r) => r.key}
              exportName={step?.title ?? stepId}
              exportTestId="export-list-xlsx"
              columns={[
                { key: 'rank', title: '名次', value: (r) => r.rank ?? null, width: 80, ...(large ? { sortable: true } : {}) },
                { key: 'label', title: '名称', value: (r) => r.label ?? r.key, width: 260 },
                // the groups interleave in the ranking: a filter shows one group's ranking
                { key: 'group', title: '分组', value: (r) => r.group, filter: true, options: facets?.groups.map((g) => ({ text: `${g.value || '（空）'}（${g.count}）`, value: g.value })), width: 110 },
                { key: 'v', title: rankTitle, value: (r) => rankValue(r), width: 120 },
                {
                  key: 'g',
                  title: '分档',
                  value: (r) => (r.excluded ? '不参评' : `${r.grade ?? ''}${r.exempt ? '（不占比例）' : ''}`),
                  render: (r) =>
                    r.excluded ? <Tag>不参评</Tag> : <Tag color={GRADE_COLORS[r.grade ?? ''] ? undefined : 'default'} style={{ color: GRADE_COLORS[r.grade ?? ''] }}>{r.grade ?? ''}{r.exempt ? '（不占比例）' : ''}</Tag>,
                  filter: true,
                  options: facets?.grades.map((g) => ({ text: `${g.value === 'excluded' ? '不参评' : g.value || '（空）'}（${g.count}）`, value: g.value })),
                  width: 130,
                },
                { key: 'e', title: '说明', value: (r) => r.explanation.join('；'), render: (r) => <Typography.Text type="secondary">{r.explanation.join('；')}</Typography.Text>, width: 420 },
              ]}
            />
          </Card>
        </>
      ) : (
        <Alert type="info" showIcon message="选择通知、评价步骤和作为输入的汇总表后运行分档；结果连同输入与通知包版本一并保存。" />
      )}
    </Space>
  );
}
