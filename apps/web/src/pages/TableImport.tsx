/**
 * A file imported into a table, before anything is saved: what was read (rows, errors, the
 * normalisations made), every problem by sheet / row / column — clickable to its cell in the grid
 * above —, each error shown as fixed once its cell no longer holds what the file wrote; then the
 * choice to replace the table's rows or append to them, and 保存 (with a confirmation), or 取消导入.
 * Rows can be added (an empty row at the end, its first cell selected) or deleted (the row of the
 * selected cell, confirmed) before saving; an error whose row was deleted is shown as such.
 */
import { Alert, Button, Card, Radio, Space, Table, Tag, Typography } from 'antd';
import type { Answer } from '../lib/api';

/** What a file imported into a table gave: its rows, errors and warnings (`POST /api/tables/{packId}/{formId}/import`). */
export type ImportAnswer = Answer<'/api/tables/{packId}/{formId}/import', 'post'>;
export type ImportProblem = ImportAnswer['errors'][number];
export type ImportMode = 'replace' | 'append';

interface Line extends ImportProblem {
  kind: 'error' | 'warning';
  n: number;
  fixed: boolean;
  gone: boolean;
}

export function ImportPanel({
  answer,
  isOpen,
  isGone,
  rows,
  selectedRow,
  onAddRow,
  onDeleteRow,
  mode,
  onMode,
  onGoto,
  onSave,
  onCancel,
  currentRows,
  openErrors,
}: {
  answer: ImportAnswer;
  /** whether an error of the file still stands (its cell holds what the file wrote) */
  isOpen: (e: ImportProblem) => boolean;
  /** whether an error's row was deleted from the preview */
  isGone: (e: ImportProblem) => boolean;
  /** the rows the preview holds now */
  rows: number;
  /** the row (0-based) of the grid's selected cell, null when none */
  selectedRow: number | null;
  onAddRow: () => void;
  onDeleteRow: () => void;
  mode: ImportMode;
  onMode: (m: ImportMode) => void;
  onGoto: (p: ImportProblem) => void;
  onSave: () => void;
  onCancel: () => void;
  /** the table's rows before the import */
  currentRows: number;
  /** errors still on the page (the file's and any the rows have) */
  openErrors: number;
}) {
  const lines: Line[] = [
    ...answer.errors.map((e, n) => ({ ...e, kind: 'error' as const, n, fixed: !isOpen(e), gone: isGone(e) })),
    ...answer.warnings.map((e, n) => ({ ...e, kind: 'warning' as const, n: answer.errors.length + n, fixed: false, gone: isGone(e) })),
  ];
  const fixed = lines.filter((l) => l.kind === 'error' && l.fixed && !l.gone).length;
  const gone = lines.filter((l) => l.kind === 'error' && l.gone).length;
  const changed = rows !== answer.rowCount ? `；预览中现有 ${rows} 行` : '';
  return (
    <Card size="small" title={`导入预览：${answer.filename}`} data-testid="import-panel">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Alert
          type={openErrors ? 'warning' : 'success'}
          showIcon
          data-testid="import-summary"
          message={
            `读取了 ${answer.rowCount} 行（${answer.format === 'csv' ? 'CSV' : 'Excel'}），` +
            (answer.errors.length ? `${answer.errors.length} 处错误（已改正 ${fixed} 处${gone ? `，所在行已删除 ${gone} 处` : ''}）` : '没有错误') +
            (answer.warnings.length ? `，${answer.warnings.length} 处已自动规整` : '') +
            changed +
            '。尚未保存：请在下方表格中改正标红的单元格（点击下列问题可定位到该单元格），然后保存。'
          }
        />
        {lines.length ? (
          <Table<Line>
            size="small"
            rowKey="n"
            dataSource={lines}
            pagination={lines.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            scroll={{ x: 640 }}
            data-testid="import-problems"
            onRow={(l) => ({
              onClick: () => onGoto(l),
              onKeyDown: (e) => {
                if (e.key === 'Enter') onGoto(l);
              },
              tabIndex: 0,
              style: { cursor: l.key || l.field ? 'pointer' : undefined },
              'aria-label': `${l.sheet} 第 ${l.row} 行 ${l.column} 列：${l.reason}`,
            })}
            columns={[
              {
                title: '类别',
                key: 'kind',
                width: 90,
                render: (_, l) => (l.gone ? <Tag>行已删除</Tag> : l.kind === 'warning' ? <Tag>已规整</Tag> : l.fixed ? <Tag color="green">已改正</Tag> : <Tag color="red">错误</Tag>),
              },
              { title: '工作表', dataIndex: 'sheet', width: 90 },
              { title: '行', dataIndex: 'row', width: 60 },
              { title: '列', key: 'col', width: 160, render: (_, l) => `${l.column}${l.title ? ` ${l.title}` : ''}` },
              { title: '说明', dataIndex: 'reason' },
            ]}
          />
        ) : null}
        <Space wrap data-testid="import-rows">
          <Typography.Text>保存前可增删行：</Typography.Text>
          <Button onClick={onAddRow} data-testid="import-add-row">
            添加一行
          </Button>
          <Button danger onClick={onDeleteRow} disabled={selectedRow === null} title={selectedRow === null ? '先在表格中选中要删除的行的任一单元格' : undefined} data-testid="import-delete-row">
            {selectedRow === null ? '删除选中的行' : `删除第 ${selectedRow + 1} 行`}
          </Button>
        </Space>
        <Space wrap>
          <Typography.Text>保存方式：</Typography.Text>
          <Radio.Group value={mode} onChange={(e) => onMode(e.target.value as ImportMode)} data-testid="import-mode">
            <Radio value="replace">替换现有 {currentRows} 行</Radio>
            <Radio value="append">追加到现有行之后</Radio>
          </Radio.Group>
        </Space>
        <Space wrap>
          <Button type="primary" onClick={onSave} disabled={openErrors > 0} title={openErrors ? '请先改正全部错误' : undefined} data-testid="import-save">
            保存导入的数据
          </Button>
          <Button onClick={onCancel} data-testid="import-cancel">
            取消导入
          </Button>
          {openErrors ? <Typography.Text type="danger">还有 {openErrors} 处错误，改正后才能保存</Typography.Text> : null}
        </Space>
      </Space>
    </Card>
  );
}
