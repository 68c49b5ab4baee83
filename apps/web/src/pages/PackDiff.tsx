/**
 * The semantic diff of two pack versions (core's diffPacks, the same as `yuanping diff`):
 * what the notice says differently, grouped by kind (参数, 日期, 名额, 评分项 …), one row per change.
 */
import { useEffect, useMemo, useState } from 'react';
import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { DIFF_KIND_LABELS, diffPacks, type DiffKind, type DiffLine, type NoticePack } from '@yuanping/core/browser';
import { orgUnits, type OrgUnit } from '../lib/orgs';

const KIND_COLORS: Record<DiffKind, string> = { added: 'green', removed: 'red', changed: 'blue', moved: 'purple', renumbered: 'default' };

function Change({ l }: { l: DiffLine }) {
  return (
    <List.Item data-kind={l.kind}>
      <Space align="start" wrap>
        <Tag color={KIND_COLORS[l.kind]}>{DIFF_KIND_LABELS[l.kind]}</Tag>
        {l.kind === 'changed' ? (
          <span>
            <Typography.Text>{l.subject}</Typography.Text>
            <Typography.Text type="secondary">：{l.attribute} </Typography.Text>
            <Typography.Text delete type="secondary">
              {l.before}
            </Typography.Text>
            <Typography.Text> → </Typography.Text>
            <Typography.Text strong>{l.after}</Typography.Text>
          </span>
        ) : (
          <Typography.Text>{l.text}</Typography.Text>
        )}
      </Space>
    </List.Item>
  );
}

export default function PackDiff({ before, after, beforeName }: { before: NoticePack; after: NoticePack; beforeName: string }) {
  const [orgs, setOrgs] = useState<Map<string, OrgUnit> | null>(null);
  useEffect(() => {
    let live = true;
    void orgUnits().then((m) => live && setOrgs(m));
    return () => {
      live = false;
    };
  }, []);
  const lines = useMemo(() => diffPacks(before, after, { orgUnitName: (c) => orgs?.get(c)?.name, ids: false }), [before, after, orgs]);
  const sections = useMemo(() => {
    const out: Array<{ label: string; lines: DiffLine[] }> = [];
    for (const l of lines) {
      const last = out[out.length - 1];
      if (last && last.label === l.sectionLabel) last.lines.push(l);
      else out.push({ label: l.sectionLabel, lines: [l] });
    }
    return out;
  }, [lines]);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="pack-diff">
      <Typography.Text data-testid="pack-diff-summary">
        与 {beforeName} 相比，内容上共 {lines.length} 处变化（说明文字、条款出处和文件格式的改动不计）
      </Typography.Text>
      {sections.length === 0 ? <Empty description="两个版本的内容没有差别" /> : null}
      {sections.map((s) => (
        <Card key={s.label} size="small" title={`${s.label}（${s.lines.length}）`} data-section={s.label}>
          <List size="small" dataSource={s.lines} renderItem={(l) => <Change l={l} />} />
        </Card>
      ))}
    </Space>
  );
}
