/**
 * One section of a multi-section table form (`x-table.sections`: each its own array property
 * with its own columns and headers): a heading, then its own virtual grid (rows on demand).
 */
import { useMemo } from 'react';
import { Button, Space, Typography } from 'antd';
import type { Json } from '../form/ui';
import { columnsOf, headersOf, totalLabelOf, type Section } from './columns';
import { ROW_H, VirtualGrid, type GridProps } from './VirtualGrid';

type Row = Record<string, unknown>;

/** A grid tall enough for its header, its rows (at least a few) and the total row, at most `max`. */
export function sectionHeight(depth: number, rows: number, max: number): number {
  return Math.min(max, (depth + Math.max(rows, 3) + 2) * ROW_H + 2);
}

export function SectionHeading({ section, index }: { section: Section; index: number }) {
  if (!section.title) return null;
  return (
    <Typography.Title level={5} style={{ margin: '8px 0 0' }} data-testid="grid-section">
      {index + 1}. {section.title}
    </Typography.Title>
  );
}

export function SectionGrid({
  schema,
  section,
  index,
  rows,
  note,
  onChange,
  errors,
  recompute,
  height,
  sources,
  onNormalized,
  goto,
  onActiveRow,
}: {
  schema: Json;
  section: Section;
  index: number;
  rows: Row[];
  note?: string;
  /** editable when given: the section's rows after an edit and the indexes of the changed rows */
  onChange?: (rows: Row[], changedRows: number[]) => void;
  errors?: Map<string, string>;
  recompute?: (sums: Row) => Row;
  height?: number;
  /** each row's source unit (a combined table) */
  sources?: string[];
  onNormalized?: GridProps['onNormalized'];
  goto?: GridProps['goto'];
  onActiveRow?: GridProps['onActiveRow'];
}) {
  const columns = useMemo(() => columnsOf(schema, section.field), [schema, section.field]);
  const header = useMemo(() => headersOf(schema, columns, section.field), [schema, columns, section.field]);
  const totalLabel = useMemo(() => totalLabelOf(schema, section.field), [schema, section.field]);
  return (
    <div data-section={section.field}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <SectionHeading section={section} index={index} />
        {onChange && section.title ? (
          <Button size="small" onClick={() => onChange([...rows, {}], [rows.length])} data-testid="section-add-row">
            本节添加行
          </Button>
        ) : null}
      </Space>
      {note ? (
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 4 }}>
          {note}
        </Typography.Text>
      ) : null}
      <VirtualGrid
        columns={header.order}
        header={header}
        rows={rows}
        totalLabel={totalLabel}
        recompute={recompute}
        onChange={onChange}
        readOnly={!onChange}
        errors={errors}
        sources={sources}
        onNormalized={onNormalized}
        goto={goto}
        onActiveRow={onActiveRow}
        height={height ?? sectionHeight(header.depth, rows.length, 420)}
      />
    </div>
  );
}
