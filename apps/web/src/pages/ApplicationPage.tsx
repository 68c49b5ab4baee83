/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
/**
 * The applicant's application: the form rendered from its schema, autosaved as a server
 * draft (ETag / If-Match), the live evaluation beside it, submit with a confirmation,
 * the status timeline with the reviewers' comments.
 */
import { lazy, memo, startTransition, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Col, Row, Space, Spin, Tag, Typography } from 'antd';
import { ownPart, type NoticePack } from '@yuanping/core/browser';
import { ApiFailure, api, request, type ApiFieldError, type Attachment, type FormView, type PackDetail, type Submission } from '../lib/api';
import { BUNDLE, loadPackVersion, submissionFormIds, versionValidators } from '../lib/pack';
import { takeSubmission } from '../lib/prefetch';
import { applyOffers, noteOf, prefillOffers, type PrefillOffer } from '../lib/prefill';
import { Link, navigate, setLeaveGuard } from '../lib/router';
import { STATUS_COLORS, KIND_LABELS } from '../lib/labels';
import { SchemaForm as SchemaFormAll } from '../form/SchemaForm';
import { createStore, subStore, type DataStore } from '../form/store';
import { createSaveQueue, type SaveQueue, type SaveState } from '../lib/saveQueue';
import { focusField } from '../form/focusField';
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

const EDITABLE = ['draft', 'returned'];
const LEAVE_MESSAGE = '本页有尚未保存的修改，离开后这些修改将丢失。确定离开吗？';

/** What a save sends: only the fields the applicant writes (core's `ownPart`), form by form for a whole application. */
function outgoing(pack: NoticePack, formId: string, data: Json): Json {
  const own = (fid: string, v: unknown) => {
    const f = pack.forms.get(fid);
    return f ? ownPart(f.schema, v, 'applicant') : v;
  };
  if (formId !== BUNDLE) return own(formId, data) as Json;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, own(k, v)]));
}

/** The field errors of one form of a whole application, with paths inside that form. */
function errorsOf(errors: ApiFieldError[], formId: string, bundle: boolean): ApiFieldError[] {
  if (!bundle) return errors;
  const prefix = `${formId}.`;
  return errors.filter((e) => e.path.startsWith(prefix)).map((e) => ({ ...e, path: e.path.slice(prefix.length) }));
}

