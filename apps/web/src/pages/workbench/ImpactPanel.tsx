/**
 * The impact preview: every stored submission of last year's pack (or of a chosen published
 * version) evaluated under the draft; the parks whose level, eligibility or score changes, before
 * and after, with the reasons. Progress shown while it runs; exportable to xlsx.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { ApiFailure, api, type PackVersionView } from '../../lib/api';
import { downloadFile } from '../../lib/download';
import { runImpact, type ImpactResult } from '../../lib/workbench';

export default function ImpactPanel({ draftId, basedOn, saving, reviewerScores = false }: { draftId: number; basedOn: number | null; saving: boolean; reviewerScores?: boolean }) {
  // a scorecard with a reviewer's column: counted by the applicant's own scores or the reviewers'
  const [basis, setBasis] = useState<'self' | 'reviewer'>('self');
  const [versions, setVersions] = useState<PackVersionView[]>([]);
  const [base, setBase] = useState<number | null>(basedOn);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<ImpactResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void api.get('/api/packs').then(async (packs) => {
      const all = await Promise.all(packs.map((p) => api.get('/api/packs/{packId}/versions', { params: { packId: p.packId } })));
      setVersions(all.flat());
    });
  }, []);
  const run = async () => {
    setBusy(true);
    setError(null);
    setProgress({ done: 0, total: 0 });
    try {
      setResult(await runImpact(draftId, base, (done, total) => setProgress({ done, total }), basis));
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : '影响预览失败');
    } finally {
      setBusy(false);
    }
  };
  const r = result?.report;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="impact">
      <Space wrap>
        <span>与之比较的申报：</span>
        <Select
          aria-label="与之比较的版本"
          style={{ minWidth: 280, maxWidth: '100%' }}
          value={base ?? undefined}
          onChange={(v: number) => setBase(v)}
          options={versions.map((v) => ({ value: v.id, label: `${v.title} 第 ${v.version} 版的申报` }))}
        />
        {reviewerScores ? (
          <Select
            aria-label="评分表按谁的评分计算"
            style={{ width: 170 }}
            value={basis}
            onChange={(v: 'self' | 'reviewer') => {
              setBasis(v);
              setResult(null);
            }}
            options={[
              { value: 'self', label: '按申报单位自评分' },
              { value: 'reviewer', label: '按审核人评分' },
            ]}
            data-testid="impact-basis"
          />
        ) : null}
        <Button type="primary" onClick={() => void run()} loading={busy} disabled={saving || base === null} data-testid="impact-run">
          按草稿重新计算
        </Button>
        <Button disabled={!r} onClick={() => void downloadFile(`/api/pack-drafts/${draftId}/impact.xlsx?${new URLSearchParams({ ...(base ? { baseVersionId: String(base) } : {}), ...(basis === 'reviewer' ? { scoreBasis: basis } : {}) })}`, '影响预览.xlsx')}>
          导出 xlsx
        </Button>
      </Space>
      {progress && busy ? <Progress percent={progress.total ? Math.round((progress.done / progress.total) * 100) : 0} format={() => `${progress.done} / ${progress.total}`} data-testid="impact-progress" /> : null}
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {r && result ? (
        <>
          <Alert
            type={r.changes.length ? 'warning' : 'success'}
            showIcon
            data-testid="impact-summary"
            message={`${result.base.title} 第 ${result.base.version} 版的 ${r.submissions} 份申报按草稿重新计算${reviewerScores ? (basis === 'reviewer' ? '（评分按审核人评分）' : '（评分按自评分）') : ''}：${r.changes.length ? `${new Set(r.changes.map((c) => c.submission)).size} 个园区的 ${r.changes.length} 项结果变化` : '没有园区的结果变化'}`}
            description={r.ruleSets.map((x) => `${x.title}：比较 ${x.evaluated} 份，变化 ${x.changed} 份`).join('；')}
          />
          <Table
            size="small"
            rowKey={(c) => `${c.submission}/${c.ruleSet}`}
            dataSource={r.changes}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 760 }}
            data-testid="impact-changes"
            columns={[
              { title: '园区', dataIndex: 'label', width: 180 },
              { title: '规则集', dataIndex: 'ruleSetTitle', width: 140 },
              {
                title: '之前 → 之后',
                key: 'ba',
                width: 220,
                render: (_, c) => (
                  <Space size={4} wrap>
                    <Tag>{c.before}</Tag>→<Tag color="orange">{c.after}</Tag>
                  </Space>
                ),
              },
              {
                title: '原因',
                key: 'why',
                render: (_, c) => (
                  <Space direction="vertical" size={0}>
                    {c.reasons.map((x) => (
                      <Typography.Text key={x} style={{ fontSize: 13 }}>
                        {x}
                      </Typography.Text>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
          {r.failures.length ? <Alert type="error" showIcon message={`${r.failures.length} 份申报未能计算`} description={r.failures.slice(0, 5).map((f) => f.message).join('；')} /> : null}
        </>
      ) : null}
    </Space>
  );
}
