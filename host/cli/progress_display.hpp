// Renders a running sync for people: on a terminal, a live line per stream
// (records, records/s, elapsed, and percent and ETA when the plugin reports a
// total) redrawn in place; otherwise a plain progress log line every few
// seconds. Plugin logs go to stderr, filtered by level.
#pragma once

#include "host/cli/output.hpp"
#include "host/sync/sync_listener.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sluice::host::cli {

using ProgressClock = std::function<std::chrono::steady_clock::time_point()>;

struct DisplayOptions {
  bool live = false;    // redraw a line in place (stderr is a terminal)
  bool quiet = false;   // only errors
  bool verbose = false; // debug logs too
  double plain_interval_seconds = 5;  // between plain progress lines
  ProgressClock now = [] { return std::chrono::steady_clock::now(); };  // tests inject a fake
};

// "1m05s": an ETA as the progress line prints it (whole seconds, rounded
// up; "59s", "1m00s", "2h03m" from an hour on).
std::string duration_text(double seconds);

// How far a stream is by the plugin's own count (ReadContext::progress):
// percent done and the time left at the average rate since the stream
// started, both from the clock it is given.
class StreamCompletion {
 public:
  explicit StreamCompletion(std::chrono::steady_clock::time_point started) : started_(started) {}
  void report(int64_t done, int64_t total, std::chrono::steady_clock::time_point at);
  // ", 42%, ETA 1m05s"; ", 0%" before the first unit is done; ", 100%"
  // once done reaches total; "" while the total is unknown.
  std::string text() const;
  // Seconds left, when known.
  std::optional<double> eta_seconds() const;

 private:
  std::chrono::steady_clock::time_point started_;
  int64_t done_ = 0;
  int64_t total_ = -1;
  double seconds_ = 0;  // from started_ to the last report
};

class ProgressDisplay : public SyncListener {
 public:
  // A live line is drawn only with --log-format text: JSON lines stay whole.
  explicit ProgressDisplay(DisplayOptions options) : options_(std::move(options)) {
    options_.live = options_.live && log_format() == LogFormat::text;
  }

  void stream_started(const StreamPlan& plan) override;
  void stream_progress(const StreamPlan& plan, uint64_t records, uint64_t bytes, double seconds) override;
  void checkpoint_committed(const StreamPlan&, uint64_t) override {}
  void stream_finished(const StreamPlan& plan, const StreamOutcome& outcome) override;
  void stream_completion(const StreamPlan& plan, int64_t done, int64_t total) override;
  void log(int32_t level, std::string_view message) override;

 private:
  void clear_live_line();
  std::string progress_text(const StreamPlan& plan, uint64_t records, double seconds) const;

  DisplayOptions options_;
  std::mutex mutex_;
  bool live_line_shown_ = false;
  double last_shown_ = -1;
  std::map<std::string, StreamCompletion> completion_;  // by display name
};

}  // namespace sluice::host::cli
