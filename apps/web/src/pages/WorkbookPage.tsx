/**
 * 工作簿：a draft's tables as one xlsx (parameters, dates, quotas, scorecard, standards,
 * options), edited in Excel / WPS / LibreOffice and uploaded back: the refused cells, or the
 * readable diff and the full check, before the changes go into the draft.
 */
import { useEffect, useMemo, useState } from 'react';
import { assemblePack } from '@yuanping/core/browser';
import { Alert, Button, Card, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { api, ApiFailure, detailsOf, fileBase64, request, type Answer, type PackDraftSummary, type ProblemDetails } from '../lib/api';
import { downloadFile } from '../lib/download';
import { placeLabel } from '../lib/pack-files';
import PackDiff from './PackDiff';
import { navigate, queryParam } from '../lib/router';

type ImportAnswer = Answer<'/api/packs/workbook', 'post'>;
/** a refused cell: the import answer's shape, and the details of its WORKBOOK_INVALID error */
type CellProblem = ProblemDetails<'WORKBOOK_INVALID'>[number];
type DiffLine = ImportAnswer['diff'][number];
type Problem = ImportAnswer['problems'][number];

export default function WorkbookPage() {
  const [drafts, setDrafts] = useState<PackDraftSummary[]>([]);
  const [draftId, setDraftId] = useState<number | null>(null);
  const [refused, setRefused] = useState<CellProblem[] | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  // the draft the workbook was uploaded against (the diff's left side)
  const [uploadedTo, setUploadedTo] = useState<{ files: Record<string, unknown>; packId: string; title: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the draft the last workbook was applied to (a link back to it: check, diff, publish)
  const [appliedTo, setAppliedTo] = useState<number | null>(null);

  useEffect(() => {
    void api.get('/api/pack-drafts').then((d) => {
      setDrafts(d);
      // ?draft=N: opened from that draft on the workbench
      const first = d.find((x) => String(x.id) === queryParam('draft')) ?? d[0];
      if (first) setDraftId(first.id);
    }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  const draftFiles = async (id: number) => api.get('/api/pack-drafts/{id}', { params: { id } });
  const reset = () => {
    setRefused(null);
    setAnswer(null);
    setError(null);
    setDone(null);
    setAppliedTo(null);
  };

  async function download() {
    if (draftId === null) return;
    reset();
    const d = await draftFiles(draftId);
    await downloadFile('/api/packs/workbook/export', `${d.packId}-workbook.xlsx`, { id: d.packId, files: d.files }).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }

  async function uploadWorkbook(file: File) {
    if (draftId === null) return;
    reset();
    setBusy(true);
    try {
      const d = await draftFiles(draftId);
      setAnswer(await api.post('/api/packs/workbook', { body: { id: d.packId, files: d.files, workbook: await fileBase64(file) } }));
      setUploadedTo({ files: d.files, packId: d.packId, title: d.title });
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'WORKBOOK_INVALID') setRefused(detailsOf(e, 'WORKBOOK_INVALID') ?? []);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function apply() {
    // a workbook whose changes fail the full check is not applied (the button is disabled too)
    if (draftId === null || !answer?.files || answer.problems.some((p) => p.severity === 'error')) return;
    setBusy(true);
    try {
      const d = await draftFiles(draftId);
      await request('put', '/api/pack-drafts/{id}', { params: { id: draftId }, body: { revision: d.revision, files: answer.files } });
      setDone(`已应用到草稿“${d.title}”：${answer.changedFiles.length} 个文件，${answer.diff.length} 处变化。`);
      setAppliedTo(draftId);
      setAnswer(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  // the readable diff as on the workbench (the same component: grouped by kind, names instead of identifiers)
  const packs = useMemo(() => {
    if (!uploadedTo || !answer?.files) return null;
    try {
      return { before: assemblePack(uploadedTo.files, uploadedTo.packId, 'draft'), after: assemblePack(answer.files, uploadedTo.packId, 'workbook') };
    } catch {
      return null;
    }
  }, [uploadedTo, answer]);
  const errors = answer?.problems.filter((p) => p.severity === 'error') ?? [];
  // the fixtures copied from last year are one line (they are reviewed on the workbench), not a list
  // of ≈25 hints under which the changes themselves are lost
  const reviews = answer?.problems.filter((p) => p.code === 'FIXTURE_NEEDS_REVIEW') ?? [];
  const listed = answer?.problems.filter((p) => p.code !== 'FIXTURE_NEEDS_REVIEW') ?? [];
  const packId = drafts.find((d) => d.id === draftId)?.packId ?? '';
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3}>通知包工作簿（Excel）</Typography.Title>
      <Typography.Paragraph>
        把草稿的参数、日期、名额、评分分组、评分项、判定标准和选项下载为一个 xlsx 工作簿（每类一张表），用 Excel、WPS 或
        LibreOffice 在白色单元格中修改后上传：先看检查结果和与草稿的差异，确认后才写入草稿。有错的单元格会逐一指出，整个工作簿不会应用任何修改。
      </Typography.Paragraph>
      <Card>
        <Space wrap>
          <span>草稿</span>
          <Select
            aria-label="草稿"
            style={{ minWidth: 320 }}
            value={draftId ?? undefined}
            placeholder="先在通知包工作台生成草稿"
            options={drafts.map((d) => ({ value: d.id, label: `${d.title}（${d.packId}）` }))}
            onChange={(v: number) => {
              setDraftId(v);
              reset();
            }}
          />
          <Button onClick={() => void download()} disabled={draftId === null}>
            下载工作簿
          </Button>
          <Upload
            accept=".xlsx"
            showUploadList={false}
            beforeUpload={(f) => {
              void uploadWorkbook(f);
              return false;
            }}
          >
            <Button type="primary" loading={busy} disabled={draftId === null}>
              上传修改后的工作簿
            </Button>
          </Upload>
        </Space>
      </Card>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {done ? (
        <Alert
          type="success"
          showIcon
          message={done}
          action={
            appliedTo !== null ? (
              <Button size="small" onClick={() => navigate(`/workbench/${appliedTo}`)} data-testid="back-to-draft">
                回到草稿（检查、差异、发布）
              </Button>
            ) : undefined
          }
        />
      ) : null}
      {refused ? (
        <Card title={`工作簿有 ${refused.length} 处错误，没有应用任何修改`}>
          <Table<CellProblem>
            rowKey={(p) => `${p.sheet}-${p.cell}-${p.row}-${p.code}`}
            pagination={false}
            dataSource={refused}
            columns={[
              { title: '工作表', dataIndex: 'sheet' },
              { title: '单元格', render: (_v, p) => p.cell || (p.row ? `第 ${p.row} 行` : '') },
              { title: '原因', dataIndex: 'message' },
            ]}
          />
        </Card>
      ) : null}
      {answer ? (
        <Card title={`与草稿相比 ${answer.diff.length} 处变化（工作簿中改动了 ${answer.changes} 个单元格）`} data-testid="workbook-result">
          {answer.stale ? <Alert type="warning" showIcon message="这份工作簿下载后草稿又改动过，差异是相对于现在的草稿，请逐条核对" style={{ marginBottom: 12 }} /> : null}
          <div data-testid="workbook-diff">
            {packs && uploadedTo ? (
              <PackDiff before={packs.before} after={packs.after} beforeName={`草稿“${uploadedTo.title}”`} />
            ) : (
              <Table<DiffLine>
                rowKey={(l, i) => `${i}-${l.text}`}
                pagination={false}
                dataSource={answer.diff}
                locale={{ emptyText: '没有变化' }}
                columns={[
                  { title: '类别', dataIndex: 'sectionLabel', width: 120 },
                  { title: '变化', dataIndex: 'text' },
                ]}
              />
            )}
          </div>
          <Typography.Title level={5} style={{ marginTop: 16 }} data-testid="workbook-check">
            {errors.length ? `检查：${errors.length} 个错误` : '检查通过'}
          </Typography.Title>
          {reviews.length ? (
            <Typography.Paragraph type="secondary" data-testid="workbook-reviews">
              另有 {reviews.length} 个从上一年度复制的样例待复核（不妨碍应用）：应用后在通知包工作台的“检查与样例”中核对。
            </Typography.Paragraph>
          ) : null}
          {listed.length ? (
            <Table<Problem>
              rowKey={(p, i) => `${i}-${p.code}-${p.file}-${p.pointer}`}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={listed}
              columns={[
                { title: '', dataIndex: 'severity', width: 70, render: (s: string) => <Tag color={s === 'error' ? 'red' : 'gold'}>{s === 'error' ? '错误' : '提示'}</Tag> },
                { title: '位置', render: (_v, p) => (answer ? placeLabel(answer.files ?? {}, packId, p.file, p.pointer) : p.file) },
                { title: '说明', dataIndex: 'message' },
              ]}
            />
          ) : null}
          {errors.length ? (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 16 }}
              data-testid="workbook-blocked"
              message={`检查有 ${errors.length} 个错误，不能应用到草稿`}
              description="草稿没有改动。请按上面的说明改正工作簿后重新上传。"
            />
          ) : null}
          <Space style={{ marginTop: 16 }}>
            <Button type="primary" onClick={() => void apply()} loading={busy} disabled={!answer.changedFiles.length || errors.length > 0} data-testid="workbook-apply">
              应用到草稿
            </Button>
            <Button onClick={() => setAnswer(null)}>放弃</Button>
          </Space>
        </Card>
      ) : null}
    </Space>
  );
}
