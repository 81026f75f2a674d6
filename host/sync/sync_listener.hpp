// What the engine reports while it runs; the CLI renders it (live lines on
// a terminal, plain log lines otherwise, JSON lines for machines).
// Implementations must be thread-safe: progress and log arrive from the
// reading thread, plugin logs from any thread.
#pragma once

#include "host/sync/stream_plan.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::host {

// The state of a sync or of one of its streams; stored in _sluice_syncs by
// name ("running", "succeeded", "failed", "cancelled").
enum class RunStatus { running, succeeded, failed, cancelled };
const char* to_string(RunStatus status);

struct StreamOutcome {
  std::string stream;    // display name in the source
  std::string table;     // destination table
  SyncMode mode = SyncMode::full_refresh_overwrite;
  RunStatus status = RunStatus::running;
  uint64_t records = 0;  // rows committed to the target by this run
  double seconds = 0;
  std::string error;     // one line, when not succeeded
  // Why it failed: "auth", "transient", ... (the plugin's kind), "target",
  // "config" or "cancelled"; "" when it succeeded.
  std::string error_kind;
};

// {"stream", "table", "mode", "status", "records", "seconds", "error",
// "error_kind"}: the one JSON form of an outcome (sync --json, history).
boost::json::object outcome_json(const StreamOutcome& outcome);

class SyncListener {
 public:
  virtual ~SyncListener() = default;
  virtual void stream_started(const StreamPlan& plan) = 0;
  // records received from the plugin so far in this stream, and the bytes
  // of NDJSON they came in
  virtual void stream_progress(const StreamPlan& plan, uint64_t records, uint64_t bytes, double seconds) = 0;
  // A checkpoint and the rows it covers committed (incremental modes; a
  // full refresh commits once, at its end, reported by stream_finished).
  // records_committed counts this run's rows committed so far. Called from
  // the stream's writer thread.
  virtual void checkpoint_committed(const StreamPlan& plan, uint64_t records_committed) = 0;
  virtual void stream_finished(const StreamPlan& plan, const StreamOutcome& outcome) = 0;
  // The plugin's own count (ReadContext::progress, from the plugin thread):
  // `done` of `total` units of the stream read, total -1 when unknown.
  virtual void stream_completion(const StreamPlan& /*plan*/, int64_t /*done*/, int64_t /*total*/) {}
  // level: SLUICE_LOG_* ; message already says which stream when it matters
  virtual void log(int32_t level, std::string_view message) = 0;
};

}  // namespace sluice::host
