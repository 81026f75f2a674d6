#include "request_budget.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace gsheets {

namespace {

// One lock for every budget: a request reserves in two at once, and a few
// requests a second never contend.
std::mutex& budgets_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

int64_t RequestBudget::per_minute() const {
  std::lock_guard lock(budgets_mutex());
  return per_minute_;
}

RequestBudget::Reservation RequestBudget::reserve_all(const std::vector<RequestBudget*>& budgets, Clock::time_point now) {
  using namespace std::chrono;
  std::lock_guard lock(budgets_mutex());
  Reservation reservation;
  for (RequestBudget* budget : budgets) {
    auto& started = budget->started_;
    while (!started.empty() && now - started.front() >= minutes(1)) started.pop_front();
    if (static_cast<int64_t>(started.size()) < budget->per_minute_) continue;
    auto wait = duration_cast<milliseconds>(started.front() + minutes(1) - now);
    if (wait <= milliseconds(0)) wait = milliseconds(1);
    if (wait > reservation.wait) reservation = {wait, budget};
  }
  if (reservation.wait.count() > 0) return reservation;
  for (RequestBudget* budget : budgets) budget->started_.push_back(now);
  return reservation;
}

std::shared_ptr<RequestBudget> RequestBudget::shared(const std::string& key, int64_t per_minute, const std::string& label) {
  static std::map<std::string, std::shared_ptr<RequestBudget>> budgets;
  std::lock_guard lock(budgets_mutex());
  auto& budget = budgets[key];
  if (!budget) {
    budget = std::make_shared<RequestBudget>(per_minute, label);
  } else {
    budget->per_minute_ = std::min(budget->per_minute_, per_minute < 1 ? 1 : per_minute);
  }
  return budget;
}

std::shared_ptr<RequestBudget> RequestBudget::for_credential(const std::string& credential, int64_t per_minute,
                                                             const std::string& label) {
  return shared("credential:" + credential, per_minute, label);
}

std::shared_ptr<RequestBudget> RequestBudget::for_project(const std::string& project, int64_t per_minute,
                                                          const std::string& label) {
  return shared("project:" + project, per_minute, label);
}

RequestBudget::Reservation wait_for_budgets(const std::vector<RequestBudget*>& budgets,
                                            const std::function<RequestBudget::Clock::time_point()>& now,
                                            const std::function<void(std::chrono::milliseconds)>& sleep) {
  RequestBudget::Reservation total;
  for (auto turn = RequestBudget::reserve_all(budgets, now()); turn.wait.count() > 0;
       turn = RequestBudget::reserve_all(budgets, now())) {
    sleep(turn.wait);
    total.wait += turn.wait;
    total.full = turn.full;
  }
  return total;
}

}  // namespace gsheets
