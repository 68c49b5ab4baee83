/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
/**
 * Review of one submission: the data as filled, the evaluation, the scorecard with the
 * self score beside the reviewer's score (re-scored with a reason), the applicant's ticks
 * in `x-review: confirm` fields confirmed or disputed item by item, a comment, and the
 * actions the server allows this level (pass / return / recommend / reject / approve).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Input, InputNumber, Row, Segmented, Space, Spin, Table, Tag, Typography } from 'antd';
import type { NoticePack, ScoreItemResult } from '@yuanping/core/browser';
import { ApiFailure, api, type ReviewAction, getConfirmations, postConfirmations, request, type ConfirmationItem, type ConfirmationState, type ConfirmVerdict, type PackDetail, type Rescore, type Submission } from '../lib/api';
import { BUNDLE, loadPackVersion, submissionFormIds, versionValidators } from '../lib/pack';
import { Link, navigate } from '../lib/router';
import { actionName, levelName, roleName, STATUS_COLORS, KIND_LABELS } from '../lib/labels';
import { EvaluationPanel } from '../form/EvaluationPanel';
import { runEvaluation } from '../lib/useEvaluation';
import { StatusTimeline } from './Timeline';
import { ConsistencyPanel } from './ConsistencyPanel';
import { SkipLink } from '../a11y/SkipLink';
import { parks } from '../lib/orgs';
import { takeSubmission } from '../lib/prefetch';
import { fmtDate, useSession } from '../lib/session';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function setPath(obj: Json, path: string, value: unknown): Json {
  const keys = path.split('.');
  const root: Json = structuredClone(obj);
  let cur: Json = root;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) cur[k] = value;
    else {
      const next = cur[k];
      cur[k] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {};
      cur = cur[k] as Json;
    }
  });
  return root;
}

const PRIMARY = new Set(['pass', 'recommend', 'approve']);

/**
 * `?compare=before`: the page as it was before it was made lighter (issue 16) — loads one request
 * after another, and an action reads the whole submission again — kept only so that `pnpm bench`
 * times both in the same run (apps/web/e2e/bench-review.ts).
 */
/**
 * The data as filled: the form renderer's code (≈ 190 KB, with its widgets) comes after the page
 * is usable — the actions, the evaluation and the scorecard first (before: part of the page's code).
 */
const SchemaForm = lazy(() => import('../form/SchemaForm').then((m) => ({ default: m.SchemaForm })));

const BEFORE = typeof location !== 'undefined' && new URLSearchParams(location.search).get('compare') === 'before';

const VERDICT_LABELS: Record<ConfirmVerdict, string> = { confirmed: '已确认', disputed: '有异议' };

/**
 * The applicant's ticks in `x-review: confirm` fields: each item with every level's verdict;
 * the level at work confirms it or disputes it with a reason (the server keeps who and when).
 */
