import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

export interface WorkQueueOptions {
  /** Name in metrics and logs (`signin`, `evaluate`, `export`). */
  name: string;
  /** Chinese name in the 503 message. */
  label: string;
  /** How many run at once in this process. */
  concurrency: number;
  /** How many may wait; one more is refused with 503 + Retry-After. */
  maxWaiting: number;
  /** Seconds a refused client is told to wait (Retry-After). */
  retryAfterSeconds: number;
  /**
   * Longest wait for a slot, in ms: a request still waiting then is refused like one that found the
   * queue full (its client would soon give up anyway, and then the work is wasted). 0: no limit.
   */
  maxWaitMs?: number;
}

export interface QueueStats {
  active: number;
  waiting: number;
  /** Refused because the queue was full (503). */
  shed: number;
  /** Dropped before they ran because their client had gone. */
  dropped: number;
  done: number;
}

interface Waiter {
  start: () => void;
  gone: () => void;
}

/**
 * A bounded queue for expensive work of one kind (password hashing, evaluation, exports): at most
 * `concurrency` at once, at most `maxWaiting` waiting, the rest refused at once with OVERLOADED
 * (503, Retry-After) instead of piling up behind each other until every client has timed out.
 * Work whose client has disconnected while it waited is dropped, never run.
 */
export class WorkQueue {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  readonly stats: Omit<QueueStats, 'active' | 'waiting'> = { shed: 0, dropped: 0, done: 0 };
  /** Called when a request is refused (for the log line). */
  onShed: ((req: FastifyRequest) => void) | null = null;

  constructor(readonly opts: WorkQueueOptions) {}

  snapshot(): QueueStats {
    return { active: this.active, waiting: this.waiting.length, ...this.stats };
  }

  /** Runs `fn` when a slot is free; refuses when the queue is full, drops it when the client goes. */
  async run<T>(req: FastifyRequest, reply: FastifyReply, fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.opts.concurrency) {
      if (this.waiting.length >= this.opts.maxWaiting) {
        this.stats.shed++;
        this.onShed?.(req);
        void reply.header('retry-after', String(this.opts.retryAfterSeconds));
        throw new ApiError('OVERLOADED', { work: this.opts.label, seconds: this.opts.retryAfterSeconds });
      }
      await new Promise<void>((resolve, reject) => {
        const w: Waiter = {
          start: () => {
            reply.raw.off('close', onClose);
            resolve();
          },
          gone: () => {
            this.stats.dropped++;
            reject(new ApiError('CLIENT_GONE'));
          },
        };
        // the response closing before it was sent: the client hung up while it waited
        const onClose = () => {
          const i = this.waiting.indexOf(w);
          if (i >= 0) {
            this.waiting.splice(i, 1);
            w.gone();
          }
        };
        reply.raw.once('close', onClose);
        this.waiting.push(w);
        if (this.opts.maxWaitMs) {
          const timer = setTimeout(() => {
            const i = this.waiting.indexOf(w);
            if (i < 0) return;
            this.waiting.splice(i, 1);
            reply.raw.off('close', onClose);
            this.stats.shed++;
            this.onShed?.(req);
            void reply.header('retry-after', String(this.opts.retryAfterSeconds));
            reject(new ApiError('OVERLOADED', { work: this.opts.label, seconds: this.opts.retryAfterSeconds }));
          }, this.opts.maxWaitMs);
          const start = w.start;
          const gone = w.gone;
          w.start = () => (clearTimeout(timer), start());
          w.gone = () => (clearTimeout(timer), gone());
        }
      });
    } else this.active++;
    try {
      // Let the event loop turn once first: synchronous work (an evaluation) then takes turns with
      // the cheap requests instead of running back to back, and those arriving meanwhile queue here.
      await new Promise<void>((r) => setImmediate(r));
      if (req.raw.socket?.destroyed) {
        this.stats.dropped++;
        throw new ApiError('CLIENT_GONE');
      }
      return await fn();
    } finally {
      this.stats.done++;
      const next = this.waiting.shift();
      // the slot passes straight to the next waiter (active stays the same)
      if (next) next.start();
      else this.active--;
    }
  }
}

/** The queues of one server process (sizes from the server options; README: YUANPING_QUEUE_*). */
export interface Queues {
  signin: WorkQueue;
  evaluate: WorkQueue;
  export: WorkQueue;
}

export interface QueueSizes {
  /** Concurrent sign-in password hashes (scrypt, memory-hard: 16 MiB and ≈ 50 ms of CPU each, in libuv's thread pool). */
  signinConcurrency?: number;
  signinWaiting?: number;
  /** Longest wait in each queue, ms (YUANPING_QUEUE_MAX_WAIT_MS, default 5000). */
  maxWaitMs?: number;
  /** Evaluations are synchronous: 1 means they take turns with the other requests. */
  evaluateConcurrency?: number;
  evaluateWaiting?: number;
  exportConcurrency?: number;
  exportWaiting?: number;
}

export function makeQueues(s: QueueSizes = {}): Queues {
  return {
    signin: new WorkQueue({ name: 'signin', label: '登录', concurrency: s.signinConcurrency ?? 2, maxWaiting: s.signinWaiting ?? 100, retryAfterSeconds: 2, maxWaitMs: s.maxWaitMs ?? 5000 }),
    evaluate: new WorkQueue({ name: 'evaluate', label: '评价计算', concurrency: s.evaluateConcurrency ?? 1, maxWaiting: s.evaluateWaiting ?? 50, retryAfterSeconds: 2, maxWaitMs: s.maxWaitMs ?? 5000 }),
    export: new WorkQueue({ name: 'export', label: '导出', concurrency: s.exportConcurrency ?? 1, maxWaiting: s.exportWaiting ?? 10, retryAfterSeconds: 10, maxWaitMs: s.maxWaitMs ? s.maxWaitMs * 6 : 30_000 }),
  };
}
