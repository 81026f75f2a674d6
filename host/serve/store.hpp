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
// The jobs table is shaped for several hosts: a job is claimed by one host
// (claimed_by) for a lease (lease_expires_at) that heartbeats renew; a
// PostgreSQL claim takes due rows FOR UPDATE SKIP LOCKED (not built yet:
// docs/daemon.md, "Several hosts").
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

inline constexpr int kStoreSchemaVersion = 1;

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
  std::string schedule_json;  // {"cron": ..} | {"interval_seconds": ..} | {} ; jitter, time_zone
  std::string created_at;
  std::string updated_at;
};

struct JobRow {
  std::string id;
  std::string connection_id;
  std::string status;         // queued | running | succeeded | failed | cancelled | interrupted
  std::string trigger;        // api | schedule | retry
  std::string idempotency_key;
  std::string created_at;
  std::string started_at;
  std::string finished_at;
  std::string claimed_by;
  std::string lease_expires_at;
  int attempt = 1;
  std::optional<int> exit_code;
  std::string error;
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

  void insert_job(const JobRow& job);
  std::optional<JobRow> job(const std::string& id);
  std::optional<JobRow> job_by_idempotency_key(const std::string& connection_id, const std::string& key);
  std::vector<JobRow> jobs(const JobFilter& filter);
  // Queued jobs, oldest first.
  std::vector<JobRow> queued_jobs(size_t limit);
  // Moves a queued job to running, claimed by `host` until `lease_expires_at`.
  // false when it was no longer queued (cancelled meanwhile).
  bool claim_job(const std::string& id, const std::string& host, const std::string& lease_expires_at);
  void finish_job(const JobRow& job);  // status, finished_at, exit_code, error, records, bytes, streams_json
  bool request_cancel(const std::string& id);
  // Jobs left running by `host` in an earlier life become "interrupted";
  // returns them as they were.
  std::vector<JobRow> interrupt_jobs_of(const std::string& host);
  // Jobs per status (metrics).
  std::vector<std::pair<std::string, int64_t>> job_counts();

  void append_log(const std::string& job_id, int64_t number, const std::string& text);
  std::vector<LogLine> logs(const std::string& job_id, int64_t after, size_t limit);

 private:
  void migrate();
  // `column`: a literal of this file, never input.
  std::optional<ConnectionRow> connection_where(const char* column, const std::string& value);
  std::mutex mutex_;
  std::unique_ptr<Target> target_;
  SqlConnection* db_ = nullptr;
};

}  // namespace sluice::host::serve
