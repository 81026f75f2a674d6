// Which failed runs are tried again, and when: exponential backoff with a
// cap, for failures that may pass by themselves only.
//
// Retried: error kinds "transient" and "rate_limited" (the sync_done
// error_kind of progress_event.hpp). Never retried: "config" and "auth"
// (trying again cannot help and may lock an account), "source", "target",
// "internal", a crash, a timeout, a memory limit or a cancel: those wait for
// the next scheduled run or an operator.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace sluice::host::serve {

struct RetryPolicy {
  int max_retries = 5;                        // after the first attempt
  std::chrono::seconds initial{30};           // before the first retry
  double factor = 2;                          // each next delay is factor times the last
  std::chrono::seconds cap{30 * 60};          // no delay is longer
};

bool is_retryable(std::string_view error_kind);

// The wait before retry number `failed_attempts` (1 after the first failed
// attempt): initial * factor^(failed_attempts - 1), at most cap. nullopt
// when the kind is not retryable or max_retries retries were made.
std::optional<std::chrono::seconds> retry_delay(const RetryPolicy& policy, std::string_view error_kind,
                                                int failed_attempts);

}  // namespace sluice::host::serve
