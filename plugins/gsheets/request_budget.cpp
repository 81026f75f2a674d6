#include "request_budget.hpp"

#include <algorithm>
#include <map>

namespace gsheets {

std::chrono::milliseconds RequestBudget::reserve(Clock::time_point now) {
  using namespace std::chrono;
  std::lock_guard lock(mutex_);
  while (!started_.empty() && now - started_.front() >= minutes(1)) started_.pop_front();
  if (static_cast<int64_t>(started_.size()) < per_minute_) {
    started_.push_back(now);
    return milliseconds(0);
  }
  const auto wait = duration_cast<milliseconds>(started_.front() + minutes(1) - now);
  return wait > milliseconds(0) ? wait : milliseconds(1);
}

std::shared_ptr<RequestBudget> RequestBudget::for_credential(const std::string& credential, int64_t per_minute) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<RequestBudget>> budgets;
  std::lock_guard lock(mutex);
  auto& budget = budgets[credential];
  if (!budget) {
    budget = std::make_shared<RequestBudget>(per_minute);
  } else {
    std::lock_guard inner(budget->mutex_);
    budget->per_minute_ = std::min(budget->per_minute_, per_minute < 1 ? 1 : per_minute);
  }
  return budget;
}

std::chrono::milliseconds wait_for_budget(RequestBudget& budget, const std::function<RequestBudget::Clock::time_point()>& now,
                                          const std::function<void(std::chrono::milliseconds)>& sleep) {
  std::chrono::milliseconds total{0};
  for (auto wait = budget.reserve(now()); wait.count() > 0; wait = budget.reserve(now())) {
    sleep(wait);
    total += wait;
  }
  return total;
}

}  // namespace gsheets
