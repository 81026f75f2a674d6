// Which connections are due at a given now. A pure function of what the
// daemon's store says (schedules, last runs) and of now: the daemon calls
// due() on each tick (or when next_wake() arrives), claims the jobs it gets
// through ConcurrencyGates, and records what it started.
//
// Missed runs (the daemon was down, or busy past a due time): one run, at
// once, never a backlog. A connection whose next due time after
// covered_until is at or before now is due now, however many times were
// missed (DueJob::missed says whether any was); the daemon then sets
// covered_until = now, so the next due time is the first one after now.
// A connection that has never run is not due before its first scheduled
// time after the schedule was set (covered_until = that moment).
//
// Retries (retry_policy.hpp): after a failed run with a retryable kind, a
// retry is due failed_at + retry_delay; a scheduled time that comes first
// wins (one job, attempt 1). A running connection is never due.
#pragma once

#include "host/serve/schedule/retry_policy.hpp"
#include "host/serve/schedule/schedule.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sluice::host::serve {

struct LastFailure {
  std::string error_kind;  // sync_done's error_kind ("" for a crash, timeout, ...)
  int failed_attempts = 1; // consecutive failed attempts of the current run
  TimePoint failed_at;     // when the last attempt ended
};

struct ScheduledConnection {
  std::string id;                   // the jitter's seed and the job's identity
  std::string plugin;               // for the per-plugin gate
  std::optional<Schedule> schedule; // nullopt: manual triggers only
  TimePoint covered_until;          // due times up to here are served
  bool running = false;             // a run is in progress
  std::optional<LastFailure> last_failure;  // the last run failed
};

struct DueJob {
  enum class Reason { scheduled, retry };
  std::string connection;
  std::string plugin;
  Reason reason = Reason::scheduled;
  TimePoint due;        // the due time it serves (the first missed one if several)
  bool missed = false;  // a later due time had passed too: they are folded into this run
  int attempt = 1;      // 1 for a scheduled run; 2.. for retries
};

class Scheduler {
 public:
  explicit Scheduler(RetryPolicy retry = {}) : retry_(retry) {}

  // The connections due at `now`, oldest due time first (ties by id), so
  // gates that refuse some leave the longest-waiting first in line.
  std::vector<DueJob> due(std::span<const ScheduledConnection> connections, TimePoint now) const;

  // The earliest due time after `now` of a connection not due and not
  // running (the daemon may sleep until then); nullopt if none.
  std::optional<TimePoint> next_wake(std::span<const ScheduledConnection> connections, TimePoint now) const;

 private:
  std::optional<DueJob> due_job(const ScheduledConnection& connection, TimePoint now) const;
  std::optional<TimePoint> next_time(const ScheduledConnection& connection) const;

  RetryPolicy retry_;
};

}  // namespace sluice::host::serve
