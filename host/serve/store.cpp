#include "host/serve/store.hpp"
#include "host/serve/store_cells.hpp"

#include "host/config/config_error.hpp"
#include "host/sync/clock.hpp"
#include "host/target/sql.hpp"
#include "host/target/sql_connection.hpp"
#include "host/target/target.hpp"

#include <cstdlib>

namespace sluice::host::serve {

namespace {

// `text` with each '?' replaced by the next of `values`, bound (never pasted).
Sql stmt(std::string_view text, const std::vector<std::string>& values = {}) {
  Sql sql;
  size_t next = 0;
  for (char c : text) {
    if (c == '?') {
      sql.bind(values.at(next++));
    } else {
      sql << std::string_view(&c, 1);
    }
  }
  return sql;
}

// Migration N takes the store from version N-1 to N. Append only: a
// released migration never changes.
const std::vector<std::vector<std::string>>& migrations() {
  static const std::vector<std::vector<std::string>> steps = {
      {
          "CREATE TABLE sluice_api_keys (id TEXT PRIMARY KEY, role TEXT NOT NULL, salt TEXT NOT NULL, "
          "hash TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)",
          "CREATE TABLE sluice_connections (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, plugin TEXT NOT NULL, "
          "sealed TEXT NOT NULL, schedule TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
          // claimed_by + lease_expires_at: the lease of the host running the
          // job, renewed by heartbeats (several hosts, FOR UPDATE SKIP LOCKED).
          "CREATE TABLE sluice_jobs (id TEXT PRIMARY KEY, connection_id TEXT NOT NULL, status TEXT NOT NULL, "
          "trigger_kind TEXT NOT NULL, idempotency_key TEXT, created_at TEXT NOT NULL, started_at TEXT, "
          "finished_at TEXT, claimed_by TEXT, lease_expires_at TEXT, attempt INTEGER NOT NULL, exit_code INTEGER, "
          "error TEXT, records BIGINT NOT NULL, bytes BIGINT NOT NULL, streams TEXT NOT NULL, "
          "cancel_requested INTEGER NOT NULL)",
          "CREATE UNIQUE INDEX sluice_jobs_idempotency ON sluice_jobs (connection_id, idempotency_key)",
          "CREATE INDEX sluice_jobs_status ON sluice_jobs (status, created_at)",
          "CREATE INDEX sluice_jobs_connection ON sluice_jobs (connection_id, created_at)",
          "CREATE TABLE sluice_job_logs (job_id TEXT NOT NULL, line_no BIGINT NOT NULL, at TEXT NOT NULL, "
          "line TEXT NOT NULL, PRIMARY KEY (job_id, line_no))",
      },
      {
          // The scheduler: due times up to covered_until are served; the
          // error kind of a failed run decides its retry; a scheduled or
          // retry job keeps the time it fell due (its scheduling delay).
          "ALTER TABLE sluice_connections ADD COLUMN covered_until TEXT",
          "ALTER TABLE sluice_jobs ADD COLUMN error_kind TEXT",
          "ALTER TABLE sluice_jobs ADD COLUMN due_at TEXT",
      },
      {
          // Push ingestion: declared streams (their events live in their
          // targets, not here).
          "CREATE TABLE sluice_ingest_streams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, sealed TEXT NOT NULL, "
          "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
      },
      {
          // The query audit (issue 21): every POST /v1/connections/{id}/query,
          // refused ones too; the SQL as its SHA-256 only, parameters with
          // secrets masked.
          "CREATE TABLE sluice_queries (id TEXT PRIMARY KEY, connection_id TEXT NOT NULL, key_id TEXT NOT NULL, "
          "key_name TEXT NOT NULL, host_id TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, sql_sha256 TEXT NOT NULL, "
          "parameters TEXT NOT NULL, outcome TEXT NOT NULL, error_kind TEXT, error TEXT, row_count BIGINT NOT NULL, "
          "byte_count BIGINT NOT NULL, duration_ms BIGINT NOT NULL)",
          "CREATE INDEX sluice_queries_started ON sluice_queries (started_at, id)",
          "CREATE INDEX sluice_queries_connection ON sluice_queries (connection_id, started_at)",
      },
      {
          // Backfills of ingest streams (their rows live in the targets).
          "CREATE TABLE sluice_ingest_backfills (id TEXT PRIMARY KEY, stream TEXT NOT NULL, state TEXT NOT NULL, "
          "range_from TEXT NOT NULL, range_to TEXT NOT NULL, customer TEXT, created_by TEXT NOT NULL, "
          "created_at TEXT NOT NULL, rows_replaced BIGINT NOT NULL, rows_inserted BIGINT NOT NULL, reverted_by TEXT, "
          "reverted_at TEXT)",
          "CREATE INDEX sluice_ingest_backfills_stream ON sluice_ingest_backfills (stream, created_at)",
      },
  };
  return steps;
}

const char* kJobColumns =
    "id, connection_id, status, trigger_kind, idempotency_key, created_at, started_at, finished_at, claimed_by, "
    "lease_expires_at, attempt, exit_code, error, records, bytes, streams, cancel_requested, error_kind, due_at";

JobRow job_of(const std::vector<std::optional<std::string>>& r) {
  JobRow job;
  job.id = text(r[0]);
  job.connection_id = text(r[1]);
  job.status = text(r[2]);
  job.trigger = text(r[3]);
  job.idempotency_key = text(r[4]);
  job.created_at = text(r[5]);
  job.started_at = text(r[6]);
  job.finished_at = text(r[7]);
  job.claimed_by = text(r[8]);
  job.lease_expires_at = text(r[9]);
  job.attempt = static_cast<int>(number(r[10]));
  if (r[11]) job.exit_code = static_cast<int>(number(r[11]));
  job.error = text(r[12]);
  job.records = number(r[13]);
  job.bytes = number(r[14]);
  job.streams_json = text(r[15]);
  job.cancel_requested = number(r[16]) != 0;
  job.error_kind = text(r[17]);
  job.due_at = text(r[18]);
  return job;
}

const char* kConnectionColumns = "id, name, plugin, sealed, schedule, created_at, updated_at, covered_until";

ConnectionRow connection_of(const std::vector<std::optional<std::string>>& r) {
  return {text(r[0]), text(r[1]), text(r[2]), text(r[3]), text(r[4]), text(r[5]), text(r[6]), text(r[7])};
}

// A queued job, or a running one whose lease expired before `now` and no
// other job of whose connection runs under a live lease. Two binds: now, now.
const char* kClaimable =
    "(status = 'queued' OR (status = 'running' AND lease_expires_at < ?)) AND NOT EXISTS (SELECT 1 FROM sluice_jobs "
    "other WHERE other.connection_id = sluice_jobs.connection_id AND other.id <> sluice_jobs.id AND "
    "other.status = 'running' AND other.lease_expires_at >= ?)";

}  // namespace

Store::Store(const std::string& url) {
  if (url.rfind("sqlite://", 0) != 0 && url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) {
    throw ConfigError("store: expected sqlite://PATH or postgresql://... (got a URL of another kind)");
  }
  postgres_ = url.rfind("postgres", 0) == 0;
  target_ = open_target(url);
  db_ = &target_->connection();
  migrate();
}

Store::~Store() = default;

std::string Store::display_url() const { return db_->display_url(); }

void Store::migrate() {
  std::lock_guard lock(mutex_);
  db_->execute(Sql("CREATE TABLE IF NOT EXISTS sluice_serve_schema (version INTEGER NOT NULL, applied_at TEXT NOT NULL)"));
  SqlRows rows = db_->query(Sql("SELECT MAX(version) FROM sluice_serve_schema"));
  const int current = rows.empty() ? 0 : static_cast<int>(number(rows[0][0]));
  const auto& steps = migrations();
  if (current > static_cast<int>(steps.size())) {
    throw ConfigError("store " + db_->display_url() + ": schema version " + std::to_string(current) +
                      " is newer than this sluice knows (" + std::to_string(steps.size()) +
                      "); run a newer sluice or restore a matching backup");
  }
  for (size_t v = static_cast<size_t>(current); v < steps.size(); ++v) {
    db_->execute(Sql("BEGIN"));
    try {
      for (const auto& statement : steps[v]) db_->execute(Sql(statement));
      db_->execute(stmt("INSERT INTO sluice_serve_schema (version, applied_at) VALUES (?, ?)",
                        {std::to_string(v + 1), utc_now_iso()}));
      db_->execute(Sql("COMMIT"));
    } catch (...) {
      db_->execute(Sql("ROLLBACK"));
      throw;
    }
  }
}

int Store::schema_version() {
  std::lock_guard lock(mutex_);
  SqlRows rows = db_->query(Sql("SELECT MAX(version) FROM sluice_serve_schema"));
  return rows.empty() ? 0 : static_cast<int>(number(rows[0][0]));
}

bool Store::ping() {
  std::lock_guard lock(mutex_);
  try {
    return !db_->query(Sql("SELECT 1")).empty();
  } catch (const std::exception&) {
    return false;
  }
}

void Store::add_key(const KeyRow& key) {
  std::lock_guard lock(mutex_);
  db_->execute(stmt("INSERT INTO sluice_api_keys (id, role, salt, hash, name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    {key.id, key.role, key.salt, key.hash, key.name, key.created_at}));
}

std::optional<KeyRow> Store::key(const std::string& id) {
  std::lock_guard lock(mutex_);
  SqlRows rows = db_->query(stmt(
      "SELECT id, role, salt, hash, created_at, name FROM sluice_api_keys WHERE id = ? AND revoked_at IS NULL", {id}));
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return KeyRow{text(r[0]), text(r[1]), text(r[2]), text(r[3]), text(r[4]), text(r[5]), ""};
}

std::vector<KeyRow> Store::keys() {
  std::lock_guard lock(mutex_);
  SqlRows rows = db_->query(
      Sql("SELECT id, role, created_at, name, revoked_at FROM sluice_api_keys ORDER BY created_at, id"));
  std::vector<KeyRow> out;
  for (const auto& r : rows) out.push_back(KeyRow{text(r[0]), text(r[1]), "", "", text(r[2]), text(r[3]), text(r[4])});
  return out;
}

bool Store::revoke_key(const std::string& id, const std::string& at) {
  std::lock_guard lock(mutex_);
  return db_->execute(stmt("UPDATE sluice_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {at, id})) > 0;
}

bool Store::insert_connection(const ConnectionRow& row) {
  std::lock_guard lock(mutex_);
  if (!db_->query(stmt("SELECT id FROM sluice_connections WHERE name = ?", {row.name})).empty()) return false;
  db_->execute(stmt("INSERT INTO sluice_connections (id, name, plugin, sealed, schedule, created_at, updated_at, "
                    "covered_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    {row.id, row.name, row.plugin, row.sealed, row.schedule_json, row.created_at, row.updated_at,
                     row.covered_until}));
  return true;
}

std::optional<ConnectionRow> Store::connection_where(const char* column, const std::string& value) {
  std::lock_guard lock(mutex_);
  SqlRows rows = db_->query(stmt(std::string("SELECT ") + kConnectionColumns + " FROM sluice_connections WHERE " +
                                     column + " = ?",
                                 {value}));
  if (rows.empty()) return std::nullopt;
  return connection_of(rows[0]);
}

std::optional<ConnectionRow> Store::connection(const std::string& id) { return connection_where("id", id); }

std::optional<ConnectionRow> Store::connection_by_name(const std::string& name) {
  return connection_where("name", name);
}

std::vector<ConnectionRow> Store::connections() {
  std::lock_guard lock(mutex_);
  std::vector<ConnectionRow> out;
  for (const auto& r : db_->query(Sql(std::string("SELECT ") + kConnectionColumns +
                                      " FROM sluice_connections ORDER BY name"))) {
    out.push_back(connection_of(r));
  }
  return out;
}

bool Store::update_connection(const ConnectionRow& row) {
  std::lock_guard lock(mutex_);
  if (!db_->query(stmt("SELECT id FROM sluice_connections WHERE name = ? AND id <> ?", {row.name, row.id})).empty()) {
    return false;
  }
  db_->execute(stmt("UPDATE sluice_connections SET name = ?, plugin = ?, sealed = ?, schedule = ?, updated_at = ?, "
                    "covered_until = ? WHERE id = ?",
                    {row.name, row.plugin, row.sealed, row.schedule_json, row.updated_at, row.covered_until, row.id}));
  return true;
}

bool Store::delete_connection(const std::string& id) {
  std::lock_guard lock(mutex_);
  return db_->execute(stmt("DELETE FROM sluice_connections WHERE id = ?", {id})) > 0;
}

bool Store::insert_ingest_stream(const IngestStreamRow& row) {
  std::lock_guard lock(mutex_);
  if (!db_->query(stmt("SELECT id FROM sluice_ingest_streams WHERE name = ?", {row.name})).empty()) return false;
  try {
    db_->execute(stmt("INSERT INTO sluice_ingest_streams (id, name, sealed, created_at, updated_at) "
                      "VALUES (?, ?, ?, ?, ?)",
                      {row.id, row.name, row.sealed, row.created_at, row.updated_at}));
  } catch (const std::exception&) {
    // Another host took the name between the look and the insert.
    if (!db_->query(stmt("SELECT id FROM sluice_ingest_streams WHERE name = ?", {row.name})).empty()) return false;
    throw;
  }
  return true;
}

std::optional<IngestStreamRow> Store::ingest_stream(const std::string& name) {
  std::lock_guard lock(mutex_);
  SqlRows rows = db_->query(
      stmt("SELECT id, name, sealed, created_at, updated_at FROM sluice_ingest_streams WHERE name = ?", {name}));
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return IngestStreamRow{text(r[0]), text(r[1]), text(r[2]), text(r[3]), text(r[4])};
}

std::vector<IngestStreamRow> Store::ingest_streams() {
  std::lock_guard lock(mutex_);
  std::vector<IngestStreamRow> out;
  for (const auto& r :
       db_->query(Sql("SELECT id, name, sealed, created_at, updated_at FROM sluice_ingest_streams ORDER BY name"))) {
    out.push_back({text(r[0]), text(r[1]), text(r[2]), text(r[3]), text(r[4])});
  }
  return out;
}

bool Store::update_ingest_stream(const IngestStreamRow& row) {
  std::lock_guard lock(mutex_);
  return db_->execute(stmt("UPDATE sluice_ingest_streams SET sealed = ?, updated_at = ? WHERE name = ?",
                           {row.sealed, row.updated_at, row.name})) > 0;
}

bool Store::delete_ingest_stream(const std::string& name) {
  std::lock_guard lock(mutex_);
  return db_->execute(stmt("DELETE FROM sluice_ingest_streams WHERE name = ?", {name})) > 0;
}

void Store::insert_job(const JobRow& job) {
  std::lock_guard lock(mutex_);
  Sql sql = stmt("INSERT INTO sluice_jobs (id, connection_id, status, trigger_kind, idempotency_key, created_at, "
                 "attempt, records, bytes, streams, cancel_requested, due_at) VALUES (?, ?, ?, ?, ",
                 {job.id, job.connection_id, job.status, job.trigger});
  if (job.idempotency_key.empty()) sql << "NULL";
  else sql.bind(job.idempotency_key);
  sql << ", ";
  sql.bind(job.created_at);
  sql << ", " << std::to_string(job.attempt) << ", 0, 0, '[]', 0, ";
  if (job.due_at.empty()) sql << "NULL";
  else sql.bind(job.due_at);
  sql << ")";
  db_->execute(sql);
}

std::optional<JobRow> Store::job(const std::string& id) {
  std::lock_guard lock(mutex_);
  SqlRows rows = db_->query(stmt(std::string("SELECT ") + kJobColumns + " FROM sluice_jobs WHERE id = ?", {id}));
  if (rows.empty()) return std::nullopt;
  return job_of(rows[0]);
}

std::optional<JobRow> Store::job_by_idempotency_key(const std::string& connection_id, const std::string& key) {
  std::lock_guard lock(mutex_);
  SqlRows rows = db_->query(stmt(std::string("SELECT ") + kJobColumns +
                                     " FROM sluice_jobs WHERE connection_id = ? AND idempotency_key = ?",
                                 {connection_id, key}));
  if (rows.empty()) return std::nullopt;
  return job_of(rows[0]);
}

std::vector<JobRow> Store::jobs(const JobFilter& filter) {
  std::lock_guard lock(mutex_);
  Sql sql(std::string("SELECT ") + kJobColumns + " FROM sluice_jobs WHERE 1 = 1");
  if (!filter.connection_id.empty()) {
    sql << " AND connection_id = ";
    sql.bind(filter.connection_id);
  }
  if (!filter.status.empty()) {
    sql << " AND status = ";
    sql.bind(filter.status);
  }
  if (!filter.before_created_at.empty()) {
    sql << " AND (created_at < ";
    sql.bind(filter.before_created_at);
    sql << " OR (created_at = ";
    sql.bind(filter.before_created_at);
    sql << " AND id < ";
    sql.bind(filter.before_id);
    sql << "))";
  }
  sql << " ORDER BY created_at DESC, id DESC LIMIT " << std::to_string(filter.limit);
  std::vector<JobRow> out;
  for (const auto& r : db_->query(sql)) out.push_back(job_of(r));
  return out;
}

std::vector<JobRow> Store::queued_jobs(size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<JobRow> out;
  for (const auto& r : db_->query(Sql(std::string("SELECT ") + kJobColumns +
                                      " FROM sluice_jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT " +
                                      std::to_string(limit)))) {
    out.push_back(job_of(r));
  }
  return out;
}

std::vector<JobRow> Store::claimable_jobs(const std::string& now, size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<JobRow> out;
  for (const auto& r : db_->query(stmt(std::string("SELECT ") + kJobColumns + " FROM sluice_jobs WHERE " + kClaimable +
                                           " ORDER BY created_at, id LIMIT " + std::to_string(limit),
                                       {now, now}))) {
    out.push_back(job_of(r));
  }
  return out;
}

bool Store::claim_job(const std::string& id, const std::string& host, const std::string& lease_expires_at,
                      const std::string& now) {
  std::lock_guard lock(mutex_);
  const Sql update = stmt(std::string("UPDATE sluice_jobs SET status = 'running', started_at = ?, claimed_by = ?, "
                                      "lease_expires_at = ? WHERE id = ? AND ") + kClaimable,
                          {utc_now_iso(), host, lease_expires_at, id, now, now});
  if (!postgres_) return db_->execute(update) > 0;  // SQLite: one writer at a time anyway
  // Another host claiming this row right now holds its lock: skip it rather
  // than wait, and let the UPDATE re-check the row under the lock.
  db_->execute(Sql("BEGIN"));
  try {
    const bool free = !db_->query(stmt(std::string("SELECT id FROM sluice_jobs WHERE id = ? AND ") + kClaimable +
                                           " FOR UPDATE SKIP LOCKED",
                                       {id, now, now}))
                           .empty();
    const bool claimed = free && db_->execute(update) > 0;
    db_->execute(Sql("COMMIT"));
    return claimed;
  } catch (...) {
    db_->execute(Sql("ROLLBACK"));
    throw;
  }
}

bool Store::renew_lease(const std::string& id, const std::string& host, const std::string& lease_expires_at) {
  std::lock_guard lock(mutex_);
  return db_->execute(stmt("UPDATE sluice_jobs SET lease_expires_at = ? WHERE id = ? AND claimed_by = ? AND "
                           "status = 'running'",
                           {lease_expires_at, id, host})) > 0;
}

bool Store::finish_job(const JobRow& job, const std::string& host) {
  std::lock_guard lock(mutex_);
  Sql sql = stmt("UPDATE sluice_jobs SET status = ?, finished_at = ?, error = ?, error_kind = ?, records = ?, "
                 "bytes = ?, streams = ?, lease_expires_at = NULL, exit_code = ",
                 {job.status, job.finished_at, job.error, job.error_kind, std::to_string(job.records),
                  std::to_string(job.bytes), job.streams_json});
  if (job.exit_code) sql << std::to_string(*job.exit_code);
  else sql << "NULL";
  sql << " WHERE id = ";
  sql.bind(job.id);
  if (!host.empty()) {
    sql << " AND claimed_by = ";
    sql.bind(host);
  }
  return db_->execute(sql) > 0;
}

std::optional<JobRow> Store::latest_job(const std::string& connection_id) {
  std::lock_guard lock(mutex_);
  SqlRows rows = db_->query(stmt(std::string("SELECT ") + kJobColumns +
                                     " FROM sluice_jobs WHERE connection_id = ? ORDER BY created_at DESC, id DESC "
                                     "LIMIT 1",
                                 {connection_id}));
  if (rows.empty()) return std::nullopt;
  return job_of(rows[0]);
}

std::vector<std::string> Store::busy_connections() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& r :
       db_->query(Sql("SELECT DISTINCT connection_id FROM sluice_jobs WHERE status IN ('queued', 'running')"))) {
    out.push_back(text(r[0]));
  }
  return out;
}

bool Store::advance_covered_until(const std::string& connection_id, const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  if (from.empty()) {
    return db_->execute(stmt("UPDATE sluice_connections SET covered_until = ? WHERE id = ? AND "
                             "(covered_until IS NULL OR covered_until = '')",
                             {to, connection_id})) > 0;
  }
  return db_->execute(stmt("UPDATE sluice_connections SET covered_until = ? WHERE id = ? AND covered_until = ?",
                           {to, connection_id, from})) > 0;
}

bool Store::request_cancel(const std::string& id) {
  std::lock_guard lock(mutex_);
  return db_->execute(stmt("UPDATE sluice_jobs SET cancel_requested = 1 WHERE id = ? AND status IN ('queued', "
                           "'running')",
                           {id})) > 0;
}

bool Store::cancel_queued(const std::string& id, const std::string& finished_at, const std::string& error) {
  std::lock_guard lock(mutex_);
  return db_->execute(stmt("UPDATE sluice_jobs SET status = 'cancelled', finished_at = ?, error = ? WHERE id = ? AND "
                           "status = 'queued'",
                           {finished_at, error, id})) > 0;
}

std::vector<JobRow> Store::interrupt_jobs_of(const std::string& host) {
  std::lock_guard lock(mutex_);
  std::vector<JobRow> out;
  for (const auto& r : db_->query(stmt(std::string("SELECT ") + kJobColumns +
                                       " FROM sluice_jobs WHERE status = 'running' AND claimed_by = ?",
                                       {host}))) {
    out.push_back(job_of(r));
  }
  db_->execute(stmt("UPDATE sluice_jobs SET status = 'interrupted', finished_at = ?, lease_expires_at = NULL, "
                           "error = 'the daemon stopped while the job ran' WHERE status = 'running' AND claimed_by = ?",
                           {utc_now_iso(), host}));
  return out;
}

std::vector<std::pair<std::string, int64_t>> Store::job_counts() {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& r : db_->query(Sql("SELECT status, COUNT(*) FROM sluice_jobs GROUP BY status ORDER BY status"))) {
    out.emplace_back(text(r[0]), number(r[1]));
  }
  return out;
}

void Store::append_log(const std::string& job_id, const std::string& line) {
  std::lock_guard lock(mutex_);
  for (int attempt = 1;; ++attempt) {
    try {
      db_->execute(stmt("INSERT INTO sluice_job_logs (job_id, line_no, at, line) "
                        "SELECT ?, COALESCE(MAX(line_no), 0) + 1, ?, ? FROM sluice_job_logs WHERE job_id = ?",
                        {job_id, utc_now_iso(), line, job_id}));
      return;
    } catch (const std::exception&) {
      if (attempt == 3) throw;
    }
  }
}

std::vector<LogLine> Store::logs(const std::string& job_id, int64_t after, size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<LogLine> out;
  for (const auto& r : db_->query(stmt("SELECT line_no, at, line FROM sluice_job_logs WHERE job_id = ? AND line_no > " +
                                           std::to_string(after) + " ORDER BY line_no LIMIT " + std::to_string(limit),
                                       {job_id}))) {
    out.push_back({number(r[0]), text(r[1]), text(r[2])});
  }
  return out;
}

namespace {

const char* kQueryColumns =
    "id, connection_id, key_id, key_name, host_id, started_at, finished_at, sql_sha256, parameters, outcome, "
    "error_kind, error, row_count, byte_count, duration_ms";

QueryRow query_of(const std::vector<std::optional<std::string>>& r) {
  QueryRow q;
  q.id = text(r[0]);
  q.connection_id = text(r[1]);
  q.key_id = text(r[2]);
  q.key_name = text(r[3]);
  q.host_id = text(r[4]);
  q.started_at = text(r[5]);
  q.finished_at = text(r[6]);
  q.sql_sha256 = text(r[7]);
  q.parameters_json = text(r[8]);
  q.outcome = text(r[9]);
  q.error_kind = text(r[10]);
  q.error = text(r[11]);
  q.rows = number(r[12]);
  q.bytes = number(r[13]);
  q.duration_ms = number(r[14]);
  return q;
}

}  // namespace

void Store::insert_query(const QueryRow& q) {
  std::lock_guard lock(mutex_);
  db_->execute(stmt(std::string("INSERT INTO sluice_queries (") + kQueryColumns +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + std::to_string(q.rows) + ", " +
                        std::to_string(q.bytes) + ", " + std::to_string(q.duration_ms) + ")",
                    {q.id, q.connection_id, q.key_id, q.key_name, q.host_id, q.started_at, q.finished_at, q.sql_sha256,
                     q.parameters_json, q.outcome, q.error_kind, q.error}));
}

void Store::finish_query(const QueryRow& q) {
  std::lock_guard lock(mutex_);
  db_->execute(stmt("UPDATE sluice_queries SET outcome = ?, finished_at = ?, error_kind = ?, error = ?, row_count = " +
                        std::to_string(q.rows) + ", byte_count = " + std::to_string(q.bytes) +
                        ", duration_ms = " + std::to_string(q.duration_ms) + " WHERE id = ?",
                    {q.outcome, q.finished_at, q.error_kind, q.error, q.id}));
}

std::vector<QueryRow> Store::queries(const QueryFilter& filter) {
  std::lock_guard lock(mutex_);
  Sql sql(std::string("SELECT ") + kQueryColumns + " FROM sluice_queries WHERE 1 = 1");
  if (!filter.connection_id.empty()) {
    sql << " AND connection_id = ";
    sql.bind(filter.connection_id);
  }
  if (!filter.outcome.empty()) {
    sql << " AND outcome = ";
    sql.bind(filter.outcome);
  }
  if (!filter.before_started_at.empty()) {
    sql << " AND (started_at < ";
    sql.bind(filter.before_started_at);
    sql << " OR (started_at = ";
    sql.bind(filter.before_started_at);
    sql << " AND id < ";
    sql.bind(filter.before_id);
    sql << "))";
  }
  sql << " ORDER BY started_at DESC, id DESC LIMIT " << std::to_string(filter.limit);
  std::vector<QueryRow> out;
  for (const auto& r : db_->query(sql)) out.push_back(query_of(r));
  return out;
}

void Store::cancel_running_queries(const std::string& host, const std::string& error) {
  std::lock_guard lock(mutex_);
  db_->execute(stmt("UPDATE sluice_queries SET outcome = 'cancelled', error = ?, finished_at = ? WHERE outcome = "
                    "'running' AND host_id = ?",
                    {error, utc_now_iso(), host}));
}

}  // namespace sluice::host::serve
