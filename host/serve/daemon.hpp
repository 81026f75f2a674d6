// The daemon's core: the store, the secrets box, the plugin catalog, the
// dispatcher that runs queued jobs through a SyncLauncher, and the HTTP API
// in front. `sluice serve` builds one and waits for SIGTERM.
//
// The dispatcher is one thread making passes: on each tick (scheduler.tick_ms),
// and at once when a job is queued or ends. A pass
//  1. schedules: Scheduler::due over every connection (its schedule, its
//     covered_until, whether a job of it is queued or running, how its
//     latest job failed) at the scheduler's clock; a due time becomes a job
//     (trigger "schedule") once covered_until has been moved to now by
//     compare-and-set, a due retry a job (trigger "retry", attempt N) with
//     the idempotency key "retry:<failed job id>": one job per due time or
//     failure, however many hosts share the store;
//  2. renews the leases of its running jobs every third of the lease; a job
//     whose lease another host took over is stopped here (its outcome is
//     the other host's to record), and a cancel requested through another
//     host reaches the child;
//  3. dispatches: claimable jobs (queued, or running under an expired
//     lease: a dead host's) oldest first, each through the ConcurrencyGates
//     (global and per-plugin limits, never two runs of one connection) and
//     then claimed in the store for this host.
// A job still running when the daemon stops (or died: found "running"
// under this host's id at start) is marked "interrupted" and queued again
// as a new job (trigger "resume"), which continues from the target's last
// checkpoint; one taken over from a dead host keeps its id and goes on
// from that checkpoint too.
#pragma once

#include "host/ingest/ingest_writer.hpp"
#include "host/serve/http_server.hpp"
#include "host/serve/rate_limiter.hpp"
#include "host/serve/plugin_catalog.hpp"
#include "host/serve/schedule/concurrency_gates.hpp"
#include "host/serve/schedule/scheduler.hpp"
#include "host/serve/secret_box.hpp"
#include "host/serve/serve_config.hpp"
#include "host/serve/store.hpp"
#include "host/serve/sync_launcher.hpp"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace sluice::host::serve {

class ChildRun;

struct SyncTotals {
  uint64_t records = 0;
  uint64_t bytes = 0;
  double duration_seconds_sum = 0;
  uint64_t duration_count = 0;
  std::map<std::string, uint64_t> finished_by_status;  // since start
};

class Daemon : public LaunchListener {
 public:
  // Opens and migrates the store, reads the secrets key, binds the listen
  // address. Throws ConfigError / TargetError / std::runtime_error.
  Daemon(ServeConfig config, std::unique_ptr<SyncLauncher> launcher);
  ~Daemon() override;

  int port() const { return server_->port(); }
  bool tls() const { return server_->tls(); }
  // Requeues what an earlier life left running, then serves and dispatches.
  void start();
  // Stops accepting requests and new jobs, asks running children to stop at
  // their last checkpoint and waits for them; their jobs become
  // "interrupted" and are queued again for the next start.
  void shutdown();

  const ServeConfig& config() const { return config_; }
  Store& store() { return *store_; }
  const SecretBox& box() const { return box_; }
  PluginCatalog& plugins() { return plugins_; }
  // Push ingestion: target sessions lent to requests, per-key limits.
  IngestPool& ingest_pool() { return ingest_pool_; }
  RateLimiter& ingest_limiter() { return ingest_limiter_; }
  // Ingested events since start, by outcome (metrics).
  struct IngestCounts {
    std::atomic<uint64_t> accepted{0}, duplicate{0}, rejected{0};
  };
  IngestCounts& ingest_counts() { return ingest_counts_; }
  const std::string& host_id() const { return host_id_; }
  bool ready() { return started_ && !stopping_ && store_->ping(); }

  // A new queued job for the connection, or (with an idempotency key seen
  // before for this connection) the job that key made; `created` says which.
  JobRow enqueue(const std::string& connection_id, const std::string& trigger, const std::string& idempotency_key,
                 bool* created);
  // false when the job had already ended.
  bool cancel(const std::string& job_id);
  // Blocks until the job is neither queued nor running, or `timeout`
  // passes (long polling: GET /v1/syncs/{id}?wait_seconds=N).
  void wait_for_end(const std::string& job_id, std::chrono::milliseconds timeout);
  // A running job with its live counts and per-stream progress from the
  // launcher; any other job as the store has it.
  JobRow with_live_progress(JobRow job) const;
  // Whether a job of the connection is queued or running.
  bool busy(const std::string& connection_id);

  // The scheduler's clock: the system clock, or (tests) scheduler.clock_file.
  TimePoint now() const;
  // now() as ISO-8601 UTC to the second (covered_until, finished_at).
  std::string now_text() const;

  std::string metrics_text();

  // The query endpoint (routes_queries.cpp): each query runs in a child of
  // its own, at most query.max_concurrent at once on this host.
  // admit_query reserves a place (ApiError 429 too_many_queries when all
  // are taken, 503 stopping during shutdown); attach_query hands over the
  // child, which shutdown() cancels (at once if it has begun), until
  // detach_query (before the child is destroyed); every admitted query
  // ends with release_query.
  void admit_query(const std::string& id);
  void attach_query(const std::string& id, ChildRun& run);
  void detach_query(const std::string& id);
  void release_query(const std::string& id);

  // LaunchListener
  void on_log(const std::string& job_id, const std::string& line) override;
  void on_end(const std::string& job_id, const LaunchEnd& end) override;

 private:
  void dispatch_loop();
  void schedule_due(TimePoint now);
  void renew_leases();
  void dispatch(std::unique_lock<std::mutex>& lock);
  void launch(const JobRow& job, bool takeover);
  void requeue(const JobRow& job, const std::string& why);

  ServeConfig config_;
  std::string host_id_;
  std::unique_ptr<Store> store_;
  SecretBox box_;
  PluginCatalog plugins_;
  IngestPool ingest_pool_;
  RateLimiter ingest_limiter_;
  IngestCounts ingest_counts_;
  std::unique_ptr<SyncLauncher> launcher_;
  Router router_;
  std::unique_ptr<Authenticator> auth_;
  HttpCounters counters_;
  std::unique_ptr<HttpServer> server_;
  ConcurrencyGates gates_;
  Scheduler scheduler_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable job_ended_;
  bool started_ = false;
  bool stopping_ = false;
  bool poked_ = false;  // a job was queued or ended since the pass began
  std::map<std::string, Permit> permits_;            // job id -> its gate slots
  std::map<std::string, std::string> running_jobs_;  // job id -> connection id
  std::set<std::string> lost_;                       // running here, lease taken by another host
  std::chrono::steady_clock::time_point last_heartbeat_{};
  uint64_t passes_ = 0;          // scheduler passes finished (metrics: tests wait on them)
  TimePoint last_pass_clock_{};  // the clock each of them read
  std::map<std::string, std::chrono::steady_clock::time_point> started_at_;
  SyncTotals totals_;
  std::map<std::string, ChildRun*> queries_;  // admitted queries -> their child (null until attached)
  std::thread dispatcher_;
};

// The launcher `sluice serve` runs jobs with: ChildLauncher with the
// config's run timeout and memory limit.
std::unique_ptr<SyncLauncher> make_child_launcher(const ServeConfig& config);

// ISO-8601 UTC to the second, and back (nullopt for anything else).
std::string iso_seconds(TimePoint t);
std::optional<TimePoint> parse_iso(const std::string& text);

// Every route of the API, registered on `router` for `daemon`.
void add_routes(Router& router, Daemon& daemon);

}  // namespace sluice::host::serve
