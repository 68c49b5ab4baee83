import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Storage } from '@yuanping/storage';
import type { Queues } from './work-queue.js';

/**
 * The server's metrics in Prometheus text format (prom-client): request rates and latencies by
 * route, errors by code, draft saves by result, queue depths, the database pool's use, and the
 * process's CPU and memory. One registry per server instance; `main.ts` serves it on
 * YUANPING_METRICS_PORT (with several workers the primary process serves all of theirs together).
 */
export interface Metrics {
  registry: Registry;
  errors: Counter<'code'>;
}

export function installMetrics(app: FastifyInstance, storage: Storage, queues: Queues, opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'yuanping_' });
  const requests = new Counter({ name: 'yuanping_http_requests_total', help: 'HTTP 请求数（按方法、路由、状态码）', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  const duration = new Histogram({
    name: 'yuanping_http_request_duration_seconds',
    help: 'HTTP 请求用时（秒）',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const errors = new Counter({ name: 'yuanping_errors_total', help: '错误答复数（按错误码）', labelNames: ['code'] as const, registers: [registry] });
  const saves = new Counter({ name: 'yuanping_draft_saves_total', help: '草稿保存（自动保存）数，按状态码：200 成功，412 版本冲突，其他失败', labelNames: ['status'] as const, registers: [registry] });
  new Gauge({
    name: 'yuanping_queue_depth',
    help: '昂贵工作队列：正在执行（active）与等待（waiting）的数量',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    collect() {
      for (const q of Object.values(queues)) {
        const s = q.snapshot();
        this.set({ queue: q.opts.name, state: 'active' }, s.active);
        this.set({ queue: q.opts.name, state: 'waiting' }, s.waiting);
      }
    },
  });
  new Gauge({
    name: 'yuanping_queue_outcomes',
    help: '昂贵工作队列累计：完成（done）、因队列满拒绝（shed，503）、客户端已断开而丢弃（dropped）',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
    collect() {
      for (const q of Object.values(queues)) {
        const s = q.snapshot();
        for (const o of ['done', 'shed', 'dropped'] as const) this.set({ queue: q.opts.name, outcome: o }, s[o]);
      }
    },
  });
  new Gauge({
    name: 'yuanping_db_pool_connections',
    help: '数据库连接池：总数（total）、空闲（idle）、等待连接的请求（waiting）、上限（max）',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const p = storage.poolStats();
      if (!p) return;
      for (const k of ['total', 'idle', 'waiting', 'max'] as const) this.set({ state: k }, p[k]);
    },
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    requests.inc({ method: req.method, route, status: String(status) });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    if (req.method === 'PUT' && route === '/api/submissions/:id') saves.inc({ status: String(status) });
  });
  return { registry, errors };
}
