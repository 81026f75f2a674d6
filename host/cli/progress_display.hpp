// Renders a running sync for people: on a terminal, a live line per stream
// (records, records/s, elapsed) redrawn in place; otherwise a plain progress
// log line every few seconds. Plugin logs go to stderr, filtered by level.
#pragma once

#include "host/sync/sync_listener.hpp"

#include <chrono>
#include <mutex>

namespace sluice::host::cli {

struct DisplayOptions {
  bool live = false;    // redraw a line in place (stderr is a terminal)
  bool quiet = false;   // only errors
  bool verbose = false; // debug logs too
  double plain_interval_seconds = 5;  // between plain progress lines
};

class ProgressDisplay : public SyncListener {
 public:
  explicit ProgressDisplay(DisplayOptions options) : options_(options) {}

  void stream_started(const StreamPlan& plan) override;
  void stream_progress(const StreamPlan& plan, uint64_t records, uint64_t bytes, double seconds) override;
  void checkpoint_committed(const StreamPlan&, uint64_t) override {}
  void stream_finished(const StreamPlan& plan, const StreamOutcome& outcome) override;
  void log(int32_t level, std::string_view message) override;

 private:
  void clear_live_line();

  DisplayOptions options_;
  std::mutex mutex_;
  bool live_line_shown_ = false;
  double last_shown_ = -1;
};

}  // namespace sluice::host::cli
