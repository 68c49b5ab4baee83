/**
 * 从园区申报带入 (`x-table.prefill`): the parks of the unit's area that have submitted, each with
 * the row its application gives and whether the table already has the park's row (then the
 * carried columns of that row are replaced) — shown before anything is filled; the top-level
 * fields the account's unit gives are listed too. The user picks the parks and 带入.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Modal, Spin, Table, Tag, Typography } from 'antd';
import { ApiFailure, api, type Answer } from '../lib/api';
import type { Column } from '../grid/columns';
import { display } from '../grid/cells';

type Row = Record<string, unknown>;
export type PrefillView = Answer<'/api/tables/{packId}/{formId}/prefill', 'get'>;
export type PrefillPark = PrefillView['parks'][number];

/** The index of the park's row in `rows` (by the match column), or -1. */
export function existingRow(view: PrefillView, park: PrefillPark, rows: Row[]): number {
  const m = view.match;
  if (!m || park.row[m] === undefined) return -1;
  return rows.findIndex((r) => r[m] === park.row[m]);
}

export function PrefillDialog({
  packId,
  formId,
  open,
  columns,
  rows,
  top,
  topTitle,
  topText,
  onApply,
  onClose,
}: {
  packId: string;
  formId: string;
  open: boolean;
  /** the filled section's columns (titles, options) */
  columns: Column[];
  /** the filled section's rows as they stand */
  rows: Row[];
  /** the table's top-level values as they stand */
  top: Record<string, unknown>;
  topTitle: (field: string) => string;
  /** a top-level value as the user reads it (a choice by its label) */
  topText: (field: string, value: unknown) => string;
  onApply: (view: PrefillView, parks: PrefillPark[]) => void;
  onClose: () => void;
}) {
  const [view, setView] = useState<PrefillView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  useEffect(() => {
    if (!open) return;
    setView(null);
    setError(null);
    api
      .get('/api/tables/{packId}/{formId}/prefill', { params: { packId, formId } })
      .then((v) => {
        setView(v);
        setChosen(v.parks.map((p) => p.submissionId));
      })
      .catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : '读取园区申报失败'));
  }, [open, packId, formId]);
  const byKey = useMemo(() => new Map(columns.map((c) => [c.key, c])), [columns]);
  const topLines = view
    ? Object.entries(view.top).map(([k, v]) => {
        const now = top[k];
        const empty = now === undefined || now === null || now === '';
        return { k, text: `${topTitle(k)}：${topText(k, v)}`, state: empty ? '将填入' : now === v ? '已相同' : `已填写为“${topText(k, now)}”，保持不变` };
      })
    : [];
  const picked = view ? view.parks.filter((p) => chosen.includes(p.submissionId)) : [];
  return (
    <Modal
      open={open}
      closable={{ 'aria-label': '关闭' }}
      title="从园区申报带入"
      width={880}
      okText={`带入所选 ${picked.length} 个园区`}
      cancelText="取消"
      okButtonProps={{ disabled: !view || (picked.length === 0 && !topLines.some((l) => l.state === '将填入')), ...{ 'data-testid': 'prefill-apply' } }}
      onOk={() => view && onApply(view, picked)}
      onCancel={onClose}
      data-testid="prefill-dialog"
    >
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {!view && !error ? <Spin /> : null}
      {view ? (
        <>
          <Typography.Paragraph>
            以下是本辖区已提交《{view.fromTitle}》的园区，勾选后带入本表：表中已有该园区的行（按“{view.match ? (byKey.get(view.match)?.title ?? view.match) : '—'}”认出）时更新带入的列，否则新增一行。带入前可在下方核对将填入的值；带入后仍可修改，自动保存。
            {view.statuses ? `本表只带入以下状态的申报：${view.statuses.join('、')}。` : null}
          </Typography.Paragraph>
          {topLines.length ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              data-testid="prefill-top"
              message={topLines.map((l) => `${l.text}（${l.state}）`).join('；')}
            />
          ) : null}
          {view.parks.length === 0 ? (
            <Alert type="warning" showIcon data-testid="prefill-empty" message={view.statuses ? '本辖区还没有符合上述状态的申报。' : '本辖区还没有园区提交申报。'} />
          ) : (
            <Table<PrefillPark>
              size="small"
              rowKey="submissionId"
              pagination={false}
              scroll={{ x: 720, y: 360 }}
              dataSource={view.parks}
              data-testid="prefill-parks"
              rowSelection={{ selectedRowKeys: chosen, onChange: (keys) => setChosen(keys.map(String)), columnTitle: '选择' }}
              columns={[
                { title: '园区', dataIndex: 'parkName', width: 160 },
                { title: '申报状态', key: 'st', width: 130, render: (_, p) => <Tag style={{ whiteSpace: 'normal' }}>{p.statusLabel}</Tag> },
                {
                  title: '本表中',
                  key: 'ex',
                  width: 120,
                  render: (_, p) => {
                    const i = existingRow(view, p, rows);
                    return i >= 0 ? `第 ${i + 1} 行（更新）` : '新增一行';
                  },
                },
                {
                  title: '将填入的值',
                  key: 'v',
                  render: (_, p) => (
                    <span data-testid="prefill-values">
                      {view.columns
                        .filter((k) => p.row[k] !== undefined)
                        .map((k) => {
                          const c = byKey.get(k);
                          return `${c?.title ?? k}：${c ? display(c, p.row[k]) : String(p.row[k])}`;
                        })
                        .join('；')}
                      {p.problems.length ? <Typography.Text type="warning">{`（未带入：${p.problems.join('；')}）`}</Typography.Text> : null}
                    </span>
                  ),
                },
              ]}
            />
          )}
        </>
      ) : null}
    </Modal>
  );
}
