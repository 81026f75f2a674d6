// Private to the support library: how long to wait before the next attempt.
#pragma once

#include <sluice/support/http_client.hpp>

#include <chrono>
#include <optional>

namespace sluice::support::detail {

// Exponential backoff with full jitter for attempt `attempt` (1 = the first
// retry): a random wait in [backoff/2, backoff], backoff = initial * 2^(attempt-1),
// capped at max_backoff.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt);

// The wait the server asked for: Retry-After (seconds or an HTTP date) or
// X-RateLimit-Reset (epoch seconds, as Auth0 sends it); nullopt when neither.
std::optional<std::chrono::milliseconds> server_delay(const HttpResponse& response,
                                                      std::chrono::system_clock::time_point now);

// A server's own count of what its rate limit still allows, from the
// X-RateLimit-Limit / -Remaining / -Reset headers every answer of Auth0 (and
// GitHub, Okta...) carries: `remaining` requests until `reset` (epoch
// seconds), out of a bucket of `limit` (0 when not sent). nullopt unless
// Remaining and Reset are both integers.
struct RateBudget {
  long long limit = 0;
  long long remaining = 0;
  std::chrono::system_clock::time_point reset;
};
std::optional<RateBudget> server_budget(const HttpResponse& response);

}  // namespace sluice::support::detail
