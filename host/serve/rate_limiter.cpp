#include "host/serve/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::host::serve {

RateLimiter::RateLimiter(double rate, double burst, Clock clock)
    : rate_(rate), burst_(std::max(burst, 1.0)), clock_(std::move(clock)) {}

int64_t RateLimiter::take(const std::string& key) {
  if (rate_ <= 0) return 0;
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!fresh && now > bucket.at) {
    const double elapsed = std::chrono::duration<double>(now - bucket.at).count();
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
  }
  bucket.at = std::max(bucket.at, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1 - bucket.tokens) / rate_)));
}

}  // namespace sluice::host::serve
