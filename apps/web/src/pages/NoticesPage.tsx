/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
/** The applicant's home: the notices (published packs) with their windows, and their applications. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { api, ApiFailure, type PackVersionView, type SubmissionSummary } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { prefetchSubmission } from '../lib/prefetch';
import { preloadApplicationPage } from '../lib/preload';
import { KIND_LABELS, STATUS_COLORS, WINDOW_COLORS, WINDOW_LABELS, daysLeft, windowState } from '../lib/labels';

export default function NoticesPage() {
  const { message } = App.useApp();
  const [packs, setPacks] = useState<PackVersionView[] | null>(null);
  const [subs, setSubs] = useState<SubmissionSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([api.get('/api/packs'), api.get('/api/submissions')])
      .then(([p, s]) => {
        setPacks(p);
        setSubs(s);
      })
      .catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, []);
  const start = async (packId: string, formId: string) => {
    setBusy(`${packId}/${formId}`);
    try {
      const s = await api.post('/api/submissions', { body: { packId, formId, data: {} }, headers: { 'idempotency-key': crypto.randomUUID() } });
      prefetchSubmission(s.id);
      await preloadApplicationPage();
      navigate(`/submissions/${s.id}`);
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '创建失败');
    } finally {
      setBusy(null);
    }
  };
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!packs) return <Spin />;
  if (packs.length === 0) return <Empty description="目前没有已发布的通知" />;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        通知与申报
      </Typography.Title>
      {packs.map((p) => {
        const m = p.manifest;
        const stages = m.workflow?.stages ?? [];
        const mine = stages.filter((s) => s.role === 'applicant');
        const parkForms = m.forms.filter((f) => !f.scope || f.scope === 'park');
        const mineSubs = subs.filter((s) => s.packId === p.packId);
        return (
          <Card
            key={p.packId}
            title={m.title}
            data-pack={p.packId}
            extra={mineSubs.length ? <Link to={`/print/${p.packId}`}>打印全部申报材料</Link> : null}
          >
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
              <Descriptions.Item label="发文单位">{m.issuer}</Descriptions.Item>
              {m.documentNumber ? <Descriptions.Item label="文号">{m.documentNumber}</Descriptions.Item> : null}
              <Descriptions.Item label="发文日期">{m.issueDate}</Descriptions.Item>
              <Descriptions.Item label="数据截止">{m.dataCutoff}</Descriptions.Item>
              <Descriptions.Item label="版本">第 {p.version} 版</Descriptions.Item>
            </Descriptions>
            <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
              {mine.map((s) => {
                const st = windowState(s.window);
                return (
                  <div key={s.id}>
                    <Tag color={WINDOW_COLORS[st]}>{WINDOW_LABELS[st] || '无时限'}</Tag>
                    <b>{s.label}</b>
                    {s.window ? `：${s.window.opens ?? '即日'} 至 ${s.window.closes ?? '不限'}` : ''}
                    {st === 'open' && s.window?.closes ? <Typography.Text type="warning">（距截止还有 {daysLeft(s.window.closes)} 天）</Typography.Text> : null}
                  </div>
                );
              })}
              {(m.dates ?? []).map((d) => (
                <div key={d.id}>
                  <Typography.Text type="secondary">{d.label}：{d.date}</Typography.Text>
                </div>
              ))}
            </Space>
            <List
              style={{ marginTop: 12 }}
              bordered
              dataSource={parkForms}
              locale={{ emptyText: '本通知没有由园区填报的表单' }}
              renderItem={(f) => {
                const existing = mineSubs.filter((s) => s.formId === f.id);
                return (
                  <List.Item
                    data-form={f.id}
                    actions={[
                      ...existing.map((s) => (
                        <Link key={s.id} to={`/submissions/${s.id}`}>
                          {s.status === 'draft' || s.status === 'returned' ? '继续填报' : '查看'}
                        </Link>
                      )),
                      ...(existing.length === 0
                        ? [
                            <Button key="new" type="primary" size="small" loading={busy === `${p.packId}/${f.id}`} onClick={() => void start(p.packId, f.id)}>
                              开始填报
                            </Button>,
                          ]
                        : []),
                    ]}
                  >
                    <List.Item.Meta
                      title={`${f.attachment ? `${f.attachment}　` : ''}${f.title}`}
                      description={
                        <Space>
                          <Tag>{KIND_LABELS[f.kind] ?? f.kind}</Tag>
                          {existing.map((s) => (
                            <Tag key={s.id} color={STATUS_COLORS[s.status] ?? 'default'}>
                              {s.statusLabel}
                            </Tag>
                          ))}
                        </Space>
                      }
                    />
                  </List.Item>
                );
              }}
            />
          </Card>
        );
      })}
    </Space>
  );
}
