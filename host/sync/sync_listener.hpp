// What the engine reports while it runs; the CLI renders it (live lines on
// a terminal, plain log lines otherwise, JSON lines for machines).
// Implementations must be thread-safe: progress and log arrive from the
// reading thread, plugin logs from any thread.
#pragma once

#include "host/sync/stream_plan.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::host {

struct StreamOutcome {
  std::string stream;    // display name in the source
  std::string table;     // destination table
  SyncMode mode = SyncMode::full_refresh_overwrite;
  std::string status;    // succeeded | failed | cancelled
  uint64_t records = 0;  // rows committed to the target by this run
  double seconds = 0;
  std::string error;     // one line, when not succeeded
};

class SyncListener {
 public:
  virtual ~SyncListener() = default;
  virtual void stream_started(const StreamPlan& plan) = 0;
  // records received from the plugin so far in this stream
  virtual void stream_progress(const StreamPlan& plan, uint64_t records, double seconds) = 0;
  virtual void stream_finished(const StreamPlan& plan, const StreamOutcome& outcome) = 0;
  // level: SLUICE_LOG_* ; message already says which stream when it matters
  virtual void log(int32_t level, std::string_view message) = 0;
};

}  // namespace sluice::host
