/**
 * Cross-form consistency (manifest `forms[].prefill`): the fields of this submission that differ
 * from the park's record in the source table (e.g. the county's summary table), both values shown;
 * a county or city reviewer may accept them with a reason. Renders nothing when all agree.
 */
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Input, List, Space, Tag, Typography } from 'antd';
import { ApiFailure, api, type Answer } from '../lib/api';
import { fmtDate } from '../lib/session';

export type ConsistencyView = Answer<'/api/submissions/{id}/consistency', 'get'>;
export type ConsistencyMismatch = ConsistencyView['mismatches'][number];
export type ConsistencyAcceptance = ConsistencyView['acceptances'][number];

export function ConsistencyPanel({ submissionId, refreshKey, canAccept, onAccepted }: { submissionId: string; refreshKey?: unknown; canAccept: boolean; onAccepted?: () => void }) {
  const { message } = App.useApp();
  const [view, setView] = useState<ConsistencyView | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setView(await api.get('/api/submissions/{id}/consistency', { params: { id: submissionId } }));
    } catch {
      setView(null);
    }
  }, [submissionId]);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const accept = async () => {
    setBusy(true);
    try {
      await api.post('/api/submissions/{id}/consistency/accept', { params: { id: submissionId }, body: { reason: reason.trim() } });
      setReason('');
      void message.success('已接受不一致项');
      await load();
      onAccepted?.();
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '接受失败');
    } finally {
      setBusy(false);
    }
  };

  if (!view || (view.mismatches.length === 0 && view.acceptances.length === 0)) return null;
  return (
    <Card size="small" title="与来源表核对" data-testid="consistency">
      <List
        size="small"
        dataSource={view.mismatches}
        locale={{ emptyText: '数据一致' }}
        renderItem={(m) => (
          <List.Item data-testid="mismatch">
            <Space direction="vertical" size={0}>
              <span>
                {m.accepted ? <Tag color="green">已接受</Tag> : m.blocking ? <Tag color="red">须处理</Tag> : <Tag color="gold">提示</Tag>}
                <b>{m.label}</b>
              </span>
              <Typography.Text type="secondary">{m.message}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {view.blocking > 0 && !canAccept ? (
        <Typography.Paragraph type="warning" style={{ marginTop: 8, marginBottom: 0 }}>
          有 {view.blocking} 项不一致，提交前请修改为一致，或请县（市）级审核人填写理由后接受。
        </Typography.Paragraph>
      ) : null}
      {view.blocking > 0 && canAccept ? (
        <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
          <Input.TextArea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="接受理由（必填，至少 2 个字）" data-testid="consistency-reason" />
          <Button type="primary" disabled={reason.trim().length < 2} loading={busy} onClick={() => void accept()} data-testid="consistency-accept">
            接受以上不一致
          </Button>
        </Space>
      ) : null}
      {view.acceptances.length ? (
        <div style={{ marginTop: 8 }}>
          {view.acceptances.map((a) => (
            <Typography.Paragraph key={a.id} type="secondary" style={{ marginBottom: 4 }}>
              {a.reviewerName ?? a.level} 于 {fmtDate(a.createdAt)} 接受：{a.reason}
            </Typography.Paragraph>
          ))}
        </div>
      ) : null}
    </Card>
  );
}

type PendingItem = Answer<'/api/consistency/pending', 'get'>[number];

/** For a county or city reviewer: the unsubmitted applications of the area held up by unaccepted mismatches. */
export function ConsistencyPending({ role }: { role: string }) {
  const [items, setItems] = useState<PendingItem[]>([]);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (role !== 'county' && role !== 'city') return;
    api
      .get('/api/consistency/pending')
      .then(setItems)
      .catch(() => setItems([]));
  }, [role, generation]);
  if (items.length === 0) return null;
  return (
    <Card size="small" title={`待接受的跨表不一致（${items.length}）`} data-testid="consistency-pending">
      <Space direction="vertical" style={{ width: '100%' }}>
        {items.map((it) => (
          <div key={it.id}>
            <Typography.Text strong>{it.parkName}</Typography.Text>
            <Typography.Text type="secondary"> {it.statusLabel} · {it.blocking} 项不一致</Typography.Text>
            <ConsistencyPanel submissionId={it.id} refreshKey={generation} canAccept onAccepted={() => setGeneration((g) => g + 1)} />
          </div>
        ))}
      </Space>
    </Card>
  );
}
