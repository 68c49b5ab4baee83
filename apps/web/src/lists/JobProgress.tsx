/**
 * Long work run as a job on the server (an export or import of more than LONG_WORK_ROWS rows, a
 * cohort run): the job followed until it ends (polled), shown as a progress bar with the
 * percentage and the rows done of the total, a 取消 button, and — for a job that produced a file —
 * the download once it is done (started at once, and a 下载 button to fetch it again).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { App, Button, Card, Progress, Space, Typography } from 'antd';
import { EXPORT_JOB_KIND } from '@yuanping/core/browser';
import { ApiFailure, api, type Job } from '../lib/api';
import { downloadFile } from '../lib/download';

const ACTIVE = new Set(['queued', 'running']);

/** The percentage of a job's rows done (0 while the total is unknown). */
export function jobPercent(j: Pick<Job, 'done' | 'total'>): number {
  return j.total ? Math.min(100, Math.floor((j.done / j.total) * 100)) : 0;
}

export interface JobFollowOptions {
  /** called once when the job ends (any status) */
  onEnd?: (j: Job) => void;
  /** what the work is called in messages (导出、分档…) */
  what: string;
}

/** Follows a job (polling GET /api/jobs/:id) until it ends; cancel asks the server to stop it. */
export function useJobFollow(o: JobFollowOptions) {
  const { message } = App.useApp();
  const [job, setJob] = useState<Job | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const timer = useRef<number | null>(null);
  const opts = useRef(o);
  opts.current = o;
  const follow = useCallback((j: Job) => {
    setJob(j);
    if (ACTIVE.has(j.status)) {
      timer.current = window.setTimeout(() => {
        api
          .get('/api/jobs/{id}', { params: { id: j.id } })
          .then(follow)
          .catch(() => follow(j)); // a failed poll (network) is tried again
      }, 500);
      return;
    }
    setCancelling(false);
    opts.current.onEnd?.(j);
  }, []);
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );
  const cancel = async () => {
    if (!job) return;
    setCancelling(true);
    try {
      setJob(await api.post('/api/jobs/{id}/cancel', { params: { id: job.id } }));
    } catch (e) {
      setCancelling(false);
      void message.error(e instanceof ApiFailure ? e.message : `取消${opts.current.what}失败`);
    }
  };
  return { job, setJob, follow, cancel, cancelling };
}

/** A job's progress card: what it does, the bar (percentage), rows done of the total, 取消; when done, 下载 (`download`) and 关闭. */
export function JobCard(p: {
  job: Job;
  what: string;
  unit?: string;
  cancelling: boolean;
  onCancel: () => void;
  onDownload?: () => void;
  onClose?: () => void;
  testId?: string;
}) {
  const { job, unit = '行' } = p;
  const active = ACTIVE.has(job.status);
  const n = (x: number | null) => (x ?? 0).toLocaleString('zh-CN');
  return (
    <Card size="small" data-testid={p.testId ?? 'job'} data-job-status={job.status}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          {job.status === 'queued'
            ? `${p.what}：排队等候…`
            : active
              ? `正在${p.what}：${job.phase ?? '运行中'}`
              : job.status === 'succeeded'
                ? `${p.what}已完成：共 ${n(job.total ?? job.done)} ${unit}`
                : job.status === 'cancelled'
                  ? `已取消${p.what}，没有保存任何结果`
                  : `${p.what}失败：${job.errorMessage ?? ''}`}
          {active && job.cancelRequested ? '（正在取消…）' : ''}
        </Typography.Text>
        <Space style={{ width: '100%' }} align="center" wrap>
          <Progress
            style={{ width: 'min(480px, 70vw)', margin: 0 }}
            percent={job.status === 'succeeded' ? 100 : jobPercent(job)}
            status={active ? 'active' : job.status === 'succeeded' ? 'success' : 'exception'}
            aria-label={`${p.what}进度`}
          />
          <Typography.Text data-testid={`${p.testId ?? 'job'}-count`}>
            已处理 {n(job.done)} / {n(job.total)} {unit}
          </Typography.Text>
          {active ? (
            <Button danger onClick={p.onCancel} loading={p.cancelling} disabled={job.cancelRequested} data-testid={`${p.testId ?? 'job'}-cancel`}>
              取消
            </Button>
          ) : null}
          {job.status === 'succeeded' && p.onDownload ? (
            <Button type="primary" onClick={p.onDownload} data-testid={`${p.testId ?? 'job'}-download`}>
              下载
            </Button>
          ) : null}
          {!active && p.onClose ? <Button onClick={p.onClose}>关闭</Button> : null}
        </Space>
        {active ? <Typography.Text type="secondary">关闭本页不影响运行；取消后不保存任何结果。</Typography.Text> : null}
      </Space>
    </Card>
  );
}

/**
 * An export run as a job: `start` posts it (the route answers the job), the card follows it, and
 * the file is downloaded when it is done (GET /api/jobs/:id/result). `resume` picks up an export
 * job of the user still running for the same thing (its params matched) when the page is opened.
 */
export function useExportJob(testId: string) {
  const { message } = App.useApp();
  const download = useCallback(
    async (j: Job) => {
      try {
        const name = await downloadFile(`/api/jobs/${encodeURIComponent(j.id)}/result`, 'export.xlsx');
        void message.success(`已导出 ${name}`);
      } catch (e) {
        void message.error(e instanceof ApiFailure ? e.message : '下载失败');
      }
    },
    [message],
  );
  const f = useJobFollow({
    what: '导出',
    onEnd: (j) => {
      if (j.status === 'succeeded') void download(j);
      else if (j.status === 'failed') void message.error(j.errorMessage ?? '导出失败');
    },
  });
  const start = async (post: () => Promise<Job>) => {
    try {
      f.follow(await post());
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '导出失败');
    }
  };
  const resume = useCallback(
    (match: (params: Record<string, unknown>) => boolean) => {
      void api
        .get('/api/jobs', { query: { kind: EXPORT_JOB_KIND, active: 'true' } })
        .then((l) => {
          const j = l.find((x) => match((x.params ?? {}) as Record<string, unknown>));
          if (j) f.follow(j);
        })
        .catch(() => undefined);
    },
    [f.follow],
  );
  const card = f.job ? (
    <JobCard job={f.job} what="导出" cancelling={f.cancelling} onCancel={() => void f.cancel()} onDownload={() => f.job && void download(f.job)} onClose={() => f.setJob(null)} testId={testId} />
  ) : null;
  return { job: f.job, running: !!f.job && ACTIVE.has(f.job.status), start, resume, card };
}
