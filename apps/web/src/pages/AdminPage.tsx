/**
 * The administrator's packs: every pack and its published versions, which one is current and a
 * rollback to an earlier one (audited); a version's manifest, forms and rule sets; its fixtures run
 * by the server (runAllFixtures, as `yuanping fixtures`); the semantic diff against the previous
 * version (core's diffPacks, as `yuanping diff`); the expert mode (CodeMirror, ./workbench/ExpertEditor)
 * whose check results (file + JSON pointer → line) update as you type; publish. Next year's pack is prepared on the workbench (/workbench).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Empty, List, Row, Select, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { DataTable } from '../lists/DataTable';
import type { NoticePack } from '@yuanping/core/browser';
import { ApiFailure, api, detailsOf, type PackDetail, type PackVersionView } from '../lib/api';
import { loadPackVersion, packFromDetail } from '../lib/pack';
import PackDiff from './PackDiff';
import { workbench, type FixtureRun, type Problem } from '../lib/workbench';
import { navigate, queryParam } from '../lib/router';
import { KIND_LABELS, levelName } from '../lib/labels';
import { fmtDate } from '../lib/session';

// the expert mode (CodeMirror) is its own chunk, loaded when its tab is opened
const ExpertEditor = lazy(() => import('./workbench/ExpertEditor'));

function Editor({ detail, onPublished }: { detail: PackDetail; onPublished: () => void }) {
  const { message } = App.useApp();
  const original = useMemo(() => detail.files ?? {}, [detail]);
  // the files as edited in the expert mode (the texts that parse); null: unchanged
  const [edited, setEdited] = useState<Record<string, unknown> | null>(null);
  const [syntaxBad, setSyntaxBad] = useState(false);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [generation, setGeneration] = useState(0);
  const timer = useRef<number | null>(null);
  const files = edited ?? original;

  const check = useCallback(async () => {
    try {
      const r = await api.post('/api/packs/check', { body: { id: detail.packId, files } });
      setProblems(r.problems);
    } catch (e) {
      setProblems([{ code: 'REQUEST', file: '', pointer: '', severity: 'error', message: e instanceof ApiFailure ? e.message : '检查失败' }]);
    }
  }, [files, detail.packId]);

  useEffect(() => {
    if (timer.current) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void check(), 500);
    return () => {
      if (timer.current) window.clearTimeout(timer.current);
    };
  }, [check]);

  const publish = async () => {
    setBusy(true);
    try {
      const r = await api.post('/api/packs', { body: { id: detail.packId, files } });
      void message.success(r.created ? `已发布第 ${r.version} 版，现为当前版本` : r.madeCurrent ? `内容与第 ${r.version} 版相同：第 ${r.version} 版重新成为当前版本` : `内容与第 ${r.version} 版相同，第 ${r.version} 版仍为当前版本`);
      onPublished();
    } catch (e) {
      const refused = detailsOf(e, 'PACK_INVALID');
      if (refused) setProblems(refused);
      void message.error(e instanceof ApiFailure ? e.message : '发布失败');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Button type="primary" onClick={() => void publish()} loading={busy} disabled={syntaxBad || !problems || problems.some((p) => p.severity === 'error')} data-testid="publish">
          发布为新版本
        </Button>
        <Button
          onClick={() => {
            setEdited(null);
            setSyntaxBad(false);
            setGeneration((g) => g + 1);
          }}
        >
          放弃修改
        </Button>
        <Typography.Text type="secondary">{edited ? '已修改，尚未发布' : '未修改'}；检查结果随输入更新。准备下一年度或修订参数、评分表，请用“通知包工作台”。</Typography.Text>
      </Space>
      <Suspense fallback={<Spin />}>
        <ExpertEditor key={generation} files={files} packId={detail.packId} problems={problems} onChange={setEdited} onSyntax={setSyntaxBad} saves={false} />
      </Suspense>
    </Space>
  );
}

type VersionRow = PackVersionView & { current?: boolean };

export default function AdminPage() {
  const { message, modal } = App.useApp();
  const [packs, setPacks] = useState<PackVersionView[] | null>(null);
  const [versions, setVersions] = useState<VersionRow[]>([]);
  const [sel, setSel] = useState<{ detail: PackDetail; pack: NoticePack } | null>(null);
  const [prev, setPrev] = useState<PackDetail | null>(null);
  const [fixtures, setFixtures] = useState<FixtureRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState('overview');

  const refresh = useCallback(async () => {
    const p = await api.get('/api/packs');
    setPacks(p);
    return p;
  }, []);
  useEffect(() => {
    refresh().catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [refresh]);

  const open = async (packId: string, versionId?: number) => {
    const vs = await api.get('/api/packs/{packId}/versions', { params: { packId } });
    setVersions(vs);
    const target = versionId ?? vs.find((v) => v.current)?.id ?? vs[vs.length - 1]?.id;
    if (target === undefined) return;
    const v = await loadPackVersion(target, { fixtures: true });
    setSel(v);
    setFixtures(null);
    const idx = vs.findIndex((x) => x.id === target);
    const before = idx > 0 ? vs[idx - 1] : undefined;
    if (before) setPrev((await loadPackVersion(before.id, { fixtures: true })).detail);
    else {
      const succeeds = (v.detail.manifest as unknown as { succeeds?: string }).succeeds;
      if (succeeds) {
        try {
          const d = await api.get('/api/packs/{packId}', { params: { packId: succeeds } });
          const full = await loadPackVersion(d.id, { fixtures: true });
          setPrev(full.detail);
        } catch {
          setPrev(null);
        }
      } else setPrev(null);
    }
  };

  const prevPack = useMemo(() => (prev ? packFromDetail(prev) : null), [prev]);
  useEffect(() => {
    const p = queryParam('pack');
    if (p) void open(p);
    // open once, from the address (after publishing on the workbench)
  }, []);

  const revise = async (v: VersionRow) => {
    try {
      const r = await workbench.revise(v.id);
      navigate(`/workbench/${r.draft.id}`);
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '生成草稿失败');
    }
  };
  const makeCurrent = (v: VersionRow) =>
    modal.confirm({
      title: `让第 ${v.version} 版成为当前版本？`,
      content: '之后新建的申报使用这一版本；已有的申报仍按各自填报时的版本计算。此操作记入审计日志，可以再改回。',
      okText: '设为当前版本',
      cancelText: '取消',
      onOk: async () => {
        try {
          await workbench.makeCurrent(v.packId, v.id);
          void message.success(`第 ${v.version} 版现为当前版本`);
          await refresh();
          await open(v.packId, v.id);
        } catch (e) {
          void message.error(e instanceof ApiFailure ? e.message : '操作失败');
        }
      },
    });

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!packs) return <Spin />;
  return (
    <Row gutter={16}>
      {/* the list beside the pack below 1,200 px would be too narrow for its columns: above it there */}
      <Col xs={24} xl={9} xxl={8}>
        <Card
          title="通知包"
          size="small"
          extra={
            <Button size="small" onClick={() => navigate('/workbench')}>
              准备下一年度
            </Button>
          }
        >
          <DataTable<PackVersionView>
            id="admin-packs"
            testId="packs-table"
            rows={packs}
            rowKey={(p) => p.packId}
            exportName="通知包"
            emptyText="尚无已发布的通知包"
            pageSize={10}
            compact
            columns={[
              {
                key: 'title',
                title: '通知包',
                value: (p) => p.title,
                render: (p) => (
                  <Button type="text" size="small" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left', color: sel?.detail.packId === p.packId ? '#8b1a1a' : undefined, fontWeight: sel?.detail.packId === p.packId ? 600 : undefined }} onClick={() => void open(p.packId)} data-pack={p.packId} aria-current={sel?.detail.packId === p.packId ? 'true' : undefined}>
                    {p.title}
                  </Button>
                ),
                width: 190,
              },
              { key: 'version', title: '当前版本', value: (p) => p.version, render: (p) => `第 ${p.version} 版`, width: 92 },
              { key: 'at', title: '发布时间', value: (p) => fmtDate(p.publishedAt), width: 132 },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={15} xxl={16}>
        {!sel ? (
          <Card>
            <Empty description="选择一个通知包，查看其版本、检查、差异与样例" />
          </Card>
        ) : (
          <Card
            title={sel.detail.title}
            size="small"
            extra={
              <Select
                aria-label="版本"
                style={{ width: 300, maxWidth: '100%' }}
                value={sel.detail.id}
                onChange={(v: number) => void open(sel.detail.packId, v)}
                options={versions.map((v) => ({ value: v.id, label: `第 ${v.version} 版 · ${fmtDate(v.publishedAt)}${v.current ? '（当前）' : ''}` }))}
              />
            }
          >
            <Tabs
              activeKey={tab}
              onChange={(k) => {
                setTab(k);
                if (k === 'fixtures' && !fixtures) void workbench.versionFixtures(sel.detail.id).then(setFixtures, () => setFixtures([]));
              }}
              items={[
                {
                  key: 'overview',
                  label: '概览',
                  children: (
                    <Space direction="vertical" style={{ width: '100%' }}>
                      <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }}>
                        <Descriptions.Item label="版本">
                          第 {sel.detail.version} 版{' '}
                          {versions.find((v) => v.id === sel.detail.id)?.current ? <Tag color="green" data-testid="is-current">当前版本</Tag> : <Tag data-testid="is-current">非当前版本</Tag>}
                        </Descriptions.Item>
                        <Descriptions.Item label="发文单位">{sel.detail.manifest.issuer}</Descriptions.Item>
                        <Descriptions.Item label="发文日期">{sel.detail.manifest.issueDate}</Descriptions.Item>
                        <Descriptions.Item label="年度">{sel.detail.manifest.year}</Descriptions.Item>
                        <Descriptions.Item label="数据截止">{sel.detail.manifest.dataCutoff}</Descriptions.Item>
                      </Descriptions>
                      <Table
                        size="small"
                        rowKey="id"
                        pagination={false}
                        dataSource={sel.detail.forms}
                        columns={[
                          { title: '附件', dataIndex: 'attachment' },
                          { title: '表单', dataIndex: 'title' },
                          { title: '类型', key: 'k', render: (_, f) => KIND_LABELS[f.kind] },
                          { title: '填报', key: 's', render: (_, f) => `${levelName(f.scope ?? 'park')}填报` },
                        ]}
                      />
                      <Table
                        size="small"
                        rowKey="name"
                        pagination={false}
                        dataSource={Object.entries(sel.detail.manifest.parameters ?? {}).map(([name, p]) => ({ name, ...p }))}
                        columns={[
                          { title: '参数', dataIndex: 'label' },
                          { title: '值', key: 'v', render: (_, p) => `${String(p.value)} ${p.unit ?? ''}` },
                        ]}
                        locale={{ emptyText: '无参数' }}
                      />
                      <Table
                        size="small"
                        rowKey="id"
                        pagination={false}
                        dataSource={sel.detail.manifest.quotas ?? []}
                        locale={{ emptyText: '无名额' }}
                        columns={[
                          { title: '名额', dataIndex: 'label' },
                          { title: '默认', dataIndex: 'default' },
                          { title: '特例', key: 'o', render: (_, q) => Object.entries(q.overrides ?? {}).map(([k, v]) => `${k}: ${v}`).join('，') },
                        ]}
                      />
                    </Space>
                  ),
                },
                {
                  key: 'versions',
                  label: '版本与回退',
                  children: (
                    <Table
                      size="small"
                      rowKey="id"
                      pagination={false}
                      dataSource={[...versions].reverse()}
                      scroll={{ x: 560 }}
                      data-testid="versions"
                      columns={[
                        { title: '版本', key: 'v', render: (_, v) => `第 ${v.version} 版` },
                        { title: '发布时间', key: 't', render: (_, v) => fmtDate(v.publishedAt) },
                        { title: '状态', key: 's', render: (_, v) => (v.current ? <Tag color="green">当前版本</Tag> : null) },
                        {
                          title: '',
                          key: 'r',
                          render: (_, v) => (
                            <Button size="small" onClick={() => void revise(v)} data-revise={v.version}>
                              以此版本修订
                            </Button>
                          ),
                        },
                        {
                          title: '',
                          key: 'a',
                          render: (_, v) =>
                            v.current ? null : (
                              <Button size="small" onClick={() => makeCurrent(v)} data-version={v.version}>
                                {v.version < (versions.find((x) => x.current)?.version ?? 0) ? '回退到此版本' : '设为当前版本'}
                              </Button>
                            ),
                        },
                      ]}
                    />
                  ),
                },
                {
                  key: 'fixtures',
                  label: '运行样例',
                  children: fixtures ? (
                    <Space direction="vertical" style={{ width: '100%' }}>
                      <Alert
                        type={fixtures.every((f) => f.passed || f.review) ? 'success' : 'error'}
                        showIcon
                        message={`共 ${fixtures.length} 个样例：通过 ${fixtures.filter((f) => f.passed && !f.review).length} 个，未通过 ${fixtures.filter((f) => !f.passed && !f.review).length} 个${fixtures.some((f) => f.review) ? `，待复核 ${fixtures.filter((f) => f.review).length} 个` : ''}`}
                        data-testid="fixtures-summary"
                      />
                      <List
                        size="small"
                        bordered
                        dataSource={fixtures}
                        renderItem={(f) => (
                          <List.Item>
                            <Space direction="vertical" size={0}>
                              <Space>
                                {f.review ? <Tag color="orange" title={f.review}>待复核</Tag> : <Tag color={f.passed ? 'green' : 'red'}>{f.passed ? '通过' : '未通过'}</Tag>}
                                <b>{f.title}</b>
                              </Space>
                              {[...f.differences, ...f.problems.map((p) => p.message)].map((x) => (
                                <Typography.Text key={x} type={f.passed ? 'secondary' : 'danger'}>
                                  {x}
                                </Typography.Text>
                              ))}
                            </Space>
                          </List.Item>
                        )}
                      />
                    </Space>
                  ) : (
                    <Spin />
                  ),
                },
                {
                  key: 'diff',
                  label: '与上一版差异',
                  children: !prev || !prevPack ? (
                    <Empty description="没有上一版本可比较" />
                  ) : (
                    <PackDiff before={prevPack} after={sel.pack} beforeName={`上一版（第 ${prev.version} 版）`} />
                  ),
                },
                { key: 'edit', label: '编辑与发布', children: <Editor detail={sel.detail} onPublished={() => void refresh().then(() => open(sel.detail.packId))} /> },
              ]}
            />
          </Card>
        )}
      </Col>
    </Row>
  );
}
