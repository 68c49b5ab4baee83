import { randomUUID } from 'node:crypto';
import type { Db, PoolStats, Queryable } from './db.js';
import { migrate } from './migrations.js';
import { jsonChanges, revertChanges, type JsonChange } from './json-diff.js';

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
  /** when an administrator disabled the account (it cannot sign in); null when active */
  disabledAt: Date | null;
  /** the password was set by an administrator: the user must set a new one before anything else */
  mustChangePassword: boolean;
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
/** An unpublished draft of a pack's files (the administrator's workbench); `revision` guards concurrent edits. */
export interface PackDraft {
  id: number;
  packId: string;
  title: string;
  basedOnVersionId: number | null;
  files: Record<string, unknown>;
  revision: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type PackDraftSummary = Omit<PackDraft, 'files'>;
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
  /** The stored evaluation of every rule set over the data; null when not stored (see `evaluationStored`). */
  evaluation: Json;
  /**
   * false when the row keeps no evaluation: a draft save stores each rule set's outcome only
   * (`outcome_summary`), and the evaluation is that of `data` under the pinned pack version, rebuilt by
   * the reader that needs it. Submitted and reviewed rows keep theirs (frozen at submit).
   */
  evaluationStored: boolean;
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
/** A reviewer's verdict on one item the applicant ticked in an `x-review: confirm` field. */
export interface ReviewConfirmation {
  id: number;
  submissionId: string;
  level: string;
  /** the field's path in the submission's data */
  field: string;
  /** the ticked value (an option of a checklist, or the answer of a yes/no field) */
  item: unknown;
  verdict: 'confirmed' | 'disputed';
  reason: string | null;
  reviewerId: string;
  createdAt: Date;
}
/** Who a notification is for: a park's applicants, or an org unit's reviewers. */
export interface NotificationAudience {
  parkId?: string | null;
  orgCode?: string | null;
}
/** An in-app notification (see migration 7). */
export interface Notification {
  id: number;
  parkId: string | null;
  orgCode: string | null;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  data: Json;
  dedupeKey: string | null;
  createdBy: string | null;
  createdAt: Date;
}
/** A notification to add: to a park or an org unit (at least one), the rest optional. */
export type NewNotification = NotificationAudience &
  Pick<Notification, 'kind' | 'title'> &
  Partial<Pick<Notification, 'body' | 'link' | 'data' | 'dedupeKey' | 'createdBy'>> & { at?: Date };
/**
 * A cohort run (migration 13): the run row holds the summary (the result without its records:
 * groups, distribution, warnings, …) and the record count; each record — its input row and its
 * result — is a row of its own (CohortRunRecord), read in pages.
 */
export interface CohortRun {
  id: string;
  packVersionId: number;
  stepId: string;
  orgCode: string;
  /** the result without `records` */
  results: Json;
  recordCount: number;
  /** false while a job is still writing the records (not listed or read until it is true) */
  complete: boolean;
  createdBy: string | null;
  createdAt: Date;
}
/**
 * Which of a run's records a page reads: one group (the record's `group`), one grade (`excluded`
 * for the records not graded) and a part of the name (the record's label, else its key; any case).
 */
export interface CohortRecordFilter {
  group?: string | null;
  grade?: string | null;
  q?: string | null;
}
/** The filter's SQL over cohort_run_records ($4–$6; countCohortRunRecords renumbers them). */
const COHORT_FILTER = `($4::text IS NULL OR grp = $4) AND ($5::text IS NULL OR grade = $5)
  AND ($6::text IS NULL OR strpos(lower(COALESCE(result ->> 'label', result ->> 'key', '')), lower($6)) > 0)`;
const cohortFilterArgs = (f: CohortRecordFilter) => [f.group ?? null, f.grade ?? null, f.q ? f.q : null];

/** One record of a cohort run: its place in the input (seq, from 0), its input row and its result. */
export interface CohortRunRecord {
  seq: number;
  input: Json;
  result: Json;
}
/** Records written to a cohort run per statement (each statement one jsonb array of this many). */
export const COHORT_RECORD_BATCH = 1000;
/** How a job stands (migration 12): queued → running → succeeded | failed | cancelled. */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const JOB_ACTIVE: readonly JobStatus[] = ['queued', 'running'];
/** A long action run as a job (a cohort run over a whole table, a bulk export, …). */
export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  orgCode: string | null;
  params: Json;
  /** records processed so far, of `total` (null until known) */
  done: number;
  total: number | null;
  /** what it is doing now, in words (读取输入、计算、生成说明、保存) */
  phase: string | null;
  /** the id of what it produced (a cohort run's id) once it succeeded */
  resultId: string | null;
  /** a code of the error catalogue when it failed, and its message */
  errorCode: string | null;
  errorMessage: string | null;
  cancelRequested: boolean;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date;
}
/** The file a job produced (migration 15): its name, type and size; the bytes are read with getJobResult. */
export interface JobResultMeta {
  jobId: string;
  name: string;
  contentType: string;
  size: number;
  createdAt: Date;
}
/** A notice's result list published for 公示 (migration 11): rows frozen at publication, shown from `startsOn` to `endsOn`. */
export interface ResultList {
  id: number;
  packId: string;
  packVersionId: number;
  title: string;
  /** CST calendar dates (YYYY-MM-DD), inclusive */
  startsOn: string;
  endsOn: string;
  rows: Json;
  publishedBy: string | null;
  publishedAt: Date;
  withdrawnAt: Date | null;
}
/** Where the submissions an aggregate counts are: a city, a county, or everywhere. */
export interface AreaFilter {
  cityCode?: string;
  countyCode?: string;
  /** statuses left out (e.g. drafts) */
  excludeStatuses?: string[];
}
/** Parks of a unit and how many have started / submitted an application of a notice. */
export interface ParkProgressRow {
  cityCode: string;
  countyCode: string;
  parks: number;
  started: number;
  reported: number;
}
/** A count of submissions by unit and status. */
export interface StatusCountRow {
  cityCode: string;
  countyCode: string;
  status: string;
  count: number;
}
/** A count of submissions by unit and the level a rule set's stored outcome reached (null: none). */
export interface LevelCountRow {
  cityCode: string;
  countyCode: string;
  ruleSet: string;
  level: string | null;
  count: number;
}
/** Where a numeric indicator is in a submission of each form: `field` (÷ `per`), as paths of keys. */
export type IndicatorSources = Record<string, { field: string[]; per?: string[] | null }>;
/** An indicator's figures over a group of submissions (city and county null: the total of the level above). */
export interface IndicatorGroupRow {
  cityCode: string | null;
  countyCode: string | null;
  n: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
}
export interface IndicatorStats {
  groups: IndicatorGroupRow[];
  /** equal-width bins between the lowest and the highest value */
  histogram: Array<{ from: number; to: number; count: number }>;
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
  /** A draft save's changed paths with their values before and after (see `jsonChanges`). */
  changes?: JsonChange[];
}
export interface AuditQuery {
  actorId?: string;
  action?: string;
  submissionId?: string;
  packId?: string;
  /** org unit codes the entry must concern (see queryAudit) */
  area?: string[];
  from?: Date;
  /** exclusive */
  to?: Date;
  entity?: string;
  entityId?: string;
  limit?: number;
  offset?: number;
}
export interface IdempotencyClaim {
  /** true: this caller owns the key and must call `completeIdempotency` in the same transaction. */
  claimed: boolean;
  scope: string;
  /** the hash of the request that claimed the key (method, route, body); null for keys claimed before it was kept */
  requestHash: string | null;
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
  (evaluation IS NOT NULL) AS evaluation_stored, version, created_by, created_at, updated_at, submitted_at`;
/** SUB_COLS with a null in place of the (large) evaluation. */
const SUB_COLS_NO_EVALUATION = SUB_COLS.replace('evaluation,', 'NULL::jsonb AS evaluation,');
/**
 * Listing columns (table alias s): instead of the evaluation, each rule set's `outcome` taken out of
 * a stored evaluation in the database (`{ [ruleSetId]: outcome | null }`; null when none is stored).
 */
const LIST_COLS = `s.id, s.pack_version_id, s.pack_id, s.form_id, s.park_id, s.county_code, s.city_code, s.status, s.decision, s.data,
  NULL::jsonb AS evaluation, (s.evaluation IS NOT NULL) AS evaluation_stored,
  CASE WHEN jsonb_typeof(s.evaluation) = 'object'
       THEN (SELECT COALESCE(jsonb_object_agg(e.key, e.value -> 'outcome'), '{}'::jsonb) FROM jsonb_each(s.evaluation) e)
       WHEN s.evaluation IS NOT NULL THEN '{}'::jsonb END AS outcomes,
  s.version, s.created_by, s.created_at, s.updated_at, s.submitted_at`;
/** A submission's columns without its data and evaluation (what a save answers from the database). */
const SUB_HEAD_COLS = SUB_COLS.replace('data, evaluation,', '');

/** The size of an attachment's stored chunks (the last one is shorter). */
export const ATTACHMENT_CHUNK_BYTES = 1024 * 1024;
const ATT_COLS = 'id, submission_id, field, filename, mime, size, sha256, uploaded_by, created_at';
const PACK_SUMMARY_COLS = 'id, pack_id, version, hash, title, manifest, published_by, published_at';
const PACK_REF_COLS = 'id, pack_id, version, hash, title, published_by, published_at';
/** The id of pack $1's current version: the rollback pointer, else the highest version. */
const CURRENT_ID_SQL = `COALESCE((SELECT pack_version_id FROM pack_current WHERE pack_id = $1), (SELECT id FROM pack_versions WHERE pack_id = $1 ORDER BY version DESC LIMIT 1))`;

/** A submission named without its data (`findSubmissionRefs`). */
export interface SubmissionRef {
  id: string;
  packId: string;
  status: string;
  createdAt: Date;
  parkName: string;
}

export interface SubmissionFilter {
  parkId?: string;
  countyCode?: string;
  cityCode?: string;
  packId?: string;
  statuses?: string[];
  excludeStatuses?: string[];
  limit?: number;
  /** Keyset pagination: only rows after this one in the list's order (created_at to the millisecond — a JavaScript Date —, then id). */
  after?: { createdAt: Date; id: string };
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

  /** PGlite only: the database as an image to open copies of (`openStorage({ image })`); tests use it. */
  dumpImage(): Promise<Blob> {
    if (!this.db.dumpImage) throw new Error('dumpImage: only an embedded (PGlite) database can be copied');
    return this.db.dumpImage();
  }

  /** The database pool's use (PostgreSQL), for metrics; null on PGlite. */
  poolStats(): PoolStats | null {
    return this.db.poolStats();
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
  async createUser(u: Omit<User, 'id' | 'createdAt' | 'mobile' | 'disabledAt' | 'mustChangePassword'> & { id?: string; mobile?: string | null; mustChangePassword?: boolean }): Promise<User> {
    const rows = await this.q.query(
      `INSERT INTO users(id, username, display_name, password_hash, role, org_code, park_id, mobile, must_change_password)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING *`,
      [u.id ?? randomUUID(), u.username, u.displayName, u.passwordHash, u.role, u.orgCode, u.parkId, u.mobile ?? null, u.mustChangePassword === true],
    );
    return first<User>(rows) as User;
  }
  /**
   * Changes an account: a new password (with whether the user must replace it at the next
   * sign-in), disabled or enabled again. A new password or disabling ends every session of the
   * user except `keepSession` (the user's own, when they change their own password).
   * Returns the user after, or null when unknown.
   */
  async updateUserAccount(
    id: string,
    change: { passwordHash?: string; mustChangePassword?: boolean; disabled?: boolean; at?: Date; keepSession?: string },
  ): Promise<User | null> {
    const user = first<User>(
      await this.q.query(
        `UPDATE users SET
           password_hash = COALESCE($2, password_hash),
           must_change_password = COALESCE($3, must_change_password),
           disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN COALESCE(disabled_at, COALESCE($5, now())) ELSE NULL END
         WHERE id = $1 RETURNING *`,
        [id, change.passwordHash ?? null, change.mustChangePassword ?? null, change.disabled ?? null, change.at ?? null],
      ),
    );
    if (user && (change.passwordHash !== undefined || change.disabled === true)) {
      await this.q.query('DELETE FROM sessions WHERE user_id = $1 AND ($2::text IS NULL OR id_hash <> $2)', [id, change.keepSession ?? null]);
    }
    return user;
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
        `SELECT s.id_hash, s.user_id, s.csrf_token, s.created_at AS s_created_at, s.expires_at,
           u.id, u.username, u.display_name, u.password_hash, u.role, u.org_code, u.park_id, u.mobile, u.created_at,
           u.disabled_at, u.must_change_password
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
        [idHash, now],
        { prepared: true },
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
      disabledAt: (row.disabledAt as Date | null) ?? null,
      mustChangePassword: row.mustChangePassword === true,
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
  async claimIdempotency(userId: string, key: string, scope: string, requestHash: string | null = null, now: Date = new Date()): Promise<IdempotencyClaim> {
    const ins = await this.q.query(
      `INSERT INTO idempotency_keys(user_id, key, scope, request_hash, created_at) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING RETURNING scope`,
      [userId, key, scope, requestHash, now],
    );
    if (ins.length > 0) return { claimed: true, scope, requestHash, status: null, body: null };
    const row = first<{ scope: string; requestHash: string | null; status: number | null; body: Json }>(
      await this.q.query('SELECT scope, request_hash, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]),
    );
    return { claimed: false, scope: row?.scope ?? '', requestHash: row?.requestHash ?? null, status: row?.status ?? null, body: row?.body ?? null };
  }
  /** Forgets idempotency keys claimed before `before` (they expire; see docs/RELIABILITY.md). */
  async deleteIdempotencyKeysBefore(before: Date): Promise<number> {
    return (await this.q.query('DELETE FROM idempotency_keys WHERE created_at < $1 RETURNING key', [before])).length;
  }

  // ---- sign-in throttling ----
  /** The failures recorded on `key` since `since` (older ones have expired), with the time of the last. */
  async signInFailures(key: string, since: Date): Promise<{ failures: number; lastFailureAt: Date } | null> {
    return first(await this.q.query('SELECT failures, last_failure_at FROM sign_in_failures WHERE key = $1 AND last_failure_at >= $2', [key, since]));
  }
  /** Records one failure on `key` at `now` (counting from 1 again when the last one is older than `since`); returns the count. Atomic. */
  async recordSignInFailure(key: string, now: Date, since: Date): Promise<number> {
    const rows = await this.q.query<{ failures: number }>(
      `INSERT INTO sign_in_failures(key, failures, last_failure_at) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN sign_in_failures.last_failure_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END,
         last_failure_at = $2
       RETURNING failures`,
      [key, now, since],
    );
    return Number(rows[0]?.failures ?? 0);
  }
  async clearSignInFailures(key: string): Promise<void> {
    await this.q.query('DELETE FROM sign_in_failures WHERE key = $1', [key]);
  }
  /** Remembers a device (by the hash of its cookie) that signed in as `userId`. */
  async rememberDevice(tokenHash: string, userId: string, now: Date): Promise<void> {
    await this.q.query(
      `INSERT INTO known_devices(token_hash, user_id, last_seen_at) VALUES ($1, $2, $3)
       ON CONFLICT (token_hash) DO UPDATE SET user_id = $2, last_seen_at = $3`,
      [tokenHash, userId, now],
    );
  }
  /** Whether the device signed in as `userId` since `since`. */
  async isKnownDevice(tokenHash: string, userId: string, since: Date): Promise<boolean> {
    return (await this.q.query('SELECT 1 FROM known_devices WHERE token_hash = $1 AND user_id = $2 AND last_seen_at >= $3', [tokenHash, userId, since])).length > 0;
  }
  /** Deletes what has expired: sign-in failures before `failuresBefore`, devices not seen since `devicesBefore`, rate-limit windows started before `windowsBefore`. */
  async deleteExpiredThrottling(o: { failuresBefore: Date; devicesBefore: Date; windowsBefore: Date }): Promise<number> {
    const a = await this.q.query('DELETE FROM sign_in_failures WHERE last_failure_at < $1 RETURNING key', [o.failuresBefore]);
    const b = await this.q.query('DELETE FROM known_devices WHERE last_seen_at < $1 RETURNING token_hash', [o.devicesBefore]);
    const c = await this.q.query('DELETE FROM rate_limits WHERE window_start < $1 RETURNING key', [o.windowsBefore]);
    return a.length + b.length + c.length;
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
  /**
   * Inserts a new immutable version (next number), which becomes current; or, when a version with
   * the same hash exists, returns it — and with `makeCurrent` makes it current again (`madeCurrent`
   * when it was not: an administrator re-publishing an older version's content). Seeding the
   * repository's packs at start leaves out `makeCurrent`, so a restart never undoes a rollback.
   */
  async publishPackVersion(p: {
    packId: string;
    hash: string;
    title: string;
    manifest: Json;
    files: Record<string, unknown>;
    publishedBy: string | null;
    makeCurrent?: boolean;
  }): Promise<{ version: PackVersionSummary; created: boolean; madeCurrent: boolean }> {
    return this.transaction(async (s) => {
      // serialize publishes of one pack id
      await s.q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pack:${p.packId}`]);
      const existing = first<PackVersionSummary>(
        await s.q.query(`SELECT ${PACK_SUMMARY_COLS} FROM pack_versions WHERE pack_id = $1 AND hash = $2`, [p.packId, p.hash]),
      );
      if (existing) {
        const current = await s.currentPackVersionRef(p.packId);
        if (!p.makeCurrent || current?.id === existing.id) return { version: existing, created: false, madeCurrent: false };
        await s.setCurrentPackVersion(p.packId, existing.id, p.publishedBy);
        return { version: existing, created: false, madeCurrent: true };
      }
      const rows = await s.q.query(
        `INSERT INTO pack_versions(pack_id, version, hash, title, manifest, files, published_by)
         VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM pack_versions WHERE pack_id = $1), $2, $3, $4::json, $5::json, $6)
         RETURNING ${PACK_SUMMARY_COLS}`,
        [p.packId, p.hash, p.title, JSON.stringify(p.manifest), JSON.stringify(p.files), p.publishedBy],
      );
      // the new version is the highest: current without a pointer
      await s.q.query('DELETE FROM pack_current WHERE pack_id = $1', [p.packId]);
      return { version: first<PackVersionSummary>(rows) as PackVersionSummary, created: true, madeCurrent: true };
    });
  }
  /** Makes a published version of the pack current (a rollback, or forward again). */
  async setCurrentPackVersion(packId: string, versionId: number, by: string | null): Promise<void> {
    await this.q.query(
      `INSERT INTO pack_current(pack_id, pack_version_id, set_by) VALUES ($1, $2, $3)
       ON CONFLICT (pack_id) DO UPDATE SET pack_version_id = EXCLUDED.pack_version_id, set_by = EXCLUDED.set_by, set_at = now()`,
      [packId, versionId, by],
    );
  }
  async getPackVersion(id: number): Promise<PackVersion | null> {
    return first(await this.q.query('SELECT * FROM pack_versions WHERE id = $1', [id]));
  }
  async getPackVersionByNumber(packId: string, version: number): Promise<PackVersion | null> {
    return first(await this.q.query('SELECT * FROM pack_versions WHERE pack_id = $1 AND version = $2', [packId, version]));
  }
  /** The current version of a pack: the one a rollback made current, else the highest. */
  async latestPackVersion(packId: string): Promise<PackVersion | null> {
    return first(await this.q.query(`SELECT * FROM pack_versions WHERE id = ${CURRENT_ID_SQL}`, [packId]));
  }
  async getPackVersionRef(id: number): Promise<PackVersionRef | null> {
    return first(await this.q.query(`SELECT ${PACK_REF_COLS} FROM pack_versions WHERE id = $1`, [id], { prepared: true }));
  }
  /** The current version's identity (see `latestPackVersion`). */
  async latestPackVersionRef(packId: string): Promise<PackVersionRef | null> {
    return first(await this.q.query(`SELECT ${PACK_REF_COLS} FROM pack_versions WHERE id = ${CURRENT_ID_SQL}`, [packId], { prepared: true }));
  }
  async currentPackVersionRef(packId: string): Promise<PackVersionRef | null> {
    return this.latestPackVersionRef(packId);
  }
  /** Every version (of one pack or all), `current` marking each pack's current one. */
  async listPackVersions(packId?: string): Promise<Array<PackVersionSummary & { current: boolean }>> {
    return map(
      await this.q.query(
        `SELECT ${PACK_SUMMARY_COLS.split(', ')
          .map((c) => `v.${c}`)
          .join(', ')},
           v.id = COALESCE(c.pack_version_id, (SELECT id FROM pack_versions m WHERE m.pack_id = v.pack_id ORDER BY version DESC LIMIT 1)) AS current
         FROM pack_versions v LEFT JOIN pack_current c ON c.pack_id = v.pack_id
         WHERE ($1::text IS NULL OR v.pack_id = $1) ORDER BY v.pack_id, v.version`,
        [packId ?? null],
      ),
    );
  }

  // ---- pack drafts (the administrator's workbench) ----
  async createPackDraft(d: { packId: string; title: string; basedOnVersionId: number | null; files: Record<string, unknown>; createdBy: string | null }): Promise<PackDraft> {
    return first<PackDraft>(
      await this.q.query(
        `INSERT INTO pack_drafts(pack_id, title, based_on_version_id, files, created_by) VALUES ($1, $2, $3, $4::json, $5) RETURNING *`,
        [d.packId, d.title, d.basedOnVersionId, JSON.stringify(d.files), d.createdBy],
      ),
    ) as PackDraft;
  }
  async getPackDraft(id: number): Promise<PackDraft | null> {
    return first(await this.q.query('SELECT * FROM pack_drafts WHERE id = $1', [id]));
  }
  async listPackDrafts(): Promise<PackDraftSummary[]> {
    return map(
      await this.q.query('SELECT id, pack_id, title, based_on_version_id, revision, created_by, created_at, updated_at FROM pack_drafts ORDER BY updated_at DESC, id DESC'),
    );
  }
  /** Replaces a draft's files if its revision is still `expectedRevision`; null: changed meanwhile (or gone). */
  async updatePackDraft(id: number, expectedRevision: number, files: Record<string, unknown>, title?: string): Promise<PackDraft | null> {
    return first(
      await this.q.query(
        `UPDATE pack_drafts SET files = $3::json, title = COALESCE($4, title), revision = revision + 1, updated_at = now()
         WHERE id = $1 AND revision = $2 RETURNING *`,
        [id, expectedRevision, JSON.stringify(files), title ?? null],
      ),
    );
  }
  async deletePackDraft(id: number): Promise<boolean> {
    return (await this.q.query('DELETE FROM pack_drafts WHERE id = $1 RETURNING id', [id])).length > 0;
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
    /** The evaluation to store; omitted: none is stored (`evaluationStored` false, rebuilt on read). */
    evaluation?: Json;
    /** Each rule set's outcome summary (see migration 5). */
    outcomeSummary?: Json;
    createdBy: string;
  }): Promise<Submission> {
    const rows = await this.q.query(
      `INSERT INTO submissions(id, pack_version_id, pack_id, form_id, park_id, county_code, city_code, status, data, evaluation, created_by, outcome_summary)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::jsonb,$10::jsonb,$11,$12::jsonb) RETURNING ${SUB_COLS}`,
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
        s.evaluation === undefined ? null : JSON.stringify(s.evaluation),
        s.createdBy,
        s.outcomeSummary === undefined ? null : JSON.stringify(s.outcomeSummary),
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
    return first(await this.q.query(`SELECT ${cols} FROM submissions WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id], { prepared: true }));
  }
  /**
   * Submissions matching the filter, each with its park's name and, when an evaluation is stored,
   * each rule set's outcome in it (`outcomes`; null when none is stored: the reader rebuilds it);
   * the evaluation itself is left in the database (`evaluation` null).
   */
  async listSubmissions(f: SubmissionFilter = {}): Promise<Array<Submission & { parkName: string; outcomes: Record<string, Json> | null }>> {
    return map(
      await this.q.query(
        `SELECT ${LIST_COLS}, p.name AS park_name FROM submissions s JOIN parks p ON p.id = s.park_id
         WHERE ($1::text IS NULL OR s.park_id = $1) AND ($2::text IS NULL OR s.county_code = $2)
           AND ($3::text IS NULL OR s.city_code = $3) AND ($4::text IS NULL OR s.pack_id = $4)
           AND ($5::jsonb IS NULL OR $5::jsonb ? s.status) AND ($6::jsonb IS NULL OR NOT ($6::jsonb ? s.status))
           AND ($8::timestamptz IS NULL OR (date_trunc('milliseconds', s.created_at), s.id) > ($8::timestamptz, $9::text))
         ORDER BY date_trunc('milliseconds', s.created_at), s.id LIMIT $7`,
        [
          f.parkId ?? null,
          f.countyCode ?? null,
          f.cityCode ?? null,
          f.packId ?? null,
          f.statuses ? JSON.stringify(f.statuses) : null,
          f.excludeStatuses ? JSON.stringify(f.excludeStatuses) : null,
          f.limit ?? 1000,
          f.after?.createdAt ?? null,
          f.after?.id ?? null,
        ],
      ),
    );
  }
  /**
   * Submissions found by their park's name (a part of it) or by the start of their number, newest
   * first, without their data: what a filter's search list shows (the audit page's 申报).
   */
  async findSubmissionRefs(f: Omit<SubmissionFilter, 'after' | 'statuses'> & { text?: string }): Promise<SubmissionRef[]> {
    const text = f.text?.trim() ?? '';
    return map(
      await this.q.query(
        `SELECT s.id, s.pack_id, s.status, s.created_at, p.name AS park_name FROM submissions s JOIN parks p ON p.id = s.park_id
         WHERE ($1::text IS NULL OR s.park_id = $1) AND ($2::text IS NULL OR s.county_code = $2)
           AND ($3::text IS NULL OR s.city_code = $3) AND ($4::text IS NULL OR s.pack_id = $4)
           AND ($5::jsonb IS NULL OR NOT ($5::jsonb ? s.status))
           AND ($6 = '' OR strpos(p.name, $6) > 0 OR starts_with(s.id, $6))
         ORDER BY s.created_at DESC, s.id LIMIT $7`,
        [f.parkId ?? null, f.countyCode ?? null, f.cityCode ?? null, f.packId ?? null, f.excludeStatuses ? JSON.stringify(f.excludeStatuses) : null, text, f.limit ?? 50],
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
    /** Each rule set's outcome summary (see migration 5); omitted: none. */
    outcomeSummary?: Json,
  ): Promise<Submission | null> {
    const evaluationText = JSON.stringify(evaluation ?? null);
    const row = first<Submission>(
      await this.q.query(
        `UPDATE submissions SET data = $3::jsonb, evaluation = $4::jsonb, outcome_summary = $7::jsonb, version = version + 1, updated_at = $5
         WHERE id = $1 AND version = $2 AND $6::jsonb ? status RETURNING ${SUB_COLS_NO_EVALUATION}`,
        [id, expectedVersion, JSON.stringify(data ?? null), evaluationText, now, JSON.stringify(statuses), outcomeSummary === undefined ? null : JSON.stringify(outcomeSummary)],
      ),
    );
    // the evaluation just written is returned as stored (parsed back from the same JSON text),
    // without shipping the largest column back from the database
    return row ? { ...row, evaluation: JSON.parse(evaluationText) as Json, evaluationStored: true } : null;
  }

  /**
   * A draft save in one statement (no transaction round trips): the data and each rule set's
   * outcome summary replace the old ones, the stored evaluation is dropped (`evaluationStored`
   * false: it is rebuilt on read from the pinned pack version and the data), the version goes up
   * by one, and the audit entry is written — only if the stored version is `expectedVersion` and
   * the status one of `statuses`; null otherwise (nothing written). Both rows or neither.
   *
   * The audit entry is `before: { version, changes }`, `after: { version, data }`: the data as
   * saved, and the changed paths with their values before and after (`jsonChanges(before, data)`),
   * not a second copy of the whole data; `listAudit` answers `before` as `{ version, data }`.
   * Returns the row without its data and evaluation (the caller has the data it sent).
   */
  async saveSubmissionDraft(p: {
    id: string;
    expectedVersion: number;
    statuses: string[];
    /** The data before (of version `expectedVersion`) and the data to save. */
    before: Json;
    data: Json;
    outcomeSummary: Json;
    now: Date;
    actorId: string | null;
    action: string;
  }): Promise<Omit<Submission, 'data' | 'evaluation'> | null> {
    return first(
      await this.q.query(
        `WITH u AS (
           UPDATE submissions SET data = $3::jsonb, evaluation = NULL, outcome_summary = $4::jsonb, version = version + 1, updated_at = $5
           WHERE id = $1 AND version = $2 AND $6::jsonb ? status RETURNING ${SUB_HEAD_COLS}
         ), a AS (
           INSERT INTO audit_log(actor_id, action, entity, entity_id, before, after, at)
           SELECT $7, $8, 'submission', u.id, jsonb_build_object('version', $2::int, 'changes', $9::jsonb),
                  jsonb_build_object('version', u.version, 'data', $3::jsonb), $5 FROM u
         )
         SELECT * FROM u`,
        [
          p.id,
          p.expectedVersion,
          JSON.stringify(p.data ?? null),
          JSON.stringify(p.outcomeSummary ?? null),
          p.now,
          JSON.stringify(p.statuses),
          p.actorId,
          p.action,
          JSON.stringify(jsonChanges(p.before, p.data)),
        ],
        { prepared: true },
      ),
    );
  }
  /**
   * Conditional status change: only from one of `from`. Returns null when the status did not match.
   * `opts.evaluation: false` answers without the stored evaluation (null; as getSubmission).
   */
  async transitionSubmission(
    id: string,
    from: string[],
    to: string,
    now: Date,
    /** `evaluation` (with its `outcomeSummary`): stored in place of the old ones. */
    patch: { decision?: string | null; submittedAt?: Date | null; evaluation?: Json; outcomeSummary?: Json } = {},
    opts: { evaluation?: boolean } = {},
  ): Promise<Submission | null> {
    return first(
      await this.q.query(
        `UPDATE submissions SET status = $3, version = version + 1, updated_at = $4,
           decision = CASE WHEN $5::boolean THEN $6 ELSE decision END,
           submitted_at = CASE WHEN $7::boolean THEN $8::timestamptz ELSE submitted_at END,
           evaluation = CASE WHEN $9::boolean THEN $10::jsonb ELSE evaluation END,
           outcome_summary = CASE WHEN $9::boolean THEN $11::jsonb ELSE outcome_summary END
         WHERE id = $1 AND $2::jsonb ? status RETURNING ${opts.evaluation === false ? SUB_COLS_NO_EVALUATION : SUB_COLS}`,
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
          patch.outcomeSummary === undefined ? null : JSON.stringify(patch.outcomeSummary),
        ],
      ),
    );
  }

  // ---- reviews and re-scores ----
  /** `createdAt`: the time of the step (the server's clock; the database's when not given) */
  async addReview(r: Omit<Review, 'id' | 'createdAt'> & { createdAt?: Date }): Promise<Review> {
    return first<Review>(
      await this.q.query(
        `INSERT INTO reviews(submission_id, level, action, comment, from_status, to_status, reviewer_id, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,COALESCE($8::timestamptz, now())) RETURNING *`,
        [r.submissionId, r.level, r.action, r.comment, r.fromStatus, r.toStatus, r.reviewerId, r.createdAt ?? null],
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
  /** A whole run at once (small runs, tests): the summary row and its records, in one transaction. */
  async saveCohortRun(r: { id?: string; packVersionId: number; stepId: string; orgCode: string; input: readonly unknown[]; results: unknown; createdBy: string | null }): Promise<CohortRun> {
    const results = (r.results ?? null) as { records?: unknown } | null;
    const recs = results && typeof results === 'object' && Array.isArray(results.records) ? (results.records as unknown[]) : [];
    const summary = results && typeof results === 'object' && !Array.isArray(results) ? (({ records: _r, ...rest }) => rest)(results as Record<string, unknown>) : results;
    return this.transaction(async (t) => {
      const run = await t.beginCohortRun({ ...(r.id ? { id: r.id } : {}), packVersionId: r.packVersionId, stepId: r.stepId, orgCode: r.orgCode, createdBy: r.createdBy });
      const n = Math.max(r.input.length, recs.length);
      for (let i = 0; i < n; i += COHORT_RECORD_BATCH) {
        const rows: Array<{ input: unknown; result: unknown }> = [];
        for (let k = i; k < Math.min(n, i + COHORT_RECORD_BATCH); k++) rows.push({ input: r.input[k] ?? null, result: recs[k] ?? null });
        await t.addCohortRunRecords(run.id, i, rows);
      }
      return (await t.completeCohortRun(run.id, summary, n)) as CohortRun;
    });
  }
  /** A run whose records are still to be written (complete = false: not listed or read). */
  async beginCohortRun(r: { id?: string; packVersionId: number; stepId: string; orgCode: string; createdBy: string | null }): Promise<CohortRun> {
    return first<CohortRun>(
      await this.q.query(
        `INSERT INTO cohort_runs(id, pack_version_id, step_id, org_code, results, created_by, complete)
         VALUES ($1,$2,$3,$4,'{}'::jsonb,$5,false) RETURNING *`,
        [r.id ?? randomUUID(), r.packVersionId, r.stepId, r.orgCode, r.createdBy],
      ),
    ) as CohortRun;
  }
  /** Writes records `from`, `from + 1`, … of a run in one statement (at most a few thousand at a time). */
  /** (Values are written as JSON.stringify writes them: a result's toJSON is used.) */
  async addCohortRunRecords(runId: string, from: number, rows: ReadonlyArray<{ input: unknown; result: unknown }>): Promise<void> {
    if (!rows.length) return;
    await this.q.query(
      `INSERT INTO cohort_run_records(run_id, seq, input, result, grp, grade, rank)
       SELECT $1, $2::int + (e.o - 1)::int, e.x -> 'i', e.x -> 'r',
         COALESCE(e.x -> 'r' ->> 'group', ''),
         CASE WHEN e.x -> 'r' ? 'excluded' THEN 'excluded' ELSE COALESCE(e.x -> 'r' ->> 'grade', '') END,
         CASE WHEN jsonb_typeof(e.x -> 'r' -> 'rank') = 'number' THEN (e.x -> 'r' ->> 'rank')::numeric::int END
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(x, o)`,
      [runId, from, JSON.stringify(rows.map((x) => ({ i: x.input ?? null, r: x.result ?? null })))],
    );
  }
  /** Ends the writing of a run: its summary and record count; from now on it is listed and read. */
  async completeCohortRun(runId: string, summary: unknown, recordCount: number): Promise<CohortRun | null> {
    return first(
      await this.q.query('UPDATE cohort_runs SET results = $2::jsonb, record_count = $3, complete = true WHERE id = $1 RETURNING *', [runId, JSON.stringify(summary ?? null), recordCount]),
    );
  }
  /** Deletes a run and its records (a job cancelled or failed while writing them). */
  async deleteCohortRun(runId: string): Promise<void> {
    await this.q.query('DELETE FROM cohort_runs WHERE id = $1', [runId]);
  }
  async getCohortRun(id: string): Promise<CohortRun | null> {
    return first(await this.q.query('SELECT * FROM cohort_runs WHERE id = $1 AND complete', [id]));
  }
  async listCohortRuns(filter: { orgCodes?: string[] } = {}): Promise<CohortRun[]> {
    return map(
      await this.q.query('SELECT * FROM cohort_runs WHERE complete AND ($1::jsonb IS NULL OR $1::jsonb ? org_code) ORDER BY created_at, id', [
        filter.orgCodes ? JSON.stringify(filter.orgCodes) : null,
      ]),
    );
  }
  /**
   * A page of a run's records: in input order (`seq`), or by rank (unranked last, then input order).
   * Read in pages of at most a few thousand; a whole run is read by paging on (see cohortRunRecordPages).
   */
  async cohortRunRecords(runId: string, p: { offset?: number; limit: number; order?: 'seq' | 'rank'; desc?: boolean } & CohortRecordFilter): Promise<CohortRunRecord[]> {
    const dir = p.desc ? 'DESC' : 'ASC';
    const order = p.order === 'rank' ? `rank ${dir} NULLS LAST, seq ${dir}` : `seq ${dir}`;
    return map(
      await this.q.query(`SELECT seq, input, result FROM cohort_run_records WHERE run_id = $1 AND ${COHORT_FILTER} ORDER BY ${order} LIMIT $2 OFFSET $3`, [
        runId,
        p.limit,
        p.offset ?? 0,
        ...cohortFilterArgs(p),
      ]),
    );
  }
  /** How many of a run's records the filter keeps (group, grade, name). */
  async countCohortRunRecords(runId: string, f: CohortRecordFilter): Promise<number> {
    const rows = await this.q.query(`SELECT count(*)::int AS n FROM cohort_run_records WHERE run_id = $1 AND ${COHORT_FILTER.replace(/\$(\d)/g, (_m, d: string) => `$${Number(d) - 2}`)}`, [
      runId,
      ...cohortFilterArgs(f),
    ]);
    return (first<{ n: number }>(rows) as { n: number }).n;
  }
  /** Every record of a run in input order, page by page (keyset on seq): never the whole run in memory. */
  async *cohortRunRecordPages(runId: string, pageSize = COHORT_RECORD_BATCH): AsyncGenerator<CohortRunRecord[]> {
    let after = -1;
    for (;;) {
      const page = map<CohortRunRecord>(
        await this.q.query('SELECT seq, input, result FROM cohort_run_records WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [runId, after, pageSize]),
      );
      if (!page.length) return;
      yield page;
      after = (page[page.length - 1] as CohortRunRecord).seq;
      if (page.length < pageSize) return;
    }
  }
  /** Runs whose records a job began writing before `before` and never completed (its process died): deleted; how many. */
  async deleteIncompleteCohortRuns(before: Date): Promise<number> {
    return (await this.q.query('DELETE FROM cohort_runs WHERE NOT complete AND created_at < $1 RETURNING id', [before])).length;
  }

  // ---- jobs (long work: progress, cancel) ----
  async createJob(j: { id?: string; kind: string; orgCode: string | null; params: Json; total?: number | null; createdBy: string | null; at?: Date }): Promise<Job> {
    return first<Job>(
      await this.q.query(
        `INSERT INTO jobs(id, kind, status, org_code, params, total, created_by, created_at, heartbeat_at)
         VALUES ($1,$2,'queued',$3,$4::jsonb,$5,$6,COALESCE($7::timestamptz, now()),COALESCE($7::timestamptz, now())) RETURNING *`,
        [j.id ?? randomUUID(), j.kind, j.orgCode, JSON.stringify(j.params ?? {}), j.total ?? null, j.createdBy, j.at ?? null],
      ),
    ) as Job;
  }
  async getJob(id: string, opts: { forUpdate?: boolean } = {}): Promise<Job | null> {
    return first(await this.q.query(`SELECT * FROM jobs WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id]));
  }
  /** Jobs, the latest first: of one user, of one kind, only the active (queued, running) ones. */
  async listJobs(f: { createdBy?: string; kind?: string; active?: boolean; limit?: number } = {}): Promise<Job[]> {
    return map(
      await this.q.query(
        `SELECT * FROM jobs WHERE ($1::text IS NULL OR created_by = $1) AND ($2::text IS NULL OR kind = $2)
           AND (NOT $3::boolean OR status IN ('queued','running'))
         ORDER BY created_at DESC, id DESC LIMIT $4`,
        [f.createdBy ?? null, f.kind ?? null, f.active ?? false, f.limit ?? 20],
      ),
    );
  }
  /** A queued job starts running; null when it is no longer queued (cancelled before it started). */
  async startJob(id: string, at?: Date): Promise<Job | null> {
    return first(
      await this.q.query(
        `UPDATE jobs SET status = 'running', started_at = COALESCE($2::timestamptz, now()), heartbeat_at = COALESCE($2::timestamptz, now())
         WHERE id = $1 AND status = 'queued' AND NOT cancel_requested RETURNING *`,
        [id, at ?? null],
      ),
    );
  }
  /**
   * A running job's progress (and heartbeat); answers whether its cancel was asked for (true also
   * when the job is no longer running: its runner should stop).
   */
  async setJobProgress(id: string, p: { done: number; total?: number | null; phase?: string | null }, at?: Date): Promise<{ cancelRequested: boolean }> {
    const rows = await this.q.query<{ cancel_requested: boolean }>(
      `UPDATE jobs SET done = $2, total = COALESCE($3, total), phase = COALESCE($4, phase), heartbeat_at = COALESCE($5::timestamptz, now())
       WHERE id = $1 AND status = 'running' RETURNING cancel_requested`,
      [id, p.done, p.total ?? null, p.phase ?? null, at ?? null],
    );
    const r = rows[0];
    return { cancelRequested: !r || r.cancel_requested };
  }
  /**
   * Asks a job to stop: a queued job is cancelled at once; a running one stops at its next
   * progress step (its runner ends it as cancelled, writing nothing). Null when the job has ended.
   */
  async requestJobCancel(id: string, at?: Date): Promise<Job | null> {
    return first(
      await this.q.query(
        `UPDATE jobs SET cancel_requested = true,
           status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
           finished_at = CASE WHEN status = 'queued' THEN COALESCE($2::timestamptz, now()) ELSE finished_at END
         WHERE id = $1 AND status IN ('queued','running') RETURNING *`,
        [id, at ?? null],
      ),
    );
  }
  /** Ends a running (or queued) job; null when it had ended already. */
  async finishJob(
    id: string,
    end: { status: 'succeeded'; resultId: string | null; done?: number } | { status: 'failed'; errorCode: string; errorMessage: string } | { status: 'cancelled' },
    at?: Date,
  ): Promise<Job | null> {
    return first(
      await this.q.query(
        `UPDATE jobs SET status = $2, result_id = $3, error_code = $4, error_message = $5, done = COALESCE($6, done),
           finished_at = COALESCE($7::timestamptz, now()), heartbeat_at = COALESCE($7::timestamptz, now()), phase = NULL
         WHERE id = $1 AND status IN ('queued','running') RETURNING *`,
        [
          id,
          end.status,
          end.status === 'succeeded' ? end.resultId : null,
          end.status === 'failed' ? end.errorCode : null,
          end.status === 'failed' ? end.errorMessage : null,
          end.status === 'succeeded' ? (end.done ?? null) : null,
          at ?? null,
        ],
      ),
    );
  }
  /** Ends as failed (`errorCode`) the active jobs whose runner has not been heard from since `before` (its process died). */
  async failStaleJobs(before: Date, errorCode: string, errorMessage: string, at?: Date): Promise<number> {
    const rows = await this.q.query(
      `UPDATE jobs SET status = 'failed', error_code = $2, error_message = $3, finished_at = COALESCE($4::timestamptz, now()), phase = NULL
       WHERE status IN ('queued','running') AND heartbeat_at < $1 RETURNING id`,
      [before, errorCode, errorMessage, at ?? null],
    );
    return rows.length;
  }

  // ---- what a job produced (migration 15): a file, kept until swept ----
  /**
   * Keeps the file a job produced (an export's xlsx, an import's report), in rows of
   * ATTACHMENT_CHUNK_BYTES. Called inside the transaction that ends the job (JobRun.commit), so a
   * cancelled job leaves none. Replaces an earlier result of the same job.
   */
  async saveJobResult(jobId: string, r: { name: string; contentType: string; content: Buffer; at?: Date }): Promise<JobResultMeta> {
    await this.q.query('DELETE FROM job_results WHERE job_id = $1', [jobId]);
    const meta = first<JobResultMeta>(
      await this.q.query(
        `INSERT INTO job_results(job_id, name, content_type, size, created_at) VALUES ($1,$2,$3,$4,COALESCE($5::timestamptz, now()))
         RETURNING job_id, name, content_type, size, created_at`,
        [jobId, r.name, r.contentType, r.content.length, r.at ?? null],
      ),
    ) as JobResultMeta;
    for (let at = 0; at < r.content.length; at += ATTACHMENT_CHUNK_BYTES) {
      await this.q.query('INSERT INTO job_result_chunks(job_id, start, data) VALUES ($1, $2, $3)', [jobId, at, r.content.subarray(at, at + ATTACHMENT_CHUNK_BYTES)]);
    }
    return meta;
  }
  /** The file a job produced (its bytes read chunk by chunk and joined), or null when there is none (not finished, cancelled, swept). */
  async getJobResult(jobId: string): Promise<(JobResultMeta & { content: Buffer }) | null> {
    const meta = first<JobResultMeta>(await this.q.query('SELECT job_id, name, content_type, size, created_at FROM job_results WHERE job_id = $1', [jobId]));
    if (!meta) return null;
    const parts: Buffer[] = [];
    for (let at = 0; at < Number(meta.size); ) {
      const c = first<{ start: number; data: Buffer }>(await this.q.query('SELECT start, data FROM job_result_chunks WHERE job_id = $1 AND start >= $2 ORDER BY start LIMIT 1', [jobId, at]));
      if (!c) throw new Error(`job result ${jobId}: chunk at ${at} missing`);
      const data = Buffer.from(c.data);
      parts.push(data);
      at = Number(c.start) + data.length;
    }
    return { ...meta, size: Number(meta.size), content: Buffer.concat(parts) };
  }
  /** Deletes the files jobs produced before `before` (the job rows stay, without a result to download); how many. */
  async deleteJobResultsBefore(before: Date): Promise<number> {
    return (await this.q.query('DELETE FROM job_results WHERE created_at < $1 RETURNING job_id', [before])).length;
  }

  /** The latest run of each cohort step of a notice (any of its versions), by the listed units (all: null); no summary. */
  async latestCohortRuns(packId: string, orgCodes: string[] | null = null): Promise<Array<Omit<CohortRun, 'results'>>> {
    return map(
      await this.q.query(
        `SELECT DISTINCT ON (r.step_id) r.id, r.pack_version_id, r.step_id, r.org_code, r.record_count, r.complete, r.created_by, r.created_at
         FROM cohort_runs r JOIN pack_versions v ON v.id = r.pack_version_id
         WHERE v.pack_id = $1 AND r.complete AND ($2::jsonb IS NULL OR $2::jsonb ? r.org_code)
         ORDER BY r.step_id, r.created_at DESC, r.id DESC`,
        [packId, orgCodes ? JSON.stringify(orgCodes) : null],
      ),
    );
  }
  /** A cohort run's records counted by group and grade (in SQL; 'excluded' for the records left out, '' for none). */
  async cohortGradeCounts(runId: string): Promise<Array<{ group: string; grade: string; count: number }>> {
    return map(
      await this.q.query(
        `SELECT grp AS "group", grade, count(*)::int AS count
         FROM cohort_run_records WHERE run_id = $1 AND result IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
        [runId],
      ),
    );
  }

  // ---- result lists (公示) ----
  async publishResultList(r: Omit<ResultList, 'id' | 'publishedAt' | 'withdrawnAt'> & { at?: Date }): Promise<ResultList> {
    return first<ResultList>(
      await this.q.query(
        `INSERT INTO result_lists(pack_id, pack_version_id, title, starts_on, ends_on, rows, published_by, published_at)
         VALUES ($1,$2,$3,$4,$5,$6::jsonb,$7,COALESCE($8::timestamptz, now())) RETURNING *`,
        [r.packId, r.packVersionId, r.title, r.startsOn, r.endsOn, JSON.stringify(r.rows ?? []), r.publishedBy, r.at ?? null],
      ),
    ) as ResultList;
  }
  /** A notice's result lists, the latest first. */
  async listResultLists(packId: string): Promise<ResultList[]> {
    return map(await this.q.query('SELECT * FROM result_lists WHERE pack_id = $1 ORDER BY id DESC', [packId]));
  }
  async getResultList(id: number): Promise<ResultList | null> {
    return first(await this.q.query('SELECT * FROM result_lists WHERE id = $1', [id]));
  }
  /** Ends a publication early; null when it does not exist or was withdrawn already. */
  async withdrawResultList(id: number, at: Date): Promise<ResultList | null> {
    return first(await this.q.query('UPDATE result_lists SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL RETURNING *', [id, at]));
  }

  // ---- dashboard aggregates (in SQL: no submission is loaded) ----
  /** Per county: the parks, how many started an application of the notice, how many submitted one (status not excluded). */
  async parkProgress(packId: string, f: AreaFilter = {}): Promise<ParkProgressRow[]> {
    return map(
      await this.q.query(
        `SELECT p.city_code, p.county_code, count(*)::int AS parks,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM submissions s WHERE s.park_id = p.id AND s.pack_id = $1))::int AS started,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM submissions s WHERE s.park_id = p.id AND s.pack_id = $1 AND NOT ($4::jsonb ? s.status)))::int AS reported
         FROM parks p
         WHERE ($2::text IS NULL OR p.city_code = $2) AND ($3::text IS NULL OR p.county_code = $3)
         GROUP BY p.city_code, p.county_code ORDER BY p.city_code, p.county_code`,
        [packId, f.cityCode ?? null, f.countyCode ?? null, JSON.stringify(f.excludeStatuses ?? ['draft'])],
      ),
    );
  }
  /** Submissions of the notice by county and status. */
  async statusCounts(packId: string, f: AreaFilter = {}): Promise<StatusCountRow[]> {
    return map(
      await this.q.query(
        `SELECT city_code, county_code, status, count(*)::int AS count FROM submissions
         WHERE pack_id = $1 AND ($2::text IS NULL OR city_code = $2) AND ($3::text IS NULL OR county_code = $3) AND NOT ($4::jsonb ? status)
         GROUP BY city_code, county_code, status ORDER BY city_code, county_code, status`,
        [packId, f.cityCode ?? null, f.countyCode ?? null, JSON.stringify(f.excludeStatuses ?? [])],
      ),
    );
  }
  /** Submissions by county, rule set and the level its stored outcome reached (only rows that keep their evaluation: submitted and later). */
  async levelCounts(packId: string, f: AreaFilter = {}): Promise<LevelCountRow[]> {
    return map(
      await this.q.query(
        `SELECT s.city_code, s.county_code, e.key AS rule_set, e.value -> 'outcome' ->> 'level' AS level, count(*)::int AS count
         FROM submissions s, jsonb_each(CASE WHEN jsonb_typeof(s.evaluation) = 'object' THEN s.evaluation ELSE '{}'::jsonb END) e
         WHERE s.pack_id = $1 AND ($2::text IS NULL OR s.city_code = $2) AND ($3::text IS NULL OR s.county_code = $3) AND NOT ($4::jsonb ? s.status)
           AND jsonb_typeof(e.value -> 'outcome') = 'object' AND (e.value -> 'outcome') ? 'level'
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        [packId, f.cityCode ?? null, f.countyCode ?? null, JSON.stringify(f.excludeStatuses ?? [])],
      ),
    );
  }
  /**
   * A numeric indicator over the notice's submissions: count, range, mean and quartiles per county,
   * per city and in total, and a histogram of `bins` equal-width bins. A value is the number at
   * `field` (÷ the number at `per`, when given and not 0) in a submission of one of `sources`' forms;
   * anything else (missing, not a number) is not counted.
   */
  async indicatorStats(packId: string, sources: IndicatorSources, f: AreaFilter = {}, bins = 10): Promise<IndicatorStats> {
    const values = `WITH src AS (SELECT $1::jsonb AS m),
      raw AS (
        SELECT s.city_code, s.county_code,
          s.data #> ARRAY(SELECT jsonb_array_elements_text(src.m -> s.form_id -> 'field')) AS num,
          CASE WHEN jsonb_typeof(src.m -> s.form_id -> 'per') = 'array'
               THEN s.data #> ARRAY(SELECT jsonb_array_elements_text(src.m -> s.form_id -> 'per')) END AS den,
          COALESCE(jsonb_typeof(src.m -> s.form_id -> 'per') = 'array', false) AS ratio
        FROM submissions s, src
        WHERE s.pack_id = $2 AND src.m ? s.form_id AND ($3::text IS NULL OR s.city_code = $3) AND ($4::text IS NULL OR s.county_code = $4) AND NOT ($5::jsonb ? s.status)
      ),
      v AS (
        SELECT city_code, county_code,
          CASE WHEN jsonb_typeof(num) <> 'number' THEN NULL
               WHEN NOT ratio THEN (num #>> '{}')::float8
               WHEN jsonb_typeof(den) = 'number' AND (den #>> '{}')::float8 <> 0 THEN (num #>> '{}')::float8 / (den #>> '{}')::float8
          END AS value
        FROM raw
      )`;
    const args = [JSON.stringify(sources), packId, f.cityCode ?? null, f.countyCode ?? null, JSON.stringify(f.excludeStatuses ?? ['draft'])];
    const groups = await this.q.query<Row>(
      `${values}
       SELECT city_code, county_code, count(value)::int AS n, min(value) AS min, max(value) AS max, avg(value) AS mean,
         percentile_cont(0.25) WITHIN GROUP (ORDER BY value) AS p25,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median,
         percentile_cont(0.75) WITHIN GROUP (ORDER BY value) AS p75
       FROM v GROUP BY GROUPING SETS ((city_code, county_code), (city_code), ())
       ORDER BY city_code NULLS FIRST, county_code NULLS FIRST`,
      args,
    );
    const hist = await this.q.query<Row>(
      `${values},
       b AS (SELECT min(value) AS lo, max(value) AS hi FROM v WHERE value IS NOT NULL)
       SELECT CASE WHEN b.hi = b.lo THEN 1 ELSE LEAST(width_bucket(v.value, b.lo, b.hi, $6::int), $6::int) END AS bucket, count(*)::int AS count, b.lo, b.hi
       FROM v, b WHERE v.value IS NOT NULL GROUP BY 1, b.lo, b.hi ORDER BY 1`,
      [...args, bins],
    );
    const num = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));
    const histogram: IndicatorStats['histogram'] = [];
    const h0 = hist[0];
    if (h0) {
      const lo = Number(h0.lo);
      const hi = Number(h0.hi);
      const n = hi === lo ? 1 : bins;
      const width = hi === lo ? 0 : (hi - lo) / bins;
      for (let i = 0; i < n; i++) histogram.push({ from: lo + i * width, to: i === n - 1 ? hi : lo + (i + 1) * width, count: 0 });
      for (const r of hist) {
        const bin = histogram[Number(r.bucket) - 1];
        if (bin) bin.count = Number(r.count);
      }
    }
    return {
      groups: groups.map((r) => ({
        cityCode: (r.city_code as string | null) ?? null,
        countyCode: (r.county_code as string | null) ?? null,
        n: Number(r.n),
        min: num(r.min),
        max: num(r.max),
        mean: num(r.mean),
        p25: num(r.p25),
        median: num(r.median),
        p75: num(r.p75),
      })),
      histogram,
    };
  }

  // ---- attachments ----
  /**
   * An attachment's row. With `content` its bytes are stored in the row (small files, tests);
   * without, they are the chunks `writeAttachmentContent(id, …)` wrote before, and `size` is theirs.
   */
  async saveAttachment(
    a: Omit<Attachment, 'id' | 'createdAt' | 'size'> & ({ id?: string; content: Buffer } | { id: string; content?: undefined; size: number }),
  ): Promise<Attachment> {
    return first<Attachment>(
      await this.q.query(
        `INSERT INTO attachments(id, submission_id, field, filename, mime, size, sha256, content, uploaded_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING ${ATT_COLS}`,
        [a.id ?? randomUUID(), a.submissionId, a.field, a.filename, a.mime, a.content ? a.content.length : a.size, a.sha256, a.content ?? null, a.uploadedBy],
      ),
    ) as Attachment;
  }
  /**
   * Writes the bytes of attachment `id` (not saved yet) as they arrive from `source`, in rows of
   * ATTACHMENT_CHUNK_BYTES: at most one chunk is held in memory. When `source` throws (the upload
   * is over its limit, or cut off) the chunks written are deleted and the error rethrown. Not in a
   * transaction: each chunk is its own statement, so a long upload holds no connection or lock
   * between chunks; `saveAttachment({ id, size, … })` then makes them an attachment.
   */
  async writeAttachmentContent(id: string, source: AsyncIterable<Uint8Array>): Promise<{ size: number }> {
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (all: boolean) => {
      while (pendingBytes >= ATTACHMENT_CHUNK_BYTES || (all && pendingBytes > 0)) {
        const joined = Buffer.concat(pending, pendingBytes);
        const n = Math.min(ATTACHMENT_CHUNK_BYTES, joined.length);
        await this.q.query('INSERT INTO attachment_chunks(attachment_id, start, data) VALUES ($1, $2, $3)', [id, size, joined.subarray(0, n)]);
        size += n;
        pending = n < joined.length ? [joined.subarray(n)] : [];
        pendingBytes = joined.length - n;
      }
    };
    try {
      for await (const part of source) {
        pending.push(Buffer.isBuffer(part) ? part : Buffer.from(part.buffer, part.byteOffset, part.byteLength));
        pendingBytes += part.byteLength;
        await flush(false);
      }
      await flush(true);
    } catch (e) {
      await this.discardAttachmentContent(id);
      throw e;
    }
    return { size };
  }
  /** Deletes the chunks of an upload that did not become an attachment (refused after it arrived). */
  async discardAttachmentContent(id: string): Promise<void> {
    await this.q.query('DELETE FROM attachment_chunks WHERE attachment_id = $1', [id]);
  }
  /** Deletes chunks older than `before` that no attachment owns (uploads cut off by a crash). */
  async deleteOrphanAttachmentChunks(before: Date): Promise<number> {
    return (
      await this.q.query(
        `DELETE FROM attachment_chunks c WHERE c.created_at < $1 AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.id = c.attachment_id)
         RETURNING attachment_id`,
        [before],
      )
    ).length;
  }
  /**
   * An attachment's bytes in pieces of at most ATTACHMENT_CHUNK_BYTES, read one chunk at a time
   * (a download never holds the file whole), or null when there is no such attachment. A row
   * written before chunking yields its single stored value.
   */
  async readAttachmentContent(id: string): Promise<AsyncIterable<Buffer> | null> {
    const row = first<{ size: number; inRow: boolean }>(await this.q.query('SELECT size, content IS NOT NULL AS in_row FROM attachments WHERE id = $1', [id]));
    if (!row) return null;
    const q = this.q;
    return (async function* () {
      if (row.inRow) {
        const r = first<{ content: Buffer }>(await q.query('SELECT content FROM attachments WHERE id = $1', [id]));
        if (r) yield Buffer.from(r.content);
        return;
      }
      for (let at = 0; at < Number(row.size); ) {
        const c = first<{ start: number; data: Buffer }>(
          await q.query('SELECT start, data FROM attachment_chunks WHERE attachment_id = $1 AND start >= $2 ORDER BY start LIMIT 1', [id, at]),
        );
        if (!c) throw new Error(`attachment ${id}: chunk at ${at} missing`);
        const data = Buffer.from(c.data);
        yield data;
        at = Number(c.start) + data.length;
      }
    })();
  }
  /** An attachment with its bytes in memory (small files and tests; a download streams readAttachmentContent). */
  async getAttachment(id: string): Promise<(Attachment & { content: Buffer }) | null> {
    const meta = await this.getAttachmentMeta(id);
    const parts = await this.readAttachmentContent(id);
    if (!meta || !parts) return null;
    const chunks: Buffer[] = [];
    for await (const c of parts) chunks.push(c);
    return { ...meta, content: Buffer.concat(chunks) };
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
    return map<AuditEntry>(rows).map((e) => expandAudit({ ...e, id: Number(e.id) }));
  }

  /**
   * The audit log for a page: newest first, filtered, with the number of entries that match.
   * `area`: org unit codes (a county, or a city and its counties); an entry is in the area when its
   * actor, the user or park it is about, or the submission it is about belongs to one of them.
   * `action`: the action or its family (`user` matches `user.create`, `user.disable` …).
   */
  async queryAudit(f: AuditQuery): Promise<{ total: number; entries: AuditEntry[] }> {
    const where = `
      FROM audit_log a
      LEFT JOIN users u ON u.id = a.actor_id
      LEFT JOIN parks up ON up.id = u.park_id
      LEFT JOIN submissions s ON a.entity = 'submission' AND s.id = a.entity_id
      LEFT JOIN users tu ON a.entity = 'user' AND tu.id = a.entity_id
      LEFT JOIN parks tp ON a.entity = 'park' AND tp.id = a.entity_id
      WHERE ($1::text IS NULL OR a.actor_id = $1)
        AND ($2::text IS NULL OR a.action = $2 OR a.action LIKE $2 || '.%')
        AND ($3::text IS NULL OR (a.entity = 'submission' AND a.entity_id = $3))
        AND ($4::text IS NULL OR (a.entity = 'pack' AND a.entity_id = $4) OR s.pack_id = $4)
        AND ($5::jsonb IS NULL OR $5::jsonb ? u.org_code OR $5::jsonb ? up.county_code OR $5::jsonb ? s.county_code
             OR $5::jsonb ? tu.org_code OR $5::jsonb ? tp.county_code OR (a.entity = 'org_unit' AND $5::jsonb ? a.entity_id))
        AND ($6::timestamptz IS NULL OR a.at >= $6) AND ($7::timestamptz IS NULL OR a.at < $7)
        AND ($8::text IS NULL OR a.entity = $8) AND ($9::text IS NULL OR a.entity_id = $9)`;
    const params = [
      f.actorId ?? null,
      f.action ?? null,
      f.submissionId ?? null,
      f.packId ?? null,
      f.area ? JSON.stringify(f.area) : null,
      f.from ?? null,
      f.to ?? null,
      f.entity ?? null,
      f.entityId ?? null,
    ];
    const [count] = await this.q.query<{ n: string | number }>(`SELECT count(*) AS n ${where}`, params);
    const rows = await this.q.query(`SELECT a.*, u.display_name AS actor_name, u.role AS actor_role ${where} ORDER BY a.id DESC LIMIT $10 OFFSET $11`, [
      ...params,
      f.limit ?? 50,
      f.offset ?? 0,
    ]);
    return { total: Number(count?.n ?? 0), entries: map<AuditEntry>(rows).map((e) => expandAudit({ ...e, id: Number(e.id) })) };
  }

  // ---- reviewer confirmations of ticked items (x-review: confirm) ----
  /** Appends verdicts (one statement); rows are never changed: the latest per level, field and item is in force. */
  async addConfirmations(rows: Array<Omit<ReviewConfirmation, 'id' | 'createdAt'>>, at?: Date): Promise<ReviewConfirmation[]> {
    if (rows.length === 0) return [];
    return map(
      await this.q.query(
        `INSERT INTO review_confirmations(submission_id, level, field, item, verdict, reason, reviewer_id, created_at)
         SELECT x.submission_id, x.level, x.field, x.item, x.verdict, x.reason, x.reviewer_id, COALESCE($2::timestamptz, now())
         FROM jsonb_to_recordset($1::jsonb) AS x(submission_id text, level text, field text, item jsonb, verdict text, reason text, reviewer_id text)
         RETURNING *`,
        [
          JSON.stringify(rows.map((r) => ({ submission_id: r.submissionId, level: r.level, field: r.field, item: r.item, verdict: r.verdict, reason: r.reason, reviewer_id: r.reviewerId }))),
          at ?? null,
        ],
      ),
    );
  }
  /** An attachment's metadata, without its content. */
  async getAttachmentMeta(id: string): Promise<Attachment | null> {
    return first(await this.q.query(`SELECT ${ATT_COLS} FROM attachments WHERE id = $1`, [id]));
  }
  /**
   * Bytes [offset, offset + length) of an attachment's content, read in the database (null: no
   * such attachment). Also reads an upload's chunks before its row is saved (the media checks of
   * an upload run on what was streamed in).
   */
  async attachmentBytes(id: string, offset: number, length: number): Promise<{ size: number; bytes: Buffer } | null> {
    const row = first<{ size: number; bytes: Buffer | null }>(
      await this.q.query('SELECT size, substring(content from $2::int for $3::int) AS bytes FROM attachments WHERE id = $1', [id, offset + 1, length]),
    );
    if (row?.bytes) return { size: Number(row.size), bytes: Buffer.from(row.bytes) };
    const end = offset + length;
    const parts = await this.q.query<{ start: number; bytes: Buffer }>(
      `SELECT start, substring(data from greatest($2::int - start, 0) + 1 for least($3::int, start + length(data)) - greatest($2::int, start)) AS bytes
       FROM attachment_chunks WHERE attachment_id = $1 AND start < $3::int AND start + length(data) > $2::int ORDER BY start`,
      [id, offset, end],
    );
    const size = row
      ? Number(row.size)
      : Number(first<{ n: number | string | null }>(await this.q.query('SELECT sum(length(data)) AS n FROM attachment_chunks WHERE attachment_id = $1', [id]))?.n ?? 0);
    if (!row && size === 0 && parts.length === 0) return null;
    return { size, bytes: Buffer.concat(parts.map((p) => Buffer.from(p.bytes))) };
  }
  /** Every verdict on a submission, oldest first, each with the reviewer's display name. */
  async listConfirmations(submissionId: string): Promise<Array<ReviewConfirmation & { reviewerName: string | null }>> {
    return map(
      await this.q.query(
        'SELECT c.*, u.display_name AS reviewer_name FROM review_confirmations c LEFT JOIN users u ON u.id = c.reviewer_id WHERE c.submission_id = $1 ORDER BY c.id',
        [submissionId],
      ),
    );
  }

  // ---- notifications (migration 7) ----
  /**
   * Adds notifications (one statement). Those with a `dedupeKey` already stored are skipped
   * (ON CONFLICT DO NOTHING), so generated ones are added once however many processes try;
   * returns the rows added.
   */
  async addNotifications(rows: NewNotification[]): Promise<Notification[]> {
    if (rows.length === 0) return [];
    const added = map<Notification>(
      await this.q.query(
        `INSERT INTO notifications(park_id, org_code, kind, title, body, link, data, dedupe_key, created_by, created_at)
         SELECT x.park_id, x.org_code, x.kind, x.title, x.body, x.link, x.data, x.dedupe_key, x.created_by, COALESCE(x.at, now())
         FROM jsonb_to_recordset($1::jsonb) AS x(park_id text, org_code text, kind text, title text, body text, link text, data jsonb, dedupe_key text, created_by text, at timestamptz)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING *`,
        [
          JSON.stringify(
            rows.map((r) => ({
              park_id: r.parkId ?? null,
              org_code: r.orgCode ?? null,
              kind: r.kind,
              title: r.title,
              body: r.body ?? null,
              link: r.link ?? null,
              data: r.data ?? null,
              dedupe_key: r.dedupeKey ?? null,
              created_by: r.createdBy ?? null,
              at: r.at ? r.at.toISOString() : null,
            })),
          ),
        ],
      ),
    );
    return added.map((n) => ({ ...n, id: Number(n.id) }));
  }
  /** The audience's notifications, newest first, each with whether `userId` has read it. */
  async listNotifications(
    audience: NotificationAudience,
    userId: string,
    opts: { limit?: number; kinds?: string[]; unreadOnly?: boolean; ids?: number[] } = {},
  ): Promise<Array<Notification & { read: boolean }>> {
    const rows = map<Notification & { read: boolean }>(
      await this.q.query(
        `SELECT n.*, (r.user_id IS NOT NULL) AS read FROM notifications n
         LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = $3
         WHERE ((n.park_id IS NOT NULL AND n.park_id = $1) OR (n.org_code IS NOT NULL AND n.org_code = $2))
           AND ($4::jsonb IS NULL OR $4::jsonb ? n.kind) AND (NOT $5::boolean OR r.user_id IS NULL)
           AND ($7::jsonb IS NULL OR $7::jsonb @> to_jsonb(n.id))
         ORDER BY n.id DESC LIMIT $6`,
        [
          audience.parkId ?? null,
          audience.orgCode ?? null,
          userId,
          opts.kinds ? JSON.stringify(opts.kinds) : null,
          opts.unreadOnly ?? false,
          opts.limit ?? 50,
          opts.ids ? JSON.stringify(opts.ids) : null,
        ],
      ),
    );
    return rows.map((n) => ({ ...n, id: Number(n.id) }));
  }
  /** How many of the audience's notifications `userId` has not read. */
  async countUnreadNotifications(audience: NotificationAudience, userId: string): Promise<number> {
    const rows = await this.q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications n
       WHERE ((n.park_id IS NOT NULL AND n.park_id = $1) OR (n.org_code IS NOT NULL AND n.org_code = $2))
         AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = $3)`,
      [audience.parkId ?? null, audience.orgCode ?? null, userId],
    );
    return Number(rows[0]?.n ?? 0);
  }
  /** Marks the audience's notifications read for `userId` (the listed ids, or all); returns how many became read. */
  async markNotificationsRead(audience: NotificationAudience, userId: string, ids: number[] | 'all', at?: Date): Promise<number> {
    const rows = await this.q.query<{ notification_id: number }>(
      `INSERT INTO notification_reads(notification_id, user_id, read_at)
       SELECT n.id, $3, COALESCE($5::timestamptz, now()) FROM notifications n
       WHERE ((n.park_id IS NOT NULL AND n.park_id = $1) OR (n.org_code IS NOT NULL AND n.org_code = $2))
         AND ($4::jsonb IS NULL OR $4::jsonb @> to_jsonb(n.id))
       ON CONFLICT DO NOTHING RETURNING notification_id`,
      [audience.parkId ?? null, audience.orgCode ?? null, userId, ids === 'all' ? null : JSON.stringify(ids), at ?? null],
    );
    return rows.length;
  }
}

/**
 * A draft save's entry is stored compactly (`before: { version, changes }`, see
 * `saveSubmissionDraft`); it is read back as every other: `before: { version, data }` (the data
 * before, rebuilt from the data after and the changes), with the changes beside.
 */
function expandAudit(e: AuditEntry): AuditEntry {
  const b = e.before as { version?: unknown; changes?: unknown } | null;
  const a = e.after as { data?: unknown } | null;
  if (!b || typeof b !== 'object' || !Array.isArray(b.changes) || !a || typeof a !== 'object' || !('data' in a)) return e;
  const changes = b.changes as JsonChange[];
  return { ...e, before: { version: b.version, data: revertChanges(a.data, changes) }, changes };
}
