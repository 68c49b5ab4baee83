import type { Db } from './db.js';

/**
 * Versioned SQL migrations. The same SQL runs on PGlite and PostgreSQL.
 * Never edit a released migration: append a new one.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE org_units (
  code text PRIMARY KEY,
  name text NOT NULL,
  level text NOT NULL CHECK (level IN ('province','city','county')),
  parent_code text REFERENCES org_units(code)
);

CREATE TABLE parks (
  id text PRIMARY KEY,
  name text NOT NULL,
  credit_code text NOT NULL UNIQUE,
  county_code text NOT NULL REFERENCES org_units(code),
  city_code text NOT NULL REFERENCES org_units(code),
  contact_name text,
  contact_mobile text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('applicant','county','city','province','admin')),
  org_code text REFERENCES org_units(code),
  park_id text REFERENCES parks(id),
  mobile text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  count int NOT NULL,
  window_start timestamptz NOT NULL
);

CREATE TABLE idempotency_keys (
  user_id text NOT NULL,
  key text NOT NULL,
  scope text NOT NULL,
  status int,
  body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

CREATE TABLE pack_versions (
  id serial PRIMARY KEY,
  pack_id text NOT NULL,
  version int NOT NULL,
  hash text NOT NULL,
  title text NOT NULL,
  manifest jsonb NOT NULL,
  files jsonb NOT NULL,
  published_by text REFERENCES users(id),
  published_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (pack_id, version),
  UNIQUE (pack_id, hash)
);

CREATE TABLE submissions (
  id text PRIMARY KEY,
  pack_version_id int NOT NULL REFERENCES pack_versions(id),
  pack_id text NOT NULL,
  form_id text NOT NULL,
  park_id text NOT NULL REFERENCES parks(id),
  county_code text NOT NULL REFERENCES org_units(code),
  city_code text NOT NULL REFERENCES org_units(code),
  status text NOT NULL,
  decision text,
  data jsonb NOT NULL,
  evaluation jsonb,
  version int NOT NULL DEFAULT 1,
  created_by text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz
);
CREATE INDEX submissions_county ON submissions(county_code, status);
CREATE INDEX submissions_city ON submissions(city_code, status);
CREATE INDEX submissions_park ON submissions(park_id);

CREATE TABLE reviews (
  id serial PRIMARY KEY,
  submission_id text NOT NULL REFERENCES submissions(id),
  level text NOT NULL,
  action text NOT NULL,
  comment text,
  from_status text NOT NULL,
  to_status text NOT NULL,
  reviewer_id text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviews_submission ON reviews(submission_id);

CREATE TABLE rescores (
  id serial PRIMARY KEY,
  submission_id text NOT NULL REFERENCES submissions(id),
  level text NOT NULL,
  item text NOT NULL,
  self_score double precision,
  score double precision NOT NULL,
  reason text NOT NULL,
  reviewer_id text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rescores_submission ON rescores(submission_id);

CREATE TABLE quota_counters (
  pack_id text NOT NULL,
  quota_id text NOT NULL,
  org_code text NOT NULL,
  used int NOT NULL DEFAULT 0,
  PRIMARY KEY (pack_id, quota_id, org_code)
);
CREATE TABLE quota_seats (
  submission_id text PRIMARY KEY REFERENCES submissions(id),
  pack_id text NOT NULL,
  quota_id text NOT NULL,
  org_code text NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cohort_runs (
  id text PRIMARY KEY,
  pack_version_id int NOT NULL REFERENCES pack_versions(id),
  step_id text NOT NULL,
  org_code text NOT NULL,
  input jsonb NOT NULL,
  results jsonb NOT NULL,
  created_by text REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE attachments (
  id text PRIMARY KEY,
  submission_id text NOT NULL REFERENCES submissions(id),
  field text NOT NULL,
  filename text NOT NULL,
  mime text NOT NULL,
  size int NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  uploaded_by text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_submission ON attachments(submission_id);

CREATE TABLE table_reports (
  id text PRIMARY KEY,
  pack_version_id int NOT NULL REFERENCES pack_versions(id),
  pack_id text NOT NULL,
  form_id text NOT NULL,
  org_code text NOT NULL REFERENCES org_units(code),
  level text NOT NULL,
  status text NOT NULL,
  rows jsonb NOT NULL,
  version int NOT NULL DEFAULT 1,
  updated_by text REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  UNIQUE (pack_id, form_id, org_code)
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id text,
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

CREATE FUNCTION yp_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'yuanping: % is append-only / immutable', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION yp_refuse_change();
CREATE TRIGGER pack_versions_immutable BEFORE UPDATE OR DELETE ON pack_versions
  FOR EACH ROW EXECUTE FUNCTION yp_refuse_change();
`,
  },
  {
    version: 2,
    name: 'consistency_acceptances',
    sql: `
CREATE TABLE consistency_acceptances (
  id serial PRIMARY KEY,
  submission_id text NOT NULL REFERENCES submissions(id),
  level text NOT NULL,
  reason text NOT NULL,
  mismatches jsonb NOT NULL,
  reviewer_id text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consistency_acceptances_submission ON consistency_acceptances(submission_id);
`,
  },
  {
    version: 3,
    name: 'pack_files_keep_key_order',
    // jsonb sorts object keys, and a form's fields render in the order of its properties:
    // a pack's files are kept as json, which stores the text as written
    sql: `
ALTER TABLE pack_versions ALTER COLUMN files TYPE json USING files::json;
ALTER TABLE pack_versions ALTER COLUMN manifest TYPE json USING manifest::json;
`,
  },
  {
    version: 4,
    name: 'table_reports_whole_data',
    // a table form's whole data object (every section array and the top-level fields);
    // rows keeps the first section's rows for the readers of one array; null on older rows
    sql: `
ALTER TABLE table_reports ADD COLUMN data jsonb;
`,
  },
  {
    version: 5,
    name: 'submission_outcome_summary',
    // A draft save stores the data and each rule set's outcome summary (level / eligible / score
    // and the names of the failed, warning and error rules) and leaves evaluation NULL: the
    // explanation is rebuilt on read from the pinned pack version and the data. Rows written
    // before keep their evaluation (and have no summary); submit and re-score store both.
    sql: `
ALTER TABLE submissions ADD COLUMN outcome_summary jsonb;
`,
  },
  {
    version: 6,
    name: 'review_confirmations',
    // a reviewer's verdict on one item the applicant ticked in an `x-review: confirm` field:
    // confirmed, or disputed with a reason; append-only (the latest row per level, field and
    // item is the verdict in force), who and when kept with each row
    sql: `
CREATE TABLE review_confirmations (
  id serial PRIMARY KEY,
  submission_id text NOT NULL REFERENCES submissions(id),
  level text NOT NULL,
  field text NOT NULL,
  item jsonb NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('confirmed','disputed')),
  reason text,
  reviewer_id text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_confirmations_submission ON review_confirmations(submission_id);
CREATE TRIGGER review_confirmations_append_only BEFORE UPDATE OR DELETE ON review_confirmations
  FOR EACH ROW EXECUTE FUNCTION yp_refuse_change();
`,
  },
  {
    version: 7,
    name: 'notifications',
    // in-app notifications: each goes to a park (its applicants) or an org unit (its reviewers);
    // dedupe_key makes generated ones (deadline reminders) idempotent across server processes;
    // who read what is kept per user
    sql: `
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  park_id text REFERENCES parks(id),
  org_code text REFERENCES org_units(code),
  kind text NOT NULL,
  title text NOT NULL,
  body text,
  link text,
  data jsonb,
  dedupe_key text UNIQUE,
  created_by text REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (park_id IS NOT NULL OR org_code IS NOT NULL)
);
CREATE INDEX notifications_park ON notifications(park_id, id);
CREATE INDEX notifications_org ON notifications(org_code, id);
CREATE TABLE notification_reads (
  notification_id bigint NOT NULL REFERENCES notifications(id),
  user_id text NOT NULL REFERENCES users(id),
  read_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notification_id, user_id)
);
`,
  },
  {
    version: 8,
    name: 'pack_current_and_drafts',
    // which published version of a pack is current (absent: the highest; a rollback sets an
    // earlier one), and the administrator's unpublished drafts of pack files (the workbench)
    sql: `
CREATE TABLE pack_current (
  pack_id text PRIMARY KEY,
  pack_version_id int NOT NULL REFERENCES pack_versions(id),
  set_by text REFERENCES users(id),
  set_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE pack_drafts (
  id serial PRIMARY KEY,
  pack_id text NOT NULL,
  title text NOT NULL,
  based_on_version_id int REFERENCES pack_versions(id),
  files json NOT NULL,
  revision int NOT NULL DEFAULT 1,
  created_by text REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pack_drafts_pack ON pack_drafts(pack_id);
`,
  },
  {
    version: 9,
    name: 'accounts: disable, must change password; audit log filtered by actor and time',
    // a disabled user cannot sign in and has no live session; a password set by an administrator
    // must be replaced by the user at the next sign-in
    sql: `
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
CREATE INDEX audit_actor ON audit_log(actor_id, id);
CREATE INDEX audit_at ON audit_log(at);
`,
  },
  {
    version: 10,
    name: 'sign-in throttling, known devices, idempotency keys bound to their request',
    // sign-in failures per account / address / device with the time of the last one (growing
    // delays instead of a fixed lock; rows expire); devices that signed in successfully (by the
    // hash of their cookie); an idempotency key remembers the hash of the request that claimed it
    sql: `
CREATE TABLE sign_in_failures (
  key text PRIMARY KEY,
  failures int NOT NULL,
  last_failure_at timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_last ON sign_in_failures(last_failure_at);
CREATE TABLE known_devices (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id),
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX known_devices_last ON known_devices(last_seen_at);
ALTER TABLE idempotency_keys ADD COLUMN request_hash text;
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
CREATE INDEX rate_limits_window ON rate_limits(window_start);
`,
  },
  {
    version: 11,
    name: 'result lists published for 公示',
    // a notice's result list as the province published it (the rows frozen at publication), with
    // the period of the 公示 (China Standard Time calendar dates, inclusive); a later publication
    // replaces an earlier one, which stays for the record; withdrawn ends it early
    sql: `
CREATE TABLE result_lists (
  id bigserial PRIMARY KEY,
  pack_id text NOT NULL,
  pack_version_id int NOT NULL REFERENCES pack_versions(id),
  title text NOT NULL,
  starts_on text NOT NULL CHECK (starts_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  ends_on text NOT NULL CHECK (ends_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND ends_on >= starts_on),
  rows jsonb NOT NULL,
  published_by text REFERENCES users(id),
  published_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz
);
CREATE INDEX result_lists_pack ON result_lists(pack_id, id);
`,
  },
  {
    version: 12,
    name: 'long work as jobs: status, progress, cancel',
    // one row per long action (a cohort run over a whole table, a bulk export, …): who started it
    // and for which unit, its parameters, progress (done of total), when it started and finished,
    // how it ended (the id of what it produced, or an error code from the catalogue), and whether
    // its cancel was asked for; the process running it updates heartbeat_at, so a job whose
    // process died is found and ended (JOB_INTERRUPTED) by any other process
    sql: `
CREATE TABLE jobs (
  id text PRIMARY KEY,
  kind text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled')),
  org_code text,
  params jsonb NOT NULL DEFAULT '{}'::jsonb,
  done int NOT NULL DEFAULT 0,
  total int,
  phase text,
  result_id text,
  error_code text,
  error_message text,
  cancel_requested boolean NOT NULL DEFAULT false,
  created_by text REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_created_by ON jobs(created_by, created_at);
CREATE INDEX jobs_active ON jobs(status) WHERE status IN ('queued','running');
`,
  },
  {
    version: 13,
    name: 'cohort run records: one row per record, the run row keeps the summary',
    // a run's result was one jsonb value (input array + results with every record): at 100,000
    // records PostgreSQL refuses it (jsonb arrays over 256 MB) and it is read whole to show a page.
    // Now each record is a row (its input row and its result, with group, grade and rank copied
    // out for counting and ordering), written in batches by the job; the run row keeps the summary
    // (groups, distribution, warnings, …), the record count, and `complete` — false while a job is
    // still writing its records (such a run is not listed or read; a cancelled or failed job
    // deletes it). Existing runs are moved over here: record i = input[i] + results.records[i].
    sql: `
CREATE TABLE cohort_run_records (
  run_id text NOT NULL REFERENCES cohort_runs(id) ON DELETE CASCADE,
  seq int NOT NULL,
  input jsonb,
  result jsonb,
  grp text NOT NULL DEFAULT '',
  grade text NOT NULL DEFAULT '',
  rank int,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX cohort_run_records_rank ON cohort_run_records(run_id, rank, seq);
ALTER TABLE cohort_runs ADD COLUMN record_count int NOT NULL DEFAULT 0;
ALTER TABLE cohort_runs ADD COLUMN complete boolean NOT NULL DEFAULT true;
INSERT INTO cohort_run_records(run_id, seq, input, result, grp, grade, rank)
  SELECT r.id, s.i, CASE WHEN jsonb_typeof(r.input) = 'array' THEN r.input -> s.i END, rec.v,
    COALESCE(rec.v ->> 'group', ''),
    CASE WHEN rec.v ? 'excluded' THEN 'excluded' ELSE COALESCE(rec.v ->> 'grade', '') END,
    CASE WHEN jsonb_typeof(rec.v -> 'rank') = 'number' THEN (rec.v ->> 'rank')::numeric::int END
  FROM cohort_runs r
  CROSS JOIN LATERAL generate_series(0, GREATEST(
      CASE WHEN jsonb_typeof(r.input) = 'array' THEN jsonb_array_length(r.input) ELSE 0 END,
      CASE WHEN jsonb_typeof(r.results -> 'records') = 'array' THEN jsonb_array_length(r.results -> 'records') ELSE 0 END) - 1) AS s(i)
  CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(r.results -> 'records') = 'array' THEN r.results -> 'records' -> s.i END AS v) rec;
UPDATE cohort_runs r SET record_count = (SELECT count(*) FROM cohort_run_records x WHERE x.run_id = r.id),
  results = CASE WHEN jsonb_typeof(r.results) = 'object' THEN r.results - 'records' ELSE r.results END;
ALTER TABLE cohort_runs DROP COLUMN input;
`,
  },
  {
    version: 14,
    name: 'attachments stored in chunks while the upload streams',
    // an upload is written as it arrives, 1 MiB a row (never held whole in memory), keyed by the
    // attachment id it will have; the attachments row comes last, in the transaction that also
    // writes the audit row, so chunks without one are an upload that was refused, cut off or is
    // still arriving (the server deletes a refused one's; housekeeping sweeps old ones). A row
    // written before this migration keeps its bytes in attachments.content (NULL for chunked ones)
    sql: `
CREATE TABLE attachment_chunks (
  attachment_id text NOT NULL,
  start int NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (attachment_id, start)
);
ALTER TABLE attachments ALTER COLUMN content DROP NOT NULL;
`,
  },
  {
    version: 15,
    name: 'what a job produced: a file kept in chunks (an export, an import report)',
    // a job that produces a file (a large xlsx export, the per-cell problems of an import) keeps it
    // here until housekeeping sweeps it (JOB_RESULT_TTL_MS after the job ended): its name, type and
    // size, and its bytes in rows of ATTACHMENT_CHUNK_BYTES; deleted with its job
    sql: `
CREATE TABLE job_results (
  job_id text PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  name text NOT NULL,
  content_type text NOT NULL,
  size int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE job_result_chunks (
  job_id text NOT NULL REFERENCES job_results(job_id) ON DELETE CASCADE,
  start int NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (job_id, start)
);
CREATE INDEX job_results_created ON job_results(created_at);
`,
  },
];

/** Runs the pending migrations (up to `upTo`, all by default: tests of a migration stop before it) under an advisory lock, so concurrent server starts are safe. */
export async function migrate(db: Db, opts: { upTo?: number } = {}): Promise<number[]> {
  return db.transaction(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(827361)');
    await q.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await q.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version) || (opts.upTo !== undefined && m.version > opts.upTo)) continue;
      for (const stmt of splitSql(m.sql)) await q.query(stmt);
      await q.query('INSERT INTO schema_migrations(version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** Splits a migration into statements (semicolons outside `$$` bodies). */
export function splitSql(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inDollar = false;
  for (let i = 0; i < sql.length; i++) {
    if (sql.startsWith('$$', i)) {
      inDollar = !inDollar;
      cur += '$$';
      i++;
      continue;
    }
    const ch = sql[i];
    if (ch === ';' && !inDollar) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
