/**
 * An `x-file` field: uploads the chosen file to the submission with progress, refuses by
 * type and size before sending (the server checks the content again), and keeps the
 * attachment's id as the field's value.
 */
import { useRef, useState } from 'react';
import type { WidgetProps } from '@rjsf/utils';
import { Button, Space, Typography } from 'antd';
import { ApiFailure, upload, type Attachment } from '../lib/api';

export interface FileContext {
  submissionId: string | null;
  attachments: Attachment[];
  editable: boolean;
  onUploaded: (a: Attachment) => void;
}

interface FileSpec {
  accept?: string[];
  maxBytes?: number;
  maxDurationSeconds?: number;
}

const MIME_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG 图片',
  'image/jpeg': 'JPG 图片',
  'video/mp4': 'MP4 视频',
  'video/quicktime': 'MOV 视频',
  'video/x-msvideo': 'AVI 视频',
  'application/msword': 'Word 97-2003 文档',
  'application/vnd.ms-excel': 'Excel 97-2003 表格',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word 文档',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel 表格',
};

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} 字节`;
}

export function describeSpec(spec: FileSpec): string {
  const parts: string[] = [];
  if (spec.accept?.length) parts.push(`格式：${spec.accept.map((m) => MIME_NAMES[m] ?? m).join('、')}`);
  if (spec.maxBytes) parts.push(`不超过 ${formatBytes(spec.maxBytes)}`);
  if (spec.maxDurationSeconds) parts.push(`时长不超过 ${Math.round(spec.maxDurationSeconds / 60)} 分钟`);
  return parts.join('；');
}

export function FileWidget(props: WidgetProps) {
  const { id, schema, value, onChange, registry, readonly, disabled } = props;
  const ctx = (registry.formContext as { files?: FileContext }).files;
  const spec = ((schema as Record<string, unknown>)['x-file'] ?? {}) as FileSpec;
  const field = id.replace(/^root\./, '');
  const [progress, setProgress] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const current = ctx?.attachments.find((a) => a.id === value);
  const canUpload = !!ctx?.submissionId && ctx.editable && !readonly && !disabled;

  const before = (file: File): boolean => {
    setError(null);
    const accept = spec.accept ?? [];
    if (accept.length && file.type && !accept.some((a) => a === file.type || (a.endsWith('/*') && file.type.startsWith(a.slice(0, -1))))) {
      setError(`文件类型不符合要求：允许 ${accept.map((m) => MIME_NAMES[m] ?? m).join('、')}，所选文件为 ${MIME_NAMES[file.type] ?? file.type}`);
      return false;
    }
    if (spec.maxBytes && file.size > spec.maxBytes) {
      setError(`文件大小 ${formatBytes(file.size)} 超过上限 ${formatBytes(spec.maxBytes)}`);
      return false;
    }
    if (!ctx?.submissionId) return false;
    setProgress(0);
    upload('/api/submissions/{id}/attachments', { params: { id: ctx.submissionId }, query: { field, filename: file.name } }, file, setProgress)
      .then((a) => {
        setProgress(null);
        ctx.onUploaded(a);
        onChange(a.id);
      })
      .catch((e: unknown) => {
        setProgress(null);
        setError(e instanceof ApiFailure ? e.message : '上传失败');
      });
    return false;
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-file-field={field}>
      <Typography.Text type="secondary">{describeSpec(spec)}</Typography.Text>
      {current ? (
        <Typography.Text>
          已上传：<a href={`/api/attachments/${current.id}`}>{current.filename}</a>（{formatBytes(current.size)}）
        </Typography.Text>
      ) : value ? (
        <Typography.Text>已上传附件</Typography.Text>
      ) : (
        <Typography.Text type="secondary">尚未上传</Typography.Text>
      )}
      {canUpload ? (
        <>
          <input
            ref={input}
            type="file"
            style={{ display: 'none' }}
            {...(spec.accept?.length ? { accept: spec.accept.join(',') } : {})}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) before(f);
              e.target.value = '';
            }}
          />
          <Button id={id} onClick={() => input.current?.click()}>
            {value ? '重新上传' : '选择文件上传'}
          </Button>
        </>
      ) : !ctx?.submissionId ? (
        <Typography.Text type="secondary">保存草稿后可上传</Typography.Text>
      ) : null}
      {progress !== null ? (
        <div className="yp-progress" role="progressbar" aria-valuenow={progress} aria-valuemin={0} aria-valuemax={100}>
          <div style={{ width: `${progress}%` }} />
          <span>{progress}%</span>
        </div>
      ) : null}
      {error ? <Typography.Text type="danger" role="alert">{error}</Typography.Text> : null}
    </Space>
  );
}
