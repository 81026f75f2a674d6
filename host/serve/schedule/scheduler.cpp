#include "host/serve/schedule/scheduler.hpp"

#include <algorithm>

namespace sluice::host::serve {

std::optional<TimePoint> Scheduler::next_time(const ScheduledConnection& connection) const {
  if (!connection.schedule) return std::nullopt;
  return connection.schedule->next_after(connection.covered_until, connection.id);
}

std::optional<DueJob> Scheduler::due_job(const ScheduledConnection& connection, TimePoint now) const {
  if (connection.running) return std::nullopt;
  DueJob job;
  job.connection = connection.id;
  job.plugin = connection.plugin;
  const auto scheduled = next_time(connection);
  std::optional<TimePoint> retry_at;
  if (connection.last_failure) {
    const auto& failure = *connection.last_failure;
    if (auto delay = retry_delay(retry_, failure.error_kind, failure.failed_attempts)) {
      retry_at = failure.failed_at + *delay;
    }
  }
  if (scheduled && *scheduled <= now && (!retry_at || *scheduled <= *retry_at)) {
    job.due = *scheduled;
    const auto following = connection.schedule->next_after(*scheduled, connection.id);
    job.missed = following && *following <= now;
    return job;
  }
  if (retry_at && *retry_at <= now) {
    job.reason = DueJob::Reason::retry;
    job.due = *retry_at;
    job.attempt = connection.last_failure->failed_attempts + 1;
    return job;
  }
  return std::nullopt;
}

std::vector<DueJob> Scheduler::due(std::span<const ScheduledConnection> connections, TimePoint now) const {
  std::vector<DueJob> jobs;
  for (const auto& connection : connections) {
    if (auto job = due_job(connection, now)) jobs.push_back(std::move(*job));
  }
  std::sort(jobs.begin(), jobs.end(), [](const DueJob& a, const DueJob& b) {
    return a.due != b.due ? a.due < b.due : a.connection < b.connection;
  });
  return jobs;
}

std::optional<TimePoint> Scheduler::next_wake(std::span<const ScheduledConnection> connections, TimePoint now) const {
  std::optional<TimePoint> earliest;
  auto consider = [&](TimePoint t) {
    if (t > now && (!earliest || t < *earliest)) earliest = t;
  };
  for (const auto& connection : connections) {
    if (connection.running || due_job(connection, now)) continue;
    if (auto t = next_time(connection)) consider(*t);
    if (connection.last_failure) {
      const auto& failure = *connection.last_failure;
      if (auto delay = retry_delay(retry_, failure.error_kind, failure.failed_attempts)) {
        consider(failure.failed_at + *delay);
      }
    }
  }
  return earliest;
}

}  // namespace sluice::host::serve