function ConfirmationCard({ submissionId, state, onChange }: { submissionId: string; state: ConfirmationState; onChange: (s: ConfirmationState) => void }) {
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [show, setShow] = useState<'all' | 'open' | 'disputed'>('all');
  const { me } = state;
  const level = me.level;
  /** what the filter keeps: every item, those this level has not confirmed, those anyone disputed */
  const keep = (it: ConfirmationItem) =>
    show === 'all' ? true : show === 'open' ? !level || it.verdicts[level]?.verdict !== 'confirmed' : Object.values(it.verdicts).some((v) => v?.verdict === 'disputed');
  const send = async (key: string, items: Parameters<typeof postConfirmations>[1]) => {
    setBusy(key);
    try {
      onChange(await postConfirmations(submissionId, items));
    } catch (e) {
      void message.error(e instanceof ApiFailure ? (e.errors[0]?.message ?? e.message) : '保存失败');
      throw e;
    } finally {
      setBusy(null);
    }
  };
  const dispute = (field: string, label: string, it: ConfirmationItem) => {
    let reason = '';
    modal.confirm({
      title: `对“${it.label}”提出异议`,
      content: (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{label}</Typography.Text>
          <Input.TextArea rows={3} placeholder="异议理由（必填，将显示给申报单位和后续审核人）" onChange={(e) => (reason = e.target.value)} data-testid="dispute-reason" />
        </Space>
      ),
      okText: '提出异议',
      cancelText: '取消',
      onOk: async () => {
        if (!reason.trim()) {
          void message.error('请填写异议理由');
          throw new Error('incomplete');
        }
        await send(`${field}/${JSON.stringify(it.item)}`, [{ field, item: it.item, verdict: 'disputed', reason: reason.trim() }]);
      },
    });
  };
  const pending = level
    ? state.fields.flatMap((f) => f.items.filter((it) => !it.verdicts[level]).map((it) => ({ field: f.field, item: it.item, verdict: 'confirmed' as const })))
    : [];
  const levels = ['county', 'city', 'province'].filter((l) => state.fields.some((f) => f.levels.includes(l) || f.items.some((it) => it.verdicts[l])));
  return (
    <Card
      size="small"
      title="申报单位勾选项的确认"
      data-testid="confirmations"
      extra={
        level ? (
          <Space>
            {me.required ? (
              <Tag color={me.open ? 'orange' : 'green'} data-testid="confirm-open">
                {me.open ? `本级尚有 ${me.open} 项未确认` : '本级已全部确认'}
              </Tag>
            ) : (
              <Tag>本级可确认，不作要求</Tag>
            )}
            {pending.length ? (
              <Button size="small" type="primary" loading={busy === 'all'} onClick={() => void send('all', pending).catch(() => undefined)} data-testid="confirm-all">
                其余 {pending.length} 项全部确认
              </Button>
            ) : null}
          </Space>
        ) : null
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Segmented
          size="small"
          value={show}
          onChange={(v) => setShow(v as typeof show)}
          options={[
            { value: 'all', label: '全部' },
            { value: 'open', label: '本级未确认' },
            { value: 'disputed', label: '有异议' },
          ]}
          aria-label="筛选确认项"
          data-testid="confirm-filter"
        />
        <Typography.Text type="secondary">
          通知要求审核人逐项确认申报单位勾选的内容。{me.required ? '本级须确认的各项全部“已确认”后，才能审核通过、推荐或评定通过；有异议的，可退回申报单位补正。' : ''}
        </Typography.Text>
        {state.fields.map((f) => {
          const items = f.items.filter(keep);
          const sectionPending = level ? f.items.filter((it) => !it.verdicts[level]).map((it) => ({ field: f.field, item: it.item, verdict: 'confirmed' as const })) : [];
          if (show !== 'all' && items.length === 0) return null;
          return (
          <div key={f.field} data-confirm-field={f.field}>
            <div style={{ fontWeight: 600, margin: '4px 0' }}>
              {sectionPending.length ? (
                <Button size="small" style={{ float: 'right' }} loading={busy === `section/${f.field}`} onClick={() => void send(`section/${f.field}`, sectionPending).catch(() => undefined)} data-confirm-section>
                  本项其余 {sectionPending.length} 项确认
                </Button>
              ) : null}
              {f.label}
              {f.clause ? <Typography.Text type="secondary" style={{ fontWeight: 400 }}>　{f.clause}</Typography.Text> : null}
              <Typography.Text type="secondary" style={{ fontWeight: 400 }}>　（须确认：{f.levels.map((l) => levelName(l)).join('、')}）</Typography.Text>
            </div>
            {f.items.length === 0 ? (
              <Typography.Text type="secondary">申报单位未勾选任何一项</Typography.Text>
            ) : (
              <Table
                size="small"
                pagination={false}
                rowKey={(it) => JSON.stringify(it.item)}
                dataSource={items}
                onRow={(it) => ({ 'data-confirm-item': JSON.stringify(it.item) }) as React.HTMLAttributes<HTMLElement>}
                columns={[
                  { title: '申报单位勾选', key: 'label', render: (_: unknown, it: ConfirmationItem) => it.label },
                  ...levels.map((l) => ({
                    title: levelName(l),
                    key: l,
                    width: 110,
                    render: (_: unknown, it: ConfirmationItem) => {
                      const v = it.verdicts[l];
                      if (!v) return f.levels.includes(l) ? <Tag>待确认</Tag> : <Typography.Text type="secondary">—</Typography.Text>;
                      return (
                        <div data-verdict={`${l}:${v.verdict}`} title={`${v.reviewerName ?? ''} ${fmtDate(v.at)}`}>
                          <Tag color={v.verdict === 'confirmed' ? 'green' : 'red'} style={{ marginInlineEnd: 0 }}>
                            {VERDICT_LABELS[v.verdict]}
                          </Tag>
                          {v.reason ? <div style={{ fontSize: 12, color: v.verdict === 'disputed' ? '#b71c1c' : '#666' }}>{v.reason}</div> : null}
                        </div>
                      );
                    },
                  })),
                  ...(level
                    ? [
                        {
                          title: '',
                          key: 'op',
                          width: 130,
                          render: (_: unknown, it: ConfirmationItem) => {
                            const key = `${f.field}/${JSON.stringify(it.item)}`;
                            const mine = it.verdicts[level]?.verdict;
                            return (
                              <Space size={4}>
                                {mine !== 'confirmed' ? (
                                  <Button size="small" loading={busy === key} onClick={() => void send(key, [{ field: f.field, item: it.item, verdict: 'confirmed' }]).catch(() => undefined)} data-confirm>
                                    确认
                                  </Button>
                                ) : null}
                                {mine !== 'disputed' ? (
                                  <Button size="small" danger onClick={() => dispute(f.field, f.label, it)} data-dispute>
                                    有异议
                                  </Button>
                                ) : null}
                              </Space>
                            );
                          },
                        },
                      ]
                    : []),
                ]}
              />
            )}
          </div>
          );
        })}
      </Space>
    </Card>
  );
}

export default function ReviewPage({ id }: { id: string }) {
  const { message, modal } = App.useApp();
  const { me } = useSession();
  const [sub, setSub] = useState<Submission | null>(null);
  const [pack, setPack] = useState<{ detail: PackDetail; pack: NoticePack } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmations, setConfirmations] = useState<ConfirmationState | null>(null);
  /** inline re-scoring: the scores typed in the table and their reasons, by the item's fact path */
  const [edits, setEdits] = useState<Record<string, { score: number | null; reason: string }>>({});
  const [scoreView, setScoreView] = useState<'all' | 'changed' | 'differs'>('all');

  const load = useCallback(async () => {
    if (BEFORE) {
      // the page as it was before: the form renderer's code with the page's, then one request after
      // another, and the list of every park for the name
      await import('../form/SchemaForm');
      const r = await request('get', '/api/submissions/{id}', { params: { id } });
      setSub(r.body);
      setConfirmations(await getConfirmations(id));
      setPack(await loadPackVersion(r.body.packVersionId));
      await parks();
      return;
    }
    // the submission (prefetched at start on a direct visit) and the confirmations together, then
    // the pack version (already on its way after a prefetch); the park's name comes with the submission
    const [r, c] = await Promise.all([takeSubmission(id), getConfirmations(id)]);
    const p = await loadPackVersion(r.body.packVersionId);
    setSub(r.body);
    setConfirmations(c);
    setPack(p);
  }, [id]);
  useEffect(() => {
    load().catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [load]);
  /** after re-scoring: the submission (scores, total) and the confirmations again; the pack stays */
  const refresh = useCallback(async () => {
    const [r, c] = await Promise.all([request('get', '/api/submissions/{id}', { params: { id } }), getConfirmations(id)]);
    setSub(r.body);
    setConfirmations(c);
  }, [id]);

  const bundle = sub?.formId === BUNDLE;
  // the forms shown: the submission's form, or each form of a whole application with its part of the data
  const forms = useMemo(
    () => (pack && sub ? submissionFormIds(pack.pack, sub.formId).flatMap((fid) => pack.detail.forms.filter((f) => f.id === fid)) : []),
    [pack, sub],
  );
  const form = forms[0];
  /** the latest reviewer score per item path */
  const latest = useMemo(() => {
    const m = new Map<string, Rescore>();
    for (const r of sub?.rescores ?? []) m.set(r.item, r);
    return m;
  }, [sub]);
  const live = useMemo(() => (pack && sub ? runEvaluation(pack.pack, sub.formId, sub.data) : null), [pack, sub]);
  const scoreRs = live?.results.find((r) => r.ev?.outcome.kind === 'score');
  const scoreItems = scoreRs?.ev?.outcome.kind === 'score' ? scoreRs.ev.outcome.items : [];
  const itemFact = useMemo(() => {
    const m = new Map<string, string>();
    if (pack && scoreRs) {
      const rs = pack.pack.ruleSets.get(scoreRs.id)?.ruleSet as unknown as { outcome?: { items?: Array<{ id: string; fact: string }> } };
      // a whole application addresses a field as <form>.<path>
      const prefix = bundle ? `${(rs as { form?: string } | undefined)?.form ?? ''}.` : '';
      for (const it of rs?.outcome?.items ?? []) m.set(it.id, prefix + it.fact);
    }
    return m;
  }, [pack, scoreRs, bundle]);
  /** the score with the reviewers' scores applied in place of the self scores */
  const reviewed = useMemo(() => {
    const typed = Object.entries(edits).filter(([, e]) => e.score !== null);
    if (!pack || !sub || (latest.size === 0 && typed.length === 0)) return null;
    let d = sub.data as Json;
    for (const [item, r] of latest) d = setPath(d, item, r.score);
    // the scores typed but not saved yet count in the total shown (saved ones are the server's)
    for (const [item, e] of typed) d = setPath(d, item, e.score);
    return runEvaluation(pack.pack, sub.formId, d);
  }, [pack, sub, latest, edits]);

  const act = async (action: ReviewAction) => {
    if (action === 'return' && !comment.trim()) {
      void message.error('退回时必须填写意见');
      return;
    }
    setBusy(action);
    try {
      const body = { action, ...(comment.trim() ? { comment: comment.trim() } : {}) };
      // the answer is the submission's detail: the page updates from it (before: a full answer, then the submission read again)
      const r = await api.post('/api/submissions/{id}/review', { params: { id }, query: BEFORE ? { evaluation: 'full' } : {}, body });
      void message.success(`${actionName(action)}：${r.statusLabel}${r.quota ? `（名额 ${r.quota.used}/${r.quota.limit}）` : ''}`);
      setComment('');
      if (BEFORE) await refresh();
      else {
        setSub(r);
        // this level's part in the confirmations has changed with the status: read in the background
        void getConfirmations(id).then(setConfirmations, () => undefined);
      }
    } catch (e) {
      modal.error({ title: `${actionName(action)}未成功`, content: e instanceof ApiFailure ? e.message : '操作失败' });
    } finally {
      setBusy(null);
    }
  };

  const currentScore = (it: ScoreItemResult) => latest.get(itemFact.get(it.id) ?? it.id)?.score ?? it.self ?? null;
  const changed = scoreItems.filter((it) => {
    const e = edits[itemFact.get(it.id) ?? it.id];
    return e !== undefined && e.score !== null && e.score !== currentScore(it);
  });
  const missingReason = changed.filter((it) => !edits[itemFact.get(it.id) ?? it.id]?.reason.trim());
  const saveScores = async () => {
    if (missingReason.length) {
      void message.error(`请为改分的 ${missingReason.length} 项填写理由`);
      return;
    }
    setBusy('scores');
    let saved = 0;
    try {
      for (const it of changed) {
        const fact = itemFact.get(it.id) ?? it.id;
        const e = edits[fact];
        if (!e || e.score === null) continue;
        await api.post('/api/submissions/{id}/scores', { params: { id }, body: { item: fact, score: e.score, reason: e.reason.trim() } });
        saved++;
        setEdits((x) => {
          const { [fact]: _done, ...rest } = x;
          return rest;
        });
      }
      void message.success(`已保存 ${saved} 项改分`);
    } catch (e) {
      void message.error(e instanceof ApiFailure ? (e.errors[0]?.message ?? e.message) : '保存失败');
    } finally {
      setBusy(null);
      await refresh();
    }
  };

  if (error) return <Alert type="error" showIcon message={error} action={<Link to="/review">返回</Link>} />;
  if (!sub || !pack || !form || !live) return <Spin style={{ margin: 48 }} />;
  // a reviewer's actions are its review step's actions (the review route's enum) and rescore (server workflow.ts)
  const actions = (sub.actions ?? []).filter((a): a is ReviewAction => a !== 'rescore');
  const canRescore = (sub.actions ?? []).includes('rescore');

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {actions.length ? <SkipLink to="yp-review-actions">跳到审核意见与操作</SkipLink> : null}
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {sub.park?.name ?? sub.parkId}　{bundle ? '整份申报' : `${form.attachment ?? ''} ${form.title}`}
          </Typography.Title>
          <Typography.Text type="secondary">
            {pack.detail.title}{bundle ? '' : ` · ${KIND_LABELS[form.kind]}`} · 第 {pack.detail.version} 版 · 提交于 {fmtDate(sub.submittedAt ?? undefined) || '—'}
          </Typography.Text>
          {sub.reviewPath ? (
            <div>
              <Typography.Text data-testid="review-path">审核路径：{sub.reviewPath.label}</Typography.Text>
            </div>
          ) : null}
        </div>
        <Space wrap>
          <Tag color={STATUS_COLORS[sub.status] ?? 'default'} data-testid="status">
            {sub.statusLabel}
          </Tag>
          <Button onClick={() => window.open(`/submissions/${sub.id}/print`, '_blank')}>打印</Button>
          <Button onClick={() => window.open(`/print/${encodeURIComponent(sub.packId)}?park=${encodeURIComponent(sub.parkId)}`, '_blank')} data-testid="print-whole">
            打印整份申报
          </Button>
          <Button onClick={() => navigate('/review')}>返回列表</Button>
        </Space>
      </Space>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {scoreItems.length ? (
              <Card size="small" title="评分（自评分与审核评分）" data-testid="scorecard">
                {canRescore ? (
                  <Space wrap style={{ marginBottom: 8 }}>
                    <Segmented
                      size="small"
                      value={scoreView}
                      onChange={(v) => setScoreView(v as typeof scoreView)}
                      options={[
                        { value: 'all', label: `全部 ${scoreItems.length} 项` },
                        { value: 'changed', label: `本次改分 ${changed.length} 项` },
                        { value: 'differs', label: '审核分与自评分不同' },
                      ]}
                      aria-label="筛选评分项"
                      data-testid="score-filter"
                    />
                    <Button type="primary" size="small" disabled={changed.length === 0} loading={busy === 'scores'} onClick={() => void saveScores()} data-testid="save-scores">
                      保存改分（{changed.length}）
                    </Button>
                    {changed.length ? <Button size="small" onClick={() => setEdits({})}>放弃改分</Button> : null}
                    <Typography.Text type="secondary">在“审核评分”栏直接改分，每项改分须填写理由</Typography.Text>
                  </Space>
                ) : null}
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={scoreItems.filter((it) => {
                    const fact = itemFact.get(it.id) ?? it.id;
                    if (scoreView === 'changed') return changed.includes(it);
                    if (scoreView === 'differs') return (edits[fact]?.score ?? currentScore(it)) !== (it.self ?? null);
                    return true;
                  })}
                  onRow={(it) => ({ 'data-score-item': itemFact.get(it.id) ?? it.id }) as React.HTMLAttributes<HTMLElement>}
                  columns={[
                    { title: '评分项', dataIndex: 'label' },
                    { title: '满分', dataIndex: 'max', width: 70 },
                    { title: '自评分', key: 'self', width: 80, render: (_, it) => it.self ?? '—' },
                    {
                      title: '审核评分',
                      key: 'rev',
                      width: 220,
                      render: (_, it) => {
                        const fact = itemFact.get(it.id) ?? it.id;
                        const r = latest.get(fact);
                        if (canRescore) {
                          const e = edits[fact];
                          const cur = currentScore(it);
                          const dirty = e !== undefined && e.score !== null && e.score !== cur;
                          return (
                            <Space direction="vertical" size={2} style={{ width: '100%' }}>
                              <InputNumber
                                size="small"
                                min={0}
                                max={it.max}
                                value={e ? e.score : cur}
                                onChange={(v) => setEdits((x) => ({ ...x, [fact]: { score: typeof v === 'number' ? v : null, reason: x[fact]?.reason ?? '' } }))}
                                aria-label={`${it.label}审核评分`}
                                data-score-input
                                style={{ width: 96 }}
                              />
                              {dirty ? (
                                <Input
                                  size="small"
                                  placeholder="改分理由（必填）"
                                  value={e.reason}
                                  status={e.reason.trim() ? '' : 'error'}
                                  onChange={(ev) => setEdits((x) => ({ ...x, [fact]: { score: x[fact]?.score ?? null, reason: ev.target.value } }))}
                                  aria-label={`${it.label}改分理由`}
                                  data-reason-input
                                />
                              ) : r ? (
                                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                  {levelName(r.level)}：{r.reason}
                                </Typography.Text>
                              ) : null}
                            </Space>
                          );
                        }
                        return r ? (
                          <div>
                            <b style={{ color: r.score !== r.selfScore ? '#b71c1c' : undefined }}>{r.score}</b>
                            <Typography.Text type="secondary">　{roleName(r.level)}：{r.reason}</Typography.Text>
                          </div>
                        ) : (
                          '—'
                        );
                      },
                    },
                  ]}
                  summary={() => {
                    const o = scoreRs?.ev?.outcome;
                    const ro = reviewed?.results.find((x) => x.id === scoreRs?.id)?.ev?.outcome;
                    return (
                      <Table.Summary.Row>
                        <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                        <Table.Summary.Cell index={1} />
                        <Table.Summary.Cell index={2}>{o?.kind === 'score' ? o.score : ''}</Table.Summary.Cell>
                        <Table.Summary.Cell index={3}>{ro?.kind === 'score' ? <b data-testid="reviewed-total">{ro.score}</b> : '—'}</Table.Summary.Cell>
                      </Table.Summary.Row>
                    );
                  }}
                />
              </Card>
            ) : null}
            {confirmations && confirmations.fields.length ? <ConfirmationCard submissionId={sub.id} state={confirmations} onChange={setConfirmations} /> : null}
            <Suspense fallback={<Card size="small" title="申报数据"><Spin /></Card>}>
            {forms.map((f) => (
              <Card key={f.id} size="small" title={bundle ? `申报数据：${f.attachment ? `${f.attachment} ` : ''}${f.title}` : '申报数据'} data-form-id={f.id}>
                <SchemaForm
                  schema={f.schema}
                  ui={f.ui}
                  validators={versionValidators(pack.detail.id, f.id)}
                  data={bundle ? ((isObj(sub.data[f.id]) ? sub.data[f.id] : {}) as Json) : sub.data}
                  readonly
                  compact={f.kind === 'scorecard'}
                  role={me?.user.role ?? 'applicant'}
                  idRoot={bundle ? `root.${f.id}` : 'root'}
                  files={{ submissionId: sub.id, attachments: sub.attachments ?? [], editable: false, onUploaded: () => {} }}
                />
              </Card>
            ))}
            </Suspense>
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <div className="yp-sticky" role="region" aria-label="审核意见与操作" tabIndex={0}>
            <Space direction="vertical" style={{ width: '100%' }}>
              {actions.length ? (
                <Card size="small" title={`${levelName(me?.user.role)}审核意见`} id="yp-review-actions" tabIndex={-1}>
                  <Space direction="vertical" style={{ width: '100%' }}>
                    {confirmations?.me.required && confirmations.me.open > 0 ? (
                      <Alert type="warning" showIcon message={`申报单位勾选的内容还有 ${confirmations.me.open} 项未经本级确认，确认后才能审核通过或推荐（退回不受限制）`} data-testid="confirm-hint" />
                    ) : null}
                    <Input.TextArea rows={4} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="审核意见（退回时必填，将显示给申报单位）" data-testid="comment" />
                    <Space wrap>
                      {actions.map((a) => (
                        <Button key={a} type={PRIMARY.has(a) ? 'primary' : 'default'} danger={a === 'return' || a === 'reject'} loading={busy === a} onClick={() => void act(a)} data-action={a}>
                          {a === 'return' && sub.returnsTo && sub.returnsTo !== 'applicant' ? `退回${levelName(sub.returnsTo)}` : actionName(a)}
                        </Button>
                      ))}
                    </Space>
                  </Space>
                </Card>
              ) : (
                <Alert type="info" showIcon message={`当前状态“${sub.statusLabel}”，本级无需办理`} />
              )}
              <ConsistencyPanel submissionId={sub.id} refreshKey={sub.version} canAccept={(me?.user.role === 'county' || me?.user.role === 'city') && (sub.status === 'draft' || sub.status === 'returned')} />
              <Card size="small" title="评价结果（按申报数据）">
                <EvaluationPanel results={live.results} />
              </Card>
              <Card size="small" title="办理进度">
                <StatusTimeline reviews={sub.reviews ?? []} confirmations={confirmations?.history ?? []} statusLabel={sub.statusLabel} createdAt={sub.createdAt} />
              </Card>
            </Space>
          </div>
        </Col>
      </Row>
    </Space>
  );
}
