import type { User } from '@yuanping/storage';

export interface CachedSession {
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Live sessions this process has read from the database in the last `ttlMs` milliseconds, keyed
 * by the session token's hash, so that a request does not read its session again every time.
 *
 * Bounds: an entry is used for at most `ttlMs` after it was read, and never past the session's
 * own expiry. Signing out in this process forgets the entry at once; a session ended in another
 * process (several servers on one PostgreSQL) is still honoured here for at most `ttlMs`.
 * Unknown or expired tokens are never cached (each such request reads the database).
 * `ttlMs` 0 turns the cache off.
 */
export class SessionCache {
  private readonly entries = new Map<string, CachedSession & { until: number }>();

  readonly ttlMs: number;
  constructor(
    ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.ttlMs = Number.isFinite(ttlMs) && ttlMs > 0 ? ttlMs : 0;
  }

  /** The cached session, if it is fresh and not expired at `now` (the server's clock). */
  get(hash: string, now: Date): CachedSession | null {
    if (this.ttlMs <= 0) return null;
    const e = this.entries.get(hash);
    if (!e) return null;
    if (e.until <= this.clock() || e.expiresAt.getTime() <= now.getTime()) {
      this.entries.delete(hash);
      return null;
    }
    return e;
  }

  set(hash: string, s: CachedSession): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      // drop the oldest (a Map iterates in insertion order)
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(hash);
    this.entries.set(hash, { ...s, until: this.clock() + this.ttlMs });
  }

  /** Forget one session (sign-out). */
  delete(hash: string): void {
    this.entries.delete(hash);
  }

  /** Forget every session of a user (a change to the user's account). */
  deleteUser(userId: string): void {
    for (const [k, e] of this.entries) if (e.user.id === userId) this.entries.delete(k);
  }

  clear(): void {
    this.entries.clear();
  }
}
