/**
 * A summary table form (附件 of the county / city): the filling level edits its rows in the
 * virtual grid and reports them; the level above sees every part's status and the combined rows
 * (read-only, each with its source unit). The unit that combines the parts and reports them
 * upward (the city, for a county's table) fills the combined table's own top-level fields
 * (填报单位, 联系人 … whatever the form has), saved as a draft, and submits it with a confirmation
 * naming the parts that have not reported.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Progress, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { LONG_WORK_ROWS, computeFields, fieldErrors } from '@yuanping/core/browser';
import { rootValidator, useValidators } from '../form/validator';
import type { RJSFSchema } from '@rjsf/utils';
import { ApiFailure, api, request, upload, type Answer, type FormView } from '../lib/api';
import { versionValidators } from '../lib/pack';
import { fmtDate, useSession } from '../lib/session';
import { createSaveQueue, type SaveQueue, type SaveState } from '../lib/saveQueue';
import { columnsOf, headersOf, type Column, optionsOf, rowsPathOf, sectionsOf, totalLabelOf } from '../grid/columns';
import { SectionGrid } from '../grid/SectionGrid';
import { VirtualGrid, type PasteNote } from '../grid/VirtualGrid';
import { ImportPanel, type ImportAnswer, type ImportMode, type ImportProblem } from './TableImport';
import { PrefillDialog, existingRow, type PrefillPark, type PrefillView } from './TablePrefill';
import { STATUS_COLORS } from '../lib/labels';
import { navigate, setLeaveGuard } from '../lib/router';
import { downloadFile } from '../lib/download';
import { useExportJob } from '../lists/JobProgress';

type Row = Record<string, unknown>;
/** A table form's whole data object (every section and the top-level fields), or the rows when the form is an array. */
type Data = Record<string, unknown> | Row[];
type TableView = Answer<'/api/tables/{packId}/{formId}', 'get'>;
type Part = TableView['parts'][number];

const EDITABLE = ['draft', 'returned'];
const REPORTED = ['submitted', 'accepted'];
const STATUS_TEXT: Record<string, string> = { draft: '草稿', submitted: '已报送', accepted: '已接收', returned: '已退回', missing: '未填报' };
/** A table report's status in words (the server's label is the submissions' wording). */
const statusText = (p: { status: string; statusLabel: string }) => STATUS_TEXT[p.status] ?? p.statusLabel;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function rowsIn(data: Data, field: string): Row[] {
  const v = field === '' ? data : isObj(data) ? data[field] : undefined;
  return Array.isArray(v) ? (v as Row[]) : [];
}
/**
 * An imported file before it is saved: what the server read, its rows as the user fixes them
 * (nothing autosaved), and for each section which row of the file each shown row is (null: added here).
 */
interface Preview {
  answer: ImportAnswer;
  data: Data;
  origin: Record<string, Array<number | null>>;
}
/** A row named by its first two filled columns (for a confirmation). */
function rowLabel(columns: Column[], row: Row): string {
  const parts = columns.filter((c) => !c.computed && row[c.key] !== undefined && row[c.key] !== null && row[c.key] !== '').slice(0, 2);
  return parts.length ? `（${parts.map((c) => `${c.title}：${String(row[c.key])}`).join('，')}）` : '（空行）';
}
function withRows(data: Data, field: string, rows: Row[]): Data {
  return field === '' ? rows : { ...(isObj(data) ? data : {}), [field]: rows };
}
/** The given top-level fields of a data object. */
function pick(data: Data | null | undefined, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObj(data)) return out;
  for (const k of fields) if (data[k] !== undefined) out[k] = data[k];
  return out;
}
/** A field's title in the form's schema (its key when untitled). */
function titleOf(schema: Record<string, unknown>, field: string): string {
  const p = isObj(schema.properties) ? schema.properties[field] : undefined;
  return isObj(p) && typeof p.title === 'string' ? p.title : field;
}

/** A top-level field's value as the user reads it: a choice by its label (a unit code → the unit's name). */
function valueText(schema: Record<string, unknown>, field: string, v: unknown): string {
  const p = isObj(schema.properties) ? schema.properties[field] : undefined;
  const o = isObj(p) ? optionsOf(p)?.find((x) => x.value === v) : undefined;
  return o ? o.label : String(v);
}

