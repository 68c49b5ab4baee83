/** A reviewer's queue: the submissions of their own area (the server scopes them), with filters and quota counters. */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Card, Input, List, Progress, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { api, ApiFailure, type PackVersionView, type SubmissionSummary } from '../lib/api';
import { Link } from '../lib/router';
import { STATUS_COLORS, KIND_LABELS } from '../lib/labels';
import { fmtDate, useSession } from '../lib/session';
import { orgUnits, parks, type OrgUnit, type Park } from '../lib/orgs';
import { ConsistencyPending } from './ConsistencyPanel';

interface QuotaUse {
  quotaId: string;
  label: string;
  orgCode: string;
  limit: number;
  used: number;
}

/** The status each level acts on. */
const LEVELS = ['county', 'city', 'province'];

const ACTS_ON: Record<string, string> = { county: 'submitted', city: 'county_passed', province: 'city_recommended' };

export default function ReviewQueuePage() {
  const { me } = useSession();
  const role = me?.user.role ?? 'county';
  const [subs, setSubs] = useState<SubmissionSummary[] | null>(null);
  const [packs, setPacks] = useState<PackVersionView[]>([]);
  const [parkMap, setParkMap] = useState<Map<string, Park>>(new Map());
  const [orgMap, setOrgMap] = useState<Map<string, OrgUnit>>(new Map());
  const [quotas, setQuotas] = useState<QuotaUse[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string>(ACTS_ON[role] ?? '');
  const [packId, setPackId] = useState<string>('');
  const [q, setQ] = useState('');
  const [area, setArea] = useState('');

  useEffect(() => {
    Promise.all([api.get<SubmissionSummary[]>('/api/submissions'), api.get<PackVersionView[]>('/api/packs'), parks(), orgUnits()])
      .then(async ([s, p, pk, o]) => {
        setSubs(s);
        setPacks(p);
        setParkMap(pk);
        setOrgMap(o);
        if (role === 'city' || role === 'province') {
          const all: QuotaUse[] = [];
          for (const v of p) {
            if (!(v.manifest.quotas ?? []).some((x) => x.scope === 'city')) continue;
            try {
              all.push(...(await api.get<QuotaUse[]>(`/api/quotas/${encodeURIComponent(v.packId)}`)).map((x) => ({ ...x, label: `${v.title}·${x.label}` })));
            } catch {
              /* a pack without quotas for this role */
            }
          }
          setQuotas(all);
        }
      })
      .catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [role]);

  const areas = useMemo(() => {
    const codes = new Set<string>();
    for (const s of subs ?? []) {
      if (role === 'province') codes.add(s.cityCode);
      codes.add(s.countyCode);
    }
    return [...codes].sort().map((c) => ({ value: c, label: orgMap.get(c)?.name ?? c }));
  }, [subs, orgMap, role]);

  const statuses = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of subs ?? []) m.set(s.status, s.statusLabel);
    return [...m.entries()];
  }, [subs]);

  const rows = useMemo(
    () =>
      (subs ?? [])
        .filter((s) => !status || s.status === status)
        .filter((s) => !packId || s.packId === packId)
        .filter((s) => !q || (parkMap.get(s.parkId)?.name ?? '').includes(q))
        .filter((s) => !area || s.countyCode === area || s.cityCode === area),
    [subs, status, packId, q, parkMap, area],
  );

  const tableForms = packs.flatMap((p) =>
    p.manifest.forms
      // a level sees the tables it fills and those of the levels below it
      .filter((f) => f.kind === 'table' && (f.scope === 'county' || f.scope === 'city') && LEVELS.indexOf(role) >= LEVELS.indexOf(f.scope))
      .map((f) => ({ pack: p, form: f })),
  );

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!subs) return <Spin />;
  const packTitle = (id: string) => packs.find((p) => p.packId === id)?.title ?? id;
  const formTitle = (pid: string, fid: string) => packs.find((p) => p.packId === pid)?.manifest.forms.find((f) => f.id === fid);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        审核工作台 <Typography.Text type="secondary" style={{ fontSize: 14 }}>{me?.orgUnit?.name}</Typography.Text>
      </Typography.Title>
      <ConsistencyPending role={role} />
      {quotas.length ? (
        <Card size="small" title="推荐名额" data-testid="quotas">
          <Space wrap size="large">
            {quotas.map((x) => (
              <div key={`${x.quotaId}-${x.orgCode}-${x.label}`} style={{ minWidth: 220 }} data-quota={`${x.orgCode}`}>
                <div>
                  {orgMap.get(x.orgCode)?.name ?? x.orgCode} {x.label}：<b>{x.used}/{x.limit}</b> 推荐
                </div>
                <Progress percent={Math.round((x.used / Math.max(1, x.limit)) * 100)} showInfo={false} size="small" status={x.used >= x.limit ? 'exception' : 'active'} />
              </div>
            ))}
          </Space>
        </Card>
      ) : null}
      <Card size="small">
        <Space wrap>
          <Select
            style={{ width: 240 }}
            value={status}
            onChange={setStatus}
            options={[{ value: '', label: '全部状态' }, ...statuses.map(([v, l]) => ({ value: v, label: l }))]}
            data-testid="filter-status"
          />
          <Select style={{ width: 360 }} value={packId} onChange={setPackId} options={[{ value: '', label: '全部通知' }, ...packs.map((p) => ({ value: p.packId, label: p.title }))]} />
          {role !== 'county' ? <Select style={{ width: 180 }} value={area} onChange={setArea} options={[{ value: '', label: '全部地区' }, ...areas]} /> : null}
          <Input.Search placeholder="查找园区" allowClear onSearch={setQ} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} />
        </Space>
      </Card>
      <Table
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 件` }}
        locale={{ emptyText: '没有符合条件的申报' }}
        columns={[
          { title: '园区', key: 'park', render: (_, s) => parkMap.get(s.parkId)?.name ?? s.parkId },
          { title: '所在地', key: 'org', render: (_, s) => `${orgMap.get(s.cityCode)?.name ?? ''} ${orgMap.get(s.countyCode)?.name ?? ''}` },
          { title: '通知', key: 'pack', render: (_, s) => packTitle(s.packId) },
          {
            title: '表单',
            key: 'form',
            render: (_, s) => {
              const f = formTitle(s.packId, s.formId);
              return f ? `${f.attachment ?? ''} ${f.title}` : s.formId;
            },
          },
          { title: '状态', key: 'status', render: (_, s) => <Tag color={STATUS_COLORS[s.status] ?? 'default'}>{s.statusLabel}</Tag> },
          { title: '提交时间', key: 'at', render: (_, s) => fmtDate(s.submittedAt ?? undefined) },
          { title: '', key: 'go', render: (_, s) => <Link to={`/review/${s.id}`}>{s.status === ACTS_ON[role] ? '审核' : '查看'}</Link> },
        ]}
      />
      {tableForms.length ? (
        <Card size="small" title="汇总表">
          <List
            dataSource={tableForms}
            renderItem={({ pack, form }) => (
              <List.Item actions={[<Link key="go" to={`/tables/${pack.packId}/${form.id}`}>{role === form.scope ? '填报' : '查看汇总'}</Link>]}>
                <List.Item.Meta title={`${form.attachment ?? ''} ${form.title}`} description={`${pack.title} · ${KIND_LABELS[form.kind]}`} />
              </List.Item>
            )}
          />
        </Card>
      ) : null}
    </Space>
  );
}
