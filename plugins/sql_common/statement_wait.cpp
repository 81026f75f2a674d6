#include "sql_common/statement_wait.hpp"

#include <algorithm>
#include <thread>

namespace sql_common {

StatementWait::StatementWait(const sluice::support::HttpOptions& options, WaitLimit limit)
    : options_(options), limit_(std::move(limit)), deadline_(options.now() + limit_.seconds + limit_.grace) {}

void StatementWait::pause(const std::string& what) {
  using std::chrono::milliseconds;
  auto left = [&] { return std::chrono::duration_cast<milliseconds>(deadline_ - options_.now()); };
  auto timed_out = [&] {
    return sluice::Error(sluice::ErrorKind::transient, what + " did not complete within " + limit_.name + " (" +
                                                           std::to_string(limit_.seconds.count()) + " s)");
  };
  if (left().count() <= 0) throw timed_out();
  for (auto wait = std::min(next_, left()); wait.count() > 0; wait -= milliseconds(100)) {
    if (limit_.cancelled && limit_.cancelled()) throw sluice::Cancelled();
    const auto slice = std::min(wait, milliseconds(100));
    if (options_.sleep) {
      options_.sleep(slice);
    } else {
      std::this_thread::sleep_for(slice);
    }
  }
  if (limit_.cancelled && limit_.cancelled()) throw sluice::Cancelled();
  next_ = std::min(next_ * 2, milliseconds(5000));
}

void cancel_at_source(const sluice::Logger& log, const std::string& id, const std::function<void()>& cancel) noexcept {
  if (id.empty()) return;
  try {
    cancel();
    log.info("statement " + id + " cancelled");
  } catch (const std::exception& e) {
    log.warn("statement " + id + " may still be running: cancelling it failed: " + e.what());
  } catch (...) {
    log.warn("statement " + id + " may still be running: cancelling it failed");
  }
}

}  // namespace sql_common
