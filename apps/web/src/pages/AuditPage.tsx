/**
 * 审计日志: who did what and when, filtered (user, org unit, submission, pack, action, dates)
 * and paginated on the server. Administrators see everything; reviewers their own area. The
 * filters are picked from lists by name (people, units, notices, kinds of action), and each entry
 * names what it is about (the server's `entityName`), never an id; on a phone each entry is a card.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Grid, List, Select, Space, Typography } from 'antd';
import { DataTable } from '../lists/DataTable';
import type { Dayjs } from 'dayjs';
import { api, type Answer, type Opts, type PackVersionView, type User } from '../lib/api';
import { roleName, statusName } from '../lib/labels';
import { orgUnits, type OrgUnit } from '../lib/orgs';

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
  'org.create': '新建单位',
  'org.update': '单位改名',
  'pack.publish': '发布通知包',
  'pack.current': '设为当前版本',
  'pack.draft.create': '生成通知包草稿',
  'pack.draft.delete': '删除通知包草稿',
  'pack.draft.save': '保存通知包草稿',
  'pack.fixtures.accept': '接受样例结果',
  'submission.create': '新建申报',
  'submission.save': '保存申报',
  'submission.submit': '提交申报',
  'submission.withdraw': '撤回申报',
  'submission.confirm': '确认申报',
  'submission.rescore': '重新计算',
  'submission.consistency.accept': '确认数据一致',
  'submission.approve': '审核通过',
  'submission.return': '退回修改',
  'submission.recommend': '推荐',
  'submission.deny': '不予推荐',
  'submission.forward': '报送上级',
  'submission.pass': '通过',
  'attachment.upload': '上传材料',
  'table.save': '保存汇总表',
  'table.submit': '报送汇总表',
  'table.return': '退回汇总表',
  'cohort.run': '群体评价',
  'remind.send': '发送提醒',
};

/** The kinds of action, each a filter of its own (the server matches a kind's every action). */
const KINDS: Record<string, string> = {
  auth: '登录与退出（全部）',
  user: '账户（全部）',
  park: '园区（全部）',
  org: '单位（全部）',
  pack: '通知包（全部）',
  submission: '申报（全部）',
  table: '汇总表（全部）',
};

const ENTITY: Record<string, string> = { user: '账户', park: '园区', org_unit: '单位', submission: '申报', pack: '通知包', table: '汇总表', cohort_run: '群体评价', attachment: '材料' };

function useChoices() {
  const [users, setUsers] = useState<User[]>([]);
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [packs, setPacks] = useState<PackVersionView[]>([]);
  useEffect(() => {
    // only an administrator may list the accounts; a reviewer filters by unit, notice and action
    api.get('/api/users').then(setUsers, () => setUsers([]));
    void orgUnits().then((m) => setUnits([...m.values()]));
    api.get('/api/packs').then(setPacks, () => setPacks([]));
  }, []);
  return { users, units, packs };
}

type SubmissionRef = Answer<'/api/audit/submissions', 'get'>[number];

/**
 * The 申报 filter: a search list of submissions by their park's name (or the start of their
 * number), asked of the server as it is typed — an administrator's list includes the drafts, whose
 * creation and saves the log records (the submissions list leaves drafts to their applicant).
 */
function SubmissionSelect({ id, value, onChange, packs }: { id?: string; value?: string; onChange?: (v: string | undefined) => void; packs: PackVersionView[] }) {
  const [options, setOptions] = useState<SubmissionRef[]>([]);
  const [loading, setLoading] = useState(false);
  const asked = useRef(0);
  const search = (text: string) => {
    const n = ++asked.current;
    setLoading(true);
    api
      .get('/api/audit/submissions', { query: text.trim() ? { q: text.trim() } : {} })
      .then((r) => {
        if (n === asked.current) setOptions(r);
      }, () => setOptions([]))
      .finally(() => {
        if (n === asked.current) setLoading(false);
      });
  };
  useEffect(() => search(''), []);
  const title = (packId: string) => packs.find((p) => p.packId === packId)?.title ?? '';
  return (
    <Select
      // the id Form.Item gives: its label names this field
      id={id}
      allowClear
      showSearch
      filterOption={false}
      onSearch={search}
      loading={loading}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      notFoundContent={loading ? '查找中…' : '没有找到（输入园区名称中的几个字，或申报编号的开头）'}
      placeholder="园区名称或申报编号"
      style={{ width: 260, maxWidth: '100%' }}
      popupMatchSelectWidth={false}
      options={options.map((o) => ({ value: o.id, label: `${o.parkName}（${statusName(o.status)}）`, title: `${o.parkName} · ${title(o.packId)} · ${statusName(o.status)} · 编号 ${o.id.slice(0, 8)}` }))}
    />
  );
}

