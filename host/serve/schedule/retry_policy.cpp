#include "host/serve/schedule/retry_policy.hpp"

#include <cmath>

namespace sluice::host::serve {

bool is_retryable(std::string_view error_kind) { return error_kind == "transient" || error_kind == "rate_limited"; }

std::optional<std::chrono::seconds> retry_delay(const RetryPolicy& policy, std::string_view error_kind,
                                                int failed_attempts) {
  if (!is_retryable(error_kind) || failed_attempts < 1 || failed_attempts > policy.max_retries) return std::nullopt;
  const double delay =
      static_cast<double>(policy.initial.count()) * std::pow(policy.factor, static_cast<double>(failed_attempts - 1));
  if (!(delay < static_cast<double>(policy.cap.count()))) return policy.cap;  // also catches inf and NaN
  return std::chrono::seconds(static_cast<int64_t>(delay));
}

}  // namespace sluice::host::serve
