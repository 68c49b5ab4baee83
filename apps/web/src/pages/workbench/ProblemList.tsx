/** The problems of the full check (checkPackFully), each with its place: shown where they concern. */
import { createContext, useContext } from 'react';
import { Alert, List, Space, Tag, Typography } from 'antd';
import type { Problem } from '../../lib/workbench';
import { placeLabel } from '../../lib/pack-files';

/** The pack whose problems are listed (a draft's files): places are then said by Chinese names, not file#pointer. */
export const ProblemPlaces = createContext<{ files: Record<string, unknown>; packId: string } | null>(null);

export function ProblemList({ problems, where, okText = '检查通过，没有发现问题' }: { problems: Problem[]; where?: (p: Problem) => string; okText?: string | null }) {
  const pack = useContext(ProblemPlaces);
  const place = where ?? (pack ? (p: Problem) => placeLabel(pack.files, pack.packId, p.file, p.pointer) : (p: Problem) => `${p.file}${p.pointer ? `#${p.pointer}` : ''}`);
  if (problems.length === 0) return okText ? <Alert type="success" showIcon message={okText} data-testid="check-ok" /> : null;
  const errors = problems.filter((p) => p.severity === 'error').length;
  return (
    <>
      {okText && errors === 0 ? <Alert type="success" showIcon message={`检查通过：没有错误，${problems.length} 个警告请核对`} data-testid="check-ok" style={{ marginBottom: 8 }} /> : null}
      <List
      size="small"
      bordered
      data-testid="problems"
      dataSource={problems}
      renderItem={(p) => (
        <List.Item>
          <Space direction="vertical" size={0}>
            <Space align="start">
              <Tag color={p.severity === 'error' ? 'red' : 'orange'}>{p.severity === 'error' ? '错误' : '警告'}</Tag>
              <Typography.Text>{p.message}</Typography.Text>
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {place(p)}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
      />
    </>
  );
}

/** The problems of one file under a JSON pointer prefix. */
export function problemsAt(problems: Problem[], file: string, pointer: string): Problem[] {
  return problems.filter((p) => p.file === file && (p.pointer === pointer || p.pointer.startsWith(`${pointer}/`)));
}
