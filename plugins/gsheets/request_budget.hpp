// Sluice's own pacing of read requests, so a sync stays inside Google's
// per-minute quotas instead of living on 429s: 60 read requests per minute
// per user (a service account, an API key) and 300 per project, refilled
// every minute (https://developers.google.com/workspace/sheets/api/limits).
// A request takes a turn in two budgets, both for the whole process: its
// credential's and its project's (every credential of one Cloud project
// shares that one, so two connections of a project together stay under
// 300). In each, at most N requests start in any 60 s window; one more
// waits until the oldest leaves the window.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gsheets {

class RequestBudget {
 public:
  using Clock = std::chrono::system_clock;
  // `label` names the budget in log lines ("service account x@y", "project p").
  RequestBudget(int64_t per_minute, std::string label = {})
      : per_minute_(per_minute < 1 ? 1 : per_minute), label_(std::move(label)) {}

  // How long the caller must wait before its request may start at `now`;
  // zero means it is counted as started. Callers wait, then ask again.
  std::chrono::milliseconds reserve(Clock::time_point now) { return reserve_all({this}, now).wait; }
  int64_t per_minute() const;
  const std::string& label() const { return label_; }

  struct Reservation {
    std::chrono::milliseconds wait{0};  // zero: counted in every budget
    const RequestBudget* full = nullptr;  // the budget that made it wait (the longest wait)
  };
  // One request in every budget of `budgets` at `now`, or in none of them:
  // a request that waits for one budget holds no turn in the others.
  static Reservation reserve_all(const std::vector<RequestBudget*>& budgets, Clock::time_point now);

  // The process-wide budget of `credential` (an account's e-mail, an API
  // key) or of `project` (a Cloud project ID); the lowest per_minute asked
  // for one wins.
  static std::shared_ptr<RequestBudget> for_credential(const std::string& credential, int64_t per_minute,
                                                       const std::string& label = {});
  static std::shared_ptr<RequestBudget> for_project(const std::string& project, int64_t per_minute,
                                                    const std::string& label = {});

 private:
  static std::shared_ptr<RequestBudget> shared(const std::string& key, int64_t per_minute, const std::string& label);

  int64_t per_minute_;  // guarded by the budgets' one mutex (request_budget.cpp)
  std::string label_;
  std::deque<Clock::time_point> started_;  // within the last minute, oldest first
};

// Waits (through `sleep`, which polls cancellation) until `budgets` all let
// one request start; returns the total wait and the budget that made it
// wait last, for the caller's log line.
RequestBudget::Reservation wait_for_budgets(const std::vector<RequestBudget*>& budgets,
                                            const std::function<RequestBudget::Clock::time_point()>& now,
                                            const std::function<void(std::chrono::milliseconds)>& sleep);

inline std::chrono::milliseconds wait_for_budget(RequestBudget& budget,
                                                 const std::function<RequestBudget::Clock::time_point()>& now,
                                                 const std::function<void(std::chrono::milliseconds)>& sleep) {
  return wait_for_budgets({&budget}, now, sleep).wait;
}

}  // namespace gsheets
