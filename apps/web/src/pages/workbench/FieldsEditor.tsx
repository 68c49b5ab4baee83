/**
 * A form's fields (表单字段): the fields of one form of the draft as a table; the chosen field's
 * title, type, unit, required, minimum/maximum, options and help text in a form generated from a
 * meta-schema (lib/field-edit's fieldMetaSchema) and rendered by the same rjsf form as the
 * applicant's; beside it the form exactly as the applicant sees it (the same SchemaForm, the
 * draft's form as the pack assembles it), updated as you type. Edits go into the draft and through
 * the one checker like the other editors; its problems are shown at the field they concern.
 * Fields are added after the chosen one (a key of their own: nobody types an id), moved up and
 * down within their group, and removed; a rule or other file that still reads a removed field is
 * the checker's problem, listed here with the rule's Chinese name, and blocks publishing.
 */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { assemblePack, isParamRef } from '@yuanping/core/browser';
import { SchemaForm } from '../../form/SchemaForm';
import { addField, canMove, editField, fieldEditOf, fieldMetaSchema, FIELD_KIND_LABELS, formFiles, listFields, moveField, removeField, type FieldEdit, type FieldRow } from '../../lib/field-edit';
import { placeLabel } from '../../lib/pack-files';
import { moduleUrl } from '../../lib/api';
import type { Problem } from '../../lib/workbench';
import { ProblemList, problemsAt } from './ProblemList';

type Files = Record<string, unknown>;
type Json = Record<string, unknown>;

const rangeText = (r: FieldRow) => {
  const v = (x: unknown) => (isParamRef(x) ? `参数 ${x.param}` : String(x));
  const parts = [r.minimum !== undefined ? `≥ ${v(r.minimum)}` : '', r.maximum !== undefined ? `≤ ${v(r.maximum)}` : ''].filter(Boolean);
  return `${parts.join('，')}${r.unit ? ` ${r.unit}` : ''}`;
};

/** The checker's codes for a file that names a field the form does not have (a removed or renamed field). */
const FIELD_REFERENCE_CODES = new Set(['RULE_UNKNOWN_FACT', 'SCORE_ITEM_FACT', 'COHORT_UNKNOWN_FIELD', 'WORKFLOW_PATH_UNKNOWN_FIELD', 'DASHBOARD_INDICATOR_FIELD', 'UI_UNKNOWN_FIELD', 'SCHEMA_PAGES_OF_UNKNOWN']);
const PAGE_SIZE = 12;
const FIELD_EDIT_VALIDATORS = moduleUrl('/api/workbench/field-edit-validators.js');

