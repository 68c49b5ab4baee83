/**
 * The right-hand side of the application page: live evaluation and the status timeline.
 * Loaded after the form is on screen (its code is not needed to start filling in).
 */
import { useEffect } from 'react';
import { Card } from 'antd';
import type { NoticePack } from '@yuanping/core/browser';
import type { Review } from '../lib/api';
import { EvaluationPanel } from '../form/EvaluationPanel';
import { useEvaluation } from '../lib/useEvaluation';
import { StatusTimeline } from './Timeline';

export interface SideProps {
  pack: NoticePack;
  formId: string;
  data: unknown;
  reviews: Review[];
  statusLabel: string;
  createdAt?: string | undefined;
  onSummary: (lines: string[]) => void;
}

export default function ApplicationSide({ pack, formId, data, reviews, statusLabel, createdAt, onSummary }: SideProps) {
  const { results, ms } = useEvaluation(pack, formId, data);
  useEffect(() => {
    onSummary(results.map((r) => (r.ev ? `${r.ev.title}：${r.ev.outcome.label}` : '')).filter(Boolean));
  }, [results, onSummary]);
  return (
    <>
      <Card size="small" title="即时评价（按当前填写的数据）">
        <EvaluationPanel results={results} ms={ms} />
      </Card>
      <Card size="small" title="办理进度">
        <StatusTimeline reviews={reviews} statusLabel={statusLabel} createdAt={createdAt} />
      </Card>
    </>
  );
}
