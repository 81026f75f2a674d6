// PRIVATE to the support library: the process-wide per-host limit behind
// FetchPool (<sluice/support/fetcher.hpp>). Tests read a host's load to wait
// on it (a fetch blocked on the limit is an observable event, not a delay).
#pragma once

#include <sluice/support/fetcher.hpp>

#include "retry_delay.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace sluice::support::detail {

// One host's slots (AIMD concurrency) and token bucket. Thread-safe.
class HostLimiter {
 public:
  explicit HostLimiter(std::string host = "") : host_(std::move(host)) {}
  // Every pool on the host joins with its limits and leaves with them; the
  // lowest concurrency and rate of those joined apply.
  void join(const FetchLimits& limits);
  void leave(const FetchLimits& limits);

  // Blocks until a slot is free and, with a rate, a token is in the bucket;
  // then takes both and returns the epoch to pass to answer(). Returns
  // nullopt once stop() is true (asked every 100 ms and on wake()). Waits for
  // tokens through options.now/sleep.
  std::optional<uint64_t> acquire(const std::function<bool()>& stop, const HttpOptions& options);
  void release();
  // An answer to a request sent under the slot of `epoch`: rate-limited halves
  // the concurrency unless it already fell since that slot was taken (one
  // storm, one halving per round); 2xx counts towards growing it back.
  void answer(int status, bool rate_limited, uint64_t epoch);
  void wake();  // a stop condition may have changed
  // The rate-limit budget of the host's latest answer (retry_delay.hpp).
  // While it leaves no more than a tenth of its bucket beyond the requests
  // in flight, acquire() holds new requests until its reset: a pool set to
  // many requests at once slows to what the server allows instead of
  // drawing 429s, and the tenth is left to the tenant's other clients (an
  // Auth0 tenant's Management API bucket is shared by all of them). A reset
  // further off than the client's longest wait (retry.max_backoff) is not
  // waited for; the server's 429 then decides. Of two answers naming the
  // same reset the lower count is kept (the other was overtaken), and one
  // naming an earlier reset than the budget's is ignored.
  void budget(const RateBudget& budget);

  struct Load {
    size_t limit = 0;    // current concurrency
    size_t running = 0;  // slots taken
    size_t waiting = 0;  // acquire() calls blocked (on a slot or the budget)
  };
  Load load();
  // Blocks until `ready(load())` (tests: "a fetch is waiting for a slot").
  Load wait_until(const std::function<bool(const Load&)>& ready);

 private:
  size_t ceiling() const;  // REQUIRES: mutex_ held
  // How long acquire() must hold for the budget from `now` (zero: not at
  // all); `note` is set to the line to log on the first hold of a reset
  // window. REQUIRES: mutex_ held.
  std::chrono::milliseconds budget_wait(std::chrono::system_clock::time_point now, const HttpOptions& options,
                                        std::string& note);
  std::mutex mutex_;
  std::condition_variable changed_;
  std::multiset<size_t> settings_;
  std::multiset<double> rates_;  // the non-zero ones
  size_t limit_ = 0;
  size_t running_ = 0;
  size_t waiting_ = 0;
  size_t successes_ = 0;  // 2xx answers in a row
  uint64_t epoch_ = 0;    // counts the halvings
  double tokens_ = -1;    // < 0: bucket not started
  std::chrono::system_clock::time_point filled_at_{};
  std::optional<RateBudget> budget_;
  std::chrono::system_clock::time_point logged_reset_{};  // the reset whose hold was logged
  std::string host_;  // scheme://host:port, for the log line
};

// The limiter of `url`'s scheme://host:port, shared by the whole process
// while any pool holds it.
std::shared_ptr<HostLimiter> host_limiter(const std::string& url);

// Successes in a row that add one to a host's concurrency.
inline constexpr size_t kSuccessesToGrow = 8;

}  // namespace sluice::support::detail
