import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { buildServer } from './app.js';
import { ensureAdmin, publishRepoPacks, seedDemo, seedOrgUnits, DEMO_PASSWORD } from './seed.js';
import { loadEngine, type Engine } from './engine.js';
import { webhookChannel } from './notify.js';
import { openStorage, pgSettingsFromEnv, type Storage } from '@yuanping/storage';
import { metricsServerOptions, shareWithPrimary, startMetricsServer } from './metrics-server.js';
import type { QueueSizes } from './work-queue.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** YUANPING_WORKERS: how many server processes share the port (node:cluster); `auto`: one per CPU. */
function workerCount(v: string | undefined): number {
  if (!v) return 1;
  if (v === 'auto') return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`YUANPING_WORKERS 应为正整数或 auto：${v}`);
  return n;
}

function positiveInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} 应为不小于 0 的整数：${v}`);
  return n;
}

/** YUANPING_QUEUE_<KIND>_CONCURRENCY / _WAITING for signin, evaluate, export (README). */
function queueSizes(): QueueSizes {
  const out: QueueSizes = {};
  const set = (k: keyof QueueSizes, name: string) => {
    const n = positiveInt(name);
    if (n !== undefined) out[k] = n;
  };
  set('signinConcurrency', 'YUANPING_QUEUE_SIGNIN_CONCURRENCY');
  set('signinWaiting', 'YUANPING_QUEUE_SIGNIN_WAITING');
  set('evaluateConcurrency', 'YUANPING_QUEUE_EVALUATE_CONCURRENCY');
  set('evaluateWaiting', 'YUANPING_QUEUE_EVALUATE_WAITING');
  set('exportConcurrency', 'YUANPING_QUEUE_EXPORT_CONCURRENCY');
  set('exportWaiting', 'YUANPING_QUEUE_EXPORT_WAITING');
  set('maxWaitMs', 'YUANPING_QUEUE_MAX_WAIT_MS');
  return out;
}

function sessionCacheMs(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`YUANPING_SESSION_CACHE_MS 应为不小于 0 的毫秒数：${v}`);
  return n;
}

/** Org units, the first administrator, demo accounts and packs: once per start (by the primary when there are workers). */
async function prepare(storage: Storage, engine: Engine, demo: boolean, log: FastifyBaseLogger): Promise<void> {
  await seedOrgUnits(storage);
  if (process.env.YUANPING_ADMIN_PASSWORD) {
    const username = process.env.YUANPING_ADMIN_USERNAME || 'admin';
    if (await ensureAdmin(storage, username, process.env.YUANPING_ADMIN_PASSWORD)) log.info(`已创建管理员账户 ${username}`);
  } else if (!demo && !(await storage.listUsers()).some((u) => u.role === 'admin')) {
    log.warn('没有管理员账户：请设置 YUANPING_ADMIN_PASSWORD（及可选的 YUANPING_ADMIN_USERNAME）后重启以创建第一个管理员');
  }
  if (demo) {
    const users = await seedDemo(storage);
    if (users.length) log.info(`演示账户已创建：${users.join('、')}（密码 ${DEMO_PASSWORD}）`);
    const packs = await publishRepoPacks(storage, engine, ROOT, (m) => log.warn(m));
    if (packs.length) log.info(`已发布通知包：${packs.join('、')}`);
  }
}

/**
 * With YUANPING_WORKERS > 1 (PostgreSQL only): this process prepares the database once, then runs
 * that many server processes on the same port (node:cluster hands each new connection to one of
 * them) and replaces one that dies. It serves no requests itself; SIGINT/SIGTERM stop them all.
 * Everything the processes must agree on is in the database (see README, server section).
 */
async function primary(workers: number, storage: Storage, engine: Engine, demo: boolean, log: FastifyBaseLogger): Promise<void> {
  try {
    await prepare(storage, engine, demo, log);
  } finally {
    await storage.close();
  }
  let stopping = false;
  let quickDeaths = 0;
  const started = new Map<number, number>();
  const fork = () => {
    const w = cluster.fork();
    started.set(w.id, Date.now());
  };
  let alive = 0;
  cluster.on('fork', () => alive++);
  cluster.on('exit', (w, code, signal) => {
    alive--;
    if (stopping) {
      if (alive === 0) process.exit(0);
      return;
    }
    log.error(`工作进程 ${w.process.pid} 已退出（${signal ?? code}），正在重启`);
    quickDeaths = Date.now() - (started.get(w.id) ?? 0) < 10_000 ? quickDeaths + 1 : 0;
    if (quickDeaths >= 5) {
      log.error('工作进程启动后接连退出，停止服务');
      process.exit(1);
    }
    fork();
  });
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`收到 ${signal}，正在关闭 ${alive} 个工作进程`);
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 15_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (process.env.YUANPING_MEMORY_REPORT === '1') {
    process.on('SIGUSR2', () => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGUSR2');
    });
  }
  for (let i = 0; i < workers; i++) fork();
  const m = metricsServerOptions();
  if (m) {
    await startMetricsServer(m, 'cluster');
    log.info(`运行指标（Prometheus）：http://${m.host}:${m.port}/metrics（${workers} 个工作进程之和${m.token ? '；需 Bearer 令牌' : ''}）`);
  }
  log.info(`园评服务：${workers} 个工作进程共用端口 ${process.env.PORT ?? 3000}（YUANPING_WORKERS）`);
}

