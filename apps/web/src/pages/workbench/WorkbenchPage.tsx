/**
 * The workbench's first page: the drafts in progress, and the next-year wizard — pick last year's
 * pack, give the year, the issue date, the data cutoff and the windows (each beside last year's
 * date), get the new draft (server: planNextYear, the same as `yuanping new`).
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, InputNumber, List, Popconfirm, Row, Select, Space, Spin, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { shiftDate } from '@yuanping/core/browser';
import { ApiFailure, api, type PackVersionView } from '../../lib/api';
import { navigate } from '../../lib/router';
import { fmtDate } from '../../lib/session';
import { workbench, type DateSlot, type DraftSummary } from '../../lib/workbench';

dayjs.locale('zh-cn');

/** Last year's id with the year changed where it names it, else the id and the year. */
function suggestId(packId: string, fromYear: number | null, year: number): string {
  if (fromYear !== null && packId.includes(String(fromYear))) return packId.replace(String(fromYear), String(year));
  return `${packId}-${year}`;
}

function Wizard() {
  const { message } = App.useApp();
  const [packs, setPacks] = useState<PackVersionView[] | null>(null);
  const [from, setFrom] = useState<number | null>(null);
  const [slots, setSlots] = useState<{ packId: string; year: number | null; dates: DateSlot[] } | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const [newId, setNewId] = useState('');
  const [dates, setDates] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get('/api/packs')
      .then(setPacks)
      .catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, []);

  const pick = async (versionId: number) => {
    setFrom(versionId);
    setSlots(null);
    const s = await workbench.dates(versionId);
    const y = (s.year ?? new Date().getFullYear()) + 1;
    setSlots(s);
    setYear(y);
    setNewId(suggestId(s.packId, s.year, y));
    setDates({});
  };
  const years = slots?.year !== null && slots?.year !== undefined && year !== null ? year - slots.year : 0;
  // the dates the administrator names (the rest, inside forms and rules, move with the year and are listed for review)
  const named = useMemo(() => (slots?.dates ?? []).filter((d) => !d.id.includes('#')), [slots]);

  const create = async () => {
    if (from === null || year === null) return;
    setBusy(true);
    try {
      const given = Object.fromEntries(named.map((d) => [d.id, dates[d.id] ?? shiftDate(d.date, years)]));
      const r = await workbench.create({ fromVersionId: from, newId, year, dates: given });
      void message.success(`已生成草稿：${r.draft.title}（${r.plan?.fixtures.length ?? 0} 个样例待复核）`);
      navigate(`/workbench/${r.draft.id}`);
    } catch (e) {
      setError(e instanceof ApiFailure ? (e.errors[0]?.message ?? e.message) : '生成失败');
    } finally {
      setBusy(false);
    }
  };

  if (!packs) return error ? <Alert type="error" showIcon message={error} /> : <Spin />;
  return (
    <Card title="下一年度：以上一年度的通知包为底稿" size="small" data-testid="wizard">
      <Form layout="vertical">
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item label="上一年度的通知包">
              <Select
                aria-label="上一年度的通知包"
                placeholder="选择通知包"
                value={from ?? undefined}
                onChange={(v: number) => void pick(v)}
                options={packs.map((p) => ({ value: p.id, label: `${p.title}（第 ${p.version} 版）` }))}
                data-testid="wizard-from"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item label="年度">
              <InputNumber
                aria-label="年度"
                value={year}
                min={1900}
                max={2999}
                disabled={!slots}
                onChange={(v) => {
                  if (typeof v !== 'number' || !slots) return;
                  setYear(v);
                  setNewId(suggestId(slots.packId, slots.year, v));
                }}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item label="新通知包标识" help="小写字母、数字和连字符">
              <Input aria-label="新通知包标识" value={newId} disabled={!slots} onChange={(e) => setNewId(e.target.value.trim())} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {from !== null && !slots ? <Spin /> : null}
      {slots ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            未改动的日期按年份顺延 {years} 年；表单和规则中的其他日期也随之顺延，生成后列为“请核对”。
          </Typography.Text>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={named}
            scroll={{ x: 520 }}
            data-testid="wizard-dates"
            columns={[
              { title: '日期', dataIndex: 'label' },
              { title: `去年（${slots.year ?? '？'} 年）`, dataIndex: 'date', width: 130 },
              {
                title: `今年（${year ?? '？'} 年）`,
                key: 'now',
                width: 180,
                render: (_, d) => {
                  const v = dates[d.id] ?? shiftDate(d.date, years);
                  return (
                    <DatePicker
                      aria-label={`${d.label}（今年）`}
                      value={dayjs(v)}
                      allowClear={false}
                      format="YYYY-MM-DD"
                      onChange={(x) => x && setDates((o) => ({ ...o, [d.id]: x.format('YYYY-MM-DD') }))}
                      data-slot={d.id}
                    />
                  );
                },
              },
            ]}
          />
          {error ? <Alert type="error" showIcon message={error} /> : null}
          <Button type="primary" loading={busy} disabled={!newId || year === null} onClick={() => void create()} data-testid="wizard-create">
            生成今年的草稿
          </Button>
        </Space>
      ) : null}
    </Card>
  );
}

export default function WorkbenchPage() {
  const { message } = App.useApp();
  const [drafts, setDrafts] = useState<DraftSummary[] | null>(null);
  const load = () => void workbench.drafts().then(setDrafts, () => setDrafts([]));
  useEffect(load, []);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Wizard />
      </Col>
      <Col xs={24} lg={10}>
        <Card title="草稿（未发布）" size="small" extra={<a href="/admin">已发布的通知包</a>}>
          {!drafts ? (
            <Spin />
          ) : drafts.length === 0 ? (
            <Empty description="没有草稿：用左边的向导生成今年的通知包" />
          ) : (
            <List
              dataSource={drafts}
              data-testid="drafts"
              renderItem={(d) => (
                <List.Item
                  actions={[
                    <Button key="open" type="link" onClick={() => navigate(`/workbench/${d.id}`)}>
                      打开
                    </Button>,
                    <Popconfirm
                      key="del"
                      title="删除这份草稿？"
                      okText="删除"
                      cancelText="取消"
                      onConfirm={() =>
                        void workbench.remove(d.id).then(
                          () => load(),
                          () => void message.error('删除失败'),
                        )
                      }
                    >
                      <Button type="link" danger>
                        删除
                      </Button>
                    </Popconfirm>,
                  ]}
                >
                  <List.Item.Meta title={d.title} description={`修改于 ${fmtDate(d.updatedAt)}`} />
                </List.Item>
              )}
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}
