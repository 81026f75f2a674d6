#include "host/cli/progress_display.hpp"

#include "host/cli/output.hpp"
#include "host/cli/stderr_log.hpp"

#include <cstdio>

namespace sluice::host::cli {

namespace {

std::string progress_text(const std::string& stream, uint64_t records, double seconds) {
  char text[256];
  double rate = seconds > 0 ? static_cast<double>(records) / seconds : 0;
  std::snprintf(text, sizeof text, "%s: %llu records, %.0f records/s, %.1fs", stream.c_str(),
                static_cast<unsigned long long>(records), rate, seconds);
  return text;
}

}  // namespace

void ProgressDisplay::clear_live_line() {
  if (live_line_shown_) {
    print_stderr_raw("\r\033[2K");
    live_line_shown_ = false;
  }
}

void ProgressDisplay::stream_started(const StreamPlan& plan) {
  std::lock_guard lock(mutex_);
  last_shown_ = 0;
  if (options_.quiet) return;
  if (options_.live) {
    print_stderr_raw("\r\033[2K" + progress_text(plan.display_name(), 0, 0));
    live_line_shown_ = true;
  } else {
    print_error_line("sync: stream " + plan.display_name() + " started (" + to_string(plan.mode) + " into " +
                     plan.table.display() + ")");
  }
}

void ProgressDisplay::stream_progress(const StreamPlan& plan, uint64_t records, uint64_t, double seconds) {
  std::lock_guard lock(mutex_);
  if (options_.quiet) return;
  double interval = options_.live ? 0.1 : options_.plain_interval_seconds;
  if (seconds - last_shown_ < interval) return;
  last_shown_ = seconds;
  if (options_.live) {
    print_stderr_raw("\r\033[2K" + progress_text(plan.display_name(), records, seconds));
    live_line_shown_ = true;
  } else {
    print_error_line("sync: progress " + progress_text(plan.display_name(), records, seconds));
  }
}

void ProgressDisplay::stream_finished(const StreamPlan& plan, const StreamOutcome& outcome) {
  std::lock_guard lock(mutex_);
  clear_live_line();
  if (outcome.status != RunStatus::succeeded) {
    const std::string kind = outcome.error_kind.empty() || outcome.status == RunStatus::cancelled
                                 ? "" : " [" + outcome.error_kind + "]";
    print_error_line("error: stream " + plan.display_name() + " " + to_string(outcome.status) + ": " +
                     outcome.error + kind);
    return;
  }
  if (options_.quiet) return;
  print_error_line("sync: stream " + plan.display_name() + " " + to_string(outcome.status) + ": " +
                   progress_text(plan.display_name(), outcome.records, outcome.seconds).substr(
                       plan.display_name().size() + 2) + " committed");
}

void ProgressDisplay::log(int32_t level, std::string_view message) {
  int32_t max_level = options_.quiet ? SLUICE_LOG_ERROR : options_.verbose ? SLUICE_LOG_DEBUG : SLUICE_LOG_INFO;
  if (level > max_level) return;
  std::lock_guard lock(mutex_);
  clear_live_line();
  print_error_line(log_line(level, message));
}

}  // namespace sluice::host::cli
