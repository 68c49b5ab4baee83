/**
 * One draft on the workbench: edited as forms and tables (parameters, dates, quotas; scorecards),
 * saved as you go and checked by the one full check (the server's checkPackFully) with the problems
 * shown where they concern; the fixtures run (runAllFixtures); the readable diff against last year;
 * the impact preview; publish.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Badge, Button, Card, List, Popconfirm, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { assemblePack, type NoticePack } from '@yuanping/core/browser';
import { ApiFailure, detailsOf } from '../../lib/api';
import { draftValidators, loadPackVersion } from '../../lib/pack';
import { navigate, queryParam } from '../../lib/router';
import { workbench, type Draft, type FixtureRun, type Problem } from '../../lib/workbench';
import PackDiff from '../PackDiff';
import { hasReviewerScores } from '../../lib/pack-edit';
import ImpactPanel from './ImpactPanel';
import ParamsEditor from './ParamsEditor';
import { ProblemList, ProblemPlaces } from './ProblemList';
import RulesEditor from './RulesEditor';
import ScorecardEditor from './ScorecardEditor';
import FieldsEditor from './FieldsEditor';

// the expert mode (CodeMirror) is its own chunk, loaded when its tab is first opened
const ExpertEditor = lazy(() => import('./ExpertEditor'));

type Files = Record<string, unknown>;

function Fixtures({ runs, onAcceptUnchanged, accepting, onAcceptNew }: { runs: FixtureRun[]; onAcceptUnchanged: () => void; accepting: boolean; onAcceptNew: (f: FixtureRun) => void }) {
  const failed = runs.filter((f) => !f.passed && !f.review).length;
  const review = runs.filter((f) => f.review).length;
  const unchanged = runs.filter((f) => f.review && f.unchanged).length;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert
        type={failed ? 'error' : review ? 'warning' : 'success'}
        showIcon
        data-testid="fixtures-summary"
        message={`共 ${runs.length} 个样例：通过 ${runs.length - failed - review} 个，未通过 ${failed} 个${review ? `，待复核 ${review} 个（从上一年度复制，请按今年的通知核对输入和期望结果）` : ''}`}
        description={
          unchanged ? (
            <Space wrap>
              <span>其中 {unchanged} 个按今年的草稿运行，结果与期望一致；核对过它们的输入后可以一并接受，其余仍须逐一核对。</span>
              <Button size="small" type="primary" loading={accepting} onClick={onAcceptUnchanged} data-testid="accept-unchanged">
                一并接受结果未变的 {unchanged} 个样例
              </Button>
            </Space>
          ) : undefined
        }
      />
      <List
        size="small"
        bordered
        dataSource={runs}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        renderItem={(f) => (
          <List.Item>
            <Space direction="vertical" size={0}>
              <Space wrap>
                {f.review ? <Tag color="orange">{f.unchanged ? '待复核·结果未变' : '待复核·结果有变化'}</Tag> : <Tag color={f.passed ? 'green' : 'red'}>{f.passed ? '通过' : '未通过'}</Tag>}
                {f.kind === 'cohort' ? <Tag>群体评价</Tag> : null}
                <b>{f.title}</b>
                {/* 接受新结果: the notice's change is meant to change this outcome; the expectation becomes this year's result */}
                {f.review && !f.unchanged && f.kind === 'rules' ? (
                  <Popconfirm
                    title="接受新结果"
                    description={<div style={{ maxWidth: 360 }}>把这个样例的期望结果改为按今年草稿运行的结果（{f.differences.join('；')}），并去掉待复核标记。请先确认这个变化是今年的通知要求的。</div>}
                    okText="接受"
                    cancelText="取消"
                    onConfirm={() => onAcceptNew(f)}
                  >
                    <Button size="small" disabled={accepting} data-accept-new={f.file}>
                      接受新结果
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
              {[...f.differences, ...f.problems.map((p) => p.message)].map((x) => (
                <Typography.Text key={x} type={f.passed || f.review ? 'secondary' : 'danger'}>
                  {x}
                </Typography.Text>
              ))}
            </Space>
          </List.Item>
        )}
      />
    </Space>
  );
}

