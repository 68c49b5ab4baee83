/** The bell in the header: unread count, the latest notifications, mark read, go to what it is about. */
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Empty, Popover, Space, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { getBell, markRead, type Bell } from '../lib/home';
import { navigate } from '../lib/router';
import { fmtDate } from '../lib/session';

/** How often the bell asks again while the page stays open (other people's actions arrive this way). */
const POLL_MS = 60_000;

export function NotificationBell({ path }: { path: string }) {
  const [bell, setBell] = useState<Bell>({ unread: 0, items: [] });
  const [open, setOpen] = useState(false);
  const load = useCallback(() => {
    getBell().then(setBell, () => undefined);
  }, []);
  useEffect(() => {
    load();
  }, [load, path]);
  useEffect(() => {
    const t = window.setInterval(load, POLL_MS);
    window.addEventListener('yp:notifications', load);
    return () => {
      window.clearInterval(t);
      window.removeEventListener('yp:notifications', load);
    };
  }, [load]);
  const go = async (id: number, link: string | null) => {
    setOpen(false);
    await markRead({ ids: [id] }).catch(() => undefined);
    load();
    if (link) navigate(link);
  };
  const content = (
    <div style={{ width: 380, maxHeight: 420, overflow: 'auto' }} data-testid="bell-list">
      {bell.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" />
      ) : (
        bell.items.map((n) => (
          <button
            key={n.id}
            type="button"
            className="yp-note"
            data-kind={n.kind}
            data-read={n.read ? '1' : '0'}
            onClick={() => void go(n.id, n.link)}
          >
            <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
            {n.body ? <div className="yp-note-body">{n.body}</div> : null}
            <div className="yp-note-time">{fmtDate(n.createdAt)}</div>
          </button>
        ))
      )}
    </div>
  );
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <span>通知</span>
          <Button size="small" type="link" disabled={bell.unread === 0} onClick={() => void markRead({ all: true }).then(load)}>
            全部标为已读
          </Button>
        </Space>
      }
      content={content}
    >
      <Badge count={bell.unread} size="small" data-testid="bell-count">
        <Button size="small" type="text" icon={<BellOutlined style={{ color: '#fff', fontSize: 18 }} />} aria-label={`通知，${bell.unread} 条未读`} data-testid="bell" />
      </Badge>
    </Popover>
  );
}
