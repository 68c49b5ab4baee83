/**
 * A form's fields (表单字段): the fields of one form of the draft as a table; the chosen field's
 * title, type, unit, required, minimum/maximum, options and help text in a form generated from a
 * meta-schema (lib/field-edit's fieldMetaSchema) and rendered by the same rjsf form as the
 * applicant's; beside it the form exactly as the applicant sees it (the same SchemaForm, the
 * draft's form as the pack assembles it), updated as you type. Edits go into the draft and through
 * the one checker like the other editors; its problems are shown at the field they concern.
 */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { assemblePack, isParamRef } from '@yuanping/core/browser';
import { SchemaForm } from '../../form/SchemaForm';
import { editField, fieldEditOf, fieldMetaSchema, FIELD_KIND_LABELS, formFiles, listFields, type FieldEdit, type FieldRow } from '../../lib/field-edit';
import type { Problem } from '../../lib/workbench';
import { ProblemList, problemsAt } from './ProblemList';

type Files = Record<string, unknown>;
type Json = Record<string, unknown>;

const rangeText = (r: FieldRow) => {
  const v = (x: unknown) => (isParamRef(x) ? `参数 ${x.param}` : String(x));
  const parts = [r.minimum !== undefined ? `≥ ${v(r.minimum)}` : '', r.maximum !== undefined ? `≤ ${v(r.maximum)}` : ''].filter(Boolean);
  return `${parts.join('，')}${r.unit ? ` ${r.unit}` : ''}`;
};

export default function FieldsEditor({ files, packId, problems, onChange }: { files: Files; packId: string; problems: Problem[]; onChange: (f: Files) => void }) {
  const forms = useMemo(() => formFiles(files, packId), [files, packId]);
  const [formId, setFormId] = useState<string | null>(() => forms.find((f) => f.kind === 'record')?.id ?? forms[0]?.id ?? null);
  const form = forms.find((f) => f.id === formId) ?? forms[0];
  const rows = useMemo(() => (form ? listFields(files[form.schemaFile], form.uiFile ? files[form.uiFile] : undefined) : []), [files, form]);
  const [pointer, setPointer] = useState<string | null>(null);
  const row = rows.find((r) => r.pointer === pointer) ?? rows[0];
  // the edit form's data: from the field when another is chosen, then as typed
  const [edit, setEdit] = useState<{ key: string; data: FieldEdit } | null>(null);
  const editKey = form && row ? `${form.id}#${row.pointer}` : '';
  const data = edit?.key === editKey ? edit.data : row ? fieldEditOf(row) : {};
  const [sample, setSample] = useState<Json>({});

  // the form as the applicant sees it: the draft assembled as the application page's pack is
  const preview = useMemo(() => {
    if (!form) return null;
    try {
      return assemblePack(files, packId, 'preview').forms.get(form.id) ?? null;
    } catch {
      return null;
    }
  }, [files, packId, form]);

  if (!form) return <Empty description="这个通知包没有表单" />;
  const change = (next: FieldEdit) => {
    if (!row) return;
    setEdit({ key: editKey, data: next });
    onChange(editField(files, form.schemaFile, form.uiFile, row, next));
  };
  const fieldProblems = row ? [...problemsAt(problems, form.schemaFile, row.pointer), ...(form.uiFile ? problemsAt(problems, form.uiFile, `/${row.path.split('.').join('/')}`) : [])] : [];
  const formProblems = problems.filter((p) => p.file === form.schemaFile || p.file === form.uiFile);

  return (
    <Row gutter={[16, 16]} data-testid="fields-editor">
      <Col xs={24} xl={12}>
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Select
            aria-label="表单"
            style={{ width: '100%' }}
            value={form.id}
            onChange={(v: string) => {
              setFormId(v);
              setPointer(null);
              setSample({});
            }}
            options={forms.map((f) => ({ value: f.id, label: f.title }))}
            data-testid="fields-form"
          />
          <Table
            size="small"
            rowKey="pointer"
            dataSource={rows}
            pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false }}
            scroll={{ x: 520 }}
            locale={{ emptyText: '这个表单没有字段' }}
            rowClassName={(r) => (r.pointer === row?.pointer ? 'ant-table-row-selected' : '')}
            onRow={(r) => ({ onClick: () => setPointer(r.pointer), style: { cursor: 'pointer' }, 'data-field': r.path }) as never}
            columns={[
              {
                title: '字段',
                key: 't',
                render: (_, r) => (
                  <Space direction="vertical" size={0}>
                    <Button type="link" size="small" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} aria-pressed={r.pointer === row?.pointer} onClick={() => setPointer(r.pointer)}>
                      {r.title}
                    </Button>
                    {r.group ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.group}</Typography.Text> : null}
                  </Space>
                ),
              },
              { title: '类型', key: 'k', width: 90, render: (_, r) => (r.kind === 'other' ? '其他' : FIELD_KIND_LABELS[r.kind]) },
              { title: '必填', key: 'r', width: 60, render: (_, r) => (r.required ? <Tag color="blue">必填</Tag> : null) },
              { title: '范围与单位', key: 'n', width: 140, render: (_, r) => rangeText(r) },
              {
                title: '问题',
                key: 'p',
                width: 60,
                render: (_, r) => {
                  const n = problemsAt(problems, form.schemaFile, r.pointer).filter((p) => p.severity === 'error').length;
                  return n ? <Tag color="red">{n}</Tag> : null;
                },
              },
            ]}
          />
          {row ? (
            <Card size="small" title={`修改字段：${row.title}`} data-testid="field-form">
              {row.kind === 'other' ? <Alert type="info" showIcon style={{ marginBottom: 8 }} message="这一字段是表格、文件或其他复杂类型：这里可以改标题、必填和说明，其余请在“专家模式”中修改。" /> : null}
              <SchemaForm key={editKey} schema={fieldMetaSchema(row)} ui={{ help: { 'ui:widget': 'textarea', 'ui:options': { rows: 2 } } }} data={data as Json} onChange={(d) => change(d as FieldEdit)} idRoot="field" />
              <ProblemList problems={fieldProblems} okText={null} />
            </Card>
          ) : null}
        </Space>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title="预览：申报单位看到的表单（可以试填）" data-testid="fields-preview">
          {formProblems.some((p) => p.severity === 'error') ? <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={`这个表单有 ${formProblems.filter((p) => p.severity === 'error').length} 个错误，改正前不能发布`} /> : null}
          {preview ? (
            <SchemaForm key={form.id} schema={preview.schema as Json} ui={preview.ui as Json} data={sample} onChange={setSample} compact={preview.kind === 'scorecard'} idRoot="preview" />
          ) : (
            <Alert type="error" showIcon message="表单无法显示：请先改正检查发现的错误" />
          )}
        </Card>
      </Col>
    </Row>
  );
}
