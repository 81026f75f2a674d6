#include "host_limiter.hpp"

#include <sluice/plugin.h>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <map>
#include <thread>

namespace sluice::support::detail {

void HostLimiter::join(const FetchLimits& limits) {
  std::lock_guard lock(mutex_);
  settings_.insert(std::max<size_t>(1, limits.concurrency));
  if (limits.requests_per_second > 0) rates_.insert(limits.requests_per_second);
  limit_ = limit_ == 0 ? ceiling() : std::min(limit_, ceiling());
}

void HostLimiter::leave(const FetchLimits& limits) {
  std::lock_guard lock(mutex_);
  settings_.erase(settings_.find(std::max<size_t>(1, limits.concurrency)));
  if (limits.requests_per_second > 0) rates_.erase(rates_.find(limits.requests_per_second));
  changed_.notify_all();
}

size_t HostLimiter::ceiling() const { return settings_.empty() ? 1 : *settings_.begin(); }

std::optional<uint64_t> HostLimiter::acquire(const std::function<bool()>& stop, const HttpOptions& options) {
  std::unique_lock lock(mutex_);
  // Logs `note` (not under the lock), then waits `step` (at most 100 ms, so
  // a stop is seen within one) on the options' clock, unlocked.
  auto pause = [&](std::chrono::milliseconds step, const std::string& note = {}) {
    lock.unlock();
    if (!note.empty() && options.log) options.log(SLUICE_LOG_INFO, note);
    if (options.sleep) options.sleep(step);
    else std::this_thread::sleep_for(step);
    lock.lock();
  };
  for (;;) {
    ++waiting_;
    changed_.notify_all();  // load() watchers
    while (running_ >= limit_ && !stop()) changed_.wait_for(lock, std::chrono::milliseconds(100));
    --waiting_;
    if (stop()) return std::nullopt;
    if (budget_) {
      std::string note;
      const auto hold = budget_wait(options.now(), options, note);
      if (hold.count() > 0) {
        ++waiting_;
        changed_.notify_all();
        pause(std::min(hold, std::chrono::milliseconds(100)), note);
        --waiting_;
        continue;
      }
    }
    if (rates_.empty()) break;
    // Token bucket: refilled at the lowest rate, holding a second's worth.
    const double rate = *rates_.begin();
    const double capacity = std::max(1.0, rate);
    const auto now = options.now();
    if (tokens_ < 0) {
      tokens_ = capacity;
    } else {
      tokens_ = std::min(capacity, tokens_ + std::chrono::duration<double>(now - filled_at_).count() * rate);
    }
    filled_at_ = now;
    if (tokens_ >= 1) {
      tokens_ -= 1;
      break;
    }
    const auto missing = std::chrono::duration<double>((1 - tokens_) / rate);
    pause(std::min(std::chrono::ceil<std::chrono::milliseconds>(missing), std::chrono::milliseconds(100)));
  }
  ++running_;
  changed_.notify_all();
  return epoch_;
}

std::chrono::milliseconds HostLimiter::budget_wait(std::chrono::system_clock::time_point now,
                                                    const HttpOptions& options, std::string& note) {
  using std::chrono::milliseconds;
  if (now >= budget_->reset) return milliseconds(0);  // a new window: its answers will say what it holds
  const auto left = std::chrono::ceil<milliseconds>(budget_->reset - now);
  const long long reserve = budget_->limit / 10;
  const long long spare = budget_->remaining - static_cast<long long>(running_);
  if (spare > reserve || left > options.retry.max_backoff) return milliseconds(0);
  if (logged_reset_ != budget_->reset) {
    logged_reset_ = budget_->reset;
    note = host_ + " says " + std::to_string(budget_->remaining) + " requests remain";
    if (budget_->limit > 0) note += " of " + std::to_string(budget_->limit);
    note += " until its rate limit resets in " + std::to_string((left.count() + 999) / 1000) +
            " s; new requests wait for the reset";
  }
  return left;
}

void HostLimiter::release() {
  std::lock_guard lock(mutex_);
  --running_;
  changed_.notify_all();
}

void HostLimiter::answer(int status, bool rate_limited, uint64_t epoch) {
  std::lock_guard lock(mutex_);
  if (rate_limited) {
    successes_ = 0;
    if (epoch == epoch_) {
      limit_ = std::max<size_t>(1, limit_ / 2);
      ++epoch_;
    }
  } else if (status >= 200 && status < 300 && ++successes_ >= kSuccessesToGrow) {
    successes_ = 0;
    if (limit_ < ceiling()) ++limit_;
  }
  changed_.notify_all();
}

void HostLimiter::budget(const RateBudget& budget) {
  std::lock_guard lock(mutex_);
  // Of two answers of one window the lower count wins (the higher one was
  // overtaken by a later request's answer); one naming an earlier reset is
  // older still and never replaces a later window's.
  if (budget_ && budget_->reset == budget.reset) {
    budget_->remaining = std::min(budget_->remaining, budget.remaining);
  } else if (!budget_ || budget.reset > budget_->reset) {
    budget_ = budget;
  }
  changed_.notify_all();
}

void HostLimiter::wake() {
  std::lock_guard lock(mutex_);
  changed_.notify_all();
}

HostLimiter::Load HostLimiter::load() {
  std::lock_guard lock(mutex_);
  return {limit_, running_, waiting_};
}

HostLimiter::Load HostLimiter::wait_until(const std::function<bool(const Load&)>& ready) {
  std::unique_lock lock(mutex_);
  for (;;) {
    const Load now{limit_, running_, waiting_};
    if (ready(now)) return now;
    changed_.wait(lock);
  }
}

std::shared_ptr<HostLimiter> host_limiter(const std::string& url) {
  std::string key = url;
  try {
    const Poco::URI uri(url);
    key = uri.getScheme() + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
  } catch (const ::Poco::Exception&) {
    // Not a URL: its requests fail with their own message; limit by the text.
  }
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<HostLimiter>> limiters;
  std::lock_guard lock(mutex);
  for (auto it = limiters.begin(); it != limiters.end();) {
    it = it->second.expired() ? limiters.erase(it) : std::next(it);
  }
  auto& slot = limiters[key];
  auto limiter = slot.lock();
  if (!limiter) {
    limiter = std::make_shared<HostLimiter>(key);
    slot = limiter;
  }
  return limiter;
}

}  // namespace sluice::support::detail
