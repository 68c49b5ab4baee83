import { testPackFiles, TEST_PACK_ID } from '../../apps/server/src/testing/fixture-pack.js';
import { HttpClient } from './server-process.js';

export { TEST_PACK_ID };
export const VALID_DATA = { name: '测试园区', firms: 12, score: 8 };

/** Publishes the small inline test pack through the admin API (idempotent: same hash, same version). */
export async function publishTestPack(base: string): Promise<void> {
  const admin = await HttpClient.login(base, 'admin');
  const r = await admin.post('/api/packs', { id: TEST_PACK_ID, files: testPackFiles() });
  if (r.status !== 201 && r.status !== 200) throw new Error(`publish: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Runs `fn` over `items` with at most `n` in flight. */
export async function mapLimit<T, R>(items: T[], n: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function envInt(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
}
