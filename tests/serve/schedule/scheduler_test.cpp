// Which connections are due at a given now: schedules, the missed-run
// policy (one run, never a backlog), retries with capped backoff for
// transient and rate-limited failures only. Now is always passed in.
#include "host/serve/schedule/scheduler.hpp"
#include "serve/schedule/time_text.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host::serve;
using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

ScheduledConnection every_15m(const std::string& id, const char* covered_until) {
  ScheduledConnection c;
  c.id = id;
  c.plugin = "scripted";
  c.schedule = Schedule::every(15min);
  c.covered_until = utc(covered_until);
  return c;
}

std::vector<std::string> ids(const std::vector<DueJob>& jobs) {
  std::vector<std::string> out;
  for (const auto& job : jobs) out.push_back(job.connection);
  return out;
}

}  // namespace

TEST_CASE("a connection is due once its next time after what is covered has come, not before") {
  Scheduler scheduler;
  std::vector<ScheduledConnection> connections{every_15m("a", "2026-05-01 10:00")};
  CHECK(scheduler.due(connections, utc("2026-05-01 10:14:59")).empty());
  CHECK(scheduler.next_wake(connections, utc("2026-05-01 10:14:59")) == utc("2026-05-01 10:15"));
  auto due = scheduler.due(connections, utc("2026-05-01 10:15"));
  REQUIRE(due.size() == 1);
  CHECK(due[0].connection == "a");
  CHECK(due[0].plugin == "scripted");
  CHECK(due[0].reason == DueJob::Reason::scheduled);
  CHECK(due[0].due == utc("2026-05-01 10:15"));
  CHECK_FALSE(due[0].missed);
  CHECK(due[0].attempt == 1);
}

TEST_CASE("runs missed while the daemon was down are folded into one run at once, never a backlog") {
  Scheduler scheduler;
  // Down from 10:00 to 13:07: twelve quarter-hours passed.
  std::vector<ScheduledConnection> connections{every_15m("a", "2026-05-01 10:00")};
  const auto restart = utc("2026-05-01 13:07");
  auto due = scheduler.due(connections, restart);
  REQUIRE(due.size() == 1);
  CHECK(due[0].due == utc("2026-05-01 10:15"));  // the first one missed
  CHECK(due[0].missed);
  // The daemon records that it started it: covered through now.
  connections[0].covered_until = restart;
  CHECK(scheduler.due(connections, restart).empty());
  CHECK(scheduler.due(connections, utc("2026-05-01 13:14:59")).empty());
  CHECK(scheduler.next_wake(connections, restart) == utc("2026-05-01 13:15"));
  CHECK(ids(scheduler.due(connections, utc("2026-05-01 13:15"))) == std::vector<std::string>{"a"});
}

TEST_CASE("a running connection is never due, and a manual one only by trigger") {
  Scheduler scheduler;
  auto running = every_15m("a", "2026-05-01 10:00");
  running.running = true;
  auto manual = every_15m("m", "2026-05-01 10:00");
  manual.schedule.reset();
  std::vector<ScheduledConnection> connections{running, manual};
  CHECK(scheduler.due(connections, utc("2026-05-02 00:00")).empty());
  CHECK_FALSE(scheduler.next_wake(connections, utc("2026-05-02 00:00")));
}

TEST_CASE("due jobs come oldest first, so limits that refuse some leave the longest-waiting first in line") {
  Scheduler scheduler;
  ScheduledConnection nightly;
  nightly.id = "nightly";
  nightly.schedule = Schedule::cron("0 3 * * *");
  nightly.covered_until = utc("2026-05-01 00:00");
  std::vector<ScheduledConnection> connections{every_15m("z", "2026-05-01 03:00"), every_15m("b", "2026-05-01 03:00"),
                                               nightly};
  CHECK(ids(scheduler.due(connections, utc("2026-05-01 03:20"))) == std::vector<std::string>{"nightly", "b", "z"});
}

TEST_CASE("a transient or rate-limited failure is retried with exponential backoff up to a cap") {
  RetryPolicy policy;
  policy.initial = 30s;
  policy.factor = 2;
  policy.cap = 5min;
  policy.max_retries = 6;
  CHECK(retry_delay(policy, "transient", 1) == 30s);
  CHECK(retry_delay(policy, "transient", 2) == 60s);
  CHECK(retry_delay(policy, "rate_limited", 3) == 120s);
  CHECK(retry_delay(policy, "rate_limited", 4) == 240s);
  CHECK(retry_delay(policy, "transient", 5) == 5min);  // 480 s, capped
  CHECK(retry_delay(policy, "transient", 6) == 5min);
  CHECK_FALSE(retry_delay(policy, "transient", 7));  // max_retries made
  policy.max_retries = 2000;
  CHECK(retry_delay(policy, "transient", 1500) == 5min);  // no overflow
}

TEST_CASE("config, auth and every other failure is never retried") {
  RetryPolicy policy;
  for (const char* kind : {"config", "auth", "source", "target", "internal", "unknown", ""}) {
    INFO(kind);
    CHECK_FALSE(retry_delay(policy, kind, 1));
    CHECK_FALSE(is_retryable(kind));
  }
}

TEST_CASE("the scheduler retries a retryable failure when its backoff ends, and a scheduled time that comes first wins") {
  RetryPolicy policy;
  policy.initial = 60s;
  Scheduler scheduler(policy);
  auto hourly = every_15m("a", "2026-05-01 10:00");
  hourly.schedule = Schedule::every(1h);
  hourly.last_failure = LastFailure{"transient", 2, utc("2026-05-01 10:05")};  // second attempt failed
  std::vector<ScheduledConnection> connections{hourly};
  CHECK(scheduler.due(connections, utc("2026-05-01 10:06:59")).empty());
  CHECK(scheduler.next_wake(connections, utc("2026-05-01 10:06")) == utc("2026-05-01 10:07"));  // 60 s * 2
  auto due = scheduler.due(connections, utc("2026-05-01 10:07"));
  REQUIRE(due.size() == 1);
  CHECK(due[0].reason == DueJob::Reason::retry);
  CHECK(due[0].attempt == 3);
  CHECK(due[0].due == utc("2026-05-01 10:07"));

  // A backoff that would end after the next hour: the hour's run comes first.
  connections[0].last_failure = LastFailure{"rate_limited", 5, utc("2026-05-01 10:50")};  // 16 min backoff
  due = scheduler.due(connections, utc("2026-05-01 11:00"));
  REQUIRE(due.size() == 1);
  CHECK(due[0].reason == DueJob::Reason::scheduled);
  CHECK(due[0].attempt == 1);

  connections[0].last_failure = LastFailure{"auth", 1, utc("2026-05-01 10:05")};
  CHECK(scheduler.due(connections, utc("2026-05-01 10:59")).empty());
  CHECK(scheduler.next_wake(connections, utc("2026-05-01 10:06")) == utc("2026-05-01 11:00"));
}
