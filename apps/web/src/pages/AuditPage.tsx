/**
 * 审计日志: who did what and when, filtered (user, org unit, submission, pack, action, dates)
 * and paginated on the server. Administrators see everything; reviewers their own area.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, type Answer } from '../lib/api';

type Page = Answer<'/api/audit/search', 'get'>;
type Entry = Page['entries'][number];
interface Filters {
  actor?: string;
  orgCode?: string;
  submissionId?: string;
  packId?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const ACTIONS: Record<string, string> = {
  'auth.login': '登录',
  'auth.logout': '退出',
  'auth.login_failed': '登录失败',
  'auth.login_disabled': '已停用的账户尝试登录',
  'user.create': '创建账户',
  'user.reset_password': '重置密码',
  'user.change_password': '修改密码',
  'user.disable': '停用账户',
  'user.enable': '启用账户',
  'park.create': '登记园区',
  'pack.publish': '发布通知包',
};

export default function AuditPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Pick<Page, 'total' | 'entries'>>({ total: 0, entries: [] });
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const pageSize = 20;

  useEffect(() => {
    const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    for (const k of ['actor', 'orgCode', 'submissionId', 'packId', 'action'] as const) if (filters[k]) q.set(k, String(filters[k]).trim());
    if (filters.range?.[0]) q.set('from', filters.range[0].format('YYYY-MM-DD'));
    if (filters.range?.[1]) q.set('to', filters.range[1].format('YYYY-MM-DD'));
    setLoading(true);
    api
      .get<Page>(`/api/audit/search?${q.toString()}`)
      .then((r) => {
        setData(r);
        setError(null);
      }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setLoading(false));
  }, [filters, page]);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3}>审计日志</Typography.Title>
      <Card>
        <Form<Filters>
          layout="inline"
          onFinish={(v) => {
            setPage(1);
            setFilters(v);
          }}
        >
          <Form.Item name="actor" label="操作人（用户名）">
            <Input allowClear style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="orgCode" label="单位代码">
            <Input allowClear style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="submissionId" label="申报编号">
            <Input allowClear style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="packId" label="通知包">
            <Input allowClear style={{ width: 170 }} />
          </Form.Item>
          <Form.Item name="action" label="操作">
            <Input allowClear placeholder="如 user、user.disable" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="range" label="日期">
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
        </Form>
      </Card>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      <Table<Entry>
        rowKey="id"
        loading={loading}
        dataSource={data.entries}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize, total: data.total, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, onChange: setPage }}
        columns={[
          { title: '时间', dataIndex: 'at', render: (at: string) => new Date(at).toLocaleString('zh-CN', { hour12: false }) },
          { title: '操作人', render: (_v, e) => e.actorName ?? '系统' },
          { title: '操作', dataIndex: 'action', render: (a: string) => ACTIONS[a] ?? a },
          { title: '对象', render: (_v, e) => `${e.entity} ${e.entityId}` },
        ]}
      />
    </Space>
  );
}
