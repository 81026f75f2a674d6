// The daemon's core: the store, the secrets box, the plugin catalog, the
// dispatcher that runs queued jobs through a SyncLauncher, and the HTTP API
// in front. `sluice serve` builds one and waits for SIGTERM.
//
// Dispatching rules: jobs run oldest first; never two jobs of one connection
// at once; at most max_concurrent_syncs at once. A job still running when
// the daemon stops (or died: found "running" under this host's id at start)
// is marked "interrupted" and queued again as a new job (trigger "resume"),
// which continues from the target's last checkpoint.
#pragma once

#include "host/serve/http_server.hpp"
#include "host/serve/plugin_catalog.hpp"
#include "host/serve/secret_box.hpp"
#include "host/serve/serve_config.hpp"
#include "host/serve/store.hpp"
#include "host/serve/sync_launcher.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace sluice::host::serve {

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

  std::string metrics_text();

  // LaunchListener
  void on_log(const std::string& job_id, const std::string& line) override;
  void on_end(const std::string& job_id, const LaunchEnd& end) override;

 private:
  void dispatch_loop();
  void launch(const JobRow& job);
  void requeue(const JobRow& job, const std::string& why);

  ServeConfig config_;
  std::string host_id_;
  std::unique_ptr<Store> store_;
  SecretBox box_;
  PluginCatalog plugins_;
  std::unique_ptr<SyncLauncher> launcher_;
  Router router_;
  std::unique_ptr<Authenticator> auth_;
  HttpCounters counters_;
  std::unique_ptr<HttpServer> server_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable job_ended_;
  bool started_ = false;
  bool stopping_ = false;
  std::set<std::string> running_connections_;
  std::map<std::string, std::string> running_jobs_;  // job id -> connection id
  std::map<std::string, int64_t> log_lines_;         // job id -> lines written
  std::map<std::string, std::chrono::steady_clock::time_point> started_at_;
  SyncTotals totals_;
  std::thread dispatcher_;
};

// Every route of the API, registered on `router` for `daemon`.
void add_routes(Router& router, Daemon& daemon);

}  // namespace sluice::host::serve
