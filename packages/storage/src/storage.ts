import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from './db.js';
import { migrate } from './migrations.js';

export type Role = 'applicant' | 'county' | 'city' | 'province' | 'admin';
export const ROLES: readonly Role[] = ['applicant', 'county', 'city', 'province', 'admin'];
export type OrgLevel = 'province' | 'city' | 'county';
export type Json = unknown;

export interface OrgUnit {
  code: string;
  name: string;
  level: OrgLevel;
  parentCode: string | null;
}
export interface User {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  orgCode: string | null;
  parkId: string | null;
  mobile: string | null;
  createdAt: Date;
}
export interface Park {
  id: string;
  name: string;
  creditCode: string;
  countyCode: string;
  cityCode: string;
  contactName: string | null;
  contactMobile: string | null;
  createdAt: Date;
}
export interface Session {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}
export interface PackVersion {
  id: number;
  packId: string;
  version: number;
  hash: string;
  title: string;
  manifest: Json;
  files: Record<string, unknown>;
  publishedBy: string | null;
  publishedAt: Date;
}
export type PackVersionSummary = Omit<PackVersion, 'files'>;
/** A version's identity without its manifest and files (the cheap lookup on hot paths). */
export type PackVersionRef = Omit<PackVersion, 'files' | 'manifest'>;
export interface Submission {
  id: string;
  packVersionId: number;
  packId: string;
  formId: string;
  parkId: string;
  countyCode: string;
  cityCode: string;
  status: string;
  decision: string | null;
  data: Json;
  evaluation: Json;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
}
export interface Review {
  id: number;
  submissionId: string;
  level: string;
  action: string;
  comment: string | null;
  fromStatus: string;
  toStatus: string;
  reviewerId: string;
  createdAt: Date;
}
export interface Rescore {
  id: number;
  submissionId: string;
  level: string;
  item: string;
  selfScore: number | null;
  score: number;
  reason: string;
  reviewerId: string;
  createdAt: Date;
}
/** A reviewer's acceptance, with a reason, of the cross-form mismatches it lists (values as accepted). */
export interface ConsistencyAcceptance {
  id: number;
  submissionId: string;
  level: string;
  reason: string;
  mismatches: Array<{ form?: string; field: string; label?: string; sourceForm: string; sourceField: string; value: unknown; sourceValue: unknown; valueText?: string; sourceText?: string }>;
  reviewerId: string;
  createdAt: Date;
}
export interface CohortRun {
  id: string;
  packVersionId: number;
  stepId: string;
  orgCode: string;
  input: Json;
  results: Json;
  createdBy: string | null;
  createdAt: Date;
}
export interface Attachment {
  id: string;
  submissionId: string;
  field: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  createdAt: Date;
}
export interface TableReport {
  id: string;
  packVersionId: number;
  packId: string;
  formId: string;
  orgCode: string;
  level: OrgLevel;
  status: string;
  rows: unknown[];
  /** The form's whole data object (every section and the top-level fields); null on reports saved as rows only. */
  data: unknown;
  version: number;
  updatedBy: string | null;
  updatedAt: Date;
  submittedAt: Date | null;
}
export interface AuditEntry {
  id: number;
  at: Date;
  actorId: string | null;
  /** the actor's display name at read time (null for the system) */
  actorName: string | null;
  actorRole: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: Json;
  after: Json;
}
export interface IdempotencyClaim {
  /** true: this caller owns the key and must call `completeIdempotency` in the same transaction. */
  claimed: boolean;
  scope: string;
  status: number | null;
  body: Json;
}

type Row = Record<string, unknown>;

function camel(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}
function map<T>(rows: Row[]): T[] {
  return rows.map((r) => camel(r) as T);
}
function first<T>(rows: Row[]): T | null {
  const r = rows[0];
  return r ? (camel(r) as T) : null;
}

const SUB_COLS = `id, pack_version_id, pack_id, form_id, park_id, county_code, city_code, status, decision, data, evaluation,
  version, created_by, created_at, updated_at, submitted_at`;
