// The server tests' one way to start a harness and sign in: a test file (or a describe block)
// calls `serverFor(options, users)` once; the harness starts in a beforeAll, the named demo users
// sign in (in parallel), and the harness closes in an afterAll, whatever the tests did.
import { afterAll, beforeAll } from 'vitest';
import { makeHarness, type Client, type Harness, type HarnessOptions } from '../../apps/server/src/testing/harness.js';

/** A started harness and its signed-in clients, by the name the test gave them. */
export type Server<U extends string> = { readonly h: Harness } & { readonly [K in U]: Client };

/**
 * Registers the beforeAll that starts a harness with `options` (or what `options()` returns at
 * that moment) and signs in `users` (name in the test → demo username, e.g.
 * `{ applicant: 'applicant-hz' }`), and the afterAll that closes it. The returned object's `h`
 * and client properties are there from the beforeAll on; reading them earlier throws.
 */
export function serverFor<U extends string = never>(options: HarnessOptions | (() => HarnessOptions) = {}, users: Record<U, string> = {} as Record<U, string>): Server<U> {
  let harness: Harness | undefined;
  const clients = new Map<string, Client>();
  beforeAll(async () => {
    harness = await makeHarness(typeof options === 'function' ? options() : options);
    const names = Object.keys(users) as U[];
    const signedIn = await Promise.all(names.map((n) => (harness as Harness).login(users[n])));
    names.forEach((n, i) => clients.set(n, signedIn[i] as Client));
  });
  afterAll(async () => {
    await harness?.close();
  });
  const started = <T>(what: string, v: T | undefined): T => {
    if (v === undefined) throw new Error(`serverFor: ${what} is read before the harness started (use it inside a test or hook)`);
    return v;
  };
  const server = {} as Record<string, unknown>;
  Object.defineProperty(server, 'h', { get: () => started('h', harness), enumerable: true });
  for (const n of Object.keys(users)) Object.defineProperty(server, n, { get: () => started(n, clients.get(n)), enumerable: true });
  return server as Server<U>;
}
