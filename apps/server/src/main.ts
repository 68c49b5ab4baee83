import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from './app.js';
import { ensureAdmin, publishRepoPacks, seedDemo, seedOrgUnits, DEMO_PASSWORD } from './seed.js';
import { loadEngine } from './engine.js';
import { openStorage } from '@yuanping/storage';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.YUANPING_DATA_DIR ?? join(ROOT, '.data'));
  const demo = process.env.YUANPING_DEMO !== undefined ? process.env.YUANPING_DEMO !== '0' : process.env.NODE_ENV !== 'production';
  // The demo notices are past years': demo mode does not enforce their windows unless asked to.
  const enforceWindows = process.env.YUANPING_ENFORCE_WINDOWS !== undefined ? process.env.YUANPING_ENFORCE_WINDOWS !== '0' : !demo;
  // YUANPING_NOW sets the server clock (it then runs on from there), e.g. to replay a notice's window.
  const startAt = process.env.YUANPING_NOW ? new Date(process.env.YUANPING_NOW) : null;
  if (startAt && Number.isNaN(startAt.getTime())) throw new Error(`YUANPING_NOW 不是有效的时间：${process.env.YUANPING_NOW}`);
  const offset = startAt ? startAt.getTime() - Date.now() : 0;
  const now = () => new Date(Date.now() + offset);

  const schema = process.env.YUANPING_DB_SCHEMA || undefined;
  const storage = await openStorage({
    ...(databaseUrl ? { databaseUrl, ...(schema ? { schema } : {}) } : { dataDir }),
    onPoolError: (err) => console.error('数据库连接池错误（将自动重连）：', err.message),
  });
  const engine = await loadEngine();
  const app = await buildServer({
    storage,
    engine,
    logger: true,
    enforceWindows,
    now,
    secureCookies: process.env.YUANPING_SECURE_COOKIES === '1',
    trustProxy: process.env.YUANPING_TRUST_PROXY === '1',
  });
  app.addHook('onClose', async () => storage.close());

  await seedOrgUnits(storage);
  if (process.env.YUANPING_ADMIN_PASSWORD) {
    const username = process.env.YUANPING_ADMIN_USERNAME || 'admin';
    if (await ensureAdmin(storage, username, process.env.YUANPING_ADMIN_PASSWORD)) app.log.info(`已创建管理员账户 ${username}`);
  } else if (!demo && !(await storage.listUsers()).some((u) => u.role === 'admin')) {
    app.log.warn('没有管理员账户：请设置 YUANPING_ADMIN_PASSWORD（及可选的 YUANPING_ADMIN_USERNAME）后重启以创建第一个管理员');
  }
  if (demo) {
    const users = await seedDemo(storage);
    if (users.length) app.log.info(`演示账户已创建：${users.join('、')}（密码 ${DEMO_PASSWORD}）`);
    const packs = await publishRepoPacks(storage, engine, ROOT, (m) => app.log.warn(m));
    if (packs.length) app.log.info(`已发布通知包：${packs.join('、')}`);
  }

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
  app.log.info(`申报时间窗口：${enforceWindows ? '强制执行' : '不强制（演示模式）'}${startAt ? `；服务器时钟从 ${startAt.toISOString()} 起` : ''}`);
  app.log.info(`园评服务已启动：http://${host}:${port}（数据库：${storage.kind === 'pg' ? 'PostgreSQL' : `PGlite ${dataDir}`}；API 文档 /docs）`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
