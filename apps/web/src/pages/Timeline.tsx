/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
import type { ReactNode } from 'react';
import { Timeline, Typography } from 'antd';
import type { ConfirmationRecord, Review } from '../lib/api';
import { actionName, roleName } from '../lib/labels';
import { fmtDate } from '../lib/session';

const note = { margin: 0, background: '#fafafa', padding: '4px 8px', borderLeft: '3px solid #d9d9d9' } as const;

/** One reviewer's confirmations given together (one request): how many confirmed, each dispute with its reason. */
function confirmationBatches(records: ConfirmationRecord[]): Array<{ at: string; level: string; reviewerName: string | null; confirmed: ConfirmationRecord[]; disputed: ConfirmationRecord[] }> {
  const out: ReturnType<typeof confirmationBatches> = [];
  for (const r of records) {
    const last = out[out.length - 1];
    const b = last && last.at === r.createdAt && last.level === r.level && last.reviewerName === r.reviewerName ? last : null;
    const batch = b ?? { at: r.createdAt, level: r.level, reviewerName: r.reviewerName, confirmed: [], disputed: [] };
    if (!b) out.push(batch);
    (r.verdict === 'confirmed' ? batch.confirmed : batch.disputed).push(r);
  }
  return out;
}

export function StatusTimeline({
  reviews,
  confirmations = [],
  statusLabel,
  createdAt,
}: {
  reviews: Review[];
  /** reviewers' verdicts on the applicant's ticks (x-review: confirm), oldest first */
  confirmations?: ConfirmationRecord[];
  statusLabel: string;
  createdAt?: string | undefined;
}) {
  const dated: Array<{ at: number; order: number; item: { color: string; children: ReactNode } }> = [];
  reviews.forEach((r, i) =>
    dated.push({
      at: new Date(r.createdAt).getTime(),
      order: i,
      item: {
        color: r.action === 'return' || r.action === 'reject' ? 'red' : r.action === 'withdraw' ? 'gray' : 'green',
        children: (
          <div data-review-action={r.action}>
            <div>
              {fmtDate(r.createdAt)}　<b>{roleName(r.level)}</b>　{actionName(r.action)}
            </div>
            {r.comment ? <Typography.Paragraph style={note}>意见：{r.comment}</Typography.Paragraph> : null}
          </div>
        ),
      },
    }),
  );
  confirmationBatches(confirmations).forEach((b, i) =>
    dated.push({
      at: new Date(b.at).getTime(),
      order: reviews.length + i,
      item: {
        color: b.disputed.length ? 'orange' : 'green',
        children: (
          <div data-review-action="confirm">
            <div>
              {fmtDate(b.at)}　<b>{roleName(b.level)}</b>　确认勾选项
              {b.reviewerName ? <Typography.Text type="secondary">（{b.reviewerName}）</Typography.Text> : null}
            </div>
            <div>
              {b.confirmed.length ? `确认 ${b.confirmed.length} 项` : ''}
              {b.confirmed.length && b.disputed.length ? '，' : ''}
              {b.disputed.length ? `有异议 ${b.disputed.length} 项` : ''}
            </div>
            {b.disputed.map((d) => (
              <Typography.Paragraph key={d.id} style={{ ...note, borderLeftColor: '#fa8c16' }}>
                有异议：{d.fieldLabel} · {d.itemLabel}——{d.reason}
              </Typography.Paragraph>
            ))}
          </div>
        ),
      },
    }),
  );
  dated.sort((a, b) => a.at - b.at || a.order - b.order);
  const items = [
    ...(createdAt ? [{ color: 'gray', children: <span>{fmtDate(createdAt)}　创建草稿</span> }] : []),
    ...dated.map((d) => d.item),
    { color: 'blue', children: <b>当前状态：{statusLabel}</b> },
  ];
  return <Timeline items={items} />;
}
