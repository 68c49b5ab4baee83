/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
/**
 * The applicant's application: the form rendered from its schema, autosaved as a server
 * draft (ETag / If-Match), the live evaluation beside it, submit with a confirmation,
 * the status timeline with the reviewers' comments.
 */
import { lazy, memo, startTransition, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Col, Row, Space, Spin, Tag, Typography } from 'antd';
import type { NoticePack } from '@yuanping/core/browser';
import { ApiFailure, api, request, type ApiFieldError, type Attachment, type FormView, type PackDetail, type Submission } from '../lib/api';
import { loadPackVersion } from '../lib/pack';
import { takeSubmission } from '../lib/prefetch';
import { applyOffers, noteOf, prefillOffers, type PrefillAnswer, type PrefillOffer } from '../lib/prefill';
import { Link, navigate } from '../lib/router';
import { STATUS_COLORS, KIND_LABELS } from '../lib/labels';
import { SchemaForm as SchemaFormAll } from '../form/SchemaForm';
import { createStore, type DataStore } from '../form/store';
import { PrefillPanel } from '../form/PrefillPanel';
import { Panel } from '../form/Panel';
import { fmtDate } from '../lib/session';
import { whenIdle } from '../lib/idle';
import { SkipLink } from '../a11y/SkipLink';
import { useSaveShortcut } from '../a11y/useSaveShortcut';

// what is not needed to start filling in loads after the form (and its code after the form's)
const ApplicationSide = lazy(() => import('./ApplicationSide'));
const ConsistencyPanel = lazy(() => import('./ConsistencyPanel').then((m) => ({ default: m.ConsistencyPanel })));
const SchemaForm = memo(SchemaFormAll);

type Json = Record<string, unknown>;
type SaveState = { kind: 'saved'; at: Date } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'error'; message: string } | { kind: 'conflict'; message: string } | { kind: 'idle' };

const EDITABLE = ['draft', 'returned'];
const DIRTY: SaveState = { kind: 'dirty' };
const SIDE_WAITING = (
  <Panel small title="即时评价（按当前填写的数据）">
    计算中…
  </Panel>
);

