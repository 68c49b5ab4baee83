/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
import { Timeline, Typography } from 'antd';
import type { Review } from '../lib/api';
import { ACTION_LABELS, LEVEL_LABELS } from '../lib/labels';
import { fmtDate } from '../lib/session';

export function StatusTimeline({ reviews, statusLabel, createdAt }: { reviews: Review[]; statusLabel: string; createdAt?: string | undefined }) {
  const items = [
    ...(createdAt ? [{ color: 'gray', children: <span>{fmtDate(createdAt)}　创建草稿</span> }] : []),
    ...reviews.map((r) => ({
      color: r.action === 'return' || r.action === 'reject' ? 'red' : r.action === 'withdraw' ? 'gray' : 'green',
      children: (
        <div data-review-action={r.action}>
          <div>
            {fmtDate(r.createdAt ?? r.at)}　<b>{LEVEL_LABELS[r.level] ?? r.level}</b>　{ACTION_LABELS[r.action] ?? r.action}
          </div>
          {r.comment ? (
            <Typography.Paragraph style={{ margin: 0, background: '#fafafa', padding: '4px 8px', borderLeft: '3px solid #d9d9d9' }}>
              意见：{r.comment}
            </Typography.Paragraph>
          ) : null}
        </div>
      ),
    })),
    { color: 'blue', children: <b>当前状态：{statusLabel}</b> },
  ];
  return <Timeline items={items} />;
}
