/**
 * A home for each role. The applicant: what needs doing, its applications with status and decided
 * result, the deadlines ahead. A reviewer: what waits for its level (待审核 / 待推荐 / 待评定), the
 * reporting progress of the units below with 催报, the deadlines of its stages, quota use. Both: the
 * 催报 received.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Empty, Input, List, Progress as Bar, Space, Spin, Statistic, Tag, Typography } from 'antd';
import { DataTable } from '../lists/DataTable';
import { ApiFailure } from '../lib/api';
import { getHome, markRead, refreshBell, sendReminders, type Deadline, type HomeData, type Progress } from '../lib/home';
import { STATUS_COLORS } from '../lib/labels';
import { Link } from '../lib/router';
import { fmtDate, useSession } from '../lib/session';
import { QuotaTable } from './QuotaTable';

function DeadlineList({ deadlines }: { deadlines: Deadline[] }) {
  return (
    <Card size="small" title="截止日期" data-testid="deadlines">
      {deadlines.length === 0 ? (
        <Typography.Text type="secondary">本级近期没有截止日期</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={deadlines}
          renderItem={(d) => (
            <List.Item extra={<Tag color={d.daysLeft <= 1 ? 'red' : d.daysLeft <= 3 ? 'orange' : 'blue'}>{d.daysLeft === 0 ? '今天截止' : `还有 ${d.daysLeft} 天`}</Tag>}>
              <List.Item.Meta title={`${d.label}：${d.closes} 截止`} description={`《${d.packTitle}》`} />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function Reminders({ home, onRead }: { home: HomeData; onRead: () => void }) {
  const open = home.reminders.filter((r) => !r.read);
  if (open.length === 0) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="reminders">
      {open.map((r) => (
        <Alert
          key={r.id}
          type="warning"
          showIcon
          message={r.title}
          description={
            <>
              {r.body ? <div>{r.body}</div> : null}
              <Typography.Text type="secondary">{fmtDate(r.createdAt)}</Typography.Text>
            </>
          }
          action={
            <Space direction="vertical">
              {r.link ? <Link to={r.link}>去报送</Link> : null}
              <Button size="small" onClick={() => void markRead({ ids: [r.id] }).then(() => (onRead(), refreshBell()))}>
                知道了
              </Button>
            </Space>
          }
        />
      ))}
    </Space>
  );
}

/** One list of the units below: who has reported, and 催报 of all or the chosen ones that have not. */
function ProgressCard({ p, onSent }: { p: Progress; onSent: () => void }) {
  const { message } = App.useApp();
  const [chosen, setChosen] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const pending = p.units.filter((u) => !u.reported);
  const send = async (targets?: string[]) => {
    setBusy(true);
    try {
      const r = await sendReminders({ packId: p.packId, formId: p.formId, ...(targets ? { targets } : {}), ...(note.trim() ? { message: note.trim() } : {}) });
      void message.success(`已向 ${r.sent.length} 个单位发送催报${r.skipped.length ? `；${r.skipped.length} 个单位近期已催报过，本次未再发送` : ''}`);
      setChosen([]);
      onSent();
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '催报未发送');
    } finally {
      setBusy(false);
    }
  };
  const unit = p.formId ? '单位' : '园区';
  return (
    <Card
      size="small"
      title={`《${p.packTitle}》${p.title}：报送进度`}
      data-testid="progress"
      data-form={p.formId ?? ''}
      data-pack={p.packId}
      extra={
        <Typography.Text data-testid="progress-count">
          {p.formId ? '已报送' : '已提交'} {p.reported}/{p.total}
        </Typography.Text>
      }
    >
      <Bar percent={p.total ? Math.round((p.reported / p.total) * 100) : 0} size="small" aria-label={`报送进度 ${p.reported}/${p.total}`} />
      <div className="yp-units" role="group" aria-label={`${unit}报送情况`}>
        {p.units.map((u) => (
          <label key={u.target} className="yp-unit" data-unit={u.target} data-reported={u.reported ? '1' : '0'}>
            <Checkbox
              disabled={u.reported}
              checked={chosen.includes(u.target)}
              onChange={(e) => setChosen((c) => (e.target.checked ? [...c, u.target] : c.filter((x) => x !== u.target)))}
              aria-label={`选择${u.name}`}
            />
            <span>{u.name}</span>
            <Tag color={u.reported ? 'success' : u.status === 'returned' ? 'warning' : 'default'}>{u.statusLabel}</Tag>
          </label>
        ))}
      </div>
      {pending.length ? (
        <Space wrap style={{ marginTop: 8 }}>
          <Input style={{ width: 320 }} placeholder="催报附言（可不填）" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} aria-label="催报附言" />
          <Button type="primary" loading={busy} onClick={() => void send()} data-testid="remind-all">
            催报全部未报送（{pending.length}）
          </Button>
          <Button disabled={chosen.length === 0} loading={busy} onClick={() => void send(chosen)} data-testid="remind-chosen">
            催报所选（{chosen.length}）
          </Button>
        </Space>
      ) : (
        <Typography.Text type="success">全部{unit}已报送</Typography.Text>
      )}
    </Card>
  );
}