export default function ApplicationPage({ id }: { id: string }) {
  const { message, modal } = App.useApp();
  const [sub, setSub] = useState<Submission | null>(null);
  const [pack, setPack] = useState<{ detail: PackDetail; pack: NoticePack } | null>(null);
  // the form's data lives in a store (a new one per load): a keystroke re-renders the field's
  // group and the live evaluation, not this page
  const [store, setStore] = useState<DataStore | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [serverErrors, setServerErrors] = useState<ApiFieldError[]>([]);
  const [showRequired, setShowRequired] = useState(false);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [offers, setOffers] = useState<PrefillOffer[]>([]);
  const [notes, setNotes] = useState<Record<string, string> | undefined>(undefined);
  const etag = useRef<string | null>(null);
  // a reload remounts the form, so nothing typed before it can be sent after it
  const [generation, setGeneration] = useState(0);
  const pending = useRef<Json | null>(null);
  const inflight = useRef(false);
  const timer = useRef<number | null>(null);

  const load = useCallback(async () => {
    const r = await takeSubmission(id);
    const p = await loadPackVersion(r.body.packVersionId);
    if (timer.current) window.clearTimeout(timer.current);
    pending.current = null;
    etag.current = r.etag;
    setGeneration((g) => g + 1);
    setSub(r.body);
    setStore(createStore((r.body.data ?? {}) as Json));
    setAttachments(r.body.attachments ?? []);
    setPack(p);
    setOffers([]);
    setNotes(undefined);
    setSave({ kind: 'idle' });
  }, [id]);

  useEffect(() => {
    load().catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [load]);

  const form: FormView | undefined = pack?.detail.forms.find((f) => f.id === sub?.formId);
  const editable = !!sub && EDITABLE.includes(sub.status) && (sub.actions ?? []).includes('save');
  // the evaluation panel's code loads once the form is on screen and the browser is idle, and
  // renders without holding up typing
  const [sideReady, setSideReady] = useState(false);
  useEffect(() => {
    if (!sub || !pack) return;
    return whenIdle(() => startTransition(() => setSideReady(true)), 1000);
  }, [sub, pack]);

  const flush = useCallback(async () => {
    if (inflight.current || !pending.current) return;
    const body = pending.current;
    pending.current = null;
    inflight.current = true;
    setSave({ kind: 'saving' });
    try {
      // the autosave reads the new version and status only (RFC 7240: the server leaves out the data and the evaluation)
      const r = await request<Pick<Submission, 'id' | 'version' | 'status' | 'statusLabel' | 'updatedAt'>>('PUT', `/api/submissions/${encodeURIComponent(id)}`, { data: body }, { 'if-match': etag.current ?? '"0"', prefer: 'return=minimal' });
      etag.current = r.etag;
      setSub((s) => (s ? { ...s, version: r.body.version, status: r.body.status, statusLabel: r.body.statusLabel, ...(r.body.updatedAt ? { updatedAt: r.body.updatedAt } : {}) } : s));
      setServerErrors((e) => (e.length ? [] : e));
      setSave(pending.current ? DIRTY : { kind: 'saved', at: new Date() });
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 412) setSave({ kind: 'conflict', message: e.message });
      else if (e instanceof ApiFailure && e.code === 'SUBMISSION_INVALID') {
        setServerErrors(e.errors);
        setSave({ kind: 'error', message: `${e.message}，改正后将自动保存` });
      } else setSave({ kind: 'error', message: e instanceof ApiFailure ? e.message : '保存失败' });
    } finally {
      inflight.current = false;
      if (pending.current) void flush();
    }
  }, [id]);

  // autosave: every change but a reload's, 800 ms after the last one
  useEffect(() => {
    if (!store || !editable) return;
    return store.subscribe((origin) => {
      if (origin === 'external') return;
      pending.current = store.get();
      setSave((s) => (s.kind === 'dirty' ? s : DIRTY));
      if (timer.current) window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void flush(), 800);
    });
  }, [store, editable, flush]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (pending.current || inflight.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  // values of the park's other forms (manifest `prefill`), offered once the form is on screen
  const declaresPrefill = !!(pack && sub && pack.pack.forms.get(sub.formId)?.decl.prefill?.length);
  useEffect(() => {
    if (!store || !sub || !pack || !editable || !declaresPrefill) return;
    let live = true;
    const cancel = whenIdle(() => {
      api
        .get<PrefillAnswer>(`/api/submissions/${encodeURIComponent(sub.id)}/prefill`)
        .then((a) => {
          if (live) setOffers(prefillOffers(pack.pack, sub.formId, store.get(), a.sources[sub.formId]));
        })
        .catch(() => undefined);
    }, 1000);
    return () => {
      live = false;
      cancel();
    };
    // once per load (a new store), not on every save of the same draft (`sub` changes with each)
  }, [store, declaresPrefill, editable]);

  const acceptPrefill = useCallback(
    (chosen: PrefillOffer[]) => {
      if (!store) return;
      const { data, applied, skipped } = applyOffers(store.get(), chosen);
      if (applied.length) store.set(data, 'prefill');
      setNotes((n) => ({ ...(n ?? {}), ...Object.fromEntries(applied.map((o) => [o.field, noteOf(o)])) }));
      setOffers([]);
      if (skipped.length) void message.warning(`已填入 ${applied.length} 项；${skipped.map((o) => o.label).join('、')} 在此期间已由您填写，未覆盖`);
      else void message.success(`已填入 ${applied.length} 项`);
    },
    [store, message],
  );
  const dismissPrefill = useCallback(() => setOffers([]), []);

  const doSubmit = async () => {
    if (timer.current) window.clearTimeout(timer.current);
    if (pending.current) await flush();
    try {
      await api.post<Submission>(`/api/submissions/${encodeURIComponent(id)}/submit`, {}, { 'idempotency-key': crypto.randomUUID() });
      void message.success('已提交，等待县级审核');
      await load();
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'SUBMISSION_INVALID') {
        setShowRequired(true);
        setServerErrors(e.errors);
        modal.error({ title: '还不能提交', content: <div>{e.message}：{e.errors.slice(0, 8).map((x, i) => <div key={i}>· {x.message}</div>)}</div> });
      } else modal.error({ title: '提交失败', content: e instanceof ApiFailure ? e.message : '提交失败' });
    }
  };

  const confirmSubmit = async () => {
    // what the live evaluation shows now, in one line per rule set
    const { runEvaluation } = await import('../lib/useEvaluation');
    const summary =
      pack && sub && store
        ? runEvaluation(pack.pack, sub.formId, store.get())
            .results.map((r) => (r.ev ? `${r.ev.title}：${r.ev.outcome.label}` : ''))
            .filter(Boolean)
        : [];
    modal.confirm({
      title: '确认提交申报？',
      content: (
        <div>
          <p>提交后由县级审核，审核前可以撤回；审核开始后不能再修改。</p>
          {summary.map((s) => (
            <p key={s}>
              <b>{s}</b>
            </p>
          ))}
        </div>
      ),
      okText: '确认提交',
      cancelText: '再检查一下',
      onOk: doSubmit,
    });
  };

  const withdraw = () => {
    modal.confirm({
      title: '撤回申报？',
      content: '撤回后申报回到草稿状态，可以修改后重新提交。',
      okText: '撤回',
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.post(`/api/submissions/${encodeURIComponent(id)}/withdraw`, {});
          await load();
        } catch (e) {
          void message.error(e instanceof ApiFailure ? e.message : '撤回失败');
        }
      },
    });
  };

  // Ctrl+S: what is waiting for the autosave goes now
  useSaveShortcut(
    editable
      ? () => {
          if (timer.current) window.clearTimeout(timer.current);
          if (pending.current) void flush();
          else void message.info('没有未保存的修改');
        }
      : null,
  );

  const onUploaded = useCallback((a: Attachment) => setAttachments((l) => [...l.filter((x) => x.field !== a.field), a]), []);
  const files = useMemo(() => ({ submissionId: sub?.id ?? null, attachments, editable, onUploaded }), [sub?.id, attachments, editable, onUploaded]);

  if (error) return <Alert type="error" showIcon message={error} action={<Link to="/notices">返回</Link>} />;
  if (!sub || !pack || !form || !store) return <Spin style={{ margin: 48 }} />;
  const m = pack.detail.manifest;
  const stage = (m.workflow?.stages ?? []).find((s) => s.role === 'applicant' && (!s.forms || s.forms.length === 0 || s.forms.includes(form.id)));
  const returned = [...(sub.reviews ?? [])].reverse().find((r) => r.action === 'return');

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <SkipLink to="yp-actions">跳到提交与操作</SkipLink>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {form.attachment ? `${form.attachment}　` : ''}
            {form.title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {m.title}　·　{KIND_LABELS[form.kind]}　·　第 {pack.detail.version} 版
            {stage?.window?.closes ? `　·　截止 ${stage.window.closes}` : ''}
          </Typography.Text>
        </div>
        <Space>
          <Tag color={STATUS_COLORS[sub.status] ?? 'default'} data-testid="status">
            {sub.statusLabel}
          </Tag>
          <SaveBadge state={save} editable={editable} updatedAt={sub.updatedAt} />
        </Space>
      </Space>
      {sub.result ? <Alert type={sub.result.approved ? 'success' : 'error'} showIcon message={sub.result.text} data-testid="decided-result" /> : null}
      {sub.status === 'returned' && returned?.comment ? (
        <Alert type="warning" showIcon message="申报已被退回，请按意见修改后重新提交" description={returned.comment} />
      ) : null}
      {save.kind === 'conflict' ? (
        <Alert type="error" showIcon message={save.message} action={<Button onClick={() => void load()}>重新载入</Button>} />
      ) : null}
      <Row gutter={16}>
        <Col xs={24} lg={15}>
          <Panel className="yp-form" data-form-kind={form.kind}>
            {form.kind === 'table' ? (
              <Alert type="info" message="汇总表由县、市审核单位在“审核”中填报" />
            ) : (
              <SchemaForm
                key={generation}
                schema={form.schema}
                ui={form.ui}
                store={store}
                readonly={!editable}
                showRequired={showRequired}
                compact={form.kind === 'scorecard'}
                serverErrors={serverErrors}
                files={files}
                {...(notes ? { notes } : {})}
              />
            )}
          </Panel>
        </Col>
        <Col xs={24} lg={9}>
          <div className="yp-sticky">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Panel small title="操作" id="yp-actions" tabIndex={-1}>
                <Space wrap>
                  {editable ? (
                    <Button type="primary" onClick={() => void confirmSubmit()} data-testid="submit">
                      提交申报
                    </Button>
                  ) : null}
                  {(sub.actions ?? []).includes('withdraw') ? <Button onClick={withdraw}>撤回</Button> : null}
                  <Button onClick={() => window.open(`/submissions/${sub.id}/print`, '_blank')}>打印预览</Button>
                  <Button onClick={() => navigate('/notices')}>返回</Button>
                </Space>
              </Panel>
              {offers.length ? <PrefillPanel key={generation} offers={offers} onAccept={acceptPrefill} onDismiss={dismissPrefill} /> : null}
              {sideReady ? (
                <Suspense fallback={null}>
                  <ConsistencyPanel submissionId={sub.id} refreshKey={save.kind === 'saved' ? save.at : sub.version} canAccept={false} />
                </Suspense>
              ) : null}
              <Suspense fallback={SIDE_WAITING}>
                {sideReady ? <ApplicationSide pack={pack.pack} formId={form.id} store={store} reviews={sub.reviews ?? []} statusLabel={sub.statusLabel} createdAt={sub.createdAt} submissionId={sub.id} /> : SIDE_WAITING}
              </Suspense>
            </Space>
          </div>
        </Col>
      </Row>
    </Space>
  );
}

function SaveBadge({ state, editable, updatedAt }: { state: SaveState; editable: boolean; updatedAt?: string | undefined }) {
  if (!editable) return null;
  const t = (s: string, type?: 'success' | 'warning' | 'danger' | 'secondary') => (
    <Typography.Text className="yp-save-state" data-save-state={state.kind} {...(type ? { type } : {})}>
      {s}
    </Typography.Text>
  );
  switch (state.kind) {
    case 'saved':
      return t(`✓ 已保存 ${fmtDate(state.at.toISOString()).slice(11)}`, 'success');
    case 'saving':
      return t('保存中…', 'secondary');
    case 'dirty':
      return t('有未保存的修改', 'warning');
    case 'error':
      return t(state.message, 'danger');
    case 'conflict':
      return t('保存冲突', 'danger');
    default:
      return t(updatedAt ? `已保存 ${fmtDate(updatedAt)}` : '已保存', 'success');
  }
}