/** The top-level fields of a table form that are no section (填报地区 and the like): a small form above the grid. */
function Preamble({ schema, fields, data, errors, onChange, title }: { schema: Record<string, unknown>; fields: string[]; data: Data; errors: Map<string, string>; onChange?: (field: string, value: unknown) => void; title?: string }) {
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  const values = isObj(data) ? data : {};
  return (
    <Card size="small" data-testid="table-preamble" title={title}>
      <Form layout="inline">
        {fields.map((k) => {
          const p = isObj(props[k]) ? props[k] : {};
          const label = typeof p.title === 'string' ? p.title : k;
          const v = values[k];
          const numeric = p.type === 'number' || p.type === 'integer';
          const err = errors.get(k);
          const options = optionsOf(p);
          const aria = { 'aria-label': label, ...(required.includes(k) ? { 'aria-required': true } : {}), ...(err ? { 'aria-invalid': true } : {}) };
          const control = options ? (
            <Select
              aria-label={label}
              style={{ minWidth: 160 }}
              allowClear
              disabled={!onChange}
              value={v as string | number | undefined}
              options={options.map((o) => ({ value: o.value as string | number, label: o.label }))}
              onChange={(x: unknown) => onChange?.(k, x ?? undefined)}
              data-testid={`preamble-${k}`}
            />
          ) : numeric ? (
            <InputNumber {...aria} disabled={!onChange} value={typeof v === 'number' ? v : null} onChange={(x) => onChange?.(k, x ?? undefined)} />
          ) : (
            <Input {...aria} style={{ minWidth: 200, maxWidth: '100%' }} disabled={!onChange} value={typeof v === 'string' ? v : v === undefined ? '' : String(v)} onChange={(e) => onChange?.(k, e.target.value === '' ? undefined : e.target.value)} data-testid={`preamble-${k}`} />
          );
          return (
            <Form.Item key={k} label={label} required={required.includes(k)} validateStatus={err ? 'error' : undefined} help={err}>
              {control}
            </Form.Item>
          );
        })}
      </Form>
    </Card>
  );
}

