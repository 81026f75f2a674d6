// Waiting for a query job on a test clock: polls back off, stop at the
// deadline and stop on cancel, and no wait is longer than the cancel check.
#include "job_wait.hpp"

#include <sluice/sdk.hpp>

#include <catch2/catch.hpp>

#include <vector>

using namespace bigquery;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// Time moves only when the code under test sleeps (or a poll takes time).
struct TestClock {
  std::chrono::steady_clock::time_point now{};
  std::vector<milliseconds> sleeps;

  WaitClock clock() {
    return {[this] { return now; }, [this](milliseconds d) {
              sleeps.push_back(d);
              now += d;
            }};
  }
};

json::object not_complete() { return json::object{{"jobComplete", false}}; }
json::object complete() { return json::object{{"jobComplete", true}, {"totalRows", "3"}}; }

}  // namespace

TEST_CASE("a complete response is returned as it is, without a poll or a pause") {
  TestClock t;
  int polls = 0;
  auto result = wait_for_job(
      complete(), {"job_1", t.now, seconds(10)},
      [&] {
        ++polls;
        return not_complete();
      },
      [] { return false; }, t.clock());
  CHECK(result == complete());
  CHECK(polls == 0);
  CHECK(t.sleeps.empty());
}

TEST_CASE("a job not complete at first is polled after pauses that double from 50 ms") {
  TestClock t;
  int polls = 0;
  auto result = wait_for_job(not_complete(), {"job_1", t.now, seconds(10)},
                             [&] { return ++polls < 4 ? not_complete() : complete(); }, [] { return false; },
                             t.clock());
  CHECK(result == complete());
  CHECK(polls == 4);
  // 50 ms, 100 ms, then 200 ms and 400 ms in slices of at most 100 ms.
  CHECK(t.now - std::chrono::steady_clock::time_point{} == milliseconds(750));
  for (auto sleep : t.sleeps) CHECK(sleep <= kCancelCheck);
}

TEST_CASE("a job that never completes fails at its deadline with a transient error naming job_timeout_seconds") {
  TestClock t;
  int polls = 0;
  const auto started = t.now;
  try {
    wait_for_job(not_complete(), {"job_7", started, seconds(30)},
                 [&] {
                   ++polls;
                   t.now += milliseconds(1000);  // each poll waits its timeoutMs on the server
                   return not_complete();
                 },
                 [] { return false; }, t.clock());
    FAIL("the wait did not end");
  } catch (const sluice::Error& e) {
    CHECK(e.kind() == sluice::ErrorKind::transient);
    CHECK(std::string(e.what()) ==
          "query job job_7 did not complete within 30 s (job_timeout_seconds); cancelling it");
  }
  CHECK(t.now >= started + seconds(30));
  CHECK(t.now < started + seconds(32));  // no poll started after the deadline
  CHECK(polls >= 10);
  CHECK(polls <= 20);  // about two seconds a poll once the pause reached 1 s
}

TEST_CASE("a cancel is seen within one cancel check of a pause, and no poll follows it") {
  TestClock t;
  int polls = 0;
  bool cancel = false;
  CHECK_THROWS_AS(wait_for_job(
                      not_complete(), {"job_1", t.now, seconds(3600)},
                      [&] {
                        if (++polls == 6) cancel = true;  // the host cancels during the sixth poll
                        return not_complete();
                      },
                      [&] { return cancel; }, t.clock()),
                  sluice::Cancelled);
  CHECK(polls == 6);
  for (auto sleep : t.sleeps) CHECK(sleep <= kCancelCheck);
}

TEST_CASE("a poll that fails ends the wait with its error") {
  TestClock t;
  CHECK_THROWS_WITH(wait_for_job(
                        not_complete(), {"job_1", t.now, seconds(60)},
                        []() -> json::object { throw sluice::Error(sluice::ErrorKind::auth, "403 on getQueryResults"); },
                        [] { return false; }, t.clock()),
                    "403 on getQueryResults");
}
