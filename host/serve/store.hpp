// The daemon's metadata store: API keys, connections, jobs and their log
// lines, in SQLite (the embedded default, sqlite://./sluice-server.db) or
// PostgreSQL (production, and several hosts on one store). It reuses the
// targets' connections (target/sql_connection.hpp) for sessions and bound
// statements, and writes SQL both engines accept.
//
// The schema is versioned (table sluice_serve_schema): opening the store
// applies every missing migration, each in its own transaction, and refuses
// a store whose version is newer than this build knows.
//
// Several hosts on one (PostgreSQL) store: a job is claimed by one host
// (claimed_by) for a lease (lease_expires_at) that its heartbeats renew; a
// claim takes the row FOR UPDATE SKIP LOCKED (a row another host is
// claiming at that moment is skipped, not waited for), and a running job
// whose lease has expired is claimable again (its host died). Every write
// of a job's outcome names the host that holds it, so a stale host whose
// lease was taken changes nothing. Lease times are ISO-8601 UTC text with
// microseconds (one fixed width: text order is time order).
//
// Schedules: covered_until per connection (scheduler.hpp) is advanced with
// a compare-and-set, so one due time makes one job however many hosts see
// it; a retry carries the idempotency key "retry:<failed job id>", so one
// failure makes one retry.
//
// Thread-safe: one session, every call under one mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sluice::host {
class Target;
class SqlConnection;
}  // namespace sluice::host

namespace sluice::host::serve {

inline constexpr int kStoreSchemaVersion = 4;

struct KeyRow {
  std::string id;
  std::string role;
  std::string salt;
  std::string hash;
  std::string created_at;
  std::string name;
  std::string revoked_at;  // "" while the key is live
};

struct ConnectionRow {
  std::string id;
  std::string name;
  std::string plugin;
  std::string sealed;         // SecretBox-sealed connection JSON (config, target, streams, namespace)
  std::string schedule_json;  // {"cron": ..} | {"interval_seconds": ..} | {} ; jitter_seconds, time_zone
  std::string created_at;
  std::string updated_at;
  std::string covered_until;  // scheduler.hpp: due times up to here are served (ISO-8601 UTC)
};

// An ingest stream (host/ingest/ingest_stream.hpp): its declaration is
// sealed whole like a connection (its target URL may hold a password).
struct IngestStreamRow {
  std::string id;
  std::string name;
  std::string sealed;
  std::string created_at;
  std::string updated_at;
};

// A backfill of an ingest stream (host/ingest/backfill.hpp): who asked,
// when, for which range and customer, what it changed, and its state:
// applying (its target transaction has not answered yet; one left so by a
// daemon that died then may or may not have committed), applied, reverted.
struct BackfillRow {
  std::string id;
  std::string stream;
  std::string state;
  std::string range_from;  // RFC 3339 UTC with microseconds: text order is time order
  std::string range_to;
  std::optional<std::string> customer;
  std::string created_by;  // key id
  std::string created_at;
  int64_t rows_replaced = 0;
  int64_t rows_inserted = 0;
  std::string reverted_by;  // "" unless reverted
  std::string reverted_at;
};

struct JobRow {
  std::string id;
  std::string connection_id;
  std::string status;         // queued | running | succeeded | failed | cancelled | interrupted
  std::string trigger;        // api | schedule | retry | resume
  std::string idempotency_key;
  std::string created_at;
  std::string started_at;
  std::string finished_at;
  std::string claimed_by;
  std::string lease_expires_at;
  int attempt = 1;
  std::optional<int> exit_code;
  std::string error;
  std::string error_kind;     // sync_done's error_kind of a failed run ("" if none came)
  std::string due_at;         // schedule and retry jobs: when it fell due ("" for the others)
  int64_t records = 0;
  int64_t bytes = 0;
  std::string streams_json = "[]";
  bool cancel_requested = false;
};

struct JobFilter {
  std::string connection_id;  // "" = any
  std::string status;         // "" = any
  size_t limit = 50;
  // Keyset pagination, newest first: jobs strictly before this (created_at, id).
  std::string before_created_at;
  std::string before_id;
};

struct LogLine {
  int64_t number = 0;
  std::string at;
  std::string text;
};

// One query of the query endpoint, for the record (the audit: who ran
// what, when, on which connection, and how it ended). Never the SQL text
// (its SHA-256 only) and never a secret (parameters masked before they
// get here).
struct QueryRow {
  std::string id;
  std::string connection_id;
  std::string key_id;            // the API key that asked
  std::string key_name;
  std::string host_id;           // the daemon that ran it
  std::string started_at;        // ISO-8601 UTC with microseconds
  std::string finished_at;       // "" while it runs
  std::string sql_sha256;        // of the SQL as sent, lowercase hex
  std::string parameters_json = "{}";  // as sent, secrets masked
  // running | ok | truncated (cut by a limit, allowed) | failed | cancelled
  // (the client went away, or the daemon stopped) | refused (never ran:
  // the statement, its parameters or limits, or too many queries at once)
  std::string outcome = "running";
  std::string error_kind;        // failed: the plugin's kind, or limit, crashed, internal
  std::string error;             // one line, secrets masked
  int64_t rows = 0;              // sent to the client
  int64_t bytes = 0;             // of those rows' NDJSON lines
  int64_t duration_ms = 0;
};

struct QueryFilter {
  std::string connection_id;  // "" = any
  std::string outcome;        // "" = any
  size_t limit = 50;
  // Keyset pagination, newest first: queries strictly before (started_at, id).
  std::string before_started_at;
  std::string before_id;
};

class Store {
 public:
  // Opens `url` (sqlite://PATH or postgresql://...) and migrates it. Throws
  // ConfigError for an unsupported URL or a newer schema, TargetError when
  // the database cannot be opened.
  explicit Store(const std::string& url);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version();
  std::string display_url() const;
  // A cheap round trip (readiness).
  bool ping();

