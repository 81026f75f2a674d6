// Sluice's own pacing of read requests, so a sync stays inside Google's
// per-minute quotas (60 read requests per minute per user, 300 per project:
// https://developers.google.com/workspace/sheets/api/limits) instead of
// living on 429s. One budget per credential for the whole process, shared by
// every session (sync --parallel) reading with it: at most N requests start
// in any 60 s window; one more waits until the oldest leaves the window.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace gsheets {

class RequestBudget {
 public:
  using Clock = std::chrono::system_clock;
  explicit RequestBudget(int64_t per_minute) : per_minute_(per_minute < 1 ? 1 : per_minute) {}

  // How long the caller must wait before its request may start at `now`;
  // zero means it is counted as started. Callers wait, then ask again.
  std::chrono::milliseconds reserve(Clock::time_point now);
  int64_t per_minute() const { return per_minute_; }

  // The process-wide budget of `credential` (an account's e-mail, an API
  // key); the lowest per_minute asked for it wins.
  static std::shared_ptr<RequestBudget> for_credential(const std::string& credential, int64_t per_minute);

 private:
  std::mutex mutex_;
  int64_t per_minute_;
  std::deque<Clock::time_point> started_;  // within the last minute, oldest first
};

// Waits (through `sleep`, which polls cancellation) until `budget` lets one
// request start; returns the total wait, logged by the caller when not zero.
std::chrono::milliseconds wait_for_budget(RequestBudget& budget, const std::function<RequestBudget::Clock::time_point()>& now,
                                          const std::function<void(std::chrono::milliseconds)>& sleep);

}  // namespace gsheets