/** The parts of a combined table: who has reported (and who has not), their rows and their own top-level fields. */
function PartsCard({ schema, parts, sections, preambleFields }: { schema: Record<string, unknown>; parts: Part[]; sections: string[]; preambleFields: string[] }) {
  const done = parts.filter((p) => REPORTED.includes(p.status)).length;
  return (
    <Card size="small" title={`下级报送情况：已报送 ${done} / ${parts.length}`} data-testid="table-parts">
      <Table
        size="small"
        rowKey="orgCode"
        pagination={false}
        scroll={{ y: 240 }}
        dataSource={parts}
        columns={[
          { title: '单位', dataIndex: 'orgName', width: 160 },
          { title: '状态', key: 's', width: 110, render: (_, p) => <Tag color={STATUS_COLORS[p.status] ?? (p.status === 'missing' ? 'red' : 'default')}>{statusText(p)}</Tag> },
          { title: '行数', key: 'n', width: 80, render: (_, p) => (p.data ? sections.reduce((n, sec) => n + rowsIn(p.data as Data, sec).length, 0) : p.rows.length) },
          ...(preambleFields.length
            ? [
                {
                  title: '表头信息',
                  key: 'pre',
                  render: (_: unknown, p: Part) =>
                    Object.entries(pick(p.data, preambleFields))
                      .map(([k, v]) => `${titleOf(schema, k)}：${String(v)}`)
                      .join('；'),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

export default function TablePage({ packId, formId }: { packId: string; formId: string }) {
  const { message, modal } = App.useApp();
  const { me } = useSession();
  const [form, setForm] = useState<FormView | null>(null);
  const [versionId, setVersionId] = useState<number | null>(null);
  const [view, setView] = useState<TableView | null>(null);
  const [data, setData] = useState<Data>({});
  const [error, setError] = useState<string | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  // after a submit attempt: required top-level fields are named; the server's refusal (message and field errors)
  const [tried, setTried] = useState(false);
  const [refusal, setRefusal] = useState<ApiFailure | null>(null);
  const version = useRef<number | null>(null);
  const queue = useRef<SaveQueue<Data> | null>(null);
  // an imported file before it is saved: what the server read, and its rows as the user fixes them (nothing autosaved)
  const [preview, setPreviewState] = useState<Preview | null>(null);
  const previewRef = useRef<Preview | null>(null);
  const setPreview = useCallback((p: Preview | null) => {
    previewRef.current = p;
    setPreviewState(p);
  }, []);
  const [importMode, setImportMode] = useState<ImportMode>('replace');
  const [importing, setImporting] = useState<{ pct: number; name: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // a problem clicked in a list: its cell selected in the grid
  const [goto, setGoto] = useState<{ section: string; row: number; key: string; seq: number } | null>(null);
  // what the last paste normalised (full-width digits, 1,234.5, √ …), shown until closed
  const [pasteNotes, setPasteNotes] = useState<Array<PasteNote & { section: string }>>([]);
  const [prefillOpen, setPrefillOpen] = useState(false);
  // the selected cell's row, by section (删除此行 in the import preview)
  const [activeRow, setActiveRow] = useState<{ section: string; row: number } | null>(null);

  const load = useCallback(async () => {
    const p = await api.get('/api/packs/{packId}', { params: { packId } });
    const f = p.forms.find((x) => x.id === formId) ?? null;
    setVersionId(p.id);
    setForm(f);
    const r = await request('get', '/api/tables/{packId}/{formId}', { params: { packId, formId } });
    setView(r.body);
    version.current = r.body.own?.version ?? null;
    const mine = me?.user.role === r.body.filler;
    const path = f ? rowsPathOf(f.schema) : null;
    const fallback = (rows: Row[]): Data => (path === '' ? rows : path ? { [path]: rows } : {});
    setData(mine ? (r.body.own?.data ?? fallback(r.body.own?.rows ?? [])) : (r.body.combinedData ?? fallback(r.body.combined)));
  }, [packId, formId, me]);
  useEffect(() => {
    load().catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [load]);

  const schema = form?.schema ?? {};
  const columns = useMemo(() => columnsOf(schema), [schema]);
  const header = useMemo(() => headersOf(schema, columns), [schema, columns]);
  const totalLabel = useMemo(() => totalLabelOf(schema), [schema]);
  // x-table.sections (each its own array of rows), else the one array; the other top-level fields above the grid
  const sections = useMemo(() => sectionsOf(schema), [schema]);
  const activeHandlers = useMemo(
    () => new Map(sections.map((sec) => [sec.field, (row: number) => setActiveRow((a) => (a && a.section === sec.field && a.row === row ? a : { section: sec.field, row }))])),
    [sections],
  );
  const preambleFields = useMemo(() => {
    const secs = new Set(sections.map((x) => x.field));
    const props = isObj(schema.properties) ? schema.properties : {};
    return Object.keys(props).filter((k) => !secs.has(k) && !(isObj(props[k]) && (props[k] as Record<string, unknown>).type === 'array'));
  }, [schema, sections]);
  // the form's precompiled validator (the browser compiles no code: no eval under the page's CSP)
  const fns = useValidators(form && versionId !== null ? versionValidators(versionId, form.id) : null);
  const validate = useMemo(() => (form && fns ? rootValidator(fns, form.schema as RJSFSchema) : null), [form, fns]);
  // what the page shows: the imported file's rows while they are previewed, else the table's
  const shown = preview ? preview.data : data;
  /** Where the file's row `index` of a section is in the preview now (rows added or deleted before it), -1 once deleted. */
  const previewPos = useCallback((section: string, index: number): number => (preview ? (preview.origin[section] ?? []).indexOf(index) : -1), [preview]);
  /** Whether an error's row of the file was deleted in the preview. */
  const importGone = useCallback(
    (e: ImportProblem): boolean => e.field === undefined && e.section !== undefined && e.index !== undefined && previewPos(e.section, e.index) < 0,
    [previewPos],
  );
  /** An error of the imported file still stands while its cell holds what the file wrote (and its row is there). */
  const importOpen = useCallback(
    (e: ImportProblem): boolean => {
      if (!preview) return false;
      if (e.field !== undefined) return (isObj(preview.data) ? preview.data[e.field] : undefined) === (isObj(preview.answer.data) ? (preview.answer.data as Record<string, unknown>)[e.field] : undefined);
      if (e.section === undefined || e.index === undefined || e.key === undefined) return true;
      const pos = previewPos(e.section, e.index);
      if (pos < 0) return false;
      return rowsIn(preview.data, e.section)[pos]?.[e.key] === rowsIn(preview.answer.data as Data, e.section)[e.index]?.[e.key];
    },
    [preview, previewPos],
  );
  // errors by section ('' for a root array) → `${row}.${col}`, and the top-level fields' by name
  const { sectionErrors, preambleErrors, errorCount } = useMemo(() => {
    const bySec = new Map<string, Map<string, string>>();
    const pre = new Map<string, string>();
    let n = 0;
    // the imported file's errors first (its reason names what the file wrote), while they stand
    for (const e of preview?.answer.errors ?? []) {
      if (!importOpen(e)) continue;
      if (e.field !== undefined) {
        if (!pre.has(e.field)) {
          pre.set(e.field, e.reason);
          n++;
        }
      } else if (e.section !== undefined && e.index !== undefined && e.key !== undefined) {
        const m = bySec.get(e.section) ?? new Map<string, string>();
        const k = `${previewPos(e.section, e.index)}.${e.key}`;
        if (!m.has(k)) {
          m.set(k, e.reason);
          n++;
        }
        bySec.set(e.section, m);
      } else n++;
    }
    if (!validate) return { sectionErrors: bySec, preambleErrors: pre, errorCount: n };
    validate(shown);
    for (const e of fieldErrors(validate.errors)) {
      const sec = sections.find((x) => x.field === '' || e.path === x.field || e.path.startsWith(`${x.field}.`));
      // drafts may be incomplete: a missing top-level field is named once the unit tries to report
      if (e.code === 'required' && (sec || !tried)) continue;
      if (sec) {
        const m = bySec.get(sec.field) ?? new Map<string, string>();
        const p = sec.field ? e.path.slice(sec.field.length + 1) : e.path;
        if (!m.has(p)) {
          m.set(p, e.message);
          n++;
        }
        bySec.set(sec.field, m);
      } else if (!pre.has(e.path)) {
        pre.set(e.path, e.message);
        n++;
      }
    }
    // the server's refusal of the last submit, for the fields not corrected since
    for (const e of refusal?.errors ?? []) {
      if (preambleFields.includes(e.path) && !pre.has(e.path)) {
        pre.set(e.path, e.message);
        n++;
      }
    }
    return { sectionErrors: bySec, preambleErrors: pre, errorCount: n };
  }, [validate, shown, sections, tried, refusal, preambleFields, preview, importOpen, previewPos]);

  const computeRow = useCallback(
    (field: string, row: Row): Row => {
      const computed = computeFields(schema, field ? { [field]: [row] } : [row]);
      return rowsIn(computed as Data, field)[0] ?? row;
    },
    [schema],
  );
  const role = me?.user.role;
  const mine = !!view && role === view.filler;
  // the unit that combines the parts and reports upward (the city, for a county's table); the province only sees
  const combining = !!view && role === 'city' && view.filler === 'county';
  const rolled = !!view && (combining || (role === 'province' && view.parts.length > 0));
  const ownOpen = !view?.own || EDITABLE.includes(view.own.status);
  const editable = mine && ownOpen;
  const preambleEditable = (mine || combining) && ownOpen;
  const rowCount = sections.reduce((n, sec) => n + rowsIn(data, sec.field).length, 0);
  const shownCount = sections.reduce((n, sec) => n + rowsIn(shown, sec.field).length, 0);
  const reported = useMemo(() => (view?.parts ?? []).filter((p) => REPORTED.includes(p.status)), [view]);
  const unreported = useMemo(() => (view?.parts ?? []).filter((p) => !REPORTED.includes(p.status)), [view]);
  // each section's rows' source unit names (a combined table)
  const sourcesBySection = useMemo(() => {
    const names = new Map((view?.parts ?? []).map((p) => [p.orgCode, p.orgName]));
    const out = new Map<string, string[]>();
    if (!rolled) return out;
    for (const [sec, codes] of Object.entries(view?.origins ?? {})) out.set(sec, codes.map((c) => names.get(c) ?? c));
    return out;
  }, [view, rolled]);

  // saves: one in flight (each names the version the last one answered), later edits coalesced, retried with backoff
  const sendRef = useRef<(d: Data) => Promise<void>>(async () => undefined);
  sendRef.current = async (d: Data) => {
    // the combining unit saves only its top-level fields (the rows are the parts')
    const body = combining ? { preamble: pick(d, preambleFields) } : { data: d };
    const r = await request('put', '/api/tables/{packId}/{formId}', { params: { packId, formId }, body, headers: version.current !== null ? { 'if-match': `"${version.current}"` } : {} });
    version.current = r.body.version;
    setView((v) => (v ? { ...v, own: r.body } : v));
  };
  useEffect(() => {
    const q = createSaveQueue<Data>({ send: (d) => sendRef.current(d), onState: setSave, delay: 1000 });
    queue.current = q;
    return () => q.dispose();
  }, [packId, formId]);
  useEffect(
    () =>
      setLeaveGuard(() =>
        previewRef.current ? '导入的数据尚未保存，离开后将丢失。确定离开吗？' : queue.current?.dirty() ? '汇总表有尚未保存的修改，离开后这些修改将丢失。确定离开吗？' : null,
      ),
    [],
  );
  const latest = useRef<Data>(data);
  latest.current = data;

  const schedule = useCallback((next: Data) => {
    setData(next);
    latest.current = next;
    queue.current?.push(next);
  }, []);

  const onSectionChange = useCallback(
    (field: string) => (next: Row[], changed: number[]) => {
      const out = next.slice();
      for (const i of changed) out[i] = computeRow(field, out[i] ?? {});
      const p = previewRef.current;
      if (p) {
        // rows a paste adds below the file's have no row in the file
        const origin = (p.origin[field] ?? []).slice(0, out.length);
        while (origin.length < out.length) origin.push(null);
        setPreview({ ...p, data: withRows(p.data, field, out), origin: { ...p.origin, [field]: origin } });
      } else schedule(withRows(latest.current, field, out));
    },
    [computeRow, schedule, setPreview],
  );
  const onPreamble = useCallback(
    (field: string, value: unknown) => {
      const p = previewRef.current;
      const base = isObj(p ? p.data : latest.current) ? { ...((p ? p.data : latest.current) as Record<string, unknown>) } : {};
      if (value === undefined) delete base[field];
      else base[field] = value;
      setRefusal((r) => (r && r.errors.some((e) => e.path === field) ? null : r));
      if (p) setPreview({ ...p, data: base });
      else schedule(base);
    },
    [schedule, setPreview],
  );

  // ---- import a file: uploaded with progress, read by the server (nothing stored), previewed here ----
  const importFile = async (f: File) => {
    setImporting({ pct: 0, name: f.name });
    setPasteNotes([]);
    try {
      const answer = await upload('/api/tables/{packId}/{formId}/import', { params: { packId, formId }, query: { filename: f.name } }, f, (pct) =>
        setImporting({ pct, name: f.name }),
      );
      // computed columns as the page computes them (a file with errors comes back uncomputed)
      let d: Data = answer.data as Data;
      for (const sec of sections) d = withRows(d, sec.field, rowsIn(d, sec.field).map((r) => computeRow(sec.field, r)));
      setImportMode(rowCount > 0 ? importMode : 'replace');
      setPreview({ answer, data: d, origin: Object.fromEntries(sections.map((sec) => [sec.field, rowsIn(d, sec.field).map((_, i) => i)])) });
      void message.info(answer.errors.length ? `已读取 ${answer.rowCount} 行，有 ${answer.errors.length} 处错误，请在表格中改正` : `已读取 ${answer.rowCount} 行，请核对后保存`);
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '导入失败');
    } finally {
      setImporting(null);
      if (fileInput.current) fileInput.current.value = '';
    }
  };
  const gotoProblem = (p: ImportProblem) => {
    if (p.section === undefined || p.index === undefined || !p.key) return;
    const row = previewPos(p.section, p.index);
    if (row < 0) {
      void message.info(`文件第 ${p.row} 行已从导入的数据中删除`);
      return;
    }
    setGoto({ section: p.section, row, key: p.key, seq: Date.now() });
  };
  // ---- the preview's rows: one added (empty, selected to be typed into) or the selected one deleted, before saving ----
  const previewSection = (): string => (activeRow && sections.some((x) => x.field === activeRow.section) ? activeRow.section : (sections[0]?.field ?? ''));
  const addPreviewRow = () => {
    const p = previewRef.current;
    if (!p) return;
    const sec = previewSection();
    const rows = [...rowsIn(p.data, sec), computeRow(sec, {})];
    setPreview({ ...p, data: withRows(p.data, sec, rows), origin: { ...p.origin, [sec]: [...(p.origin[sec] ?? []), null] } });
    setGoto({ section: sec, row: rows.length - 1, key: columnsOf(schema, sec).find((c) => !c.computed)?.key ?? '', seq: Date.now() });
  };
  const deletePreviewRow = () => {
    const p = previewRef.current;
    if (!p || !activeRow) return;
    const { section: sec, row } = activeRow;
    const rows = rowsIn(p.data, sec);
    if (row < 0 || row >= rows.length) return;
    const from = p.origin[sec]?.[row];
    modal.confirm({
      title: `从导入的数据中删除第 ${row + 1} 行？`,
      content: `${from === null || from === undefined ? '这是在预览中添加的行。' : '这一行来自文件，删除后不会保存到表格中（文件本身不变）。'}${rowLabel(columnsOf(schema, sec), rows[row] ?? {})}`,
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => {
        const q = previewRef.current;
        if (!q) return;
        const next = rowsIn(q.data, sec).filter((_, i) => i !== row);
        const origin = (q.origin[sec] ?? []).filter((_, i) => i !== row);
        setPreview({ ...q, data: withRows(q.data, sec, next), origin: { ...q.origin, [sec]: origin } });
        void message.success(`已删除第 ${row + 1} 行（尚未保存）`);
      },
    });
  };
  /** The table's data with the previewed file's rows put in (replacing or after the rows there), the file's top-level values over the table's. */
  const merged = (p: { data: Data }, mode: ImportMode): Data => {
    let next: Data = latest.current;
    const fileTop = pick(p.data, preambleFields);
    if (isObj(next)) next = mode === 'replace' ? { ...next, ...fileTop } : { ...fileTop, ...next };
    for (const sec of sections) {
      const got = rowsIn(p.data, sec.field);
      next = withRows(next, sec.field, mode === 'replace' ? got : [...rowsIn(next, sec.field), ...got]);
    }
    return next;
  };
  const saveImport = () => {
    const p = previewRef.current;
    if (!p) return;
    const n = sections.reduce((k, sec) => k + rowsIn(p.data, sec.field).length, 0);
    modal.confirm({
      title: importMode === 'replace' ? '用导入的数据替换表格中的行？' : '把导入的行追加到表格中？',
      content:
        importMode === 'replace'
          ? `表格现有的 ${rowCount} 行将被导入的 ${n} 行替换，表头前字段取文件中的值。保存后仍可修改，报送前不会交给上级。`
          : `导入的 ${n} 行将追加在现有 ${rowCount} 行之后，共 ${rowCount + n} 行。保存后仍可修改，报送前不会交给上级。`,
      okText: '保存',
      cancelText: '取消',
      onOk: async () => {
        const next = merged(p, importMode);
        setPreview(null);
        schedule(next);
        try {
          await queue.current?.flush();
          if (queue.current?.dirty()) void message.error('导入的数据尚未保存成功，请稍候再试');
          else void message.success(`已保存导入的 ${n} 行`);
        } catch (e) {
          void message.error(e instanceof ApiFailure ? e.message : '保存失败');
        }
      },
    });
  };

  // ---- 从园区申报带入: the chosen parks' rows (a park's row already there: its carried columns replaced), empty top-level fields filled ----
  const applyPrefill = (v: PrefillView, parks: PrefillPark[]) => {
    const rows = rowsIn(latest.current, v.section).slice();
    let added = 0;
    let updated = 0;
    for (const park of parks) {
      const i = existingRow(v, park, rows);
      if (i >= 0) {
        rows[i] = computeRow(v.section, { ...rows[i], ...park.row });
        updated++;
      } else {
        rows.push(computeRow(v.section, park.row));
        added++;
      }
    }
    let next = withRows(latest.current, v.section, rows);
    if (isObj(next)) {
      const top = { ...next };
      for (const [k, val] of Object.entries(v.top)) if (top[k] === undefined || top[k] === null || top[k] === '') top[k] = val;
      next = top;
    }
    schedule(next);
    setPrefillOpen(false);
    void message.success(`已带入：新增 ${added} 行，更新 ${updated} 行`);
  };
  const hasPrefill = isObj(schema['x-table']) && isObj((schema['x-table'] as Record<string, unknown>).prefill);
  const prefillSection = sections[0]?.field ?? '';

  const report = () => {
    setTried(true);
    setRefusal(null);
    const required = Array.isArray(schema.required) ? (schema.required as unknown[]).filter((k): k is string => typeof k === 'string' && preambleFields.includes(k)) : [];
    const missing = required.filter((k) => {
      const v = isObj(data) ? data[k] : undefined;
      return v === undefined || v === null || v === '';
    });
    if (missing.length) {
      void message.error(`请先填写：${missing.map((k) => titleOf(schema, k)).join('、')}`);
      return;
    }
    const content = combining ? (
      <Space direction="vertical" data-testid="submit-confirm">
        <span>
          汇总 {reported.length} 个下级单位已报送的 {rowCount} 行，报送上级后不能再修改（上级退回后可修改表头信息再报送）。
        </span>
        {unreported.length ? (
          <Alert
            type="warning"
            showIcon
            message={`尚有 ${unreported.length} 个下级单位未报送，其数据不会计入本次汇总`}
            description={unreported.map((p) => `${p.orgName}（${statusText(p)}）`).join('、')}
          />
        ) : (
          <span>下级单位已全部报送。</span>
        )}
      </Space>
    ) : (
      `共 ${rowCount} 行，报送后由上级审核，不能再修改。`
    );
    modal.confirm({
      title: combining ? '报送汇总表到上级？' : '报送汇总表？',
      content,
      width: combining ? 560 : 416,
      okText: '报送',
      cancelText: '取消',
      onOk: async () => {
        try {
          const q = queue.current;
          if (q) await q.flush();
          if (q?.dirty()) {
            void message.error('最近的修改尚未保存成功，请等待保存完成后再报送');
            return;
          }
          // the combining unit sends its top-level fields as shown (the server combines the parts' rows)
          await api.post('/api/tables/{packId}/{formId}/submit', { params: { packId, formId }, body: combining ? { preamble: pick(latest.current, preambleFields) } : {} });
          void message.success('已报送');
          setTried(false);
          await load();
        } catch (e) {
          if (e instanceof ApiFailure) setRefusal(e);
          void message.error(e instanceof ApiFailure ? e.message : '报送失败');
          // reported meanwhile (another tab, another person of the office): show the table as it now stands
          if (e instanceof ApiFailure && e.code === 'INVALID_STATE') await load().catch(() => undefined);
        }
      },
    });
  };

  const [exporting, setExporting] = useState(false);
  // more than LONG_WORK_ROWS rows: written as a job on the server (progress, cancel, the file downloaded when done)
  const bigExport = useExportJob('export-job');
  const { resume } = bigExport;
  useEffect(() => resume((p) => p.what === 'table' && p.packId === packId && p.formId === formId && !p.orgCode), [resume, packId, formId]);
  const exportXlsx = async () => {
    setExporting(true);
    try {
      // pending edits first, so the file holds what is on screen
      await queue.current?.flush();
      if (rowCount > LONG_WORK_ROWS) {
        await bigExport.start(() => api.post('/api/tables/{packId}/{formId}/xlsx-job', { params: { packId, formId } }));
        return;
      }
      const name = await downloadFile(`/api/tables/${encodeURIComponent(packId)}/${encodeURIComponent(formId)}/xlsx`, `${formId}.xlsx`);
      void message.success(`已导出 ${name}`);
    } catch (e) {
      void message.error(e instanceof ApiFailure ? e.message : '导出失败');
    } finally {
      setExporting(false);
    }
  };

  if (error) return <Alert type="error" showIcon message={error} action={<Button onClick={() => navigate('/review')}>返回</Button>} />;
  if (!form || !view) return <Spin style={{ margin: 48 }} />;
  return (
    <>
      {editable ? (
        // the file chooser behind 导入 Excel/CSV (hidden; the button opens it)
        <input
          ref={fileInput}
          type="file"
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          style={{ display: 'none' }}
          aria-label="选择要导入的 Excel 或 CSV 文件"
          data-testid="import-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importFile(f);
          }}
        />
      ) : null}
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Space style={{ justifyContent: 'space-between', width: '100%' }}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {form.attachment ?? ''} {form.title}
            </Typography.Title>
            <Typography.Text type="secondary">
              {me?.orgUnit?.name} · {rolled ? `汇总 ${reported.length}/${view.parts.length} 个下级单位已报送的 ` : preview ? '导入预览 ' : '共 '}
              {preview ? shownCount : rowCount} 行{errorCount ? ` · ${errorCount} 处填写有误` : ''}
            </Typography.Text>
          </div>
          <Space>
            {view.own ? (
              <Tag color={STATUS_COLORS[view.own.status] ?? 'default'} data-testid="table-status">
                {STATUS_TEXT[view.own.status] ?? view.own.status}
              </Tag>
            ) : mine || combining ? (
              <Tag data-testid="table-status">{combining ? '未报送' : '未填报'}</Tag>
            ) : null}
            <Typography.Text type={save.kind === 'retrying' || save.kind === 'failed' || save.kind === 'conflict' ? 'danger' : 'secondary'} data-testid="table-save" data-save-state={save.kind} role="status">
              {saveText(save)}
            </Typography.Text>
            <Button onClick={() => void exportXlsx()} loading={exporting || bigExport.running} disabled={!!preview} data-testid="export-xlsx">
              导出 Excel（官方版式）
            </Button>
            {editable && !preview ? (
              <>
                <Button onClick={() => fileInput.current?.click()} loading={!!importing} data-testid="import-xlsx">
                  导入 Excel/CSV
                </Button>
                {hasPrefill ? (
                  <Button onClick={() => setPrefillOpen(true)} data-testid="prefill-open">
                    从园区申报带入
                  </Button>
                ) : null}
                {sections.length === 1 && sections[0] ? (
                  <Button onClick={() => onSectionChange(sections[0]?.field ?? '')([...rowsIn(data, sections[0]?.field ?? ''), {}], [rowsIn(data, sections[0]?.field ?? '').length])}>添加行</Button>
                ) : null}
                <Button type="primary" onClick={report} disabled={errorCount > 0 || rowCount === 0}>
                  报送
                </Button>
              </>
            ) : combining && preambleEditable ? (
              <Button type="primary" onClick={report} disabled={preambleErrors.size > 0 || reported.length === 0} title={reported.length === 0 ? '尚无下级单位报送' : undefined} data-testid="submit-combined">
                报送上级
              </Button>
            ) : null}
          </Space>
        </Space>
        {bigExport.card}
        {editable ? (
          <Alert
            type="info"
            showIcon
            message="方向键移动，回车或直接输入开始编辑，Tab 右移，Delete 清空；可从 Excel 复制多行多列后在选中的单元格粘贴（Ctrl+V）。灰色列为自动计算。"
          />
        ) : null}
        {rowCount === 0 && editable && !preview ? (
          <Alert type="warning" showIcon message={`尚无数据：点击“添加行”逐行填写，选中表格后从 Excel 粘贴（Ctrl+V），或“导入 Excel/CSV”${hasPrefill ? '、“从园区申报带入”' : ''}。`} />
        ) : null}
        {importing ? (
          <Card size="small" data-testid="import-progress">
            <Typography.Text>
              {importing.pct < 100 ? `正在上传 ${importing.name}…` : `正在读取 ${importing.name}（逐格检查）…`}
            </Typography.Text>
            <Progress percent={importing.pct < 100 ? importing.pct : 100} status={importing.pct < 100 ? 'active' : 'normal'} format={(pct) => (importing.pct < 100 ? `${pct ?? 0}%` : '读取中')} />
          </Card>
        ) : null}
        {preview ? (
          <ImportPanel
            answer={preview.answer}
            isOpen={importOpen}
            isGone={importGone}
            rows={shownCount}
            selectedRow={activeRow && sections.some((x) => x.field === activeRow.section) && activeRow.row < rowsIn(shown, activeRow.section).length ? activeRow.row : null}
            onAddRow={addPreviewRow}
            onDeleteRow={deletePreviewRow}
            mode={importMode}
            onMode={setImportMode}
            onGoto={gotoProblem}
            onSave={saveImport}
            onCancel={() => setPreview(null)}
            currentRows={rowCount}
            openErrors={errorCount}
          />
        ) : null}
        {pasteNotes.length ? (
          <Alert
            type="info"
            showIcon
            closable={{ 'aria-label': '关闭' }}
            onClose={() => setPasteNotes([])}
            data-testid="paste-notes"
            message={`粘贴时自动规整了 ${pasteNotes.length} 处`}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {pasteNotes.slice(0, 20).map((n, i) => (
                  <li key={i}>
                    <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => setGoto({ section: n.section, row: n.row, key: n.key, seq: Date.now() })}>
                      第 {n.row + 1} 行“{n.column}”
                    </Button>
                    ：{n.note}
                  </li>
                ))}
                {pasteNotes.length > 20 ? <li>……另有 {pasteNotes.length - 20} 处</li> : null}
              </ul>
            }
          />
        ) : null}
        {rolled ? (
          <Alert
            type="info"
            showIcon
            message={
              combining && preambleEditable
                ? '下方为各下级单位已报送数据的汇总（只读，“来源单位”列为每行所属单位）。请填写表头信息后报送上级；未报送单位的数据不计入。'
                : '下方为各下级单位已报送数据的汇总（只读，“来源单位”列为每行所属单位）。'
            }
          />
        ) : null}
        {refusal ? (
          <Alert
            type="error"
            showIcon
            closable
            onClose={() => setRefusal(null)}
            data-testid="table-refusal"
            data-code={refusal.code}
            message={`报送未成功：${refusal.message}`}
            description={refusal.errors.length ? refusal.errors.slice(0, 10).map((e) => `${e.path}：${e.message}`).join('；') : undefined}
          />
        ) : null}
        {preambleFields.length && !(rolled && !combining) ? (
          <Preamble
            schema={schema}
            fields={preambleFields}
            data={shown}
            errors={preambleErrors}
            onChange={preambleEditable ? onPreamble : undefined}
            title={combining ? '汇总表表头信息（本级填写）' : undefined}
          />
        ) : null}
        {rolled ? <PartsCard schema={schema} parts={view.parts} sections={sections.map((x) => x.field)} preambleFields={preambleFields} /> : null}
        {sections.length === 1 && sections[0] ? (
          <VirtualGrid
            columns={header.order}
            header={header}
            rows={rowsIn(shown, sections[0].field)}
            goto={goto && goto.section === sections[0].field ? goto : undefined}
            onActiveRow={activeHandlers.get(sections[0].field)}
            onNormalized={(notes) => setPasteNotes(notes.map((n) => ({ ...n, section: sections[0]?.field ?? '' })))}
            totalLabel={totalLabel}
            recompute={(sums) => computeRow(sections[0]?.field ?? '', sums)}
            onChange={editable ? onSectionChange(sections[0].field) : undefined}
            readOnly={!editable}
            errors={sectionErrors.get(sections[0].field) ?? new Map<string, string>()}
            sources={sourcesBySection.get(sections[0].field)}
            height={620}
          />
        ) : (
          sections.map((sec, i) => (
            <SectionGrid
              key={sec.field}
              schema={schema}
              section={sec}
              index={i}
              rows={rowsIn(shown, sec.field)}
              goto={goto && goto.section === sec.field ? goto : undefined}
              onActiveRow={activeHandlers.get(sec.field)}
              onNormalized={(notes) => setPasteNotes(notes.map((n) => ({ ...n, section: sec.field })))}
              onChange={editable ? onSectionChange(sec.field) : undefined}
              errors={sectionErrors.get(sec.field) ?? new Map<string, string>()}
              recompute={(sums) => computeRow(sec.field, sums)}
              sources={sourcesBySection.get(sec.field)}
            />
          ))
        )}
        {hasPrefill && editable ? (
          <PrefillDialog
            packId={packId}
            formId={formId}
            open={prefillOpen}
            columns={columnsOf(schema, prefillSection)}
            rows={rowsIn(data, prefillSection)}
            top={isObj(data) ? data : {}}
            topTitle={(k) => titleOf(schema, k)}
            topText={(k, v) => valueText(schema, k, v)}
            onApply={applyPrefill}
            onClose={() => setPrefillOpen(false)}
          />
        ) : null}
      </Space>
    </>
  );
}

/** The save state as the unit reads it. */
function saveText(s: SaveState): string {
  switch (s.kind) {
    case 'saved':
      return `✓ 已保存 ${fmtDate(s.at.toISOString()).slice(11, 16)}`;
    case 'saving':
      return '保存中…';
    case 'dirty':
      return '有未保存的修改';
    case 'retrying':
      return '保存失败，正在重试';
    case 'conflict':
    case 'failed':
      return s.message;
    default:
      return '';
  }
}
