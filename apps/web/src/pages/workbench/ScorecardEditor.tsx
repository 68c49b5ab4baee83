/**
 * A scorecard as an editable table (序号, 一级/二级/三级指标, 考核内容, 满分, 佐证材料) with the
 * group subtotals added up live against each group's maximum; items added and removed here. The one
 * place a maximum is written is the item's `x-score.max` (docs/packs.md 4.1). 一级指标 is the item's
 * group; 序号, 二级 and 三级指标 are the parts of its title “序号2 一级指标·二级指标”
 * (lib/indicator-title.ts). On a phone each item is a card of its own (no table to scroll sideways).
 */
import type { ReactNode } from 'react';
import { Button, Card, Grid, Input, InputNumber, List, Select, Space, Table, Tag, Typography } from 'antd';
import { composeTitle, nextNumber, splitTitle } from '../../lib/indicator-title';
import { addScorecardItem, removeScorecardItem, scorecardsOf, setScorecardGroupMax, setScorecardItem, type ScorecardRow, type ScorecardView } from '../../lib/pack-edit';
import type { Problem } from '../../lib/workbench';
import { ProblemList, problemsAt } from './ProblemList';

type Files = Record<string, unknown>;

function Subtotals({ sc, onGroupMax }: { sc: ScorecardView; onGroupMax: (group: string, max: number) => void }) {
  return (
    <Space wrap size={[8, 8]} data-testid="subtotals">
      {sc.groups.map((g) => {
        const sum = sc.rows.filter((r) => r.group === g.id).reduce((s, r) => s + r.max, 0);
        const ok = g.limit !== undefined ? sum >= g.limit : Math.abs(sum - g.max) < 1e-9;
        return (
          <Card key={g.id} size="small" style={{ minWidth: 150, borderColor: ok ? undefined : '#cf1322' }} data-group={g.id}>
            <Space direction="vertical" size={0}>
              <Typography.Text strong>{g.label}</Typography.Text>
              <Space size={4}>
                <span data-testid="group-sum">{sum}</span>
                <span>/</span>
                <InputNumber size="small" aria-label={`${g.label}满分`} value={g.max} min={0} style={{ width: 64 }} onChange={(v) => typeof v === 'number' && onGroupMax(g.id, v)} />
                <span>分</span>
              </Space>
              {ok ? <Tag color="green">各项之和相符</Tag> : <Tag color="red">{sum > g.max ? `多 ${sum - g.max} 分` : `少 ${g.max - sum} 分`}</Tag>}
            </Space>
          </Card>
        );
      })}
      <Card size="small" style={{ minWidth: 120 }}>
        <Space direction="vertical" size={0}>
          <Typography.Text strong>合计</Typography.Text>
          <span data-testid="card-total">{sc.rows.reduce((s, r) => s + r.max, 0)} 分</span>
        </Space>
      </Card>
    </Space>
  );
}

