/**
 * The server the end-to-end tests (and `pnpm dev:web`) talk to: the real server on an
 * in-memory PGlite, with the demo accounts, the repo's packs and the e2e demo pack
 * published, and a clock fixed inside the demo pack's submission window.
 *
 *   tsx apps/web/e2e/harness.ts            (PORT, E2E_NOW optional)
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, coreEngine, publishRepoPacks, seedDemo, seedOrgUnits, type Engine } from '@yuanping/server';
import { openStorage } from '@yuanping/storage';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const PACKS = join(ROOT, 'test', 'e2e', 'packs');

export interface E2EServer {
  url: string;
  close(): Promise<void>;
}

export async function startE2EServer(opts: { port?: number; now?: string; log?: boolean } = {}): Promise<E2EServer> {
  const nowText = opts.now ?? process.env.E2E_NOW ?? '2021-08-21T10:00:00+08:00';
  const fixed = new Date(nowText).getTime();
  const started = Date.now();
  const now = () => new Date(fixed + (Date.now() - started));
  const engine: Engine = coreEngine;
  const storage = await openStorage({});
  // YUANPING_WEB_DIST: serve a build of the web app other than apps/web/dist (the web bench builds its own)
  const webDir = process.env.YUANPING_WEB_DIST;
  const app = await buildServer({ storage, engine, now, logger: opts.log ?? false, ...(webDir ? { webDir } : {}) });
  app.addHook('onClose', async () => storage.close());
  await seedOrgUnits(storage);
  await seedDemo(storage);
  const warn = (m: string) => console.warn(m);
    await publishRepoPacks(storage, engine, PACKS, warn);
  await publishRepoPacks(storage, engine, ROOT, warn);
  const address = await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  return { url: address, close: () => app.close() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await startE2EServer({ port: Number(process.env.PORT ?? 3100), log: false });
  console.log(`e2e 服务已启动：${s.url}`);
}