/** SUB_COLS with a null in place of the (large) evaluation. */
const SUB_COLS_NO_EVALUATION = SUB_COLS.replace('evaluation,', 'NULL::jsonb AS evaluation,');
const ATT_COLS = 'id, submission_id, field, filename, mime, size, sha256, uploaded_by, created_at';
const PACK_SUMMARY_COLS = 'id, pack_id, version, hash, title, manifest, published_by, published_at';
const PACK_REF_COLS = 'id, pack_id, version, hash, title, published_by, published_at';

export interface SubmissionFilter {
  parkId?: string;
  countyCode?: string;
  cityCode?: string;
  packId?: string;
  statuses?: string[];
  excludeStatuses?: string[];
  limit?: number;
}

/**
 * The one storage interface of Yuanping. All state the servers share (sessions, rate-limit
 * counters, idempotency keys, quota seats, …) lives here, never in process memory.
 */
export class Storage {
  constructor(
    private readonly q: Queryable,
    private readonly db: Db,
    private readonly inTx = false,
  ) {}

  static async open(db: Db, opts: { migrate?: boolean } = {}): Promise<Storage> {
    if (opts.migrate !== false) await migrate(db);
    return new Storage(db, db);
  }

  get kind(): Db['kind'] {
    return this.db.kind;
  }