export default function ScorecardEditor({ files, packId, problems, onChange }: { files: Files; packId: string; problems: Problem[]; onChange: (f: Files) => void }) {
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const cards = scorecardsOf(files, packId);
  if (cards.length === 0) return <Typography.Text type="secondary">这个通知包没有评分表</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {cards.map((sc) => {
        const set = (r: ScorecardRow, patch: Parameters<typeof setScorecardItem>[3]) => onChange(setScorecardItem(files, sc.file, r.key, patch));
        const setTitle = (r: ScorecardRow, part: Partial<ReturnType<typeof splitTitle>>) => set(r, { title: composeTitle({ ...splitTitle(r.title), ...part }) });
        /** the cells of one item, [column, editor]: 序号, 一级, 二级, 三级指标, 考核内容, 满分, 佐证材料, 删除 */
        const cells = (r: ScorecardRow, i: number): Array<[string, ReactNode]> => {
          const t = splitTitle(r.title);
          const row = `第 ${i + 1} 项`;
          return [
            [
              '序号',
              t.number === null ? (
                <span>{i + 1}</span>
              ) : (
                <InputNumber aria-label={`${row}序号`} size="small" min={1} value={t.number} style={{ width: 56 }} onChange={(v) => typeof v === 'number' && setTitle(r, { number: v })} />
              ),
            ],
            ['一级指标', <Select key="g" aria-label={`${row}一级指标`} value={r.group} style={{ width: 124, maxWidth: '100%' }} onChange={(g: string) => set(r, { group: g })} options={sc.groups.map((g) => ({ value: g.id, label: g.label }))} />],
            ['二级指标', <Input.TextArea key="2" aria-label={`${row}二级指标`} autoSize value={t.second} onChange={(e) => setTitle(r, { second: e.target.value })} />],
            ['三级指标', <Input.TextArea key="3" aria-label={`${row}三级指标`} autoSize value={t.third} onChange={(e) => setTitle(r, { third: e.target.value })} />],
            ['考核内容', <Input.TextArea key="d" aria-label={`${row}考核内容`} autoSize={{ minRows: 1, maxRows: 5 }} value={r.description} onChange={(e) => set(r, { description: e.target.value })} />],
            [
              '满分',
              <Space key="m" size={4}>
                <InputNumber aria-label={`${r.title}满分`} value={r.max} min={0} step={0.5} style={{ width: 72 }} onChange={(v) => typeof v === 'number' && set(r, { max: v })} data-item={r.key} />
                <span>分</span>
              </Space>,
            ],
            [
              '佐证材料',
              r.proofs.length ? (
                <Typography.Text style={{ fontSize: 12 }}>{r.proofs.join('；')}</Typography.Text>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
            ],
            [
              '操作',
              <Button key="x" type="link" danger size="small" onClick={() => onChange(removeScorecardItem(files, sc.file, r.key))} aria-label={`删除${r.title}`}>
                删除
              </Button>,
            ],
          ];
        };
        return (
          <Card key={sc.file} size="small" title={sc.formTitle} data-testid="scorecard">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Subtotals sc={sc} onGroupMax={(g, max) => onChange(setScorecardGroupMax(files, sc.file, g, max))} />
              {phone ? (
                <List
                  dataSource={sc.rows}
                  data-testid="scorecard-cards"
                  renderItem={(r, i) => (
                    <List.Item style={{ display: 'block' }}>
                      <Space direction="vertical" size={4} style={{ width: '100%' }}>
                        {cells(r, i).map(([label, node]) => (
                          <div key={label}>
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {label}
                            </Typography.Text>
                            <div>{node}</div>
                          </div>
                        ))}
                      </Space>
                    </List.Item>
                  )}
                />
              ) : (
                <Table
                  size="small"
                  rowKey="key"
                  pagination={false}
                  dataSource={sc.rows}
                  scroll={{ x: 1280 }}
                  columns={[
                    ...['序号', '一级指标', '二级指标', '三级指标', '考核内容', '满分', '佐证材料'].map((title, c) => ({
                      title,
                      key: title,
                      width: [64, 130, 150, 170, 340, 90, 200][c],
                      render: (_: unknown, r: ScorecardRow, i: number) => cells(r, i)[c]![1],
                    })),
                    { title: '', key: 'x', width: 64, render: (_: unknown, r: ScorecardRow, i: number) => cells(r, i)[7]![1] },
                  ]}
                  summary={() => (
                    <Table.Summary.Row>
                      <Table.Summary.Cell index={0} colSpan={5}>
                        合计（{sc.groups.map((g) => `${g.label} ${sc.rows.filter((r) => r.group === g.id).reduce((s, r) => s + r.max, 0)}`).join('，')}）
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={5}>{sc.rows.reduce((s, r) => s + r.max, 0)}</Table.Summary.Cell>
                      <Table.Summary.Cell index={6} colSpan={2} />
                    </Table.Summary.Row>
                  )}
                />
              )}
              <Space wrap>
                <span>新增一项到</span>
                <Select
                  aria-label="新增评分项的分组"
                  placeholder="选择分组"
                  style={{ width: 160 }}
                  value={null}
                  options={sc.groups.map((g) => ({ value: g.id, label: g.label }))}
                  onChange={(g: string) => onChange(addScorecardItem(files, sc.file, { title: composeTitle({ number: nextNumber(sc.rows.map((r) => r.title)), second: '新评分项', third: '' }), description: '', max: 1, group: g }).files)}
                  data-testid="add-item"
                />
              </Space>
              <ProblemList problems={problemsAt(problems, sc.file, sc.pointer)} okText={null} />
            </Space>
          </Card>
        );
      })}
    </Space>
  );
}