function ApplicantHome({ home }: { home: HomeData }) {
  const apps = home.applications ?? [];
  const todo = home.todo ?? [];
  return (
    <>
      <Card size="small" title={`待办（${todo.length}）`} data-testid="todo">
        {todo.length === 0 ? (
          <Typography.Text type="secondary">没有待办事项</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={todo}
            renderItem={(t) => (
              <List.Item data-kind={t.kind} actions={[<Link key="go" to={t.link}>{t.kind === 'start' ? '去填报' : t.kind === 'returned' ? '去修改' : '继续填写'}</Link>]}>
                {t.kind === 'returned' ? <Tag color="warning">已退回</Tag> : t.kind === 'draft' ? <Tag>草稿</Tag> : <Tag color="blue">未开始</Tag>}
                {t.text}
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title="我的申报" data-testid="applications">
        <DataTable<(typeof apps)[number]>
          id="home-applications"
          rows={apps}
          rowKey={(a) => a.id}
          exportName="我的申报"
          pageSize={10}
          emptyText="还没有申报"
          columns={[
            // on a phone the status and the result come into view first, beside the notice
            { key: 'pack', title: '通知', value: (a) => a.packTitle, filter: true, width: 220 },
            { key: 'status', title: '状态', value: (a) => a.statusLabel, render: (a) => <Tag color={STATUS_COLORS[a.status] ?? 'default'}>{a.statusLabel}</Tag>, filter: true, width: 160 },
            {
              key: 'result',
              title: '评定结果',
              value: (a) => a.result?.text ?? '尚未评定',
              render: (a) =>
                a.result ? (
                  <Space size={4} wrap>
                    <Tag color={a.result.approved ? 'success' : 'error'} data-testid="result">
                      {a.result.text}
                    </Tag>
                    <Link to={`/submissions/${a.id}/result/print`}>结果文书</Link>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">尚未评定</Typography.Text>
                ),
              width: 220,
            },
            { key: 'form', title: '表单', value: (a) => a.formTitle, width: 200 },
            { key: 'at', title: '更新时间', value: (a) => fmtDate(a.updatedAt), width: 150 },
            { key: 'go', title: '操作', value: () => null, render: (a) => <Link to={`/submissions/${a.id}`}>打开</Link>, sortable: false, noExport: true, width: 80 },
          ]}
        />
      </Card>
      <DeadlineList deadlines={home.deadlines} />
    </>
  );
}

function ReviewerHome({ home, reload }: { home: HomeData; reload: () => void }) {
  const c = home.counts;
  return (
    <>
      {c ? (
        <div className="yp-home-grid" data-testid="counts">
          <Card size="small">
            <Statistic title={c.waiting.label} value={c.waiting.count} valueStyle={{ color: c.waiting.count ? '#b71c1c' : undefined }} />
            <Link to="/review">去处理</Link>
          </Card>
          {Object.entries(c.byStatus)
            .filter(([s]) => s !== c.waiting.status)
            .map(([s, v]) => (
              <Card size="small" key={s}>
                <Statistic title={v.label} value={v.count} />
              </Card>
            ))}
        </div>
      ) : null}
      <DeadlineList deadlines={home.deadlines} />
      {(home.progress ?? []).map((p) => (
        <ProgressCard key={`${p.packId}/${p.formId ?? ''}`} p={p} onSent={reload} />
      ))}
      <QuotaTable quotas={home.quotas ?? []} />
    </>
  );
}

export default function HomePage() {
  const { me } = useSession();
  const [home, setHome] = useState<HomeData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    getHome().then(setHome, (e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, []);
  useEffect(load, [load]);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!home) return <Spin />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="home">
      <Typography.Title level={3} style={{ margin: 0 }}>
        首页 <Typography.Text type="secondary" style={{ fontSize: 14 }}>{me?.park?.name ?? me?.orgUnit?.name}</Typography.Text>
      </Typography.Title>
      <Reminders home={home} onRead={load} />
      {home.role === 'applicant' ? <ApplicantHome home={home} /> : <ReviewerHome home={home} reload={load} />}
      {home.role !== 'applicant' && !(home.progress ?? []).length && !(home.quotas ?? []).length ? <Empty description="本级没有需要跟踪的报送" /> : null}
    </Space>
  );
}
