import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { safeEqual } from './auth.js';

export interface MetricsServerOptions {
  port: number;
  /** Listen address: loopback by default — Prometheus scrapes it from inside, it is never public. */
  host: string;
  /** When set, the scraper must send `Authorization: Bearer <token>`. */
  token: string | undefined;
}

/** YUANPING_METRICS_PORT / _HOST / _TOKEN; null when no port is set (no metrics endpoint). */
export function metricsServerOptions(env: NodeJS.ProcessEnv = process.env): MetricsServerOptions | null {
  if (!env.YUANPING_METRICS_PORT) return null;
  const port = Number(env.YUANPING_METRICS_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`YUANPING_METRICS_PORT 应为端口号：${env.YUANPING_METRICS_PORT}`);
  return { port, host: env.YUANPING_METRICS_HOST || '127.0.0.1', token: env.YUANPING_METRICS_TOKEN || undefined };
}

/**
 * `GET /metrics` (Prometheus text format) on its own port, apart from the API: the load balancer
 * forwards only the API port, so the metrics are not on the internet. With several workers
 * (node:cluster) the primary process serves the sum of all workers' metrics (prom-client's
 * AggregatorRegistry asks each worker over IPC); a single process serves its own registry.
 */
export function startMetricsServer(o: MetricsServerOptions, source: Registry | 'cluster'): Promise<Server> {
  const aggregator = source === 'cluster' ? new AggregatorRegistry() : null;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (o.token && !safeEqual(req.headers.authorization ?? '', `Bearer ${o.token}`)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    const text = aggregator ? aggregator.clusterMetrics() : (source as Registry).metrics();
    text.then(
      (body) => res.writeHead(200, { 'content-type': (aggregator ?? (source as Registry)).contentType }).end(body),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`指标收集失败：${e instanceof Error ? e.message : String(e)}`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}

/** In a cluster worker: let the primary's aggregator read this worker's registry. */
export function shareWithPrimary(registry: Registry): void {
  if (cluster.isWorker) AggregatorRegistry.setRegistries([registry]);
}