export default function FieldsEditor({
  files,
  packId,
  problems,
  onChange,
  validators,
}: {
  files: Files;
  packId: string;
  problems: Problem[];
  onChange: (f: Files) => void;
  /** the URL of a form's precompiled validators at the draft's last saved revision (the preview's) */
  validators: (formId: string) => string | null;
}) {
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
  const [page, setPage] = useState<number | null>(null);

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
    const kindChanged = next.kind !== undefined && next.kind !== row.kind;
    // a new kind brings its own settings (options, range): the form is made again from the field
    setEdit(kindChanged ? null : { key: editKey, data: next });
    onChange(editField(files, form.schemaFile, form.uiFile, row, next));
  };
  const choose = (p: string | null) => {
    setPointer(p);
    setPage(null);
  };
  const add = () => {
    const r = addField(files, form.schemaFile, form.uiFile, row ?? null, { title: '新字段', kind: 'string' });
    onChange(r.files);
    choose(r.pointer);
  };
  const move = (delta: -1 | 1) => {
    if (row) onChange(moveField(files, form.schemaFile, form.uiFile, row, delta));
    setPage(null);
  };
  const remove = () => {
    if (!row) return;
    const i = rows.indexOf(row);
    onChange(removeField(files, form.schemaFile, form.uiFile, row));
    choose(rows[i + 1]?.pointer ?? rows[i - 1]?.pointer ?? null);
  };
  // the page of the table that shows the chosen field (unless another page was opened)
  const rowIndex = row ? rows.indexOf(row) : 0;
  const current = page ?? Math.floor(Math.max(rowIndex, 0) / PAGE_SIZE) + 1;
  const references = problems.filter((p) => FIELD_REFERENCE_CODES.has(p.code) && p.file !== form.schemaFile);
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
              choose(null);
              setSample({});
            }}
            options={forms.map((f) => ({ value: f.id, label: f.title }))}
            data-testid="fields-form"
          />
          <Space wrap data-testid="field-actions">
            <Button onClick={add} data-testid="field-add">
              {row ? '在所选字段后新增字段' : '新增字段'}
            </Button>
            <Button disabled={!row || !canMove(files, form.schemaFile, form.uiFile, row, -1)} onClick={() => move(-1)} data-testid="field-up">
              上移
            </Button>
            <Button disabled={!row || !canMove(files, form.schemaFile, form.uiFile, row, 1)} onClick={() => move(1)} data-testid="field-down">
              下移
            </Button>
            <Popconfirm
              title={`删除字段“${row?.title ?? ''}”？`}
              description="申报单位将不再填写这一项；仍然引用它的规则会在检查中列出，改正前不能发布。"
              okText="删除"
              cancelText="取消"
              okButtonProps={{ danger: true }}
              onConfirm={remove}
              disabled={!row}
            >
              <Button danger disabled={!row} data-testid="field-remove">
                删除字段
              </Button>
            </Popconfirm>
          </Space>
          {references.length ? (
            <Card size="small" title="引用了表单中不存在的字段" data-testid="field-references">
              <ProblemList problems={references} okText={null} where={(p) => placeLabel(files, packId, p.file, p.pointer)} />
            </Card>
          ) : null}
          <Table
            size="small"
            rowKey="pointer"
            dataSource={rows}
            pagination={{ pageSize: PAGE_SIZE, current, onChange: (n) => setPage(n), hideOnSinglePage: true, showSizeChanger: false }}
            scroll={{ x: 520 }}
            locale={{ emptyText: '这个表单没有字段' }}
            rowClassName={(r) => (r.pointer === row?.pointer ? 'ant-table-row-selected' : '')}
            onRow={(r) => ({ onClick: () => choose(r.pointer), style: { cursor: 'pointer' }, 'data-field': r.path }) as never}
            columns={[
              {
                title: '字段',
                key: 't',
                render: (_, r) => (
                  <Space direction="vertical" size={0}>
                    <Button type="link" size="small" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} aria-pressed={r.pointer === row?.pointer} onClick={() => choose(r.pointer)}>
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
              {row.kind === 'other' ? <Alert type="info" showIcon style={{ marginBottom: 8 }} message="这一字段是表格、多选或其他复杂类型：这里可以改标题、必填和说明，其余请在“专家模式”中修改。" /> : null}
              <SchemaForm key={`${editKey}:${row.kind}`} schema={fieldMetaSchema(row)} ui={{ help: { 'ui:widget': 'textarea', 'ui:options': { rows: 2 } } }} validators={FIELD_EDIT_VALIDATORS} data={data as Json} onChange={(d) => change(d as FieldEdit)} idRoot="field" />
              <ProblemList problems={fieldProblems} okText={null} />
            </Card>
          ) : null}
        </Space>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title="预览：申报单位看到的表单（可以试填）" data-testid="fields-preview">
          {formProblems.some((p) => p.severity === 'error') ? <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={`这个表单有 ${formProblems.filter((p) => p.severity === 'error').length} 个错误，改正前不能发布`} /> : null}
          {preview ? (
            <SchemaForm key={form.id} schema={preview.schema as Json} ui={preview.ui as Json} validators={validators(form.id)} data={sample} onChange={setSample} compact={preview.kind === 'scorecard'} idRoot="preview" />
          ) : (
            <Alert type="error" showIcon message="表单无法显示：请先改正检查发现的错误" />
          )}
        </Card>
      </Col>
    </Row>
  );
}
