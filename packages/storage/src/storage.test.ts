import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ATTACHMENT_CHUNK_BYTES, openPg, openPglite, openStorage, randomSchemaName, splitSql, Storage, type Db } from './index.js';

interface Backend {
  name: string;
  open: () => Promise<{ storage: Storage; cleanup: () => Promise<void> }>;
  /** an empty database, not migrated (tests of a migration) */
  fresh: () => Promise<{ db: Db; drop: () => Promise<void> }>;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA ${schema} CASCADE`);
  await c.end();
}

const backends: Backend[] = [
  {
    name: 'pglite',
    open: async () => {
      const storage = await openStorage();
      return { storage, cleanup: () => storage.close() };
    },
    fresh: async () => {
      const db = await openPglite();
      return { db, drop: () => db.close() };
    },
  },
];
/** PostgreSQL directly (DATABASE_URL) and through PgBouncer in transaction mode (DATABASE_URL_POOLED). */
const pgTargets: Array<[string, string | undefined]> = [
  ['postgres', process.env.DATABASE_URL],
  ['pgbouncer (transaction mode)', process.env.DATABASE_URL_POOLED],
];
for (const [name, url] of pgTargets) {
  if (!url) continue;
  backends.push({
    name,
    open: async () => {
      const schema = randomSchemaName();
      const storage = await openStorage({ databaseUrl: url, schema });
      return {
        storage,
        cleanup: async () => {
          await storage.close();
          await dropSchema(url, schema);
        },
      };
    },
    fresh: async () => {
      const schema = randomSchemaName();
      const db = await openPg({ connectionString: url, schema });
      return { db, drop: async () => (await db.close(), await dropSchema(url, schema)) };
    },
  });
}

describe('splitSql', () => {
  it('keeps dollar-quoted bodies whole', () => {
    expect(splitSql('a; b $$ x; y $$; c')).toEqual(['a', 'b $$ x; y $$', 'c']);
  });
});

describe.each(backends)('storage contract on $name', (backend) => {
  let s: Storage;
  let cleanup: () => Promise<void>;
  const now = new Date('2021-08-01T00:00:00Z');

  beforeAll(async () => {
    ({ storage: s, cleanup } = await backend.open());
    await s.upsertOrgUnits([
      { code: '33', name: '省', level: 'province', parentCode: null },
      { code: '3301', name: '甲市', level: 'city', parentCode: '33' },
      { code: '330101', name: '甲县', level: 'county', parentCode: '3301' },
    ]);
  });
  afterAll(async () => {
    await cleanup();
  });

  async function fixture(tag: string) {
    const park = await s.createPark({
      name: `园区${tag}`,
      creditCode: `CC${tag}`,
      countyCode: '330101',
      cityCode: '3301',
      contactName: null,
      contactMobile: null,
    });
    const user = await s.createUser({
      username: `u${tag}`,
      displayName: 'U',
      passwordHash: 'x',
      role: 'applicant',
      orgCode: '330101',
      parkId: park.id,
    });
    const { version: pv } = await s.publishPackVersion({
      packId: `p${tag}`,
      hash: `h${tag}`,
      title: 'T',
      manifest: { id: `p${tag}` },
      files: { 'pack.json': { id: `p${tag}` } },
      publishedBy: user.id,
    });
    const sub = await s.createSubmission({
      packVersionId: pv.id,
      packId: pv.packId,
      formId: 'f',
      parkId: park.id,
      countyCode: '330101',
      cityCode: '3301',
      status: 'draft',
      data: { a: 1 },
      createdBy: user.id,
    });
    return { park, user, pv, sub };
  }

  it('notifications: audience, unread count, read marks per user, dedupe across writers', async () => {
    const { user, park } = await fixture('n1');
    const reviewer = await s.createUser({ username: 'rn1', displayName: 'R', passwordHash: 'x', role: 'county', orgCode: '330101', parkId: null });
    const at = new Date('2021-08-21T02:00:00Z');
    const added = await s.addNotifications([
      { parkId: park.id, kind: 'submission.return', title: '退回', link: '/x', data: { a: 1 }, at },
      { orgCode: '330101', kind: 'remind', title: '催报', createdBy: user.id },
    ]);
    expect(added.map((n) => n.kind)).toEqual(['submission.return', 'remind']);
    expect(added[0]?.createdAt.toISOString()).toBe(at.toISOString());
    // the park's applicant sees the park's one, the county reviewer the county's one
    expect((await s.listNotifications({ parkId: park.id }, user.id)).map((n) => n.title)).toEqual(['退回']);
    expect((await s.listNotifications({ orgCode: '330101' }, reviewer.id)).map((n) => n.title)).toEqual(['催报']);
    expect(await s.countUnreadNotifications({ parkId: park.id }, user.id)).toBe(1);
    // two writers with one dedupe key: one row (as two server processes generating a deadline reminder)
    const key = { parkId: park.id, kind: 'deadline', title: '截止提醒', dedupeKey: `deadline:n1:${park.id}` };
    const [a, b] = await Promise.all([s.addNotifications([key]), s.addNotifications([key])]);
    expect(a.length + b.length).toBe(1);
    expect(await s.addNotifications([key])).toEqual([]);
    expect(await s.countUnreadNotifications({ parkId: park.id }, user.id)).toBe(2);
    // read marks are per user and idempotent; only the audience's own ids are marked
    const first = added[0];
    const other = added[1];
    if (!first || !other) throw new Error('not added');
    expect(await s.markNotificationsRead({ parkId: park.id }, user.id, [first.id, other.id])).toBe(1);
    expect(await s.markNotificationsRead({ parkId: park.id }, user.id, [first.id])).toBe(0);
    expect(await s.countUnreadNotifications({ parkId: park.id }, user.id)).toBe(1);
    expect((await s.listNotifications({ parkId: park.id }, user.id, { unreadOnly: true })).map((n) => n.kind)).toEqual(['deadline']);
    expect((await s.listNotifications({ parkId: park.id }, user.id, { kinds: ['submission.return'] }))[0]?.read).toBe(true);
    // by id: only the audience's own
    expect((await s.listNotifications({ parkId: park.id }, user.id, { ids: [first.id, other.id] })).map((n) => n.id)).toEqual([first.id]);
    expect(await s.countUnreadNotifications({ orgCode: '330101' }, reviewer.id)).toBe(1);
    expect(await s.markNotificationsRead({ orgCode: '330101' }, reviewer.id, 'all')).toBe(1);
    expect(await s.countUnreadNotifications({ orgCode: '330101' }, reviewer.id)).toBe(0);
    // an audience of neither park nor org unit is refused by the database
    await expect(s.addNotifications([{ kind: 'x', title: 'x' }])).rejects.toThrow();
  });

  it('migrations are idempotent', async () => {
    const { migrate } = await import('./index.js');
    // second run applies nothing
    expect(await migrate((s as unknown as { db: Parameters<typeof migrate>[0] }).db)).toEqual([]);
  });

  it('org units', async () => {
    expect((await s.getOrgUnit('3301'))?.name).toBe('甲市');
    expect((await s.listOrgUnits({ parentCode: '3301' })).map((u) => u.code)).toEqual(['330101']);
    expect((await s.listOrgUnits({ level: 'province' })).length).toBe(1);
  });

  it('users, parks and sessions', async () => {
    const { user, park } = await fixture('a');
    expect((await s.getUserByUsername('ua'))?.id).toBe(user.id);
    expect((await s.getParkByCreditCode('CCa'))?.id).toBe(park.id);
    expect((await s.listParks({ countyCode: '330101' })).length).toBeGreaterThan(0);
    await s.createSession({ idHash: 'h1', userId: user.id, csrfToken: 'c', expiresAt: new Date(now.getTime() + 1000) });
    expect((await s.getSession('h1', now))?.user.username).toBe('ua');
    expect(await s.getSession('h1', new Date(now.getTime() + 2000))).toBeNull();
    await s.deleteSession('h1');
    expect(await s.getSession('h1', now)).toBeNull();
  });

  it('accounts: a new password ends the other sessions and can be marked to be changed; a disabled user has no session', async () => {
    const { user } = await fixture('acct');
    expect(user.mustChangePassword).toBe(false);
    expect(user.disabledAt).toBeNull();
    const later = new Date(now.getTime() + 100_000);
    await s.createSession({ idHash: 'acct1', userId: user.id, csrfToken: 'c', expiresAt: later });
    await s.createSession({ idHash: 'acct2', userId: user.id, csrfToken: 'c', expiresAt: later });
    // the user's own change keeps the session it is made from
    const own = await s.updateUserAccount(user.id, { passwordHash: 'y', mustChangePassword: false, keepSession: 'acct1' });
    expect(own?.passwordHash).toBe('y');
    expect((await s.getSession('acct1', now))?.user.id).toBe(user.id);
    expect(await s.getSession('acct2', now)).toBeNull();
    // an administrator's reset: every session ends, the user must set a new password
    const reset = await s.updateUserAccount(user.id, { passwordHash: 'z', mustChangePassword: true });
    expect(reset?.mustChangePassword).toBe(true);
    expect(await s.getSession('acct1', now)).toBeNull();
    await s.createSession({ idHash: 'acct3', userId: user.id, csrfToken: 'c', expiresAt: later });
    expect((await s.getSession('acct3', now))?.user.mustChangePassword).toBe(true);
    // disabled: no session, none honoured; enabled again: a new sign-in works
    const off = await s.updateUserAccount(user.id, { disabled: true, at: now });
    expect(off?.disabledAt?.toISOString()).toBe(now.toISOString());
    expect(await s.getSession('acct3', now)).toBeNull();
    await s.createSession({ idHash: 'acct4', userId: user.id, csrfToken: 'c', expiresAt: later });
    expect(await s.getSession('acct4', now)).toBeNull();
    const on = await s.updateUserAccount(user.id, { disabled: false });
    expect(on?.disabledAt).toBeNull();
    expect((await s.getSession('acct4', now))?.user.id).toBe(user.id);
    expect(await s.updateUserAccount('nobody', { disabled: true })).toBeNull();
  });

  it('audit query: filters by actor, action family, submission, pack, area and time; newest first, paginated with the total', async () => {
    await s.upsertOrgUnits([
      { code: '3302', name: '乙市', level: 'city', parentCode: '33' },
      { code: '330201', name: '乙县', level: 'county', parentCode: '3302' },
    ]);
    const { user, sub, pv } = await fixture('aud');
    const other = await s.createUser({ username: 'aud-b', displayName: 'B', passwordHash: 'x', role: 'county', orgCode: '330201', parkId: null });
    const t = (m: number) => new Date(Date.UTC(2030, 0, 1, 0, m));
    await s.appendAudit({ actorId: user.id, action: 'aud.save', entity: 'submission', entityId: sub.id, at: t(1) });
    await s.appendAudit({ actorId: user.id, action: 'aud.submit', entity: 'submission', entityId: sub.id, at: t(2) });
    await s.appendAudit({ actorId: other.id, action: 'aud.login', entity: 'user', entityId: other.id, at: t(3) });
    await s.appendAudit({ actorId: null, action: 'aud.publish', entity: 'pack', entityId: pv.packId, at: t(4) });
    const q = (f: Parameters<Storage['queryAudit']>[0]) => s.queryAudit({ from: t(0), ...f });
    const all = await q({});
    expect(all.total).toBe(4);
    expect(all.entries.map((e) => e.action)).toEqual(['aud.publish', 'aud.login', 'aud.submit', 'aud.save']);
    expect((await q({ actorId: user.id })).entries.map((e) => e.action)).toEqual(['aud.submit', 'aud.save']);
    expect((await q({ action: 'aud' })).total).toBe(4);
    expect((await q({ action: 'aud.login' })).entries.map((e) => e.actorName)).toEqual(['B']);
    expect((await q({ submissionId: sub.id })).total).toBe(2);
    // the pack: its publication and what was done to its submissions
    expect((await q({ packId: pv.packId })).entries.map((e) => e.action)).toEqual(['aud.publish', 'aud.submit', 'aud.save']);
    // 甲县's area: the applicant's entries (a park of 甲县, a submission of 甲县); 乙市 and its county: B's sign-in
    expect((await q({ area: ['330101'] })).entries.map((e) => e.action)).toEqual(['aud.submit', 'aud.save']);
    expect((await q({ area: ['3302', '330201'] })).entries.map((e) => e.action)).toEqual(['aud.login']);
    expect((await q({ to: t(2) })).entries.map((e) => e.action)).toEqual(['aud.save']);
    const page2 = await q({ limit: 3, offset: 3 });
    expect(page2.total).toBe(4);
    expect(page2.entries.map((e) => e.action)).toEqual(['aud.save']);
  });

  it('rate limit counts in a window and resets after it', async () => {
    expect(await s.hitRateLimit('k', 1000, now)).toBe(1);
    expect(await s.hitRateLimit('k', 1000, new Date(now.getTime() + 10))).toBe(2);
    expect(await s.peekRateLimit('k', 1000, new Date(now.getTime() + 10))).toBe(2);
    expect(await s.hitRateLimit('k', 1000, new Date(now.getTime() + 5000))).toBe(1);
    expect(await s.peekRateLimit('k', 1000, new Date(now.getTime() + 9000))).toBe(0);
  });

  it('sign-in failures count from the last one, expire, and are swept; known devices are per user', async () => {
    const { user } = await fixture('sf');
    const since = (d: Date) => new Date(d.getTime() - 60_000);
    expect(await s.recordSignInFailure('user:x', now, since(now))).toBe(1);
    const t1 = new Date(now.getTime() + 30_000);
    expect(await s.recordSignInFailure('user:x', t1, since(t1))).toBe(2);
    expect(await s.signInFailures('user:x', since(t1))).toMatchObject({ failures: 2 });
    expect(new Date((await s.signInFailures('user:x', since(t1)))!.lastFailureAt).getTime()).toBe(t1.getTime());
    // more than a minute after the last failure it has expired: counting starts again
    const t2 = new Date(t1.getTime() + 61_000);
    expect(await s.signInFailures('user:x', since(t2))).toBeNull();
    expect(await s.recordSignInFailure('user:x', t2, since(t2))).toBe(1);
    await s.clearSignInFailures('user:x');
    expect(await s.signInFailures('user:x', new Date(0))).toBeNull();
    await s.rememberDevice('dev1', user.id, now);
    expect(await s.isKnownDevice('dev1', user.id, since(now))).toBe(true);
    expect(await s.isKnownDevice('dev1', 'someone-else', since(now))).toBe(false);
    await s.recordSignInFailure('ip:1', now, since(now));
    const swept = await s.deleteExpiredThrottling({ failuresBefore: t2, devicesBefore: t2, windowsBefore: new Date(0) });
    expect(swept).toBeGreaterThanOrEqual(2);
    expect(await s.isKnownDevice('dev1', user.id, new Date(0))).toBe(false);
    expect(await s.signInFailures('ip:1', new Date(0))).toBeNull();
  });

  it('an idempotency key keeps the hash of its request and expires', async () => {
    const { user } = await fixture('ik');
    const a = await s.transaction((t) => t.claimIdempotency(user.id, 'k-h', 'create', 'hash-a', now));
    expect(a).toMatchObject({ claimed: true, requestHash: 'hash-a' });
    const b = await s.transaction((t) => t.claimIdempotency(user.id, 'k-h', 'create', 'hash-b', now));
    expect(b).toMatchObject({ claimed: false, requestHash: 'hash-a' });
    expect(await s.deleteIdempotencyKeysBefore(now)).toBe(0);
    expect(await s.deleteIdempotencyKeysBefore(new Date(now.getTime() + 1))).toBeGreaterThanOrEqual(1);
    expect(await s.transaction((t) => t.claimIdempotency(user.id, 'k-h', 'create', 'hash-b', now))).toMatchObject({ claimed: true });
  });

  it('publish is idempotent by hash and versions increase; versions are immutable', async () => {
    const a = await s.publishPackVersion({ packId: 'pk', hash: 'h1', title: 't', manifest: {}, files: {}, publishedBy: null });
    const b = await s.publishPackVersion({ packId: 'pk', hash: 'h1', title: 't', manifest: {}, files: {}, publishedBy: null });
    const c = await s.publishPackVersion({ packId: 'pk', hash: 'h2', title: 't', manifest: {}, files: { x: 1 }, publishedBy: null });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.version.id).toBe(a.version.id);
    expect(c.version.version).toBe(2);
    expect((await s.getPackVersion(c.version.id))?.files).toEqual({ x: 1 });
    expect((await s.latestPackVersion('pk'))?.version).toBe(2);
    expect((await s.listPackVersions('pk')).length).toBe(2);
    await expect(s.transaction((t) => t.ping().then(() => (t as unknown as { q: { query: (x: string) => Promise<unknown> } }).q.query("UPDATE pack_versions SET title = 'x'")))).rejects.toThrow();
  });

  it('rollback: an earlier version current again; re-publishing its content makes it current; a new version is current', async () => {
    const v1 = (await s.publishPackVersion({ packId: 'rb', hash: 'r1', title: 't', manifest: {}, files: {}, publishedBy: null })).version;
    const v2 = (await s.publishPackVersion({ packId: 'rb', hash: 'r2', title: 't', manifest: {}, files: {}, publishedBy: null })).version;
    expect((await s.latestPackVersionRef('rb'))?.id).toBe(v2.id);
    await s.setCurrentPackVersion('rb', v1.id, null);
    expect((await s.latestPackVersionRef('rb'))?.id).toBe(v1.id);
    expect((await s.latestPackVersion('rb'))?.version).toBe(1);
    expect((await s.listPackVersions('rb')).map((v) => [v.version, v.current])).toEqual([
      [1, true],
      [2, false],
    ]);
    // the same content as version 2 again: version 2 is current again, no new version
    const seeded = await s.publishPackVersion({ packId: 'rb', hash: 'r2', title: 't', manifest: {}, files: {}, publishedBy: null });
    expect([seeded.created, seeded.madeCurrent]).toEqual([false, false]);
    expect((await s.latestPackVersionRef('rb'))?.id).toBe(v1.id);
    const again = await s.publishPackVersion({ packId: 'rb', hash: 'r2', title: 't', manifest: {}, files: {}, publishedBy: null, makeCurrent: true });
    expect([again.created, again.madeCurrent, again.version.id]).toEqual([false, true, v2.id]);
    expect((await s.latestPackVersionRef('rb'))?.id).toBe(v2.id);
    const same = await s.publishPackVersion({ packId: 'rb', hash: 'r2', title: 't', manifest: {}, files: {}, publishedBy: null, makeCurrent: true });
    expect([same.created, same.madeCurrent]).toEqual([false, false]);
    await s.setCurrentPackVersion('rb', v1.id, null);
    const v3 = await s.publishPackVersion({ packId: 'rb', hash: 'r3', title: 't', manifest: {}, files: {}, publishedBy: null });
    expect([v3.created, v3.version.version]).toEqual([true, 3]);
    expect((await s.latestPackVersionRef('rb'))?.id).toBe(v3.version.id);
  });

  it('pack drafts: create, read, update only on the expected revision, list, delete', async () => {
    const d = await s.createPackDraft({ packId: 'dr', title: '草稿', basedOnVersionId: null, files: { 'pack.json': { a: 1 } }, createdBy: null });
    expect(d.revision).toBe(1);
    expect((await s.getPackDraft(d.id))?.files).toEqual({ 'pack.json': { a: 1 } });
    const u = await s.updatePackDraft(d.id, 1, { 'pack.json': { a: 2 } });
    expect(u?.revision).toBe(2);
    expect(await s.updatePackDraft(d.id, 1, { 'pack.json': { a: 3 } })).toBeNull();
    expect((await s.getPackDraft(d.id))?.files).toEqual({ 'pack.json': { a: 2 } });
    expect((await s.listPackDrafts()).some((x) => x.id === d.id && x.packId === 'dr' && !('files' in x))).toBe(true);
    expect(await s.deletePackDraft(d.id)).toBe(true);
    expect(await s.getPackDraft(d.id)).toBeNull();
    expect(await s.deletePackDraft(d.id)).toBe(false);
  });

  it('optimistic update: only the expected version wins', async () => {
    const { sub } = await fixture('b');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => s.updateSubmissionData(sub.id, sub.version, ['draft'], { a: i }, null, now)),
    );
    expect(results.filter((r) => r !== null).length).toBe(1);
    expect(await s.updateSubmissionData(sub.id, sub.version + 1, ['submitted'], {}, null, now)).toBeNull();
  });

  it('transitions are conditional', async () => {
    const { sub, user } = await fixture('c');
    const t = await s.transitionSubmission(sub.id, ['draft'], 'submitted', now, { submittedAt: now });
    expect(t?.status).toBe('submitted');
    expect(t?.submittedAt?.toISOString()).toBe(now.toISOString());
    expect(await s.transitionSubmission(sub.id, ['draft'], 'submitted', now)).toBeNull();
    await s.addReview({ submissionId: sub.id, level: 'county', action: 'pass', comment: '好', fromStatus: 'submitted', toStatus: 'x', reviewerId: user.id });
    expect((await s.listReviews(sub.id))[0]?.comment).toBe('好');
    await s.addRescore({ submissionId: sub.id, level: 'county', item: 'i', selfScore: 5, score: 3, reason: 'r', reviewerId: user.id });
    expect((await s.listRescores(sub.id))[0]).toMatchObject({ selfScore: 5, score: 3 });
    expect((await s.listSubmissions({ statuses: ['submitted'], parkId: sub.parkId })).length).toBe(1);
    expect((await s.listSubmissions({ excludeStatuses: ['submitted'], parkId: sub.parkId })).length).toBe(0);
  });

  it('transactions roll back as a whole', async () => {
    const { sub } = await fixture('d');
    await expect(
      s.transaction(async (t) => {
        await t.transitionSubmission(sub.id, ['draft'], 'submitted', now);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await s.getSubmission(sub.id))?.status).toBe('draft');
  });

  it('idempotency keys: one claim, others see the stored response', async () => {
    const { user } = await fixture('e');
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        s.transaction(async (t) => {
          const c = await t.claimIdempotency(user.id, 'key1', 'submit');
          if (c.claimed) await t.completeIdempotency(user.id, 'key1', 200, { ok: true });
          return c;
        }),
      ),
    );
    expect(outcomes.filter((o) => o.claimed).length).toBe(1);
    for (const o of outcomes.filter((x) => !x.claimed)) expect(o).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('quota seats are race-safe and released', async () => {
    const subs = await Promise.all(['q1', 'q2', 'q3', 'q4', 'q5'].map((t) => fixture(t)));
    const got = await Promise.all(subs.map((f) => s.takeQuotaSeat('pq', 'rec', '3301', 2, f.sub.id)));
    expect(got.filter(Boolean).length).toBe(2);
    expect(await s.quotaUsed('pq', 'rec', '3301')).toBe(2);
    const holder = subs[got.indexOf(true)];
    expect(await s.releaseQuotaSeat(holder!.sub.id)).toBe(true);
    expect(await s.releaseQuotaSeat(holder!.sub.id)).toBe(false);
    expect(await s.quotaUsed('pq', 'rec', '3301')).toBe(1);
  });

  it('attachments keep their bytes', async () => {
    const { sub, user } = await fixture('f');
    const content = Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 255]);
    const a = await s.saveAttachment({ submissionId: sub.id, field: 'x', filename: 'a.pdf', mime: 'application/pdf', sha256: 'h', content, uploadedBy: user.id });
    const back = await s.getAttachment(a.id);
    expect(Buffer.isBuffer(back?.content)).toBe(true);
    expect(back?.content.equals(content)).toBe(true);
    expect(back?.size).toBe(6);
    expect((await s.listAttachments(sub.id)).length).toBe(1);
  });

  it('attachments stream in as chunks and read back whole, in ranges and a chunk at a time', async () => {
    const { sub, user } = await fixture('chunks');
    const size = 2 * ATTACHMENT_CHUNK_BYTES + 12345;
    const content = Buffer.alloc(size);
    for (let i = 0; i < size; i++) content[i] = (i * 31 + (i >> 11)) & 255;
    // arriving in pieces that do not line up with the chunks
    async function* pieces() {
      for (let at = 0; at < size; at += 70_001) yield content.subarray(at, Math.min(size, at + 70_001));
    }
    const id = 'att-chunked';
    expect(await s.writeAttachmentContent(id, pieces())).toEqual({ size });
    // before its row is saved, its bytes are readable (the upload's media checks)
    const early = await s.attachmentBytes(id, ATTACHMENT_CHUNK_BYTES - 3, 10);
    expect(early?.size).toBe(size);
    expect(early?.bytes.equals(content.subarray(ATTACHMENT_CHUNK_BYTES - 3, ATTACHMENT_CHUNK_BYTES + 7))).toBe(true);
    const a = await s.saveAttachment({ id, submissionId: sub.id, field: 'x', filename: 'v.mp4', mime: 'video/mp4', sha256: 'h', size, uploadedBy: user.id });
    expect(a.size).toBe(size);
    const pieceSizes: number[] = [];
    const back: Buffer[] = [];
    for await (const c of (await s.readAttachmentContent(id)) ?? []) {
      pieceSizes.push(c.length);
      back.push(c);
    }
    expect(pieceSizes).toEqual([ATTACHMENT_CHUNK_BYTES, ATTACHMENT_CHUNK_BYTES, 12345]);
    expect(Buffer.concat(back).equals(content)).toBe(true);
    expect((await s.getAttachment(id))?.content.equals(content)).toBe(true);
    // a range across two chunks, and one past the end
    const across = await s.attachmentBytes(id, 2 * ATTACHMENT_CHUNK_BYTES - 5, 100);
    expect(across).toEqual({ size, bytes: content.subarray(2 * ATTACHMENT_CHUNK_BYTES - 5, 2 * ATTACHMENT_CHUNK_BYTES + 95) });
    expect((await s.attachmentBytes(id, size + 10, 5))?.bytes.length).toBe(0);
    // a row stored whole (before chunking) reads the same ways
    const old = await s.saveAttachment({ submissionId: sub.id, field: 'x', filename: 'a.pdf', mime: 'application/pdf', sha256: 'h', content: content.subarray(0, 1000), uploadedBy: user.id });
    const oldParts: Buffer[] = [];
    for await (const c of (await s.readAttachmentContent(old.id)) ?? []) oldParts.push(c);
    expect(Buffer.concat(oldParts).equals(content.subarray(0, 1000))).toBe(true);
    expect((await s.attachmentBytes(old.id, 10, 5))?.bytes.equals(content.subarray(10, 15))).toBe(true);
    expect(await s.readAttachmentContent('missing')).toBeNull();
    expect(await s.attachmentBytes('missing', 0, 5)).toBeNull();
  });

  it('an upload that fails while it streams leaves no chunks; orphans are swept', async () => {
    async function* cutOff() {
      yield Buffer.alloc(ATTACHMENT_CHUNK_BYTES + 10, 1);
      throw new Error('client went away');
    }
    await expect(s.writeAttachmentContent('att-cut', cutOff())).rejects.toThrow('client went away');
    expect(await s.attachmentBytes('att-cut', 0, 10)).toBeNull();
    await s.writeAttachmentContent('att-orphan', (async function* () {
      yield Buffer.alloc(10, 2);
    })());
    expect(await s.deleteOrphanAttachmentChunks(new Date(Date.now() - 3600_000))).toBe(0);
    expect(await s.deleteOrphanAttachmentChunks(new Date(Date.now() + 3600_000))).toBe(1);
    expect(await s.attachmentBytes('att-orphan', 0, 10)).toBeNull();
  });

  it('cohort runs: the summary in the run row, each record a row read in pages; incomplete runs unseen; grade counts', async () => {
    const { pv, user } = await fixture('g');
    const r = await s.saveCohortRun({ packVersionId: pv.id, stepId: 'grade', orgCode: '3301', input: [{ a: 1 }], results: { A: 1 }, createdBy: user.id });
    expect(await s.getCohortRun(r.id)).toMatchObject({ results: { A: 1 }, recordCount: 1, complete: true });
    expect(await s.cohortRunRecords(r.id, { limit: 10 })).toEqual([{ seq: 0, input: { a: 1 }, result: null }]);
    expect((await s.listCohortRuns({ orgCodes: ['3301'] })).length).toBeGreaterThan(0);
    const records = [
      { key: 'a', group: '甲市', grade: 'A', rank: 2 },
      { key: 'b', group: '甲市', grade: 'B', rank: 1 },
      { key: 'c', group: '甲市', grade: 'B', rank: 3 },
      { key: 'd', group: '乙市', grade: 'A', excluded: { id: 'x', reason: '不参评' } },
    ];
    const input = records.map((x) => ({ name: x.key }));
    const later = await s.saveCohortRun({ packVersionId: pv.id, stepId: 'grade', orgCode: '3301', input, results: { records, warnings: ['w'] }, createdBy: user.id });
    expect(later).toMatchObject({ results: { warnings: ['w'] }, recordCount: 4 });
    expect(later.results).not.toHaveProperty('records');
    // pages: by rank (unranked last), by input order, offsets; the whole run page by page
    expect((await s.cohortRunRecords(later.id, { limit: 10, order: 'rank' })).map((x) => (x.result as { key: string }).key)).toEqual(['b', 'a', 'c', 'd']);
    expect(await s.cohortRunRecords(later.id, { offset: 1, limit: 2 })).toEqual([
      { seq: 1, input: { name: 'b' }, result: records[1] },
      { seq: 2, input: { name: 'c' }, result: records[2] },
    ]);
    const pages: number[][] = [];
    for await (const p of s.cohortRunRecordPages(later.id, 3)) pages.push(p.map((x) => x.seq));
    expect(pages).toEqual([[0, 1, 2], [3]]);
    await s.saveCohortRun({ packVersionId: pv.id, stepId: 'grade', orgCode: '330101', input: [], results: { records: [] }, createdBy: user.id });
    const latest = await s.latestCohortRuns(pv.packId, ['3301']);
    expect(latest.map((x) => x.id)).toEqual([later.id]);
    const counts = await s.cohortGradeCounts(later.id);
    expect(counts).toHaveLength(3);
    expect(counts).toEqual(
      expect.arrayContaining([
        { group: '乙市', grade: 'excluded', count: 1 },
        { group: '甲市', grade: 'A', count: 1 },
        { group: '甲市', grade: 'B', count: 2 },
      ]),
    );
    // filtered pages (one group, one grade, a part of the name — the label, else the key) and their count
    const keys = async (f: Parameters<Storage['cohortRunRecords']>[1]) => (await s.cohortRunRecords(later.id, f)).map((x) => (x.result as { key: string }).key);
    expect(await keys({ limit: 10, order: 'rank', group: '甲市' })).toEqual(['b', 'a', 'c']);
    expect(await keys({ limit: 10, order: 'rank', group: '甲市', desc: true })).toEqual(['c', 'a', 'b']);
    expect(await keys({ limit: 10, order: 'rank', grade: 'B' })).toEqual(['b', 'c']);
    expect(await keys({ limit: 10, order: 'rank', grade: 'excluded' })).toEqual(['d']);
    expect(await keys({ limit: 1, offset: 1, order: 'rank', group: '甲市', grade: 'B' })).toEqual(['c']);
    expect(await keys({ limit: 10, q: 'C' })).toEqual(['c']);
    expect(await s.countCohortRunRecords(later.id, { group: '甲市' })).toBe(3);
    expect(await s.countCohortRunRecords(later.id, { group: '甲市', grade: 'A' })).toBe(1);
    expect(await s.countCohortRunRecords(later.id, { q: 'x' })).toBe(0);
    expect(await s.countCohortRunRecords(later.id, {})).toBe(4);

    // a job's run: begun (not listed, not read, not the latest), records in batches, then completed
    const before = (await s.listCohortRuns()).length;
    const job = await s.beginCohortRun({ packVersionId: pv.id, stepId: 'grade', orgCode: '3301', createdBy: user.id });
    await s.addCohortRunRecords(job.id, 0, [{ input: { n: 0 }, result: { key: 'x', group: '', grade: 'A', rank: 1 } }]);
    await s.addCohortRunRecords(job.id, 1, [{ input: { n: 1 }, result: { key: 'y', group: '', grade: 'C', rank: 2 } }]);
    expect(await s.getCohortRun(job.id)).toBeNull();
    expect((await s.listCohortRuns()).length).toBe(before);
    expect((await s.latestCohortRuns(pv.packId, ['3301'])).map((x) => x.id)).toEqual([later.id]);
    expect(await s.completeCohortRun(job.id, { distribution: { A: 1, C: 1 } }, 2)).toMatchObject({ complete: true, recordCount: 2 });
    expect((await s.getCohortRun(job.id))?.results).toEqual({ distribution: { A: 1, C: 1 } });
    expect((await s.cohortRunRecords(job.id, { limit: 5 })).map((x) => x.input)).toEqual([{ n: 0 }, { n: 1 }]);
    // a cancelled job's run is deleted with its records; a dead job's is swept after its time
    const cancelled = await s.beginCohortRun({ packVersionId: pv.id, stepId: 'grade', orgCode: '3301', createdBy: user.id });
    await s.addCohortRunRecords(cancelled.id, 0, [{ input: {}, result: { key: 'z', group: '', grade: 'A' } }]);
    await s.deleteCohortRun(cancelled.id);
    expect(await s.cohortRunRecords(cancelled.id, { limit: 5 })).toEqual([]);
    const dead = await s.beginCohortRun({ packVersionId: pv.id, stepId: 'grade', orgCode: '3301', createdBy: user.id });
    expect(await s.deleteIncompleteCohortRuns(new Date(Date.now() - 3600_000))).toBe(0);
    expect(await s.deleteIncompleteCohortRuns(new Date(Date.now() + 3600_000))).toBe(1);
    expect(await s.cohortRunRecords(dead.id, { limit: 5 })).toEqual([]);
    expect((await s.getCohortRun(job.id))?.recordCount).toBe(2);
  });

  it('migration 13 moves the runs saved whole (one jsonb) into record rows', async () => {
    const { migrate, MIGRATIONS } = await import('./index.js');
    expect(MIGRATIONS.map((m) => m.version)).toEqual([...MIGRATIONS.map((m) => m.version)].sort((a, b) => a - b));
    const { db, drop } = await backend.fresh();
    try {
      expect(await migrate(db, { upTo: 12 })).not.toContain(13);
      const old = await Storage.open(db, { migrate: false });
      await old.upsertOrgUnits([{ code: '3301', name: '甲市', level: 'city', parentCode: null }]);
      const { version: pv } = await old.publishPackVersion({ packId: 'm13', hash: 'h', title: 'T', manifest: { id: 'm13' }, files: {}, publishedBy: null });
      const results = { stepId: 'grade', distribution: { A: 1, B: 1 }, warnings: [], records: [{ key: 'a', group: 'g', grade: 'A', rank: 1 }, { key: 'b', group: 'g', grade: 'B', rank: 2 }] };
      await db.query(`INSERT INTO cohort_runs(id, pack_version_id, step_id, org_code, input, results) VALUES ('r1', $1, 'grade', '3301', $2::jsonb, $3::jsonb)`, [pv.id, JSON.stringify([{ n: 'a' }, { n: 'b' }]), JSON.stringify(results)]);
      await db.query(`INSERT INTO cohort_runs(id, pack_version_id, step_id, org_code, input, results) VALUES ('r2', $1, 'grade', '3301', '[]'::jsonb, '{"A":1}'::jsonb)`, [pv.id]);
      expect(await migrate(db)).toContain(13);
      const { records: _r, ...summary } = results;
      expect(await old.getCohortRun('r1')).toMatchObject({ results: summary, recordCount: 2, complete: true });
      expect(await old.cohortRunRecords('r1', { limit: 5 })).toEqual([
        { seq: 0, input: { n: 'a' }, result: results.records[0] },
        { seq: 1, input: { n: 'b' }, result: results.records[1] },
      ]);
      expect(await old.cohortGradeCounts('r1')).toEqual([{ group: 'g', grade: 'A', count: 1 }, { group: 'g', grade: 'B', count: 1 }]);
      expect(await old.getCohortRun('r2')).toMatchObject({ results: { A: 1 }, recordCount: 0 });
    } finally {
      await drop();
    }
  });

  it('jobs: start, progress, cancel asked while running, end once; a queued job cancelled at once; stale ones failed', async () => {
    const { user } = await fixture('j');
    const t0 = new Date('2021-08-01T01:00:00Z');
    const j = await s.createJob({ kind: 'cohort.run', orgCode: '3301', params: { stepId: 'grade' }, createdBy: user.id, at: t0 });
    expect(j).toMatchObject({ status: 'queued', done: 0, total: null, cancelRequested: false, resultId: null, params: { stepId: 'grade' } });
    const started = await s.startJob(j.id, t0);
    expect(started?.status).toBe('running');
    expect(started?.startedAt?.toISOString()).toBe(t0.toISOString());
    expect(await s.startJob(j.id)).toBeNull(); // started once only
    expect(await s.setJobProgress(j.id, { done: 500, total: 2000, phase: '生成说明' })).toEqual({ cancelRequested: false });
    expect(await s.getJob(j.id)).toMatchObject({ done: 500, total: 2000, phase: '生成说明' });
    // a cancel asked while running: the job stays running until its runner sees it at the next step
    expect((await s.requestJobCancel(j.id))?.status).toBe('running');
    expect(await s.setJobProgress(j.id, { done: 1000 })).toEqual({ cancelRequested: true });
    expect((await s.finishJob(j.id, { status: 'cancelled' }))?.status).toBe('cancelled');
    expect(await s.finishJob(j.id, { status: 'succeeded', resultId: 'x' })).toBeNull(); // ended once only
    expect(await s.requestJobCancel(j.id)).toBeNull();
    expect(await s.setJobProgress(j.id, { done: 1 })).toEqual({ cancelRequested: true }); // not running: stop
    const done = await s.getJob(j.id);
    expect(done).toMatchObject({ status: 'cancelled', done: 1000, resultId: null, phase: null });
    expect(done?.finishedAt).toBeInstanceOf(Date);

    const q = await s.createJob({ kind: 'cohort.run', orgCode: '3301', params: {}, total: 10, createdBy: user.id });
    expect((await s.requestJobCancel(q.id))?.status).toBe('cancelled');
    expect(await s.startJob(q.id)).toBeNull();

    const ok = await s.createJob({ kind: 'export', orgCode: null, params: {}, createdBy: user.id });
    await s.startJob(ok.id);
    expect(await s.finishJob(ok.id, { status: 'succeeded', resultId: 'run-1', done: 10 })).toMatchObject({ status: 'succeeded', resultId: 'run-1', done: 10 });
    const bad = await s.createJob({ kind: 'export', orgCode: null, params: {}, createdBy: user.id });
    await s.startJob(bad.id);
    expect(await s.finishJob(bad.id, { status: 'failed', errorCode: 'EVALUATION_FAILED', errorMessage: '计算失败' })).toMatchObject({ status: 'failed', errorCode: 'EVALUATION_FAILED' });

    expect((await s.listJobs({ createdBy: user.id })).map((x) => x.id)).toEqual([bad.id, ok.id, q.id, j.id]);
    expect((await s.listJobs({ createdBy: user.id, kind: 'cohort.run' })).map((x) => x.id)).toEqual([q.id, j.id]);
    const stale = await s.createJob({ kind: 'cohort.run', orgCode: null, params: {}, createdBy: user.id, at: t0 });
    await s.startJob(stale.id, t0);
    expect((await s.listJobs({ createdBy: user.id, active: true })).map((x) => x.id)).toEqual([stale.id]);
    expect(await s.failStaleJobs(new Date(t0.getTime() + 60_000), 'JOB_INTERRUPTED', '中断')).toBe(1);
    expect(await s.getJob(stale.id)).toMatchObject({ status: 'failed', errorCode: 'JOB_INTERRUPTED' });
    expect(await s.listJobs({ createdBy: user.id, active: true })).toEqual([]);
  });

  it('job results: a file kept in chunks with its job, read back whole, gone with a rolled-back end, swept by age', async () => {
    const { user } = await fixture('jr');
    const t0 = new Date('2021-08-02T00:00:00Z');
    const j = await s.createJob({ kind: 'export.xlsx', orgCode: '3301', params: {}, total: 3, createdBy: user.id, at: t0 });
    await s.startJob(j.id, t0);
    expect(await s.getJobResult(j.id)).toBeNull();
    // more than one chunk, with a short last one; bytes kept exactly
    const content = Buffer.alloc(ATTACHMENT_CHUNK_BYTES * 2 + 123);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31 + 7) % 256;
    await s.transaction(async (t) => {
      await t.saveJobResult(j.id, { name: '导出.xlsx', contentType: 'application/x-test', content, at: t0 });
      await t.finishJob(j.id, { status: 'succeeded', resultId: j.id, done: 3 });
    });
    const got = await s.getJobResult(j.id);
    expect(got).toMatchObject({ jobId: j.id, name: '导出.xlsx', contentType: 'application/x-test', size: content.length });
    expect(got?.content.equals(content)).toBe(true);
    // saved again: replaced, not appended
    await s.saveJobResult(j.id, { name: 'b.json', contentType: 'application/json', content: Buffer.from('[]'), at: t0 });
    expect((await s.getJobResult(j.id))?.content.toString()).toBe('[]');
    // written in a transaction that fails (a job cancelled while ending): nothing kept
    const k = await s.createJob({ kind: 'export.xlsx', orgCode: null, params: {}, createdBy: user.id });
    await s.startJob(k.id);
    await expect(
      s.transaction(async (t) => {
        await t.saveJobResult(k.id, { name: 'x.xlsx', contentType: 'application/x-test', content: Buffer.from('xyz') });
        throw new Error('cancelled');
      }),
    ).rejects.toThrow('cancelled');
    expect(await s.getJobResult(k.id)).toBeNull();
    // swept by age: an old result goes (the job row stays), a new one stays
    await s.saveJobResult(k.id, { name: 'new.xlsx', contentType: 'application/x-test', content: Buffer.from('new'), at: new Date(t0.getTime() + 3600_000) });
    expect(await s.deleteJobResultsBefore(new Date(t0.getTime() + 60_000))).toBe(1);
    expect(await s.getJobResult(j.id)).toBeNull();
    expect(await s.getJob(j.id)).toMatchObject({ status: 'succeeded' });
    expect((await s.getJobResult(k.id))?.content.toString()).toBe('new');
  });

  it('table reports: save, conflict and status', async () => {
    const { pv, user } = await fixture('h');
    const base = { packVersionId: pv.id, packId: pv.packId, formId: 't', orgCode: '330101', level: 'county' as const, status: 'draft', editableStatuses: ['draft'], updatedBy: user.id, now };
    const r1 = await s.saveTableReport({ ...base, rows: [{ a: 1 }], expectedVersion: null });
    expect(r1?.version).toBe(1);
    expect(await s.saveTableReport({ ...base, rows: [], expectedVersion: 7 })).toBeNull();
    const r2 = await s.saveTableReport({ ...base, rows: [{ a: 2 }], expectedVersion: 1 });
    expect(r2?.rows).toEqual([{ a: 2 }]);
    const sub = await s.setTableReportStatus(r2!.id, ['draft'], 'submitted', now);
    expect(sub?.status).toBe('submitted');
    expect(await s.saveTableReport({ ...base, rows: [], expectedVersion: null })).toBeNull();
    expect((await s.listTableReports(pv.packId, 't', ['330101'])).length).toBe(1);
  });

  it('a draft save is one statement: data, summary and a compact audit entry, only on the expected version', async () => {
    const { sub, user } = await fixture('ds');
    expect(sub.evaluationStored).toBe(false); // created without an evaluation
    const before = { a: 1, list: [1, 2], nested: { x: 'old', gone: true } };
    const stored = await s.updateSubmissionData(sub.id, sub.version, ['draft'], before, { rs: { outcome: { level: 'one' }, criteria: [] } }, now);
    expect(stored?.evaluationStored).toBe(true);
    expect((await s.getSubmission(sub.id))?.evaluation).toEqual({ rs: { outcome: { level: 'one' }, criteria: [] } });
    const after = { a: 2, list: [1, 2, 3], nested: { x: 'new' }, added: '新' };
    const args = { id: sub.id, statuses: ['draft'], before, data: after, outcomeSummary: { rs: { level: 'two', failed: [] } }, now, actorId: user.id, action: 'submission.save' };
    const saves = await Promise.all([1, 2, 3].map(() => s.saveSubmissionDraft({ ...args, expectedVersion: stored!.version })));
    expect(saves.filter((r) => r !== null).length).toBe(1);
    const row = saves.find((r) => r !== null);
    expect(row).toMatchObject({ id: sub.id, version: stored!.version + 1, status: 'draft', evaluationStored: false });
    expect(row).not.toHaveProperty('data');
    const back = await s.getSubmission(sub.id);
    expect(back).toMatchObject({ data: after, evaluation: null, evaluationStored: false, version: stored!.version + 1 });
    expect(await s.saveSubmissionDraft({ ...args, expectedVersion: stored!.version })).toBeNull();
    expect(await s.saveSubmissionDraft({ ...args, statuses: ['submitted'], expectedVersion: stored!.version + 1 })).toBeNull();
    // read back as before (the data before and after), with the changed paths beside
    const audit = (await s.listAudit({ entity: 'submission', entityId: sub.id })).filter((e) => e.action === 'submission.save');
    expect(audit.length).toBe(1);
    expect(audit[0]).toMatchObject({ actorId: user.id, before: { version: stored!.version, data: before }, after: { version: stored!.version + 1, data: after } });
    expect(audit[0]?.changes).toEqual([
      { path: ['a'], before: 1, after: 2 },
      { path: ['list'], before: [1, 2], after: [1, 2, 3] },
      { path: ['nested', 'x'], before: 'old', after: 'new' },
      { path: ['nested', 'gone'], before: true },
      { path: ['added'], after: '新' },
    ]);
    // stored compactly: the data once
    const raw = (s as unknown as { q: { query: (x: string, p: unknown[]) => Promise<Array<{ before: unknown }>> } }).q;
    const [stored0] = await raw.query("SELECT before FROM audit_log WHERE entity_id = $1 AND action = 'submission.save'", [sub.id]);
    expect(stored0?.before).not.toHaveProperty('data');
    // listings take each rule set's outcome out of a stored evaluation, none when there is none
    const listed = await s.listSubmissions({ parkId: sub.parkId });
    expect(listed[0]).toMatchObject({ evaluation: null, outcomes: null, evaluationStored: false });
  });

  it('listings give each rule set’s outcome of a stored evaluation', async () => {
    const { sub } = await fixture('ls');
    await s.transitionSubmission(sub.id, ['draft'], 'submitted', now, { evaluation: { a: { outcome: { level: 'x' } }, b: { error: 'boom' } }, outcomeSummary: { a: { level: 'x' } } });
    const listed = await s.listSubmissions({ parkId: sub.parkId });
    expect(listed[0]).toMatchObject({ evaluation: null, evaluationStored: true, outcomes: { a: { level: 'x' }, b: null } });
  });

  it('result lists: published with a period, the latest first, withdrawn once; the period is checked by the database', async () => {
    const { pv, user } = await fixture('rl');
    const a = await s.publishResultList({ packId: pv.packId, packVersionId: pv.id, title: '公示一', startsOn: '2021-09-01', endsOn: '2021-09-07', rows: [{ park: '甲园', result: '三星级' }], publishedBy: user.id, at: now });
    expect(a).toMatchObject({ startsOn: '2021-09-01', endsOn: '2021-09-07', rows: [{ park: '甲园', result: '三星级' }], withdrawnAt: null });
    expect(a.publishedAt.toISOString()).toBe(now.toISOString());
    const b = await s.publishResultList({ packId: pv.packId, packVersionId: pv.id, title: '公示二', startsOn: '2021-09-02', endsOn: '2021-09-08', rows: [], publishedBy: user.id });
    expect((await s.listResultLists(pv.packId)).map((r) => r.title)).toEqual(['公示二', '公示一']);
    expect((await s.withdrawResultList(b.id, now))?.withdrawnAt?.toISOString()).toBe(now.toISOString());
    expect(await s.withdrawResultList(b.id, now)).toBeNull();
    expect((await s.getResultList(a.id))?.title).toBe('公示一');
    // the end before the start, or not a date: refused
    await expect(s.publishResultList({ packId: pv.packId, packVersionId: pv.id, title: 'x', startsOn: '2021-09-08', endsOn: '2021-09-01', rows: [], publishedBy: null })).rejects.toThrow();
    await expect(s.publishResultList({ packId: pv.packId, packVersionId: pv.id, title: 'x', startsOn: '9月1日', endsOn: '2021-09-01', rows: [], publishedBy: null })).rejects.toThrow();
  });

  it('dashboard aggregates in SQL: parks reported, statuses, levels and an indicator (÷ another field) by county and city', async () => {
    await s.upsertOrgUnits([
      { code: '3302', name: '乙市', level: 'city', parentCode: '33' },
      { code: '330201', name: '乙县', level: 'county', parentCode: '3302' },
      { code: '330199', name: '甲市看板县', level: 'county', parentCode: '3301' },
    ]);
    const { pv, user } = await fixture('db');
    // a park that has not started
    await s.createPark({ name: '看板园0', creditCode: 'DB0', countyCode: '330199', cityCode: '3301', contactName: null, contactMobile: null });
    const mk = async (tag: string, county: string, city: string, status: string, data: unknown, level: string | null, formId = 'f') => {
      const park = await s.createPark({ name: `看板园${tag}`, creditCode: `DB${tag}`, countyCode: county, cityCode: city, contactName: null, contactMobile: null });
      const sub = await s.createSubmission({ packVersionId: pv.id, packId: pv.packId, formId, parkId: park.id, countyCode: county, cityCode: city, status: 'draft', data, createdBy: user.id });
      if (status !== 'draft') await s.transitionSubmission(sub.id, ['draft'], status, now, { evaluation: { star: { outcome: { level } }, ok: { outcome: { eligible: true } } } });
      return park;
    };
    await mk('1', '330199', '3301', 'submitted', { e: { tax: 100, land: 50 } }, 'three');
    await mk('2', '330199', '3301', 'approved', { e: { tax: 300, land: 50 } }, 'four');
    await mk('3', '330201', '3302', 'county_passed', { e: { tax: 90, land: 0 } }, null);
    await mk('4', '330201', '3302', 'draft', { e: { tax: 1000, land: 1 } }, null);
    // a whole application keeps the form's data under the form's id
    await mk('5', '330201', '3302', 'submitted', { f: { e: { tax: '不是数', land: 10 } } }, 'three', '*');
    await mk('6', '330201', '3302', 'submitted', { f: { e: { tax: 80, land: 10 } } }, 'three', '*');
    const area = { excludeStatuses: ['draft'] };

    const progress = await s.parkProgress(pv.packId, area);
    expect(progress.find((r) => r.countyCode === '330199')).toMatchObject({ parks: 3, started: 2, reported: 2 });
    // the fixture's own park (county 330101) has a draft only: started, not reported
    expect(progress.find((r) => r.countyCode === '330101')).toMatchObject({ reported: 0 });
    expect(progress.find((r) => r.countyCode === '330201')).toMatchObject({ parks: 4, started: 4, reported: 3 });
    expect((await s.parkProgress(pv.packId, { cityCode: '3302' })).map((r) => r.countyCode)).toEqual(['330201']);

    const statuses = await s.statusCounts(pv.packId, area);
    expect(statuses.filter((r) => r.countyCode === '330201').map((r) => [r.status, r.count])).toEqual([['county_passed', 1], ['submitted', 2]]);
    const levels = await s.levelCounts(pv.packId, area);
    expect(levels.filter((r) => r.ruleSet === 'star' && r.cityCode === '3301').map((r) => [r.level, r.count])).toEqual([['four', 1], ['three', 1]]);
    expect(levels.filter((r) => r.ruleSet === 'star' && r.cityCode === '3302').map((r) => [r.level, r.count])).toEqual([['three', 2], [null, 1]]);
    expect(levels.some((r) => r.ruleSet === 'ok')).toBe(false);

    const sources = { f: { field: ['e', 'tax'], per: ['e', 'land'] }, '*': { field: ['f', 'e', 'tax'], per: ['f', 'e', 'land'] } };
    const st = await s.indicatorStats(pv.packId, sources, area, 4);
    // values: 2, 6 (city 3301); land 0 and a text are not counted; 8 (city 3302); the draft is left out
    const total = st.groups.find((g) => g.cityCode === null);
    expect(total).toMatchObject({ n: 3, min: 2, max: 8, median: 6 });
    expect(total?.mean).toBeCloseTo(16 / 3);
    expect(st.groups.find((g) => g.cityCode === '3301' && g.countyCode === null)).toMatchObject({ n: 2, min: 2, max: 6, median: 4 });
    expect(st.groups.find((g) => g.countyCode === '330201')).toMatchObject({ n: 1, median: 8 });
    expect(st.histogram).toEqual([
      { from: 2, to: 3.5, count: 1 },
      { from: 3.5, to: 5, count: 0 },
      { from: 5, to: 6.5, count: 1 },
      { from: 6.5, to: 8, count: 1 },
    ]);
    // a plain field, in one county
    const plain = await s.indicatorStats(pv.packId, { f: { field: ['e', 'tax'] } }, { countyCode: '330199' });
    expect(plain.groups.find((g) => g.cityCode === null)).toMatchObject({ n: 2, min: 100, max: 300 });
    expect(plain.histogram.reduce((a, b) => a + b.count, 0)).toBe(2);
  });

  it('audit log is append-only', async () => {
    await s.appendAudit({ actorId: null, action: 'x.create', entity: 'x', entityId: '1', before: null, after: { a: 1 } });
    const log = await s.listAudit({ entity: 'x', entityId: '1' });
    expect(log[0]).toMatchObject({ action: 'x.create', after: { a: 1 } });
    const raw = (s as unknown as { q: { query: (x: string) => Promise<unknown> } }).q;
    await expect(raw.query('DELETE FROM audit_log')).rejects.toThrow();
    await expect(raw.query("UPDATE audit_log SET action = 'y'")).rejects.toThrow();
  });
});

describe('PGlite data directory', () => {
  it('takes over a stale lock left by a dead process', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'yp-pglite-'));
    try {
      writeFileSync(join(dir, 'yuanping.lock'), '999999');
      const a = await openStorage({ dataDir: dir });
      await a.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PGlite data directory survives a restart', () => {
  it('reopens with the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yp-pglite-'));
    try {
      const a = await openStorage({ dataDir: dir });
      await a.upsertOrgUnits([{ code: '99', name: '持久', level: 'province', parentCode: null }]);
      await a.close();
      const b = await openStorage({ dataDir: dir });
      expect((await b.getOrgUnit('99'))?.name).toBe('持久');
      // a second opener of the same directory is refused while the first holds it
      await expect(openStorage({ dataDir: dir })).rejects.toThrow(/正被进程/);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