  void add_key(const KeyRow& key);
  // A live (not revoked) key by id.
  std::optional<KeyRow> key(const std::string& id);
  // Every key, revoked ones too (they stay for the record), oldest first.
  std::vector<KeyRow> keys();
  // Marks a live key revoked at `at`; false when there is no live key `id`.
  bool revoke_key(const std::string& id, const std::string& at);

  // false when the name is taken.
  bool insert_connection(const ConnectionRow& row);
  std::optional<ConnectionRow> connection(const std::string& id);
  std::optional<ConnectionRow> connection_by_name(const std::string& name);
  std::vector<ConnectionRow> connections();
  bool update_connection(const ConnectionRow& row);
  bool delete_connection(const std::string& id);

  // Ingest streams, by unique name. false when the name is taken.
  bool insert_ingest_stream(const IngestStreamRow& row);
  std::optional<IngestStreamRow> ingest_stream(const std::string& name);
  std::vector<IngestStreamRow> ingest_streams();
  // Replaces the declaration of the stream `row.name`; false when there is none.
  bool update_ingest_stream(const IngestStreamRow& row);
  bool delete_ingest_stream(const std::string& name);

  // Backfills (store_backfills.cpp), newest first per stream.
  void insert_backfill(const BackfillRow& row);
  std::optional<BackfillRow> backfill(const std::string& stream, const std::string& id);
  std::vector<BackfillRow> backfills(const std::string& stream);
  // state, rows_replaced, rows_inserted, reverted_by, reverted_at of `row.id`.
  void update_backfill(const BackfillRow& row);
  // A backfill whose target transaction failed (nothing of it is stored).
  void delete_backfill(const std::string& id);

  void insert_job(const JobRow& job);
  std::optional<JobRow> job(const std::string& id);
  std::optional<JobRow> job_by_idempotency_key(const std::string& connection_id, const std::string& key);
  std::vector<JobRow> jobs(const JobFilter& filter);
  // Queued jobs, oldest first.
  std::vector<JobRow> queued_jobs(size_t limit);
  // Jobs a host may claim at `now`: queued ones, and running ones whose
  // lease expired before `now` (their host died), oldest first.
  std::vector<JobRow> claimable_jobs(const std::string& now, size_t limit);
  // Claims the job for `host` until `lease_expires_at`: a queued job, or a
  // running one whose lease expired before `now` (a takeover). The row is
  // taken FOR UPDATE SKIP LOCKED on PostgreSQL. false when it is no longer
  // claimable (cancelled, or claimed by another host meanwhile), or when
  // another job of its connection runs under a live lease.
  bool claim_job(const std::string& id, const std::string& host, const std::string& lease_expires_at,
                 const std::string& now);
  // Extends the lease of a job `host` holds; false when the job is no longer
  // running under `host` (another host took it over, or it was finished).
  bool renew_lease(const std::string& id, const std::string& host, const std::string& lease_expires_at);
  // status, finished_at, exit_code, error, error_kind, records, bytes,
  // streams_json; only while `host` holds the job ("" = whoever holds it,
  // e.g. a queued job cancelled). false when another host holds it now.
  bool finish_job(const JobRow& job, const std::string& host = "");
  // The newest job of a connection (retries look at how it ended).
  std::optional<JobRow> latest_job(const std::string& connection_id);
  // Connections with a job queued or running.
  std::vector<std::string> busy_connections();
  // Moves covered_until from `from` to `to`; false when another host (or an
  // update of the schedule) moved it first.
  bool advance_covered_until(const std::string& connection_id, const std::string& from, const std::string& to);
  bool request_cancel(const std::string& id);
  // A job still queued becomes "cancelled" with `error`; false when it is
  // no longer queued (a host claimed it meanwhile).
  bool cancel_queued(const std::string& id, const std::string& finished_at, const std::string& error);
  // Jobs left running by `host` in an earlier life become "interrupted";
  // returns them as they were.
  std::vector<JobRow> interrupt_jobs_of(const std::string& host);
  // Jobs per status (metrics).
  std::vector<std::pair<std::string, int64_t>> job_counts();

  // Appends a line numbered after the job's last one (the number is taken
  // in the INSERT, so two hosts' children of one job - a takeover while the
  // stale host's child stops - never take the same number; a clash of two
  // at the same instant is tried again).
  void append_log(const std::string& job_id, const std::string& text);
  std::vector<LogLine> logs(const std::string& job_id, int64_t after, size_t limit);

  // The query audit (migration 3).
  void insert_query(const QueryRow& row);
  // outcome, finished_at, error_kind, error, rows, bytes, duration_ms.
  void finish_query(const QueryRow& row);
  std::vector<QueryRow> queries(const QueryFilter& filter);
  // Queries `host` left "running" in an earlier life (it died): "cancelled".
  void cancel_running_queries(const std::string& host, const std::string& error);

 private:
  void migrate();
  // `column`: a literal of this file, never input.
  std::optional<ConnectionRow> connection_where(const char* column, const std::string& value);
  std::mutex mutex_;
  bool postgres_ = false;
  std::unique_ptr<Target> target_;
  SqlConnection* db_ = nullptr;
};

}  // namespace sluice::host::serve
