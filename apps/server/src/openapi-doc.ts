/**
 * The server's OpenAPI document without a running server: the routes are built on an empty
 * in-memory database and their schemas (contract.ts, components.ts) read out. `pnpm gen:api`
 * writes the web app's types from it (scripts/gen-api.ts).
 */
import { openStorage } from '@yuanping/storage';
import { buildServer } from './app.js';
import { coreEngine } from './engine.js';

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const storage = await openStorage();
  const app = await buildServer({ storage, engine: coreEngine, webDir: null, processMetrics: false });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await storage.close();
  }
}
