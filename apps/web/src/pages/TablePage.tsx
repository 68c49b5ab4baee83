/**
 * A summary table form (附件 of the county / city): the filling level edits its rows in the
 * virtual grid and reports them; the level above sees every part's status and the combined rows.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Space, Spin, Table, Tag, Typography } from 'antd';
import { computeFields, createFormAjv, fieldErrors } from '@yuanping/core/browser';
import { ApiFailure, api, request, type FormView, type PackDetail } from '../lib/api';
import { useSession } from '../lib/session';
import { columnsOf, headersOf, rowsPathOf, sectionsOf, totalLabelOf } from '../grid/columns';
import { SectionGrid, SectionHeading } from '../grid/SectionGrid';
import { VirtualGrid } from '../grid/VirtualGrid';
import { STATUS_COLORS } from '../lib/labels';
import { navigate } from '../lib/router';
import { downloadFile } from '../lib/download';

type Row = Record<string, unknown>;
interface Report {
  status: string;
  rows: Row[];
  version: number;
}
interface TableView {
  filler: string;
  own: Report | null;
  parts: Array<{ orgCode: string; orgName: string; status: string; statusLabel: string; rows: Row[] }>;
  combined: Row[];
}

const EDITABLE = ['draft', 'returned'];
const STATUS_TEXT: Record<string, string> = { draft: '草稿', submitted: '已报送', accepted: '已接收', returned: '已退回' };

export default function TablePage({ packId, formId }: { packId: string; formId: string }) {
  const { message, modal } = App.useApp();
  const { me } = useSession();
  const [form, setForm] = useState<FormView | null>(null);
  const [view, setView] = useState<TableView | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [save, setSave] = useState<string>('');
  const [lastMs, setLastMs] = useState<number | null>(null);
  const version = useRef<number | null>(null);
  const timer = useRef<number | null>(null);

  const load = useCallback(async () => {
    const p = await api.get<PackDetail>(`/api/packs/${encodeURIComponent(packId)}`);
    const f = p.forms.find((x) => x.id === formId) ?? null;
    setForm(f);
    const r = await request<TableView>('GET', `/api/tables/${encodeURIComponent(packId)}/${encodeURIComponent(formId)}`);
    setView(r.body);
    version.current = r.body.own?.version ?? null;
    const mine = me?.user.role === r.body.filler;
    setRows(mine ? (r.body.own?.rows ?? []) : r.body.combined);
  }, [packId, formId, me]);
  useEffect(() => {
    load().catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [load]);

  const schema = form?.schema ?? {};
  const rowsPath = useMemo(() => rowsPathOf(schema), [schema]);
  const columns = useMemo(() => columnsOf(schema), [schema]);
  const header = useMemo(() => headersOf(schema, columns), [schema, columns]);
  const totalLabel = useMemo(() => totalLabelOf(schema), [schema]);
  // x-table.sections: the section holding the rows edited here first, then every other section
  const sections = useMemo(() => sectionsOf(schema), [schema]);
  const mainSection = sections.find((x) => x.field === rowsPath);
  const otherSections = useMemo(() => sections.filter((x) => x.field !== rowsPath), [sections, rowsPath]);
  const validate = useMemo(() => {
    if (!form) return null;
    try {
      return createFormAjv().compile(form.schema);
    } catch {
      return null;
    }
  }, [form]);
  const wrap = useCallback((rs: Row[]) => (rowsPath ? { [rowsPath]: rs } : rs), [rowsPath]);
  const errors = useMemo(() => {
    const m = new Map<string, string>();
    if (!validate) return m;
    validate(wrap(rows));
    for (const e of fieldErrors(validate.errors)) {
      if (e.code === 'required') continue;
      const p = rowsPath ? e.path.replace(`${rowsPath}.`, '') : e.path;
      if (!m.has(p)) m.set(p, e.message);
    }
    return m;
  }, [validate, rows, wrap, rowsPath]);

  const recompute = useCallback(
    (sums: Row): Row => {
      const computed = computeFields(schema, wrap([sums]));
      const arr = rowsPath ? (computed as Record<string, Row[]>)[rowsPath] : (computed as Row[]);
      return arr?.[0] ?? {};
    },
    [schema, wrap, rowsPath],
  );
  const mine = !!view && me?.user.role === view.filler;
  const editable = mine && (!view?.own || EDITABLE.includes(view.own.status));

  const persist = useCallback(
    async (rs: Row[]) => {
      setSave('保存中…');
      try {
        const r = await request<Report>('PUT', `/api/tables/${encodeURIComponent(packId)}/${encodeURIComponent(formId)}`, { rows: rs }, version.current !== null ? { 'if-match': `"${version.current}"` } : {});
        version.current = r.body.version;
        setView((v) => (v ? { ...v, own: r.body } : v));
        setSave('✓ 已保存');
      } catch (e) {
        setSave(e instanceof ApiFailure ? e.message : '保存失败');
      }
    },
    [packId, formId],
  );

  const onChange = useCallback(
    (next: Row[], changed: number[]) => {
      const t0 = performance.now();
      const out = next.slice();
      for (const i of changed) {
        const computed = computeFields(schema, wrap([out[i] ?? {}]));
        const arr = rowsPath ? (computed as Record<string, Row[]>)[rowsPath] : (computed as Row[]);
        out[i] = arr?.[0] ?? out[i] ?? {};
      }
      setRows(out);
      setLastMs(performance.now() - t0);
      setSave('有未保存的修改');
      if (timer.current) window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void persist(out), 1000);
    },
    [schema, wrap, rowsPath, persist],
  );

  const report = () => {
    modal.confirm({
      title: '报送汇总表？',
      content: `共 ${rows.length} 行，报送后由上级审核，不能再修改。`,
      okText: '报送',
      cancelText: '取消',
      onOk: async () => {
        try {
          if (timer.current) window.clearTimeout(timer.current);
          await persist(rows);
          await api.post(`/api/tables/${encodeURIComponent(packId)}/${encodeURIComponent(formId)}/submit`, {});
          void message.success('已报送');
          await load();
        } catch (e) {
          void message.error(e instanceof ApiFailure ? e.message : '报送失败');
        }
      },
    });
  };

  const [exporting, setExporting] = useState(false);
  const exportXlsx = async () => {
    setExporting(true);
    try {
      // pending edits first, so the file holds what is on screen
      if (editable && timer.current) {
        window.clearTimeout(timer.current);
        timer.current = null;
        await persist(rows);
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
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {form.attachment ?? ''} {form.title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {me?.orgUnit?.name} · 共 {rows.length} 行{errors.size ? ` · ${errors.size} 处填写有误` : ''}
            {lastMs !== null ? ` · 上次编辑处理 ${lastMs.toFixed(1)} 毫秒` : ''}
          </Typography.Text>
        </div>
        <Space>
          {view.own ? <Tag color={STATUS_COLORS[view.own.status] ?? 'default'}>{STATUS_TEXT[view.own.status] ?? view.own.status}</Tag> : mine ? <Tag>未填报</Tag> : null}
          <Typography.Text type="secondary" data-testid="table-save">
            {save}
          </Typography.Text>
          <Button onClick={() => void exportXlsx()} loading={exporting} data-testid="export-xlsx">
            导出 Excel（官方版式）
          </Button>
          {editable ? (
            <>
              <Button onClick={() => onChange([...rows, {}], [rows.length])}>添加行</Button>
              <Button type="primary" onClick={report} disabled={errors.size > 0 || rows.length === 0}>
                报送
              </Button>
            </>
          ) : null}
        </Space>
      </Space>
      {editable ? (
        <Alert
          type="info"
          showIcon
          message="方向键移动，回车或直接输入开始编辑，Tab 右移，Delete 清空；可从 Excel 复制多行多列后在选中的单元格粘贴（Ctrl+V）。灰色列为自动计算。"
        />
      ) : null}
      {rows.length === 0 && editable ? <Alert type="warning" showIcon message="尚无数据：点击“添加行”逐行填写，或选中表格后从 Excel 粘贴（Ctrl+V）。" /> : null}
      {mainSection && otherSections.length ? <SectionHeading section={mainSection} index={sections.indexOf(mainSection)} /> : null}
      <VirtualGrid columns={header.order} header={header} rows={rows} totalLabel={totalLabel} recompute={recompute} onChange={editable ? onChange : undefined} readOnly={!editable} errors={errors} height={620} />
      {otherSections.map((sec) => (
        <SectionGrid
          key={sec.field}
          schema={schema}
          section={sec}
          index={sections.indexOf(sec)}
          rows={[]}
          note="本节仅显示版式：汇总表接口目前只保存第一节的行，本节暂不能在此填写。"
        />
      ))}
      {view.parts.length ? (
        <Card size="small" title="下级报送情况">
          <Table
            size="small"
            rowKey="orgCode"
            pagination={false}
            dataSource={view.parts}
            columns={[
              { title: '单位', dataIndex: 'orgName' },
              { title: '状态', key: 's', render: (_, p) => <Tag color={STATUS_COLORS[p.status] ?? 'default'}>{p.statusLabel}</Tag> },
              { title: '行数', key: 'n', render: (_, p) => p.rows.length },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  );
}
