/**
 * Long work as jobs stored in the database (migration 12): a request creates the job and is
 * answered at once (202); this process runs it, one at a time, writing its progress (done of
 * total, and the phase) to the job row, where any process answers `GET /api/jobs/:id` — the page
 * may be closed and opened again. A cancel sets `cancel_requested`; the job sees it at its next
 * progress step and ends as cancelled. What a job produces is written in one transaction that
 * also ends the job, after a last look at the cancel flag under the row's lock: a cancelled job
 * leaves nothing half-written, and a job that has saved its result can no longer be cancelled.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Job, Json, Storage } from '@yuanping/storage';
import { ApiError, formatMessage } from './errors.js';

/** Thrown inside a job's work when its cancel was asked for (or its server is closing). */
export class JobStopped extends Error {
  constructor(readonly why: 'cancelled' | 'closing') {
    super(why === 'cancelled' ? '任务已取消' : '服务器正在停止');
    this.name = 'JobStopped';
  }
}

export interface JobRun {
  job: Job;
  /**
   * Records progress (and the heartbeat); throws JobStopped when the cancel was asked for. Call it
   * between chunks of the work: it also lets the event loop turn, so other requests are served.
   */
  progress(done: number, p?: { total?: number; phase?: string }): Promise<void>;
  /**
   * Writes the job's result in one transaction that also ends the job as succeeded (the id `fn`
   * returns); throws JobStopped, writing nothing, when the cancel was asked for.
   */
  commit(fn: (t: Storage) => Promise<string>, done?: number): Promise<string>;
}

export interface StartJob {
  kind: string;
  orgCode: string | null;
  params: Json;
  total?: number;
  createdBy: string | null;
}

/** A job not heard from for this long (no progress, no heartbeat) is taken as interrupted. */
export const JOB_STALE_MS = 15 * 60_000;

export class JobRunner {
  private queue: Array<() => Promise<void>> = [];
  private active: Promise<void> | null = null;
  private closing = false;
  /** How many jobs this process has run to their end (any status), for tests and metrics. */
  finished = 0;

  constructor(
    private readonly storage: Storage,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => Date,
  ) {}

  /** Creates the job (queued) and runs `work` when this process's earlier jobs are done. */
  async start(spec: StartJob, work: (r: JobRun) => Promise<void>): Promise<Job> {
    const job = await this.storage.createJob({ ...spec, at: this.now() });
    this.queue.push(() => this.run(job, work));
    this.pump();
    return job;
  }

  /** Resolves when every job this process has accepted has ended. */
  async idle(): Promise<void> {
    while (this.active) await this.active;
  }

  /** Server closing: running jobs stop at their next step (failed, JOB_INTERRUPTED), queued ones are ended the same way. */
  async close(): Promise<void> {
    this.closing = true;
    await this.idle();
  }

  private pump(): void {
    if (this.active) return;
    const next = this.queue.shift();
    if (!next) return;
    this.active = next()
      .catch((err: unknown) => this.log.error({ err }, 'job could not be ended'))
      .finally(() => {
      this.active = null;
      this.pump();
    });
  }

  private async run(job: Job, work: (r: JobRun) => Promise<void>): Promise<void> {
    const { storage } = this;
    try {
      if (this.closing) throw new JobStopped('closing');
      // null: cancelled while it waited
      const started = await storage.startJob(job.id, this.now());
      if (!started) return;
      let lastDone = 0;
      const check = (cancelRequested: boolean) => {
        if (this.closing) throw new JobStopped('closing');
        if (cancelRequested) throw new JobStopped('cancelled');
      };
      await work({
        job: started,
        progress: async (done, p = {}) => {
          lastDone = done;
          // one turn of the event loop: the requests that arrived meanwhile are served
          await new Promise<void>((r) => setImmediate(r));
          check((await storage.setJobProgress(job.id, { done, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.phase ? { phase: p.phase } : {}) }, this.now())).cancelRequested);
        },
        commit: (fn, done) =>
          storage.transaction(async (t) => {
            const j = await t.getJob(job.id, { forUpdate: true });
            check(!j || j.status !== 'running' || j.cancelRequested);
            const id = await fn(t);
            await t.finishJob(job.id, { status: 'succeeded', resultId: id, done: done ?? lastDone }, this.now());
            return id;
          }),
      });
    } catch (e) {
      if (e instanceof JobStopped && e.why === 'cancelled') {
        await storage.finishJob(job.id, { status: 'cancelled' }, this.now());
      } else if (e instanceof JobStopped) {
        await storage.finishJob(job.id, { status: 'failed', errorCode: 'JOB_INTERRUPTED', errorMessage: formatMessage('JOB_INTERRUPTED', {}) }, this.now());
      } else if (e instanceof ApiError) {
        await storage.finishJob(job.id, { status: 'failed', errorCode: e.code, errorMessage: e.message }, this.now());
      } else {
        this.log.error({ err: e, jobId: job.id, kind: job.kind }, 'job failed');
        const detail = e instanceof Error ? e.message : String(e);
        await storage.finishJob(job.id, { status: 'failed', errorCode: 'JOB_FAILED', errorMessage: formatMessage('JOB_FAILED', { detail }) }, this.now());
      }
    } finally {
      this.finished++;
    }
  }
}
