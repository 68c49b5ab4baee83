/**
 * The manifest as forms: dates and windows (date pickers), parameters (numbers, lists of options),
 * quotas with their exceptions per org unit picked from the division tree (no codes typed). Each
 * part shows the check's problems that concern it.
 */
import { useEffect, useState } from 'react';
import { Button, Card, DatePicker, Descriptions, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { isParamRef, packPaths } from '@yuanping/core/browser';
import { orgUnits, type OrgUnit } from '../../lib/orgs';
import { editManifest, manifestOf, type ManifestParam } from '../../lib/pack-edit';
import type { Problem } from '../../lib/workbench';
import { ProblemList, problemsAt } from './ProblemList';

type Files = Record<string, unknown>;

function DateField({ label, value, onChange }: { label: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  return <DatePicker aria-label={label} value={value ? dayjs(value) : null} format="YYYY-MM-DD" onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : undefined)} />;
}

function ParamValue({ name, p, onChange }: { name: string; p: ManifestParam; onChange: (v: unknown) => void }) {
  const v = p.value;
  if (typeof v === 'number' || v === null) {
    return (
      <Space>
        <InputNumber aria-label={p.label} value={v} onChange={(x) => onChange(x)} data-param={name} />
        {p.unit ? <span>{p.unit}</span> : null}
      </Space>
    );
  }
  if (Array.isArray(v)) {
    return (
      <Select
        aria-label={p.label}
        mode="tags"
        style={{ minWidth: 200 }}
        value={v.map(String)}
        onChange={(x: string[]) => onChange(x)}
        options={v.map((o) => ({ value: String(o), label: String(o) }))}
        data-param={name}
      />
    );
  }
  if (typeof v === 'boolean') {
    return (
      <Select aria-label={p.label} value={v ? 'y' : 'n'} onChange={(x) => onChange(x === 'y')} options={[{ value: 'y', label: '是' }, { value: 'n', label: '否' }]} data-param={name} />
    );
  }
  return <Typography.Text code>{JSON.stringify(v)}</Typography.Text>;
}