export default function DraftPage({ id }: { id: number }) {
  const { message, modal } = App.useApp();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [files, setFiles] = useState<Files | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [fixtures, setFixtures] = useState<FixtureRun[] | null>(null);
  const [base, setBase] = useState<{ pack: NoticePack; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // ?tab=scorecard|fields|rules|check|diff|expert|impact|publish opens that tab (a link to a part of the draft)
  const [tab, setTab] = useState(queryParam('tab') ?? 'params');
  const [busy, setBusy] = useState(false);
  // a file's text in the expert mode that does not parse (not saved: publishing would leave it out)
  const [expertBad, setExpertBad] = useState(false);
  const revision = useRef(0);
  // the last revision the server has (the form preview's validators are compiled from it)
  const [saved, setSaved] = useState(0);
  const pending = useRef<Files | null>(null);
  const timer = useRef<number | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);

  useEffect(() => {
    workbench.draft(id).then(
      (d) => {
        setDraft(d);
        setFiles(d.files);
        revision.current = d.revision;
        setSaved(d.revision);
        if (d.basedOnVersionId) {
          void loadPackVersion(d.basedOnVersionId, { fixtures: true }).then((v) => setBase({ pack: v.pack, name: `${v.detail.title} 第 ${v.detail.version} 版` }));
        }
        void workbench.check(id).then((c) => {
          setProblems(c.problems);
          setFixtures(c.fixtures);
        });
      },
      (e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'),
    );
  }, [id]);

  const flush = useCallback(async () => {
    if (inFlight.current) await inFlight.current;
    const next = pending.current;
    if (!next) return;
    pending.current = null;
    const run = (async () => {
      try {
        const r = await workbench.save(id, revision.current, next);
        revision.current = r.revision;
        setSaved(r.revision);
        setProblems(r.problems);
        setFixtures(null);
      } catch (e) {
        setError(e instanceof ApiFailure ? e.message : '保存失败');
      }
    })();
    inFlight.current = run;
    await run;
    inFlight.current = null;
    if (!pending.current) setSaving(false);
  }, [id]);

  const change = useCallback(
    (f: Files) => {
      setFiles(f);
      pending.current = f;
      setSaving(true);
      if (timer.current) window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void flush(), 600);
    },
    [flush],
  );
  useEffect(() => () => void (timer.current && window.clearTimeout(timer.current)), []);

  const draftPack = useMemo(() => {
    if (!files || !draft) return null;
    try {
      return assemblePack(files, draft.packId, `draft-${revision.current}`);
    } catch {
      return null;
    }
  }, [files, draft]);

  const openTab = async (k: string) => {
    setTab(k);
    if (k === 'check' && !fixtures) {
      if (timer.current) window.clearTimeout(timer.current);
      await flush();
      const c = await workbench.check(id);
      setProblems(c.problems);
      setFixtures(c.fixtures);
    }
    if (k === 'impact' || k === 'publish') {
      if (timer.current) window.clearTimeout(timer.current);
      await flush();
    }
  };

  // 一并接受: the server removes the review mark of every copied fixture whose outcome is unchanged
  const [accepting, setAccepting] = useState(false);
  const acceptAll = async () => {
    setAccepting(true);
    try {
      if (timer.current) window.clearTimeout(timer.current);
      await flush();
      const r = await workbench.acceptUnchanged(id, revision.current);
      revision.current = r.revision;
      setFiles(r.files);
      const c = await workbench.check(id);
      setProblems(c.problems);
      setFixtures(c.fixtures);
      void message.success(`已接受 ${r.accepted.length} 个样例${r.review.length ? `；仍有 ${r.review.length} 个结果有变化，请逐一核对` : ''}`);
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '操作失败');
    } finally {
      setAccepting(false);
    }
  };

  // 接受新结果 of one changed fixture: its expectation becomes the draft's result (saved on the server)
  const acceptNew = async (f: FixtureRun) => {
    setAccepting(true);
    try {
      if (timer.current) window.clearTimeout(timer.current);
      await flush();
      const r = await workbench.acceptNewResult(id, revision.current, f.file);
      revision.current = r.revision;
      setSaved(r.revision);
      setFiles(r.files);
      const c = await workbench.check(id);
      setProblems(c.problems);
      setFixtures(c.fixtures);
      void message.success(`已接受样例“${f.title}”的新结果`);
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '操作失败');
    } finally {
      setAccepting(false);
    }
  };

  const publish = async () => {
    if (!draft) return;
    setBusy(true);
    try {
      if (timer.current) window.clearTimeout(timer.current);
      await flush();
      const r = await workbench.publish(id);
      modal.success({
        title: r.created ? `已发布为第 ${r.version} 版，现为当前版本` : `内容与第 ${r.version} 版相同，第 ${r.version} 版${r.madeCurrent ? '已重新成为' : '仍为'}当前版本`,
        content: '草稿已删除。已发布的版本不可修改；在“通知包管理”中可以查看各版本、回退到之前的版本。',
        okText: '查看已发布的通知包',
        onOk: () => navigate(`/admin?pack=${encodeURIComponent(r.packId)}`),
      });
    } catch (e) {
      const refused = detailsOf(e, 'PACK_INVALID');
      if (refused) setProblems(refused);
      void message.error(e instanceof ApiFailure ? e.message : '发布失败');
    } finally {
      setBusy(false);
    }
  };

  // the draft's tables in Excel / WPS: what is typed here is saved first, so the workbook has it
  const toWorkbook = async () => {
    if (timer.current) window.clearTimeout(timer.current);
    await flush();
    navigate(`/workbook?draft=${id}`);
  };

  if (error && !draft) return <Alert type="error" showIcon message={error} />;
  if (!draft || !files) return <Spin />;
  const errors = (problems ?? []).filter((p) => p.severity === 'error');
  return (
    <Card
      size="small"
      extra={
        <Button size="small" onClick={() => void toWorkbook()} data-testid="to-workbook">
          用 Excel 编辑（工作簿）
        </Button>
      }
      title={
        <Space wrap style={{ whiteSpace: 'normal' }}>
          <span>{draft.title}</span>
          <Tag>草稿</Tag>
        <Space data-testid="save-state">
          {saving ? <Typography.Text type="secondary">保存中…</Typography.Text> : <Typography.Text type="secondary">已保存</Typography.Text>}
          {problems === null ? <Spin size="small" /> : errors.length ? <Tag color="red" data-testid="check-state">{errors.length} 个错误</Tag> : <Tag color="green" data-testid="check-state">检查通过</Tag>}
        </Space>
        </Space>
      }
    >
      {error ? <Alert type="error" showIcon message={error} closable onClose={() => setError(null)} style={{ marginBottom: 8 }} /> : null}
      <ProblemPlaces.Provider value={{ files, packId: draft.packId }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => void openTab(k)}
          items={[
            { key: 'params', label: '参数、日期与名额', children: <ParamsEditor files={files} packId={draft.packId} problems={problems ?? []} onChange={change} /> },
            { key: 'scorecard', label: '评分表', children: <ScorecardEditor files={files} packId={draft.packId} problems={problems ?? []} onChange={change} /> },
            { key: 'fields', label: '表单字段', children: <FieldsEditor files={files} packId={draft.packId} problems={problems ?? []} onChange={change} validators={(formId) => (saved ? draftValidators(id, saved, formId) : null)} /> },
            { key: 'rules', label: '判定规则', children: <RulesEditor files={files} packId={draft.packId} problems={problems ?? []} onChange={change} /> },
            {
              key: 'check',
              label: (
                <Badge count={errors.length} size="small" offset={[8, 0]}>
                  检查与样例
                </Badge>
              ),
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {/* the fixtures copied for review are listed below with the fixtures, not twice */}
                  {problems ? <ProblemList problems={problems.filter((p) => p.code !== 'FIXTURE_NEEDS_REVIEW')} /> : <Spin />}
                  {fixtures ? <Fixtures runs={fixtures} onAcceptUnchanged={() => void acceptAll()} accepting={accepting} onAcceptNew={(f) => void acceptNew(f)} /> : <Spin />}
                </Space>
              ),
            },
            {
              key: 'diff',
              label: '与上一年度差异',
              children: base && draftPack ? <PackDiff before={base.pack} after={draftPack} beforeName={base.name} /> : <Spin />,
            },
            {
              key: 'expert',
              label: '专家模式',
              children: (
                <Suspense fallback={<Spin />}>
                  <ExpertEditor files={files} packId={draft.packId} problems={problems} onChange={change} onSyntax={setExpertBad} />
                </Suspense>
              ),
            },
            { key: 'impact', label: '影响预览', children: <ImpactPanel draftId={id} basedOn={draft.basedOnVersionId} saving={saving} reviewerScores={hasReviewerScores(files, draft.packId)} /> },
            {
              key: 'publish',
              label: '发布',
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Typography.Paragraph>
                    发布前整包再检查一遍；通过后原子发布为新版本，发布的版本不可修改，之后的申报使用新版本。草稿随之删除。
                  </Typography.Paragraph>
                  {errors.length ? <Alert type="error" showIcon message={`还有 ${errors.length} 个错误，改正后才能发布`} /> : null}
                  {expertBad ? <Alert type="error" showIcon message="专家模式中有文件的 JSON 格式错误，这些修改尚未保存：改正后才能发布" /> : null}
                  <Button type="primary" onClick={() => void publish()} loading={busy} disabled={saving || expertBad || errors.length > 0 || problems === null} data-testid="publish">
                    发布为新版本
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </ProblemPlaces.Provider>
    </Card>
  );
}
