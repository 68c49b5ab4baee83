/**
 * A scorecard as an editable table (序号, 指标, 考核内容, 满分, 分组, 佐证材料) with the group
 * subtotals added up live against each group's maximum; items added and removed here. The one
 * place a maximum is written is the item's `x-score.max` (docs/packs.md 4.1).
 */
import { Button, Card, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { addScorecardItem, removeScorecardItem, scorecardsOf, setScorecardGroupMax, setScorecardItem, type ScorecardView } from '../../lib/pack-edit';
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
  const cards = scorecardsOf(files, packId);
  if (cards.length === 0) return <Typography.Text type="secondary">这个通知包没有评分表</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {cards.map((sc) => {
        const groupName = new Map(sc.groups.map((g) => [g.id, g.label]));
        return (
          <Card key={sc.file} size="small" title={sc.formTitle} data-testid="scorecard">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Subtotals sc={sc} onGroupMax={(g, max) => onChange(setScorecardGroupMax(files, sc.file, g, max))} />
              <Table
                size="small"
                rowKey="key"
                pagination={false}
                dataSource={sc.rows}
                scroll={{ x: 1240 }}
                columns={[
                  { title: '序号', key: 'n', width: 56, render: (_, _r, i) => i + 1 },
                  {
                    title: '指标',
                    key: 't',
                    width: 200,
                    render: (_, r) => <Input.TextArea aria-label="指标" autoSize value={r.title} onChange={(e) => onChange(setScorecardItem(files, sc.file, r.key, { title: e.target.value }))} />,
                  },
                  {
                    title: '考核内容',
                    key: 'd',
                    width: 380,
                    render: (_, r) => <Input.TextArea aria-label="考核内容" autoSize={{ minRows: 1, maxRows: 5 }} value={r.description} onChange={(e) => onChange(setScorecardItem(files, sc.file, r.key, { description: e.target.value }))} />,
                  },
                  {
                    title: '满分',
                    key: 'm',
                    width: 90,
                    render: (_, r) => (
                      <InputNumber aria-label={`${r.title}满分`} value={r.max} min={0} step={0.5} style={{ width: 72 }} onChange={(v) => typeof v === 'number' && onChange(setScorecardItem(files, sc.file, r.key, { max: v }))} data-item={r.key} />
                    ),
                  },
                  {
                    title: '分组',
                    key: 'g',
                    width: 150,
                    render: (_, r) => (
                      <Select aria-label="分组" value={r.group} style={{ width: 130 }} onChange={(g: string) => onChange(setScorecardItem(files, sc.file, r.key, { group: g }))} options={sc.groups.map((g) => ({ value: g.id, label: g.label }))} />
                    ),
                  },
                  {
                    title: '佐证材料',
                    key: 'e',
                    width: 240,
                    render: (_, r) =>
                      r.proofs.length ? (
                        <Typography.Text style={{ fontSize: 12 }}>{r.proofs.join('；')}</Typography.Text>
                      ) : (
                        <Typography.Text type="secondary">—</Typography.Text>
                      ),
                  },
                  {
                    title: '',
                    key: 'x',
                    width: 64,
                    render: (_, r) => (
                      <Button type="link" danger size="small" onClick={() => onChange(removeScorecardItem(files, sc.file, r.key))} aria-label={`删除${r.title}`}>
                        删除
                      </Button>
                    ),
                  },
                ]}
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0} colSpan={3}>
                      合计（{sc.groups.map((g) => `${g.label} ${sc.rows.filter((r) => r.group === g.id).reduce((s, r) => s + r.max, 0)}`).join('，')}）
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={3}>{sc.rows.reduce((s, r) => s + r.max, 0)}</Table.Summary.Cell>
                    <Table.Summary.Cell index={4} colSpan={3} />
                  </Table.Summary.Row>
                )}
              />
              <Space wrap>
                <span>新增一项到</span>
                <Select
                  aria-label="新增评分项的分组"
                  placeholder="选择分组"
                  style={{ width: 160 }}
                  value={null}
                  options={sc.groups.map((g) => ({ value: g.id, label: g.label }))}
                  onChange={(g: string) => onChange(addScorecardItem(files, sc.file, { title: `新评分项（${groupName.get(g) ?? g}）`, description: '', max: 1, group: g }).files)}
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
