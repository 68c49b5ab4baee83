/** A reviewer's queue: the submissions of their own area (the server scopes them), with filters and quota counters. */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Card, List, Select, Space, Spin, Tag, Typography } from 'antd';
import { api, ApiFailure, type Answer, type PackVersionView, type SubmissionSummary } from '../lib/api';
import { Link } from '../lib/router';
import { STATUS_COLORS, KIND_LABELS, statusName } from '../lib/labels';
import { fmtDate, useSession } from '../lib/session';
import { orgUnits, parks, type OrgUnit, type Park } from '../lib/orgs';
import { ConsistencyPending } from './ConsistencyPanel';
import { QuotaTable } from './QuotaTable';
import { BULK, BulkReview } from './BulkReview';
import { DataTable } from '../lists/DataTable';
import type { QuotaCard } from '../lib/home';

type QuotaUse = Answer<'/api/quotas/{packId}', 'get'>[number] & { packId: string; packTitle: string };

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
  const [area, setArea] = useState('');

  const reload = (changed: number) => {
    if (changed > 0) api.get('/api/submissions').then(setSubs, () => undefined);
  };
  useEffect(() => {
    Promise.all([api.get('/api/submissions'), api.get('/api/packs'), parks(), orgUnits()])
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
              all.push(...(await api.get('/api/quotas/{packId}', { params: { packId: v.packId } })).map((x) => ({ ...x, packId: v.packId, packTitle: v.title })));
            } catch {
              /* a pack without quotas for this role */
            }
          }
          setQuotas(all);
        }
      })
      .catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [role]);

  // one compact table: a row per city, a column per notice's quota
  const quotaCards = useMemo(() => {
    const cards = new Map<string, QuotaCard>();
    for (const x of quotas) {
      const key = `${x.packId}/${x.quotaId}`;
      const card = cards.get(key) ?? { packId: x.packId, packTitle: x.packTitle, quotaId: x.quotaId, label: x.label, rows: [] };
      card.rows.push({ orgCode: x.orgCode, orgName: orgMap.get(x.orgCode)?.name ?? x.orgCode, used: x.used, limit: x.limit });
      cards.set(key, card);
    }
    return [...cards.values()];
  }, [quotas, orgMap]);

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
    // what this level acts on is offered even when nothing waits for it (its word from the glossary)
    if (ACTS_ON[role]) m.set(ACTS_ON[role], statusName(ACTS_ON[role]));
    for (const s of subs ?? []) m.set(s.status, s.statusLabel);
    return [...m.entries()];
  }, [subs, role]);

  const rows = useMemo(
    () =>
      (subs ?? [])
        .filter((s) => !status || s.status === status)
        .filter((s) => !packId || s.packId === packId)
        .filter((s) => !area || s.countyCode === area || s.cityCode === area),
    [subs, status, packId, area],
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
      <QuotaTable quotas={quotaCards} testId="quotas" />
      <Card size="small">
        <Space wrap>
          <Select
            style={{ width: 240 }}
            value={status}
            onChange={setStatus}
            options={[{ value: '', label: '全部状态' }, ...statuses.map(([v, l]) => ({ value: v, label: l }))]}
            data-testid="filter-status"
            aria-label="按状态筛选"
          />
          <Select aria-label="按通知筛选" style={{ width: 360 }} value={packId} onChange={setPackId} options={[{ value: '', label: '全部通知' }, ...packs.map((p) => ({ value: p.packId, label: p.title }))]} />
          {role !== 'county' ? <Select aria-label="按地区筛选" style={{ width: 180 }} value={area} onChange={setArea} options={[{ value: '', label: '全部地区' }, ...areas]} /> : null}
        </Space>
      </Card>
      <DataTable<SubmissionSummary>
        id={`review-queue-${role}`}
        testId="review-queue"
        rows={rows}
        rowKey={(s) => s.id}
        exportName="审核列表"
        emptyText="没有符合条件的申报"
        selectable={(s) => s.status === ACTS_ON[role]}
        bulk={BULK[role] ? (selected, done) => <BulkReview role={role} rows={selected} onDone={(ok) => (done(), reload(ok))} /> : undefined}
        columns={[
          { key: 'park', title: '园区', value: (s) => parkMap.get(s.parkId)?.name ?? s.parkName ?? s.parkId, width: 260 },
          { key: 'org', title: '所在地', value: (s) => `${orgMap.get(s.cityCode)?.name ?? ''} ${orgMap.get(s.countyCode)?.name ?? ''}`.trim(), filter: role !== 'county', width: 160 },
          { key: 'pack', title: '通知', value: (s) => packTitle(s.packId), filter: true, width: 280 },
          {
            key: 'form',
            title: '表单',
            value: (s) => {
              const f = formTitle(s.packId, s.formId);
              return f ? `${f.attachment ?? ''} ${f.title}`.trim() : s.formId === '*' ? '整套申报材料' : s.formId;
            },
            filter: true,
            width: 200,
          },
          { key: 'status', title: '状态', value: (s) => s.statusLabel, render: (s) => <Tag color={STATUS_COLORS[s.status] ?? 'default'}>{s.statusLabel}</Tag>, filter: true, width: 200 },
          { key: 'at', title: '提交时间', value: (s) => fmtDate(s.submittedAt ?? undefined), width: 150 },
          { key: 'go', title: '操作', value: () => null, render: (s) => <Link to={`/review/${s.id}`}>{s.status === ACTS_ON[role] ? '审核' : '查看'}</Link>, sortable: false, noExport: true, width: 80 },
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