async function main(): Promise<void> {
  const workers = workerCount(process.env.YUANPING_WORKERS);
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.YUANPING_DATA_DIR ?? join(ROOT, '.data'));
  const demo = process.env.YUANPING_DEMO !== undefined ? process.env.YUANPING_DEMO !== '0' : process.env.NODE_ENV !== 'production';
  // The demo notices are past years': demo mode does not enforce their windows unless asked to.
  const enforceWindows = process.env.YUANPING_ENFORCE_WINDOWS !== undefined ? process.env.YUANPING_ENFORCE_WINDOWS !== '0' : !demo;
  // Production refuses to publish a pack whose administrator-set parameters are still placeholders.
  const strictPublish = process.env.YUANPING_STRICT_PUBLISH !== undefined ? process.env.YUANPING_STRICT_PUBLISH !== '0' : !demo;
  // YUANPING_NOW sets the server clock (it then runs on from there), e.g. to replay a notice's window.
  const startAt = process.env.YUANPING_NOW ? new Date(process.env.YUANPING_NOW) : null;
  if (startAt && Number.isNaN(startAt.getTime())) throw new Error(`YUANPING_NOW 不是有效的时间：${process.env.YUANPING_NOW}`);
  const offset = startAt ? startAt.getTime() - Date.now() : 0;
  const now = () => new Date(Date.now() + offset);

  const schema = process.env.YUANPING_DB_SCHEMA || undefined;
  if (workers > 1 && !databaseUrl) throw new Error('YUANPING_WORKERS 大于 1 需要 PostgreSQL（设置 DATABASE_URL）：PGlite 只能由一个进程打开');
  const logLevel = process.env.YUANPING_LOG_LEVEL || 'info';
  const storage = await openStorage({
    ...(databaseUrl ? { databaseUrl, ...(schema ? { schema } : {}), ...pgSettingsFromEnv() } : { dataDir }),
    onPoolError: (err) => console.error('数据库连接池错误（将自动重连）：', err.message),
  });
  const engine = await loadEngine();
  if (workers > 1 && cluster.isPrimary) return primary(workers, storage, engine, demo, Fastify({ logger: { level: logLevel } }).log);
  const app = await buildServer({
    storage,
    engine,
    logger: true,
    logLevel,
    logRequests: process.env.YUANPING_LOG_REQUESTS !== '0',
    ...(process.env.YUANPING_SESSION_CACHE_MS ? { sessionCacheMs: sessionCacheMs(process.env.YUANPING_SESSION_CACHE_MS) } : {}),
    enforceWindows,
    strictPublish,
    demo,
    now,
    secureCookies: process.env.YUANPING_SECURE_COOKIES === '1',
    trustProxy: process.env.YUANPING_TRUST_PROXY === '1',
    ...(process.env.YUANPING_NOTIFY_WEBHOOK ? { outbound: webhookChannel(process.env.YUANPING_NOTIFY_WEBHOOK) } : {}),
    queues: queueSizes(),
    ...(positiveInt('YUANPING_SLOW_MS') !== undefined ? { slowMs: positiveInt('YUANPING_SLOW_MS') as number } : {}),
  });
  shareWithPrimary(app.metrics.registry);
  app.addHook('onClose', async () => storage.close());

  // a cluster worker finds the database prepared by the primary
  if (!cluster.isWorker) await prepare(storage, engine, demo, app.log);

  const stop = async (signal: string) => {
    app.log.info(`收到 ${signal}，正在关闭`);
    await app.close();
    process.exit(0);
  };
  // Diagnostics for soak tests: on SIGUSR2, collect garbage (when run with --expose-gc) and print
  // the process's memory as one line. Off unless asked for.
  if (process.env.YUANPING_MEMORY_REPORT === '1') {
    process.on('SIGUSR2', () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      console.log(`YUANPING_MEMORY ${JSON.stringify({ ...process.memoryUsage(), gc: typeof gc === 'function' })}`);
    });
  }
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port, host });
  if (cluster.isWorker) return;
  const m = metricsServerOptions();
  if (m) {
    await startMetricsServer(m, app.metrics.registry);
    app.log.info(`运行指标（Prometheus）：http://${m.host}:${m.port}/metrics${m.token ? '（需 Bearer 令牌）' : ''}`);
  }
  app.log.info(`申报时间窗口：${enforceWindows ? '强制执行' : '不强制（演示模式）'}${startAt ? `；服务器时钟从 ${startAt.toISOString()} 起` : ''}`);
  app.log.info(`园评服务已启动：http://${host}:${port}（数据库：${storage.kind === 'pg' ? 'PostgreSQL' : `PGlite ${dataDir}`}；API 文档 /docs）`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
