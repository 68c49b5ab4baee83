/**
 * Pass several applications at once from the review queue: the level's forward action (县 通过,
 * 市 推荐, 省 评定通过) on each selected one, one request each, with one optional comment; what
 * the server refuses (a quota full, ticks not confirmed yet …) is listed with its reason.
 */
import { useState } from 'react';
import { App, Button, Input, Modal, Typography } from 'antd';
import { api, ApiFailure, type ReviewAction, type SubmissionSummary } from '../lib/api';

/**
 * The label of each level's bulk action. The request names `forward`: the server takes the level's
 * forward action on each submission's review path (a city recommends 4/5★ and decides 1–3★ itself).
 */
export const BULK: Record<string, { action: ReviewAction; label: string } | undefined> = {
  county: { action: 'forward', label: '批量审核通过' },
  city: { action: 'forward', label: '批量推荐或评定通过' },
  province: { action: 'forward', label: '批量评定通过' },
};

export function BulkReview({ role, rows, onDone }: { role: string; rows: SubmissionSummary[]; onDone: (changed: number) => void }) {
  const { message, modal } = App.useApp();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const b = BULK[role];
  if (!b) return null;
  const run = async () => {
    setBusy(true);
    const failed: Array<{ name: string; reason: string }> = [];
    let ok = 0;
    for (const s of rows) {
      try {
        await api.post('/api/submissions/{id}/review', { params: { id: s.id }, body: { action: b.action, ...(comment.trim() ? { comment: comment.trim() } : {}) } });
        ok++;
      } catch (e) {
        failed.push({ name: s.parkName ?? s.id, reason: e instanceof ApiFailure ? e.message : '操作失败' });
      }
    }
    setBusy(false);
    setOpen(false);
    setComment('');
    if (failed.length === 0) void message.success(`已处理 ${ok} 件`);
    else {
      modal.warning({
        title: `已处理 ${ok} 件，${failed.length} 件未处理`,
        content: (
          <ul data-testid="bulk-failures">
            {failed.map((f, i) => (
              <li key={i}>
                {f.name}：{f.reason}
              </li>
            ))}
          </ul>
        ),
        okText: '知道了',
      });
    }
    onDone(ok);
  };
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="bulk-review">
        {b.label}（{rows.length}）
      </Button>
      <Modal open={open} title={`${b.label}：共 ${rows.length} 件`} okText="确定" cancelText="取消" confirmLoading={busy} onOk={() => void run()} onCancel={() => setOpen(false)}>
        <Typography.Paragraph>对所选的每一件申报执行同一操作；不满足条件的（如名额已满、勾选项未确认）将列出原因，不予处理。</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={5000} placeholder="审核意见（可不填）" value={comment} onChange={(e) => setComment(e.target.value)} aria-label="审核意见" />
      </Modal>
    </>
  );
}
