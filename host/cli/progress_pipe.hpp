// `sluice sync --progress-fd N`: the sync's events as NDJSON on fd N, for
// the daemon that runs the sync as a child (host/serve/jobs/child_run).
// The wire format, one object per line, is documented in
// host/serve/jobs/progress_event.hpp (the reader); this is the writer.
//
// It wraps the human display: every event also goes to `inner`, so the
// child's stderr log keeps the usual lines. Thread-safe: one mutex guards
// the fd, and each line goes out whole.
//
// The reader going away means the program that ran the sync died (a
// daemon killed with -9): a thread watches the fd for that (a pipe's
// write end reports POLLERR once no reader is left) and cancels the sync
// as a SIGTERM would, so it stops at its last checkpoint and releases its
// run locks instead of running on, unwatched, as an orphan. SIGPIPE is
// ignored from then on, so no write to a closed pipe (this fd, stdout,
// stderr) kills the process in the middle of that.
#pragma once

#include "host/common/host_error.hpp"
#include "host/sync/sync_listener.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace sluice::host {
struct SyncResult;
}

namespace sluice::host::cli {

class ProgressPipe : public SyncListener {
 public:
  // `fd` stays open (the process owns it); progress events go out at most
  // every `progress_interval` per stream (the first always; stream_done
  // carries the final count).
  ProgressPipe(int fd, SyncListener& inner,
               std::chrono::milliseconds progress_interval = std::chrono::milliseconds(500));
  ~ProgressPipe() override;
  ProgressPipe(const ProgressPipe&) = delete;
  ProgressPipe& operator=(const ProgressPipe&) = delete;

  void stream_started(const StreamPlan& plan) override;
  void stream_progress(const StreamPlan& plan, uint64_t records, uint64_t bytes, double seconds) override;
  void checkpoint_committed(const StreamPlan& plan, uint64_t records_committed) override;
  void stream_finished(const StreamPlan& plan, const StreamOutcome& outcome) override;
  void log(int32_t level, std::string_view message) override;

  // The last event: a sync that ran (result), or one that failed before it
  // started (error, with the exit code the CLI returns).
  void sync_done(const SyncResult& result, int exit_code);
  void sync_done(const HostError& error, int exit_code);

  // Any other event ({"event": NAME, ...}; "at" is added): `sluice query
  // --progress-fd` writes query_columns and query_done through it.
  void write_event(boost::json::object event);

 private:
  int fd_;
  SyncListener& inner_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  bool broken_ = false;
  std::map<std::string, std::chrono::steady_clock::time_point> last_progress_;
  std::map<std::string, uint64_t> last_bytes_;  // every progress call's, throttled or not
  int stop_watch_[2] = {-1, -1};  // a byte on [1] ends the watcher
  std::thread watcher_;
};

// HostError's Failure as the events name it: "usage", "config", "plugin_load",
// "plugin", "target", "cancelled", "internal".
const char* failure_name(Failure failure);

// The --progress-fd value: a descriptor number from 3 to 1023 that is open
// for writing. Throws UsageError otherwise.
int progress_fd(const std::string& text);

}  // namespace sluice::host::cli