export default function ParamsEditor({ files, packId, problems, onChange }: { files: Files; packId: string; problems: Problem[]; onChange: (f: Files) => void }) {
  const m = manifestOf(files, packId);
  const file = packPaths(packId).manifest;
  const [orgs, setOrgs] = useState<Map<string, OrgUnit>>(new Map());
  useEffect(() => {
    void orgUnits().then(setOrgs);
  }, []);
  const edit = (fn: Parameters<typeof editManifest>[2]) => onChange(editManifest(files, packId, fn));
  const params = Object.entries(m.parameters ?? {});
  const paramLabel = (v: unknown) => (isParamRef(v) ? `= 参数“${m.parameters?.[v.param]?.label ?? v.param}”（${String(m.parameters?.[v.param]?.value)}）` : String(v));

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title="通知与日期">
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="年度">
            <InputNumber aria-label="年度" value={m.year} min={1900} max={2999} onChange={(v) => typeof v === 'number' && edit((x) => (x.year = v))} />
          </Descriptions.Item>
          <Descriptions.Item label="发文日期">
            <DateField label="发文日期" value={m.issueDate} onChange={(v) => v && edit((x) => (x.issueDate = v))} />
          </Descriptions.Item>
          <Descriptions.Item label="数据截止">
            <DateField label="数据截止" value={m.dataCutoff} onChange={(v) => v && edit((x) => (x.dataCutoff = v))} />
          </Descriptions.Item>
          {(m.dates ?? []).map((d, i) => (
            <Descriptions.Item key={d.id} label={d.label}>
              <DateField label={d.label} value={d.date} onChange={(v) => v && edit((x) => (x.dates![i]!.date = v))} />
            </Descriptions.Item>
          ))}
        </Descriptions>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          style={{ marginTop: 8 }}
          scroll={{ x: 560 }}
          dataSource={(m.workflow?.stages ?? []).map((s, i) => ({ ...s, i }))}
          columns={[
            { title: '环节', dataIndex: 'label' },
            { title: '开始', key: 'o', width: 160, render: (_, s) => (s.window ? <DateField label={`${s.label}开始`} value={s.window.opens} onChange={(v) => edit((x) => setWindow(x.workflow!.stages[s.i]!, 'opens', v))} /> : '—') },
            { title: '截止', key: 'c', width: 160, render: (_, s) => (s.window ? <DateField label={`${s.label}截止`} value={s.window.closes} onChange={(v) => edit((x) => setWindow(x.workflow!.stages[s.i]!, 'closes', v))} /> : '—') },
          ]}
        />
        <ProblemList problems={[...problemsAt(problems, file, '/issueDate'), ...problemsAt(problems, file, '/dataCutoff'), ...problemsAt(problems, file, '/dates'), ...problemsAt(problems, file, '/workflow')]} okText={null} />
      </Card>
      <Card size="small" title="参数" data-testid="params">
        <Table
          size="small"
          rowKey="name"
          pagination={false}
          dataSource={params.map(([name, p]) => ({ name, p }))}
          locale={{ emptyText: '无参数' }}
          columns={[
            { title: '参数', key: 'l', render: (_, r) => <span data-param-row={r.name}>{r.p.label}</span> },
            { title: '值', key: 'v', render: (_, r) => <ParamValue name={r.name} p={r.p} onChange={(v) => edit((x) => (x.parameters![r.name]!.value = v))} /> },
            { title: '出处', key: 'c', responsive: ['md'], render: (_, r) => <Typography.Text type="secondary">{r.p.clause ?? ''}</Typography.Text> },
          ]}
        />
        <ProblemList problems={problemsAt(problems, file, '/parameters')} okText={null} />
      </Card>
      <Card size="small" title="名额">
        {(m.quotas ?? []).length === 0 ? <Typography.Text type="secondary">无名额</Typography.Text> : null}
        {(m.quotas ?? []).map((q, qi) => {
          const level = q.scope;
          const choices = [...orgs.values()].filter((o) => o.level === level && !(q.overrides && o.code in q.overrides));
          return (
            <Space key={q.id} direction="vertical" style={{ width: '100%' }} data-quota={q.id}>
              <Space wrap>
                <Typography.Text strong>{q.label}</Typography.Text>
                <span>默认：</span>
                {typeof q.default === 'number' ? (
                  <InputNumber aria-label={`${q.label}默认`} value={q.default} min={0} onChange={(v) => typeof v === 'number' && edit((x) => (x.quotas![qi]!.default = v))} />
                ) : (
                  <Tag>{paramLabel(q.default)}</Tag>
                )}
              </Space>
              <Table
                size="small"
                rowKey="code"
                pagination={false}
                dataSource={Object.entries(q.overrides ?? {}).map(([code, v]) => ({ code, v }))}
                locale={{ emptyText: '没有特例' }}
                columns={[
                  { title: '单位', key: 'o', render: (_, r) => orgs.get(r.code)?.name ?? r.code },
                  {
                    title: '名额',
                    key: 'v',
                    render: (_, r) =>
                      typeof r.v === 'number' ? (
                        <InputNumber aria-label={`${orgs.get(r.code)?.name ?? r.code}名额`} value={r.v} min={0} onChange={(v) => typeof v === 'number' && edit((x) => (x.quotas![qi]!.overrides![r.code] = v))} />
                      ) : (
                        <Tag>{paramLabel(r.v)}</Tag>
                      ),
                  },
                  {
                    title: '',
                    key: 'x',
                    width: 80,
                    render: (_, r) => (
                      <Button type="link" danger onClick={() => edit((x) => delete x.quotas![qi]!.overrides![r.code])}>
                        删除
                      </Button>
                    ),
                  },
                ]}
              />
              <Select
                aria-label={`${q.label}：添加特例单位`}
                showSearch
                placeholder="添加特例：选择单位"
                style={{ width: 240 }}
                value={null}
                optionFilterProp="label"
                options={choices.map((o) => ({ value: o.code, label: o.name }))}
                onChange={(code: string) => edit((x) => (x.quotas![qi]!.overrides = { ...(x.quotas![qi]!.overrides ?? {}), [code]: typeof q.default === 'number' ? q.default : 0 }))}
              />
            </Space>
          );
        })}
        <ProblemList problems={problemsAt(problems, file, '/quotas')} okText={null} />
      </Card>
    </Space>
  );
}

function setWindow(stage: { window?: { opens?: string; closes?: string } }, end: 'opens' | 'closes', v: string | undefined) {
  const w = { ...(stage.window ?? {}) };
  if (v) w[end] = v;
  else delete w[end];
  stage.window = w;
}
