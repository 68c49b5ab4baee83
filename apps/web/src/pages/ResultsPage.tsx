/**
 * 评定结果公示 (issue 16, item 7): every signed-in user sees a notice's result list while its
 * period runs, and exports it to xlsx; the province sees the approved applications, publishes them
 * with a period (start and end date) and withdraws a publication.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, List, Popconfirm, Select, Space, Spin, Tag, Typography } from 'antd';
import { ApiFailure, api, type PackVersionView } from '../lib/api';
import { getResults, publishResults, withdrawResults, type Publication, type ResultRow, type Results } from '../lib/results';
import { DataTable, type ListColumn } from '../lists/DataTable';
import { Link, navigate } from '../lib/router';
import { fmtDate, useSession } from '../lib/session';

function columns(canOpen: (r: ResultRow) => boolean): Array<ListColumn<ResultRow>> {
  return [
    { key: 'city', title: '设区市', value: (r) => r.cityLabel, sortable: true, filter: true },
    { key: 'county', title: '区县', value: (r) => r.countyLabel, sortable: true, filter: true },
    { key: 'park', title: '园区', value: (r) => r.parkName, sortable: true },
    { key: 'form', title: '申报材料', value: (r) => r.formTitle },
    { key: 'result', title: '评定结果', value: (r) => r.result, sortable: true, filter: true },
    { key: 'at', title: '评定日期', value: (r) => r.decidedAt, sortable: true },
    {
      key: 'open',
      title: '结果文书',
      noExport: true,
      value: () => null,
      render: (r) => (canOpen(r) ? <Link to={`/submissions/${r.submissionId}/result/print`}>打印结果文书</Link> : <Typography.Text type="secondary">—</Typography.Text>),
    },
  ];
}

function PublishForm({ packId, count, today, onDone }: { packId: string; count: number; today: string; onDone: () => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ title: string; startsOn: string; endsOn: string }>();
  const submit = async (v: { title?: string; startsOn: string; endsOn: string }) => {
    setBusy(true);
    try {
      const p = await publishResults(packId, { startsOn: v.startsOn, endsOn: v.endsOn, ...(v.title?.trim() ? { title: v.title.trim() } : {}) });
      void message.success(`已发布公示：${p.startsOn} 至 ${p.endsOn}，共 ${p.rows.length} 个园区`);
      onDone();
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '公示未发布');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ startsOn: today }} data-testid="publish-form">
      <Form.Item name="title" label="公示标题（可不填，默认按通知标题）">
        <Input maxLength={200} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="startsOn" label="公示开始日期" rules={[{ required: true, message: '请填写公示开始日期' }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item
          name="endsOn"
          label="公示结束日期"
          dependencies={['startsOn']}
          rules={[
            { required: true, message: '请填写公示结束日期' },
            ({ getFieldValue }) => ({
              validator: (_, v: string | undefined) => (!v || !getFieldValue('startsOn') || v >= (getFieldValue('startsOn') as string) ? Promise.resolve() : Promise.reject(new Error('结束日期不能早于开始日期'))),
            }),
          ]}
        >
          <Input type="date" />
        </Form.Item>
      </Space>
      <Form.Item style={{ marginBottom: 0 }}>
        <Button type="primary" htmlType="submit" loading={busy} disabled={count === 0} data-testid="publish">
          发布公示（{count} 个园区）
        </Button>
      </Form.Item>
    </Form>
  );
}

function PublicationList({ packId, list, today, onDone }: { packId: string; list: Publication[]; today: string; onDone: () => void }) {
  const { message } = App.useApp();
  if (list.length === 0) return <Typography.Text type="secondary">还没有发布过公示</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={list}
      renderItem={(p) => (
        <List.Item
          data-testid="publication"
          actions={
            p.withdrawnAt
              ? []
              : [
                  <Popconfirm
                    key="w"
                    title="撤回这次公示？撤回后所有用户都不再看到它"
                    okText="撤回"
                    cancelText="取消"
                    onConfirm={() =>
                      withdrawResults(packId, p.id).then(
                        () => (void message.success('已撤回'), onDone()),
                        (e: unknown) => void message.error(e instanceof ApiFailure ? e.message : '撤回失败'),
                      )
                    }
                  >
                    <Button size="small" danger>
                      撤回
                    </Button>
                  </Popconfirm>,
                ]
          }
        >
          <List.Item.Meta
            title={
              <Space wrap>
                {p.title}
                {p.withdrawnAt ? <Tag>已撤回</Tag> : p.showing ? <Tag color="success">公示中</Tag> : <Tag color="blue">{p.startsOn > today ? '未开始' : '已结束'}</Tag>}
              </Space>
            }
            description={`公示期 ${p.startsOn} 至 ${p.endsOn}；${p.rows.length} 个园区；发布于 ${fmtDate(p.publishedAt)}`}
          />
        </List.Item>
      )}
    />
  );
}

export default function ResultsPage({ packId }: { packId?: string }) {
  const { me } = useSession();
  const [packs, setPacks] = useState<PackVersionView[] | null>(null);
  const [data, setData] = useState<Results | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get('/api/packs').then(setPacks, (e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, []);
  const current = packId ?? packs?.[0]?.packId;
  const load = useCallback(() => {
    if (!current) return;
    getResults(current).then(
      (r) => (setData(r), setError(null)),
      (e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'),
    );
  }, [current]);
  useEffect(load, [load]);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!packs) return <Spin />;
  if (!current) return <Empty description="还没有已发布的通知" />;
  const role = me?.user.role;
  const canOpen = (r: ResultRow) => role !== 'applicant' || r.parkId === me?.user.parkId;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="results">
      <Typography.Title level={3} style={{ margin: 0 }}>
        评定结果公示
      </Typography.Title>
      <Select
        aria-label="选择通知"
        style={{ width: '100%', maxWidth: 720 }}
        value={current}
        onChange={(v: string) => navigate(`/results/${v}`)}
        options={packs.map((p) => ({ value: p.packId, label: p.title }))}
      />
      {!data ? (
        <Spin />
      ) : (
        <>
          <Card size="small" title={data.showing ? data.showing.title : '正在公示'} data-testid="showing">
            {data.showing ? (
              <>
                <Typography.Paragraph>
                  公示期：{data.showing.startsOn} 至 {data.showing.endsOn}。公示期内对结果有异议的，请向省级主管部门反映。
                </Typography.Paragraph>
                <DataTable id="results-showing" rows={data.showing.rows} rowKey={(r) => r.submissionId} columns={columns(canOpen)} exportName={data.showing.title} testId="showing-table" />
              </>
            ) : (
              <Typography.Text type="secondary">《{data.title}》当前没有正在公示的评定结果</Typography.Text>
            )}
          </Card>
          {data.candidates ? (
            <Card size="small" title={`拟公示名单：省级评定通过的申报（${data.candidates.length}）`} data-testid="candidates">
              <Space direction="vertical" style={{ width: '100%' }}>
                <DataTable id="results-candidates" rows={data.candidates} rowKey={(r) => r.submissionId} columns={columns(() => true)} exportName={`《${data.title}》拟公示名单`} emptyText="还没有省级评定通过的申报" />
                <PublishForm packId={current} count={data.candidates.length} today={data.today} onDone={load} />
              </Space>
            </Card>
          ) : null}
          {data.publications ? (
            <Card size="small" title="历次公示" data-testid="publications">
              <PublicationList packId={current} list={data.publications} today={data.today} onDone={load} />
            </Card>
          ) : null}
        </>
      )}
    </Space>
  );
}
