// Waiting for a statement that runs at its source (Snowflake answering 202,
// Databricks PENDING or RUNNING), the same way for every connector that
// polls one: backoff between polls, a deadline, and a cancellation polled
// while it sleeps; and the cancel at the source when the wait (or anything
// after it) fails. Time goes through HttpOptions::now and ::sleep, so tests
// run a wait of minutes without waiting.
#pragma once

#include <sluice/sdk.hpp>
#include <sluice/support/http_client.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace sql_common {

// How long Sluice waits for a statement, and what stops it sooner.
struct WaitLimit {
  std::chrono::seconds seconds{3600};
  std::chrono::seconds grace{0};    // waited on top, so the source's own timeout answers first
  std::function<bool()> cancelled;  // polled every 100 ms of a wait (empty: never)
  std::string name;                 // the limit in messages: "statement_timeout_seconds", "the query timeout"
};

class StatementWait {
 public:
  // The deadline is `limit.seconds` + `limit.grace` from options.now().
  StatementWait(const sluice::support::HttpOptions& options, WaitLimit limit);

  // Sleeps before the next poll: 100 ms, doubling up to 5 s, never past the
  // deadline, in slices of 100 ms through options.sleep (sleep_for when
  // empty). Throws sluice::Cancelled as soon as limit.cancelled() says so,
  // and sluice::Error(transient) "WHAT did not complete within NAME (N s)"
  // once the deadline has passed.
  void pause(const std::string& what);

 private:
  const sluice::support::HttpOptions& options_;
  WaitLimit limit_;
  std::chrono::system_clock::time_point deadline_;
  std::chrono::milliseconds next_{100};
};

// Cancels statement `id` at the source through `cancel` (a POST .../cancel),
// best effort: logs that it was cancelled, or a warning that it may still be
// running; never throws (the caller is unwinding from the first error).
void cancel_at_source(const sluice::Logger& log, const std::string& id, const std::function<void()>& cancel) noexcept;

}  // namespace sql_common