  /** Runs `fn` in one transaction. Nested calls reuse the outer transaction. */
  transaction<T>(fn: (s: Storage) => Promise<T>): Promise<T> {
    if (this.inTx) return fn(this);
    return this.db.transaction((q) => fn(new Storage(q, this.db, true)));
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async ping(): Promise<boolean> {
    await this.q.query('SELECT 1');
    return true;
  }

  // ---- org units ----
  async upsertOrgUnits(units: OrgUnit[]): Promise<void> {
    for (const u of units) {
      await this.q.query(
        `INSERT INTO org_units(code, name, level, parent_code) VALUES ($1,$2,$3,$4)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code`,
        [u.code, u.name, u.level, u.parentCode],
      );
    }
  }
  async getOrgUnit(code: string): Promise<OrgUnit | null> {
    return first(await this.q.query('SELECT * FROM org_units WHERE code = $1', [code]));
  }
  async listOrgUnits(filter: { parentCode?: string; level?: OrgLevel } = {}): Promise<OrgUnit[]> {
    return map(
      await this.q.query(
        `SELECT * FROM org_units WHERE ($1::text IS NULL OR parent_code = $1) AND ($2::text IS NULL OR level = $2) ORDER BY code`,
        [filter.parentCode ?? null, filter.level ?? null],
      ),
    );
  }

  // ---- parks ----
  async createPark(p: Omit<Park, 'id' | 'createdAt'> & { id?: string }): Promise<Park> {
    const rows = await this.q.query(
      `INSERT INTO parks(id, name, credit_code, county_code, city_code, contact_name, contact_mobile)
       VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *`,
      [p.id ?? randomUUID(), p.name, p.creditCode, p.countyCode, p.cityCode, p.contactName, p.contactMobile],
    );
    return first<Park>(rows) as Park;
  }
  async getPark(id: string): Promise<Park | null> {
    return first(await this.q.query('SELECT * FROM parks WHERE id = $1', [id]));
  }
  async getParkByCreditCode(code: string): Promise<Park | null> {
    return first(await this.q.query('SELECT * FROM parks WHERE credit_code = $1', [code]));
  }
  async listParks(filter: { countyCode?: string; cityCode?: string } = {}): Promise<Park[]> {
    return map(
      await this.q.query(
        `SELECT * FROM parks WHERE ($1::text IS NULL OR county_code = $1) AND ($2::text IS NULL OR city_code = $2) ORDER BY created_at, id`,
        [filter.countyCode ?? null, filter.cityCode ?? null],
      ),
    );
  }

  // ---- users ----
  async createUser(u: Omit<User, 'id' | 'createdAt' | 'mobile'> & { id?: string; mobile?: string | null }): Promise<User> {
    const rows = await this.q.query(
      `INSERT INTO users(id, username, display_name, password_hash, role, org_code, park_id, mobile)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *`,
      [u.id ?? randomUUID(), u.username, u.displayName, u.passwordHash, u.role, u.orgCode, u.parkId, u.mobile ?? null],
    );
    return first<User>(rows) as User;
  }
  async getUser(id: string): Promise<User | null> {
    return first(await this.q.query('SELECT * FROM users WHERE id = $1', [id]));
  }
  async getUserByUsername(username: string): Promise<User | null> {
    return first(await this.q.query('SELECT * FROM users WHERE username = $1', [username]));
  }
  async listUsers(): Promise<User[]> {
    return map(await this.q.query('SELECT * FROM users ORDER BY username'));
  }

  // ---- sessions ----
  async createSession(s: Omit<Session, 'createdAt'>): Promise<Session> {
    const rows = await this.q.query(
      'INSERT INTO sessions(id_hash, user_id, csrf_token, expires_at) VALUES ($1,$2,$3,$4) RETURNING *',
      [s.idHash, s.userId, s.csrfToken, s.expiresAt],
    );
    return first<Session>(rows) as Session;
  }
  /** The live session with its user, or null when unknown or expired. */
  async getSession(idHash: string, now: Date): Promise<{ session: Session; user: User } | null> {
    const row = first<Row>(
      await this.q.query(
        `SELECT s.id_hash, s.user_id, s.csrf_token, s.created_at AS s_created_at, s.expires_at, u.*
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2`,
        [idHash, now],
      ),
    );
    if (!row) return null;
    const session: Session = { idHash: row.idHash as string, userId: row.userId as string, csrfToken: row.csrfToken as string, createdAt: row.sCreatedAt as Date, expiresAt: row.expiresAt as Date };
    const user: User = {
      id: row.id as string,
      username: row.username as string,
      displayName: row.displayName as string,
      passwordHash: row.passwordHash as string,
      role: row.role as Role,
      orgCode: (row.orgCode as string | null) ?? null,
      parkId: (row.parkId as string | null) ?? null,
      mobile: (row.mobile as string | null) ?? null,
      createdAt: row.createdAt as Date,
    };
    return { session, user };
  }
  async deleteSession(idHash: string): Promise<void> {
    await this.q.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }
  async deleteExpiredSessions(now: Date): Promise<number> {
    return (await this.q.query('DELETE FROM sessions WHERE expires_at <= $1 RETURNING id_hash', [now])).length;
  }

  // ---- rate limits ----
  /** Counts one hit on `key` in a fixed window; returns the count in the current window. Atomic. */
  async hitRateLimit(key: string, windowMs: number, now: Date): Promise<number> {
    const windowStartBefore = new Date(now.getTime() - windowMs);
    const rows = await this.q.query<{ count: number }>(
      `INSERT INTO rate_limits(key, count, window_start) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END,
         window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
       RETURNING count`,
      [key, now, windowStartBefore],
    );
    return Number(rows[0]?.count ?? 0);
  }
  /** The count in the current window, without counting a hit. */
  async peekRateLimit(key: string, windowMs: number, now: Date): Promise<number> {
    const rows = await this.q.query<{ count: number }>('SELECT count FROM rate_limits WHERE key = $1 AND window_start > $2', [
      key,
      new Date(now.getTime() - windowMs),
    ]);
    return Number(rows[0]?.count ?? 0);
  }
  async resetRateLimit(key: string): Promise<void> {
    await this.q.query('DELETE FROM rate_limits WHERE key = $1', [key]);
  }

  // ---- idempotency ----
  /**
   * Claims an idempotency key inside a transaction. A concurrent claim of the same key waits for
   * the first transaction and then sees its stored response.
   */
  async claimIdempotency(userId: string, key: string, scope: string): Promise<IdempotencyClaim> {
    const ins = await this.q.query(
      `INSERT INTO idempotency_keys(user_id, key, scope) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING scope`,
      [userId, key, scope],
    );
    if (ins.length > 0) return { claimed: true, scope, status: null, body: null };
    const row = first<{ scope: string; status: number | null; body: Json }>(
      await this.q.query('SELECT scope, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]),
    );
    return { claimed: false, scope: row?.scope ?? '', status: row?.status ?? null, body: row?.body ?? null };
  }
  async completeIdempotency(userId: string, key: string, status: number, body: Json): Promise<void> {
    await this.q.query('UPDATE idempotency_keys SET status = $3, body = $4::jsonb WHERE user_id = $1 AND key = $2', [
      userId,
      key,
      status,
      JSON.stringify(body ?? null),
    ]);
  }

  // ---- pack versions ----
  /** Inserts a new immutable version (next number), or returns the existing one with the same hash. */
  async publishPackVersion(p: {
    packId: string;
    hash: string;
    title: string;
    manifest: Json;
    files: Record<string, unknown>;
    publishedBy: string | null;
  }): Promise<{ version: PackVersionSummary; created: boolean }> {
    return this.transaction(async (s) => {
      // serialize publishes of one pack id
      await s.q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pack:${p.packId}`]);
      const existing = first<PackVersionSummary>(
        await s.q.query(`SELECT ${PACK_SUMMARY_COLS} FROM pack_versions WHERE pack_id = $1 AND hash = $2`, [p.packId, p.hash]),
      );
      if (existing) return { version: existing, created: false };
      const rows = await s.q.query(
        `INSERT INTO pack_versions(pack_id, version, hash, title, manifest, files, published_by)
         VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM pack_versions WHERE pack_id = $1), $2, $3, $4::json, $5::json, $6)
         RETURNING ${PACK_SUMMARY_COLS}`,
        [p.packId, p.hash, p.title, JSON.stringify(p.manifest), JSON.stringify(p.files), p.publishedBy],
      );
      return { version: first<PackVersionSummary>(rows) as PackVersionSummary, created: true };
    });
  }
  async getPackVersion(id: number): Promise<PackVersion | null> {
    return first(await this.q.query('SELECT * FROM pack_versions WHERE id = $1', [id]));
  }
  async getPackVersionByNumber(packId: string, version: number): Promise<PackVersion | null> {
    return first(await this.q.query('SELECT * FROM pack_versions WHERE pack_id = $1 AND version = $2', [packId, version]));
  }
  async latestPackVersion(packId: string): Promise<PackVersion | null> {
    return first(await this.q.query('SELECT * FROM pack_versions WHERE pack_id = $1 ORDER BY version DESC LIMIT 1', [packId]));
  }
  async getPackVersionRef(id: number): Promise<PackVersionRef | null> {
    return first(await this.q.query(`SELECT ${PACK_REF_COLS} FROM pack_versions WHERE id = $1`, [id]));
  }
  async latestPackVersionRef(packId: string): Promise<PackVersionRef | null> {
    return first(await this.q.query(`SELECT ${PACK_REF_COLS} FROM pack_versions WHERE pack_id = $1 ORDER BY version DESC LIMIT 1`, [packId]));
  }
  async listPackVersions(packId?: string): Promise<PackVersionSummary[]> {
    return map(
      await this.q.query(`SELECT ${PACK_SUMMARY_COLS} FROM pack_versions WHERE ($1::text IS NULL OR pack_id = $1) ORDER BY pack_id, version`, [
        packId ?? null,
      ]),
    );
  }

  // ---- submissions ----
  async createSubmission(s: {
    id?: string;
    packVersionId: number;
    packId: string;
    formId: string;
    parkId: string;
    countyCode: string;
    cityCode: string;
    status: string;
    data: Json;
    evaluation?: Json;
    createdBy: string;
  }): Promise<Submission> {
    const rows = await this.q.query(
      `INSERT INTO submissions(id, pack_version_id, pack_id, form_id, park_id, county_code, city_code, status, data, evaluation, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::jsonb,$10::jsonb,$11) RETURNING ${SUB_COLS}`,
      [
        s.id ?? randomUUID(),
        s.packVersionId,
        s.packId,
        s.formId,
        s.parkId,
        s.countyCode,
        s.cityCode,
        s.status,
        JSON.stringify(s.data ?? null),
        JSON.stringify(s.evaluation ?? null),
        s.createdBy,
      ],
    );
    return first<Submission>(rows) as Submission;
  }
  /**
   * One submission. `evaluation: false` leaves the stored evaluation out (null): it is by far the
   * largest column, and hot paths that only check the status, version and data do not need it.
   */
  async getSubmission(id: string, opts: { forUpdate?: boolean; evaluation?: boolean } = {}): Promise<Submission | null> {
    const cols = opts.evaluation === false ? SUB_COLS_NO_EVALUATION : SUB_COLS;
    return first(await this.q.query(`SELECT ${cols} FROM submissions WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id]));
  }
  /** Submissions matching the filter, each with its park's name. */
  async listSubmissions(f: SubmissionFilter = {}): Promise<Array<Submission & { parkName: string }>> {
    const cols = SUB_COLS.split(',')
      .map((c) => `s.${c.trim()}`)
      .join(', ');
    return map(
      await this.q.query(
        `SELECT ${cols}, p.name AS park_name FROM submissions s JOIN parks p ON p.id = s.park_id
         WHERE ($1::text IS NULL OR s.park_id = $1) AND ($2::text IS NULL OR s.county_code = $2)
           AND ($3::text IS NULL OR s.city_code = $3) AND ($4::text IS NULL OR s.pack_id = $4)
           AND ($5::jsonb IS NULL OR $5::jsonb ? s.status) AND ($6::jsonb IS NULL OR NOT ($6::jsonb ? s.status))
         ORDER BY s.created_at, s.id LIMIT $7`,
        [
          f.parkId ?? null,
          f.countyCode ?? null,
          f.cityCode ?? null,
          f.packId ?? null,
          f.statuses ? JSON.stringify(f.statuses) : null,
          f.excludeStatuses ? JSON.stringify(f.excludeStatuses) : null,
          f.limit ?? 1000,
        ],
      ),
    );
  }
  /**
   * Optimistic update of a submission's data: succeeds only if the stored version equals
   * `expectedVersion` and the status is one of `statuses`. Returns null otherwise.
   */
  async updateSubmissionData(
    id: string,
    expectedVersion: number,
    statuses: string[],
    data: Json,
    evaluation: Json,
    now: Date,
  ): Promise<Submission | null> {
    const evaluationText = JSON.stringify(evaluation ?? null);
    const row = first<Submission>(
      await this.q.query(
        `UPDATE submissions SET data = $3::jsonb, evaluation = $4::jsonb, version = version + 1, updated_at = $5
         WHERE id = $1 AND version = $2 AND $6::jsonb ? status RETURNING ${SUB_COLS_NO_EVALUATION}`,
        [id, expectedVersion, JSON.stringify(data ?? null), evaluationText, now, JSON.stringify(statuses)],
      ),
    );
    // the evaluation just written is returned as stored (parsed back from the same JSON text),
    // without shipping the largest column back from the database
    return row ? { ...row, evaluation: JSON.parse(evaluationText) as Json } : null;
  }
  /** Conditional status change: only from one of `from`. Returns null when the status did not match. */
  async transitionSubmission(
    id: string,
    from: string[],
    to: string,
    now: Date,
    patch: { decision?: string | null; submittedAt?: Date | null; evaluation?: Json } = {},
  ): Promise<Submission | null> {
    return first(
      await this.q.query(
        `UPDATE submissions SET status = $3, version = version + 1, updated_at = $4,
           decision = CASE WHEN $5::boolean THEN $6 ELSE decision END,
           submitted_at = CASE WHEN $7::boolean THEN $8::timestamptz ELSE submitted_at END,
           evaluation = CASE WHEN $9::boolean THEN $10::jsonb ELSE evaluation END
         WHERE id = $1 AND $2::jsonb ? status RETURNING ${SUB_COLS}`,
        [
          id,
          JSON.stringify(from),
          to,
          now,
          'decision' in patch,
          patch.decision ?? null,
          'submittedAt' in patch,
          patch.submittedAt ?? null,
          'evaluation' in patch,
          JSON.stringify(patch.evaluation ?? null),
        ],
      ),
    );
  }

  // ---- reviews and re-scores ----
  async addReview(r: Omit<Review, 'id' | 'createdAt'>): Promise<Review> {
    return first<Review>(
      await this.q.query(
        `INSERT INTO reviews(submission_id, level, action, comment, from_status, to_status, reviewer_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *`,
        [r.submissionId, r.level, r.action, r.comment, r.fromStatus, r.toStatus, r.reviewerId],
      ),
    ) as Review;
  }
  /** The review steps of a submission, each with the reviewer's display name. */
  async listReviews(submissionId: string): Promise<Array<Review & { reviewerName: string | null }>> {
    return map(
      await this.q.query(
        'SELECT r.*, u.display_name AS reviewer_name FROM reviews r LEFT JOIN users u ON u.id = r.reviewer_id WHERE r.submission_id = $1 ORDER BY r.id',
        [submissionId],
      ),
    );
  }
  async addRescore(r: Omit<Rescore, 'id' | 'createdAt'>): Promise<Rescore> {
    return first<Rescore>(
      await this.q.query(
        `INSERT INTO rescores(submission_id, level, item, self_score, score, reason, reviewer_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *`,
        [r.submissionId, r.level, r.item, r.selfScore, r.score, r.reason, r.reviewerId],
      ),
    ) as Rescore;
  }
  async listRescores(submissionId: string): Promise<Array<Rescore & { reviewerName: string | null }>> {
    return map(
      await this.q.query(
        'SELECT r.*, u.display_name AS reviewer_name FROM rescores r LEFT JOIN users u ON u.id = r.reviewer_id WHERE r.submission_id = $1 ORDER BY r.id',
        [submissionId],
      ),
    );
  }

  async addConsistencyAcceptance(a: Omit<ConsistencyAcceptance, 'id' | 'createdAt'> & { at?: Date }): Promise<ConsistencyAcceptance> {
    return first<ConsistencyAcceptance>(
      await this.q.query(
        `INSERT INTO consistency_acceptances(submission_id, level, reason, mismatches, reviewer_id, created_at)
         VALUES ($1,$2,$3,$4::jsonb,$5, COALESCE($6, now())) RETURNING *`,
        [a.submissionId, a.level, a.reason, JSON.stringify(a.mismatches), a.reviewerId, a.at ?? null],
      ),
    ) as ConsistencyAcceptance;
  }
  async listConsistencyAcceptances(submissionId: string): Promise<Array<ConsistencyAcceptance & { reviewerName: string | null }>> {
    return map(
      await this.q.query(
        'SELECT a.*, u.display_name AS reviewer_name FROM consistency_acceptances a LEFT JOIN users u ON u.id = a.reviewer_id WHERE a.submission_id = $1 ORDER BY a.id',
        [submissionId],
      ),
    );
  }

  // ---- quotas ----
  /** Takes one seat of a quota for a submission, atomically; false when the quota is full. */
  async takeQuotaSeat(packId: string, quotaId: string, orgCode: string, limit: number, submissionId: string): Promise<boolean> {
    return this.transaction(async (s) => {
      await s.q.query(
        'INSERT INTO quota_counters(pack_id, quota_id, org_code, used) VALUES ($1,$2,$3,0) ON CONFLICT DO NOTHING',
        [packId, quotaId, orgCode],
      );
      const got = await s.q.query(
        'UPDATE quota_counters SET used = used + 1 WHERE pack_id = $1 AND quota_id = $2 AND org_code = $3 AND used < $4 RETURNING used',
        [packId, quotaId, orgCode, limit],
      );
      if (got.length === 0) return false;
      await s.q.query('INSERT INTO quota_seats(submission_id, pack_id, quota_id, org_code) VALUES ($1,$2,$3,$4)', [
        submissionId,
        packId,
        quotaId,
        orgCode,
      ]);
      return true;
    });
  }
  /** Releases the seat a submission holds, if any. */
  async releaseQuotaSeat(submissionId: string): Promise<boolean> {
    return this.transaction(async (s) => {
      const seat = first<{ packId: string; quotaId: string; orgCode: string }>(
        await s.q.query('DELETE FROM quota_seats WHERE submission_id = $1 RETURNING pack_id, quota_id, org_code', [submissionId]),
      );
      if (!seat) return false;
      await s.q.query('UPDATE quota_counters SET used = used - 1 WHERE pack_id = $1 AND quota_id = $2 AND org_code = $3', [
        seat.packId,
        seat.quotaId,
        seat.orgCode,
      ]);
      return true;
    });
  }
  async quotaUsed(packId: string, quotaId: string, orgCode: string): Promise<number> {
    const rows = await this.q.query<{ used: number }>(
      'SELECT used FROM quota_counters WHERE pack_id = $1 AND quota_id = $2 AND org_code = $3',
      [packId, quotaId, orgCode],
    );
    return Number(rows[0]?.used ?? 0);
  }

  // ---- cohort runs ----
  async saveCohortRun(r: Omit<CohortRun, 'id' | 'createdAt'> & { id?: string }): Promise<CohortRun> {
    return first<CohortRun>(
      await this.q.query(
        `INSERT INTO cohort_runs(id, pack_version_id, step_id, org_code, input, results, created_by)
         VALUES ($1,$2,$3,$4,$5::jsonb,$6::jsonb,$7) RETURNING *`,
        [r.id ?? randomUUID(), r.packVersionId, r.stepId, r.orgCode, JSON.stringify(r.input ?? null), JSON.stringify(r.results ?? null), r.createdBy],
      ),
    ) as CohortRun;
  }
  async getCohortRun(id: string): Promise<CohortRun | null> {
    return first(await this.q.query('SELECT * FROM cohort_runs WHERE id = $1', [id]));
  }
  async listCohortRuns(filter: { orgCodes?: string[] } = {}): Promise<CohortRun[]> {
    return map(
      await this.q.query('SELECT * FROM cohort_runs WHERE ($1::jsonb IS NULL OR $1::jsonb ? org_code) ORDER BY created_at, id', [
        filter.orgCodes ? JSON.stringify(filter.orgCodes) : null,
      ]),
    );
  }

  // ---- attachments ----
  async saveAttachment(a: Omit<Attachment, 'id' | 'createdAt' | 'size'> & { id?: string; content: Buffer }): Promise<Attachment> {
    return first<Attachment>(
      await this.q.query(
        `INSERT INTO attachments(id, submission_id, field, filename, mime, size, sha256, content, uploaded_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING ${ATT_COLS}`,
        [a.id ?? randomUUID(), a.submissionId, a.field, a.filename, a.mime, a.content.length, a.sha256, a.content, a.uploadedBy],
      ),
    ) as Attachment;
  }
  async getAttachment(id: string): Promise<(Attachment & { content: Buffer }) | null> {
    return first(await this.q.query(`SELECT ${ATT_COLS}, content FROM attachments WHERE id = $1`, [id]));
  }
  async listAttachments(submissionId: string): Promise<Attachment[]> {
    return map(await this.q.query(`SELECT ${ATT_COLS} FROM attachments WHERE submission_id = $1 ORDER BY created_at, id`, [submissionId]));
  }

  // ---- table reports (roll-up) ----
  async getTableReport(packId: string, formId: string, orgCode: string): Promise<TableReport | null> {
    return first(await this.q.query('SELECT * FROM table_reports WHERE pack_id = $1 AND form_id = $2 AND org_code = $3', [packId, formId, orgCode]));
  }
  /**
   * Writes a report's rows. With `expectedVersion` the write succeeds only on that version
   * (null when it changed or the report is not in an editable status).
   */
  async saveTableReport(r: {
    packVersionId: number;
    packId: string;
    formId: string;
    orgCode: string;
    level: OrgLevel;
    rows: unknown[];
    /** The whole data object of the form (stored beside `rows`). */
    data?: unknown;
    status: string;
    editableStatuses: string[];
    expectedVersion: number | null;
    updatedBy: string;
    now: Date;
    submitted?: boolean;
  }): Promise<TableReport | null> {
    return first(
      await this.q.query(
        `INSERT INTO table_reports(id, pack_version_id, pack_id, form_id, org_code, level, status, rows, updated_by, updated_at, submitted_at, data)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9,$10, CASE WHEN $11::boolean THEN $10::timestamptz END, $14::jsonb)
         ON CONFLICT (pack_id, form_id, org_code) DO UPDATE SET
           rows = EXCLUDED.rows, data = EXCLUDED.data, status = EXCLUDED.status, version = table_reports.version + 1,
           pack_version_id = EXCLUDED.pack_version_id,
           updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at,
           submitted_at = CASE WHEN $11::boolean THEN EXCLUDED.updated_at ELSE table_reports.submitted_at END
         WHERE $12::jsonb ? table_reports.status AND ($13::int IS NULL OR table_reports.version = $13)
         RETURNING *`,
        [
          randomUUID(),
          r.packVersionId,
          r.packId,
          r.formId,
          r.orgCode,
          r.level,
          r.status,
          JSON.stringify(r.rows),
          r.updatedBy,
          r.now,
          r.submitted === true,
          JSON.stringify(r.editableStatuses),
          r.expectedVersion,
          r.data === undefined ? null : JSON.stringify(r.data),
        ],
      ),
    );
  }
  /** Sets a report's status when it is in one of `from`. */
  async setTableReportStatus(id: string, from: string[], to: string, now: Date): Promise<TableReport | null> {
    return first(
      await this.q.query(
        `UPDATE table_reports SET status = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND $2::jsonb ? status RETURNING *`,
        [id, JSON.stringify(from), to, now],
      ),
    );
  }
  async listTableReports(packId: string, formId: string, orgCodes: string[]): Promise<TableReport[]> {
    return map(
      await this.q.query('SELECT * FROM table_reports WHERE pack_id = $1 AND form_id = $2 AND $3::jsonb ? org_code ORDER BY org_code', [
        packId,
        formId,
        JSON.stringify(orgCodes),
      ]),
    );
  }

  // ---- audit log ----
  async appendAudit(e: { actorId: string | null; action: string; entity: string; entityId: string; before?: Json; after?: Json; at?: Date }): Promise<void> {
    await this.q.query(
      `INSERT INTO audit_log(actor_id, action, entity, entity_id, before, after, at) VALUES ($1,$2,$3,$4,$5::jsonb,$6::jsonb, COALESCE($7, now()))`,
      [e.actorId, e.action, e.entity, e.entityId, JSON.stringify(e.before ?? null), JSON.stringify(e.after ?? null), e.at ?? null],
    );
  }
  async listAudit(filter: { entity?: string; entityId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const rows = await this.q.query(
      `SELECT a.*, u.display_name AS actor_name, u.role AS actor_role FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
       WHERE ($1::text IS NULL OR a.entity = $1) AND ($2::text IS NULL OR a.entity_id = $2) ORDER BY a.id LIMIT $3`,
      [filter.entity ?? null, filter.entityId ?? null, filter.limit ?? 1000],
    );
    return map<AuditEntry>(rows).map((e) => ({ ...e, id: Number(e.id) }));
  }
}