/** The id of a field on the page (`root.<path>`; each form of a whole application under `root.<formId>`). */
function fieldId(path: string): string {
  return `root.${path}`;
}
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
  const queue = useRef<SaveQueue<Json> | null>(null);

  const load = useCallback(async () => {
    const r = await takeSubmission(id);
    const p = await loadPackVersion(r.body.packVersionId);
    queue.current?.reset();
    etag.current = r.etag;
    setGeneration((g) => g + 1);
    setSub(r.body);
    setStore(createStore((r.body.data ?? {}) as Json));
    setAttachments(r.body.attachments ?? []);
    setPack(p);
    setOffers([]);
    setNotes(undefined);
    setSave({ kind: 'idle' });
    // a reopened draft shows what is still wrong in it at once (the server's answer, as a save's)
    setServerErrors(r.body.errors ?? []);
  }, [id]);

  useEffect(() => {
    load().catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [load]);

  const bundle = sub?.formId === BUNDLE;
  const formIdsKey = pack && sub ? submissionFormIds(pack.pack, sub.formId).join('\n') : '';
  const forms = useMemo<FormView[]>(
    () => (pack && formIdsKey ? formIdsKey.split('\n').flatMap((fid) => pack.detail.forms.filter((f) => f.id === fid)) : []),
    [pack, formIdsKey],
  );
  const form: FormView | undefined = forms[0];
  const stores = useMemo(() => new Map(forms.map((f) => [f.id, store && bundle ? subStore(store, f.id) : store])), [forms, store, bundle]);
  const editable = !!sub && EDITABLE.includes(sub.status) && (sub.actions ?? []).includes('save');
  // the evaluation panel's code loads once the form is on screen and the browser is idle, and
  // renders without holding up typing
  const [sideReady, setSideReady] = useState(false);
  useEffect(() => {
    if (!sub || !pack) return;
    return whenIdle(() => startTransition(() => setSideReady(true)), 1000);
  }, [sub, pack]);

  // saves: one in flight, later edits coalesced, retried with backoff (lib/saveQueue)
  const packRef = useRef(pack);
  packRef.current = pack;
  const formIdRef = useRef(sub?.formId);
  formIdRef.current = sub?.formId;
  useEffect(() => {
    const q = createSaveQueue<Json>({
      onState: setSave,
      send: async (data) => {
        const p = packRef.current;
        const fid = formIdRef.current;
        const body = p && fid ? outgoing(p.pack, fid, data) : data;
        // the autosave reads the new version, status and the data's errors only (RFC 7240: the server leaves out the data and the evaluation)
        const r = await request('put', '/api/submissions/{id}', { params: { id }, body: { data: body }, headers: { 'if-match': etag.current ?? '"0"', prefer: 'return=minimal' } });
        etag.current = r.etag;
        setSub((s) => (s ? { ...s, version: r.body.version, status: r.body.status, statusLabel: r.body.statusLabel, ...(r.body.updatedAt ? { updatedAt: r.body.updatedAt } : {}) } : s));
        const errs = r.body.errors ?? [];
        setServerErrors((e) => (e.length === 0 && errs.length === 0 ? e : errs));
      },
    });
    queue.current = q;
    return () => q.dispose();
  }, [id]);

  // autosave: every change but a reload's
  useEffect(() => {
    if (!store || !editable) return;
    return store.subscribe((origin) => {
      if (origin !== 'external') queue.current?.push(store.get());
    });
  }, [store, editable]);

  // every way out of the page asks first while edits are not saved
  useEffect(() => setLeaveGuard(() => (queue.current?.dirty() ? LEAVE_MESSAGE : null)), []);

  // values of the park's other forms (manifest `prefill`), offered once the form is on screen
  const declaresPrefill = !!(pack && sub && pack.pack.forms.get(sub.formId)?.decl.prefill?.length);
  useEffect(() => {
    if (!store || !sub || !pack || !editable || !declaresPrefill) return;
    let live = true;
    const cancel = whenIdle(() => {
      api
        .get('/api/submissions/{id}/prefill', { params: { id: sub.id } })
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
    const q = queue.current;
    if (q) await q.flush();
    if (q?.dirty()) {
      modal.error({ title: '还不能提交', content: '最近的修改尚未保存成功，请等待保存完成（或检查网络）后再提交。' });
      return;
    }
    try {
      await api.post('/api/submissions/{id}/submit', { params: { id }, body: {}, headers: { 'idempotency-key': crypto.randomUUID() } });
      void message.success('已提交，等待县级审核');
      await load();
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'SUBMISSION_INVALID') {
        setShowRequired(true);
        setServerErrors(e.errors);
        modal.error({ title: '还不能提交', content: <div>{e.message}：{e.errors.slice(0, 8).map((x, i) => <div key={i}>· {x.message}</div>)}{e.errors.length > 8 ? <div>……（共 {e.errors.length} 处，见页面上方的错误列表）</div> : null}</div> });
      } else modal.error({ title: '提交失败', content: e instanceof ApiFailure ? e.message : '提交失败' });
    }
  };

  const confirmSubmit = async () => {
    // what the live evaluation shows now: one line per rule set, a requested level not reached, blocking problems
    const { runEvaluation } = await import('../lib/useEvaluation');
    const results = pack && sub && store ? runEvaluation(pack.pack, sub.formId, store.get()).results : [];
    const summary: string[] = [];
    const concerns: string[] = [];
    for (const r of results) {
      if (!r.ev) continue;
      const o = r.ev.outcome;
      summary.push(`${r.ev.title}：${o.label}`);
      if (o.kind === 'level' && o.requested && !o.requested.reached) concerns.push(`您申请${o.requested.label}，按当前数据${o.level ? `达到${o.label}` : `未达到任何等级`}`);
      if (o.kind === 'eligibility' && !o.eligible) concerns.push(`${r.ev.title}：${o.label}`);
      for (const c of r.ev.errors) concerns.push(`${r.ev.title}：${c.message ?? c.label}`);
    }
    modal.confirm({
      title: concerns.length ? '提交前请注意' : '确认提交申报？',
      content: (
        <div data-testid="submit-confirm">
          {concerns.length ? (
            <Alert
              type="warning"
              showIcon
              message="按当前数据："
              description={concerns.map((c) => (
                <div key={c} data-concern>
                  {c}
                </div>
              ))}
              style={{ marginBottom: 12 }}
            />
          ) : null}
          <p>提交后由县级审核，审核前可以撤回；审核开始后不能再修改。</p>
          {summary.map((x) => (
            <p key={x}>
              <b>{x}</b>
            </p>
          ))}
        </div>
      ),
      okText: concerns.length ? '仍然提交' : '确认提交',
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
          await api.post('/api/submissions/{id}/withdraw', { params: { id }, body: {} });
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
          const q = queue.current;
          if (q?.dirty()) void q.flush();
          else void message.info('没有未保存的修改');
        }
      : null,
  );

  const onUploaded = useCallback((a: Attachment) => setAttachments((l) => [...l.filter((x) => x.field !== a.field), a]), []);
  const files = useMemo(() => ({ submissionId: sub?.id ?? null, attachments, editable, onUploaded }), [sub?.id, attachments, editable, onUploaded]);

  if (error) return <Alert type="error" showIcon message={error} action={<Link to="/notices">返回</Link>} />;
  if (!sub || !pack || !form || !store) return <Spin style={{ margin: 48 }} />;
  const m = pack.detail.manifest;
  const stage = (m.workflow?.stages ?? []).find((s) => s.role === 'applicant' && (!s.forms || s.forms.length === 0 || bundle || s.forms.includes(form.id)));
  const returned = [...(sub.reviews ?? [])].reverse().find((r) => r.action === 'return');
  const heading = bundle ? '整份申报' : `${form.attachment ? `${form.attachment}　` : ''}${form.title}`;
  const sub0 = sub;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <SkipLink to="yp-actions">跳到提交与操作</SkipLink>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {heading}
          </Typography.Title>
          <Typography.Text type="secondary">
            {m.title}
            {bundle ? '' : `　·　${KIND_LABELS[form.kind]}`}　·　第 {pack.detail.version} 版
            {stage?.window?.closes ? `　·　截止 ${stage.window.closes}` : ''}
          </Typography.Text>
          {sub.correctionDeadline && sub.status === 'returned' ? (
            <div>
              <Typography.Text type="warning" data-testid="correction-deadline">
                补正截止 {sub.correctionDeadline}（申报已截止，退回的申报可在此之前修改并重新提交）
              </Typography.Text>
            </div>
          ) : null}
        </div>
        <Space>
          <Tag color={STATUS_COLORS[sub.status] ?? 'default'} data-testid="status">
            {sub.statusLabel}
          </Tag>
          <SaveBadge state={save} editable={editable} updatedAt={sub.updatedAt} />
        </Space>
      </Space>
      {sub.result ? (
        <Alert
          type={sub.result.approved ? 'success' : 'error'}
          showIcon
          message={sub.result.text}
          data-testid="decided-result"
          action={<Link to={`/submissions/${sub.id}/result/print`}>打印结果文书</Link>}
        />
      ) : null}
      {sub.status === 'returned' && returned?.comment ? (
        <Alert type="warning" showIcon message="申报已被退回，请按意见修改后重新提交" description={returned.comment} />
      ) : null}
      {save.kind === 'conflict' ? (
        <Alert type="error" showIcon message={save.message} action={<Button onClick={() => void load()}>重新载入</Button>} />
      ) : null}
      {save.kind === 'failed' ? <Alert type="error" showIcon message={`保存未成功：${save.message}`} data-testid="save-failed" /> : null}
      {editable && serverErrors.length ? <ErrorList errors={serverErrors} /> : null}
      <Row gutter={16}>
        <Col xs={24} lg={15}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {forms.map((f) => (
              <Panel key={f.id} className="yp-form" data-form-kind={f.kind} data-form-id={f.id} {...(bundle ? { title: `${f.attachment ? `${f.attachment}　` : ''}${f.title}` } : {})}>
                {f.kind === 'table' ? (
                  <Alert type="info" message="汇总表由县、市审核单位在“审核”中填报" />
                ) : (
                  <SchemaForm
                    key={generation}
                    schema={f.schema}
                    ui={f.ui}
                    validators={versionValidators(pack.detail.id, f.id)}
                    store={stores.get(f.id) ?? store}
                    readonly={!editable}
                    showRequired={showRequired}
                    compact={f.kind === 'scorecard'}
                    serverErrors={errorsOf(serverErrors, f.id, bundle)}
                    files={files}
                    idRoot={bundle ? `root.${f.id}` : 'root'}
                    {...(notes && !bundle ? { notes } : {})}
                  />
                )}
              </Panel>
            ))}
          </Space>
        </Col>
        <Col xs={24} lg={9}>
          <div className="yp-sticky" role="region" aria-label="操作与评价结果" tabIndex={0}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Panel small title="操作" id="yp-actions" tabIndex={-1}>
                <Space wrap>
                  {editable ? (
                    <Button type="primary" onClick={() => void confirmSubmit()} data-testid="submit">
                      提交申报
                    </Button>
                  ) : null}
                  {(sub.actions ?? []).includes('withdraw') ? <Button onClick={withdraw}>撤回</Button> : null}
                  <Button onClick={() => window.open(`/submissions/${sub0.id}/print`, '_blank')}>打印预览</Button>
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
                {sideReady ? <ApplicationSide pack={pack.pack} formId={sub.formId} store={store} reviews={sub.reviews ?? []} statusLabel={sub.statusLabel} createdAt={sub.createdAt} submissionId={sub.id} /> : SIDE_WAITING}
              </Suspense>
            </Space>
          </div>
        </Col>
      </Row>
    </Space>
  );
}

/** Every error of the data, each a link to its field (scrolls to it and puts the cursor in it). */
function ErrorList({ errors }: { errors: ApiFieldError[] }) {
  return (
    <Alert
      type="error"
      showIcon
      data-testid="error-list"
      message={`填报数据有 ${errors.length} 处需要修改（已保存为草稿，提交前须改正）`}
      description={
        <ol className="yp-error-list" style={{ margin: 0, paddingInlineStart: 20, maxHeight: 240, overflowY: 'auto' }}>
          {errors.map((e, i) => (
            <li key={`${e.path}|${i}`}>
              <a
                href={`#${fieldId(e.path)}`}
                data-error-path={e.path}
                onClick={(ev) => {
                  ev.preventDefault();
                  focusField(fieldId(e.path));
                }}
              >
                {e.message}
              </a>
            </li>
          ))}
        </ol>
      }
    />
  );
}

function SaveBadge({ state, editable, updatedAt }: { state: SaveState; editable: boolean; updatedAt?: string | undefined }) {
  if (!editable) return null;
  const t = (text: string, type?: 'success' | 'warning' | 'danger' | 'secondary') => (
    <Typography.Text className="yp-save-state" data-save-state={state.kind} role="status" {...(type ? { type } : {})}>
      {text}
    </Typography.Text>
  );
  switch (state.kind) {
    case 'saved':
      return t(`✓ 已保存 ${fmtDate(state.at.toISOString()).slice(11, 16)}`, 'success');
    case 'saving':
      return t('保存中…', 'secondary');
    case 'dirty':
      return t('有未保存的修改', 'warning');
    case 'retrying':
      return t('保存失败，正在重试', 'danger');
    case 'failed':
      return t('保存失败', 'danger');
    case 'conflict':
      return t('保存冲突', 'danger');
    default:
      return t(updatedAt ? `已保存 ${fmtDate(updatedAt)}` : '已保存', 'success');
  }
}
