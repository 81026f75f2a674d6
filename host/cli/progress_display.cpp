#include "host/cli/progress_display.hpp"

#include "host/cli/output.hpp"
#include "host/cli/stderr_log.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sluice::host::cli {

namespace {

std::string records_text(const std::string& stream, uint64_t records, double seconds) {
  char text[256];
  double rate = seconds > 0 ? static_cast<double>(records) / seconds : 0;
  std::snprintf(text, sizeof text, "%s: %llu records, %.0f records/s, %.1fs", stream.c_str(),
                static_cast<unsigned long long>(records), rate, seconds);
  return text;
}

}  // namespace

std::string duration_text(double seconds) {
  const auto whole = static_cast<long long>(std::ceil(std::max(0.0, seconds)));
  char text[64];
  if (whole < 60) std::snprintf(text, sizeof text, "%llds", whole);
  else if (whole < 3600) std::snprintf(text, sizeof text, "%lldm%02llds", whole / 60, whole % 60);
  else std::snprintf(text, sizeof text, "%lldh%02lldm", whole / 3600, whole / 60 % 60);
  return text;
}

void StreamCompletion::report(int64_t done, int64_t total, std::chrono::steady_clock::time_point at) {
  done_ = done;
  total_ = total;
  seconds_ = std::chrono::duration<double>(at - started_).count();
}

std::optional<double> StreamCompletion::eta_seconds() const {
  if (total_ <= 0 || done_ <= 0 || seconds_ <= 0) return std::nullopt;
  if (done_ >= total_) return 0.0;
  return seconds_ * static_cast<double>(total_ - done_) / static_cast<double>(done_);
}

std::string StreamCompletion::text() const {
  if (total_ <= 0 || done_ < 0) return "";
  const int64_t done = std::min(done_, total_);
  // Whole percent, rounded down: 100% only when the plugin says it is done.
  const auto percent = static_cast<long long>(static_cast<double>(done) * 100 / static_cast<double>(total_));
  std::string out = ", " + std::to_string(percent) + "%";
  if (done < total_) {
    if (auto eta = eta_seconds()) out += ", ETA " + duration_text(*eta);
  }
  return out;
}

std::string ProgressDisplay::progress_text(const StreamPlan& plan, uint64_t records, double seconds) const {
  std::string text = records_text(plan.display_name(), records, seconds);
  if (auto found = completion_.find(plan.display_name()); found != completion_.end()) text += found->second.text();
  return text;
}

void ProgressDisplay::stream_completion(const StreamPlan& plan, int64_t done, int64_t total) {
  std::lock_guard lock(mutex_);
  auto found = completion_.find(plan.display_name());
  if (found == completion_.end()) return;  // not started (or already finished)
  found->second.report(done, total, options_.now());
}

void ProgressDisplay::clear_live_line() {
  if (live_line_shown_) {
    print_stderr_raw("\r\033[2K");
    live_line_shown_ = false;
  }
}

void ProgressDisplay::stream_started(const StreamPlan& plan) {
  std::lock_guard lock(mutex_);
  last_shown_ = 0;
  completion_.insert_or_assign(plan.display_name(), StreamCompletion(options_.now()));
  if (options_.quiet) return;
  if (options_.live) {
    print_stderr_raw("\r\033[2K" + progress_text(plan, 0, 0));
    live_line_shown_ = true;
  } else {
    print_error_line("sync: stream " + plan.display_name() + " started (" + to_string(plan.mode) + " into " +
                         plan.table.display() + ")",
                     plan.display_name());
  }
}

void ProgressDisplay::stream_progress(const StreamPlan& plan, uint64_t records, uint64_t, double seconds) {
  std::lock_guard lock(mutex_);
  if (options_.quiet) return;
  double interval = options_.live ? 0.1 : options_.plain_interval_seconds;
  if (seconds - last_shown_ < interval) return;
  last_shown_ = seconds;
  if (options_.live) {
    print_stderr_raw("\r\033[2K" + progress_text(plan, records, seconds));
    live_line_shown_ = true;
  } else {
    print_error_line("sync: progress " + progress_text(plan, records, seconds), plan.display_name());
  }
}

void ProgressDisplay::stream_finished(const StreamPlan& plan, const StreamOutcome& outcome) {
  std::lock_guard lock(mutex_);
  clear_live_line();
  completion_.erase(plan.display_name());
  if (outcome.status != RunStatus::succeeded) {
    const std::string kind = outcome.error_kind.empty() || outcome.status == RunStatus::cancelled
                                 ? "" : " [" + outcome.error_kind + "]";
    print_error_line("error: stream " + plan.display_name() + " " + to_string(outcome.status) + ": " +
                         outcome.error + kind,
                     plan.display_name());
    return;
  }
  if (options_.quiet) return;
  print_error_line("sync: stream " + plan.display_name() + " " + to_string(outcome.status) + ": " +
                   records_text(plan.display_name(), outcome.records, outcome.seconds).substr(
                       plan.display_name().size() + 2) + " committed",
                   plan.display_name());
}

void ProgressDisplay::log(int32_t level, std::string_view message) {
  int32_t max_level = options_.quiet ? SLUICE_LOG_ERROR : options_.verbose ? SLUICE_LOG_DEBUG : SLUICE_LOG_INFO;
  if (level > max_level) return;
  std::lock_guard lock(mutex_);
  clear_live_line();
  print_error_line(log_line(level, message));
}

}  // namespace sluice::host::cli