export default function AuditPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Pick<Page, 'total' | 'entries'>>({ total: 0, entries: [] });
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const pageSize = 20;
  const { users, units, packs } = useChoices();
  const phone = Grid.useBreakpoint().md === false;
  const when = (at: string) => new Date(at).toLocaleString('zh-CN', { hour12: false });
  const what = (e: Entry) => `${ENTITY[e.entity] ?? '对象'}${e.entityName ? `“${e.entityName}”` : ''}`;

  useEffect(() => {
    const q: Opts<'/api/audit/search', 'get'>['query'] = { page: String(page), pageSize: String(pageSize) };
    for (const k of ['actor', 'orgCode', 'submissionId', 'packId', 'action'] as const) if (filters[k]) q[k] = String(filters[k]).trim();
    if (filters.range?.[0]) q.from = filters.range[0].format('YYYY-MM-DD');
    if (filters.range?.[1]) q.to = filters.range[1].format('YYYY-MM-DD');
    setLoading(true);
    api
      .get('/api/audit/search', { query: q })
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
          {users.length ? (
            <Form.Item name="actor" label="操作人">
              <Select allowClear showSearch optionFilterProp="label" style={{ width: 200 }} options={users.map((u) => ({ value: u.username, label: `${u.displayName}（${roleName(u.role)}）` }))} />
            </Form.Item>
          ) : null}
          <Form.Item name="orgCode" label="单位">
            <Select allowClear showSearch optionFilterProp="label" style={{ width: 180 }} options={units.filter((u) => u.level !== 'province').map((u) => ({ value: u.code, label: u.level === 'city' ? `${u.name}（含下属县市区）` : u.name }))} />
          </Form.Item>
          <Form.Item name="submissionId" label="申报">
            <SubmissionSelect packs={packs} />
          </Form.Item>
          <Form.Item name="packId" label="通知">
            <Select allowClear showSearch optionFilterProp="label" style={{ width: 260, maxWidth: '100%' }} options={packs.map((p) => ({ value: p.packId, label: p.title }))} />
          </Form.Item>
          <Form.Item name="action" label="操作">
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 200 }}
              options={[
                { label: '一类操作', options: Object.entries(KINDS).map(([value, label]) => ({ value, label })) },
                { label: '一种操作', options: Object.entries(ACTIONS).map(([value, label]) => ({ value, label })) },
              ]}
            />
          </Form.Item>
          <Form.Item name="range" label="日期">
            {/* antd names its own separator "to" (aria-label): ours is Chinese */}
            <DatePicker.RangePicker allowEmpty={[true, true]} separator={<span aria-label="至">至</span>} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
        </Form>
      </Card>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {phone ? (
        <List<Entry>
          loading={loading}
          dataSource={data.entries}
          data-testid="audit-list"
          pagination={{ current: page, pageSize, total: data.total, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, onChange: setPage, size: 'small' }}
          renderItem={(e) => (
            <List.Item>
              <Space direction="vertical" size={0}>
                <Typography.Text strong>
                  {e.actorName ?? '系统'} · {ACTIONS[e.action] ?? KINDS[e.action.split('.')[0] ?? ''] ?? '其他操作'}
                </Typography.Text>
                <Typography.Text>{what(e)}</Typography.Text>
                <Typography.Text type="secondary">{when(e.at)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <DataTable<Entry>
          id="audit-log"
          testId="audit-table"
          rows={data.entries}
          rowKey={(e) => String(e.id)}
          exportName={`审计日志（第 ${page} 页）`}
          loading={loading}
          remote={{ current: page, pageSize, total: data.total, onChange: setPage }}
          columns={[
            { key: 'at', title: '时间', value: (e) => when(e.at), width: 170 },
            { key: 'actor', title: '操作人', value: (e) => (e.actorName ? `${e.actorName}${e.actorRole ? `（${roleName(e.actorRole as User['role'])}）` : ''}` : '系统'), filter: true, width: 200 },
            { key: 'action', title: '操作', value: (e) => ACTIONS[e.action] ?? KINDS[e.action.split('.')[0] ?? ''] ?? '其他操作', filter: true, width: 160 },
            { key: 'what', title: '对象', value: (e) => what(e), width: 480 },
          ]}
        />
      )}
    </Space>
  );
}
