// The seam between the daemon's dispatcher and whatever runs a sync. The
// daemon decides what runs when (queue, one job per connection, limits) and
// records what happened; a launcher only starts, stops and reports.
// child_launcher.hpp implements it over host/serve/jobs/ChildRun (a child
// `sluice sync --progress-fd N` with NDJSON progress, crash, hang and
// memory-limit handling).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sluice::host::serve {

struct LaunchSpec {
  std::string job_id;
  // The connection file's text with every secret in clear: it must reach
  // the child only (never a log, response or world-readable file).
  std::string connection_json;
  std::vector<std::string> plugin_dirs;
  std::filesystem::path work_dir;  // a folder of the job's own, already created
  // How long the sync waits for a table another sync is writing (`sync
  // --wait`); 0 fails at once naming the holder. A job taken over from a
  // host whose lease expired waits: that host's child may still be
  // stopping (the run lock keeps the two apart).
  std::chrono::seconds lock_wait{0};
};

struct LaunchEnd {
  std::string status;  // succeeded | failed | cancelled
  std::optional<int> exit_code;
  std::string error;   // one line; "" when succeeded
  std::string error_kind;  // sync_done's error_kind of a failed sync: decides a retry (retry_policy.hpp)
  int64_t records = 0;
  int64_t bytes = 0;
  std::string streams_json = "[]";
};

// What a running job has done so far, as LaunchEnd counts it.
struct LaunchProgress {
  int64_t records = 0;
  int64_t bytes = 0;
  std::string streams_json = "[]";
};

// Called from the launcher's threads, never while a launcher lock is held.
class LaunchListener {
 public:
  virtual ~LaunchListener() = default;
  // One line of the job's log, not yet redacted.
  virtual void on_log(const std::string& job_id, const std::string& line) = 0;
  // Exactly once per started job, after its process is reaped.
  virtual void on_end(const std::string& job_id, const LaunchEnd& end) = 0;
};

class SyncLauncher {
 public:
  virtual ~SyncLauncher() = default;
  // Starts the job and returns at once. Throws std::runtime_error (one
  // line) when it cannot start; on_end is then never called.
  virtual void start(const LaunchSpec& spec, LaunchListener& listener) = 0;
  // Asks a running job to stop at its next checkpoint (SIGTERM), then kills
  // it after a grace period. Unknown or finished jobs are ignored.
  virtual void cancel(const std::string& job_id) = 0;
  // Daemon shutdown: cancels every job and returns once all have ended
  // (on_end called for each).
  virtual void stop_all() = 0;
  virtual size_t running() const = 0;
  // The live progress of a running job; nullopt for one it does not run.
  virtual std::optional<LaunchProgress> progress(const std::string& job_id) const = 0;
};

}  // namespace sluice::host::serve
