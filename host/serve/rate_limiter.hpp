// Per-key rate limits of the ingest routes: a token bucket per API key
// (`rate` requests a second, holding at most `burst`), so one client
// cannot starve the others; over it, 429 with Retry-After. Time comes from
// an injectable clock (tests set it). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace sluice::host::serve {

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // rate 0: no limit.
  RateLimiter(double rate, double burst, Clock clock = [] { return std::chrono::steady_clock::now(); });

  // 0 when a request of `key` may go now (it takes a token), else the whole
  // seconds until one will be there (at least 1): the Retry-After value.
  int64_t take(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  double rate_;
  double burst_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace sluice::host::serve
