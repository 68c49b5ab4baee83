/**
 * The right-hand side of the application page: live evaluation and the status timeline.
 * Loaded after the form is on screen (its code is not needed to start filling in).
 *
 * The evaluation reads the form's data store itself: a keystroke re-renders this panel (in
 * the same task as the field, before the next frame) and not the page around it.
 */
import { memo, useEffect, useState, useSyncExternalStore } from 'react';
import type { NoticePack } from '@yuanping/core/browser';
import { getConfirmations, type ConfirmationRecord, type Review } from '../lib/api';
import type { DataStore } from '../form/store';
import { EvaluationPanel } from '../form/EvaluationPanel';
import { Panel } from '../form/Panel';
import { useEvaluation } from '../lib/useEvaluation';
import { StatusTimeline } from './Timeline';

export interface SideProps {
  pack: NoticePack;
  formId: string;
  store: DataStore;
  reviews: Review[];
  statusLabel: string;
  createdAt?: string | undefined;
  /** the submission, once it exists: the reviewers' confirmations of the ticked items join the timeline */
  submissionId?: string | undefined;
}

const LiveEvaluation = memo(function LiveEvaluation({ pack, formId, store }: { pack: NoticePack; formId: string; store: DataStore }) {
  const data = useSyncExternalStore(store.subscribe, store.get);
  const { results, ms } = useEvaluation(pack, formId, data);
  return <EvaluationPanel results={results} ms={ms} />;
});

const Progress = memo(StatusTimeline);

/** The reviewers' confirmations and disputes of the applicant's ticks (read again when the status changes). */
function useConfirmationHistory(submissionId: string | undefined, statusLabel: string): ConfirmationRecord[] {
  const [history, setHistory] = useState<ConfirmationRecord[]>([]);
  useEffect(() => {
    if (!submissionId) return;
    let live = true;
    getConfirmations(submissionId).then(
      (st) => {
        if (live) setHistory(st.history);
      },
      // the timeline without confirmations is still right about everything else
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [submissionId, statusLabel]);
  return history;
}

export default function ApplicationSide({ pack, formId, store, reviews, statusLabel, createdAt, submissionId }: SideProps) {
  const confirmations = useConfirmationHistory(submissionId, statusLabel);
  return (
    <>
      <Panel small title="即时评价（按当前填写的数据）">
        <LiveEvaluation pack={pack} formId={formId} store={store} />
      </Panel>
      <Panel small title="办理进度">
        <Progress reviews={reviews} confirmations={confirmations} statusLabel={statusLabel} createdAt={createdAt} />
      </Panel>
    </>
  );
}
