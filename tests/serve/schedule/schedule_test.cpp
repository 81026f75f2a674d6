// Due times in time zones, across DST changes, on interval grids, with
// jitter: the rules schedule.hpp documents, checked on the calendar.
// Europe/Berlin in 2026: clocks jump 02:00 -> 03:00 on 29 March (01:00
// UTC) and fall back 03:00 -> 02:00 on 25 October (01:00 UTC).
#include "host/serve/schedule/schedule.hpp"
#include "host/serve/schedule/schedule_spec.hpp"
#include "serve/schedule/time_text.hpp"

#include <catch2/catch.hpp>

#include <set>

using sluice::host::serve::Schedule;
using sluice::host::serve::ScheduleError;
using namespace sluice::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::vector<std::string> next(const Schedule& schedule, const char* from_utc, int n, std::string_view seed = "c1") {
  std::vector<std::string> out;
  auto t = utc(from_utc);
  for (int i = 0; i < n; ++i) {
    auto due = schedule.next_after(t, seed);
    REQUIRE(due);
    out.push_back(utc_text(*due));
    t = *due;
  }
  return out;
}

std::string error_of(const std::function<void()>& make) {
  try {
    make();
  } catch (const ScheduleError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("a cron schedule in a named time zone is due at that zone's wall-clock time, summer and winter") {
  auto nine = Schedule::cron("0 9 * * *", "Europe/Berlin");
  CHECK(next(nine, "2026-01-10 12:00", 1) == std::vector<std::string>{"2026-01-11 08:00"});  // CET, UTC+1
  CHECK(next(nine, "2026-07-10 12:00", 1) == std::vector<std::string>{"2026-07-11 07:00"});  // CEST, UTC+2
  CHECK(next(Schedule::cron("0 9 * * *"), "2026-07-10 12:00", 1) == std::vector<std::string>{"2026-07-11 09:00"});
  CHECK(next(Schedule::cron("0 9 * * *", "America/New_York"), "2026-07-10 12:00", 1) ==
        std::vector<std::string>{"2026-07-10 13:00"});
}

TEST_CASE("an unknown time zone is refused with one line naming it") {
  CHECK(error_of([] { Schedule::cron("0 9 * * *", "Mars/Olympus"); }) ==
        "time zone \"Mars/Olympus\": unknown (not in /usr/share/zoneinfo)");
  CHECK(error_of([] { Schedule::cron("0 9 * *", "UTC"); }) ==
        "cron \"0 9 * *\": expected 5 fields (minute hour day-of-month month day-of-week), got 4");
}

TEST_CASE("a fixed time in the skipped hour runs once, at the jump - the days around keep their time") {
  auto half_past_two = Schedule::cron("30 2 * * *", "Europe/Berlin");
  CHECK(next(half_past_two, "2026-03-27 12:00", 3) ==
        std::vector<std::string>{"2026-03-28 01:30",    // 02:30 CET
                                 "2026-03-29 01:00",    // 02:30 does not exist: 03:00 CEST, the jump
                                 "2026-03-30 00:30"});  // 02:30 CEST
  // Two fixed times in the gap still run once.
  CHECK(next(Schedule::cron("0,30 2 * * *", "Europe/Berlin"), "2026-03-28 23:00", 2) ==
        std::vector<std::string>{"2026-03-29 01:00", "2026-03-30 00:00"});
}

TEST_CASE("a fixed time in the repeated hour runs once, at its first occurrence") {
  auto half_past_two = Schedule::cron("30 2 * * *", "Europe/Berlin");
  CHECK(next(half_past_two, "2026-10-24 12:00", 2) ==
        std::vector<std::string>{"2026-10-25 00:30",    // 02:30 CEST, the first 02:30
                                 "2026-10-26 01:30"});  // not 01:30 UTC on the 25th (02:30 CET again)
  // From inside the second 02:00-03:00, the second 02:30 is not run either.
  CHECK(next(half_past_two, "2026-10-25 01:10", 1) == std::vector<std::string>{"2026-10-26 01:30"});
}

TEST_CASE("a wildcard schedule follows the wall clock: skipped minutes do not run, repeated ones run again") {
  // Spring: 01:30 CET, then 03:00 CEST; 02:00 and 02:30 never happen.
  CHECK(next(Schedule::cron("0,30 * * * *", "Europe/Berlin"), "2026-03-29 00:15", 3) ==
        std::vector<std::string>{"2026-03-29 00:30", "2026-03-29 01:00", "2026-03-29 01:30"});
  CHECK(next(Schedule::cron("*/30 2 * * *", "Europe/Berlin"), "2026-03-28 23:00", 1) ==
        std::vector<std::string>{"2026-03-30 00:00"});  // no 02:xx on the 29th at all
  // Autumn: 02:00 and 02:30 happen twice, every 30 real minutes.
  CHECK(next(Schedule::cron("0,30 * * * *", "Europe/Berlin"), "2026-10-24 23:45", 5) ==
        std::vector<std::string>{"2026-10-25 00:00", "2026-10-25 00:30", "2026-10-25 01:00", "2026-10-25 01:30",
                                 "2026-10-25 02:00"});
}

TEST_CASE("an interval is a grid from the epoch, so a late or restarted run does not shift it") {
  auto quarter = Schedule::every(15min);
  CHECK(next(quarter, "2026-05-01 10:07", 3) ==
        std::vector<std::string>{"2026-05-01 10:15", "2026-05-01 10:30", "2026-05-01 10:45"});
  CHECK(next(quarter, "2026-05-01 10:15", 1) == std::vector<std::string>{"2026-05-01 10:30"});
  CHECK(next(quarter, "2026-05-01 10:29:59", 1) == std::vector<std::string>{"2026-05-01 10:30"});
  CHECK(error_of([] { Schedule::every(30s); }) == "interval 30s: must be from 1 minute to 31 days");
  CHECK(error_of([] { Schedule::every(32 * 24h); }) == "interval 2764800s: must be from 1 minute to 31 days");
}

TEST_CASE("jitter gives each connection its own fixed offset, the same on every call") {
  using sluice::host::serve::jitter_offset;
  CHECK(jitter_offset("orders", 0s) == 0s);
  CHECK(jitter_offset("orders", 300s) == jitter_offset("orders", 300s));
  std::set<int64_t> offsets;
  for (int i = 0; i < 50; ++i) {
    auto offset = jitter_offset("connection-" + std::to_string(i), 300s);
    CHECK(offset >= 0s);
    CHECK(offset < 300s);
    offsets.insert(offset.count());
  }
  CHECK(offsets.size() > 40);  // spread out, not bunched

  const auto offset = jitter_offset("orders", 300s);
  auto nightly = Schedule::cron("0 3 * * *", "UTC", 300s);
  CHECK(nightly.next_after(utc("2026-05-01 00:00"), "orders") == utc("2026-05-01 03:00") + offset);
  // Still due the same day when asked a moment after 03:00 but before its offset.
  CHECK(nightly.next_after(utc("2026-05-01 03:00") + offset - 1s, "orders") == utc("2026-05-01 03:00") + offset);
  CHECK(nightly.next_after(utc("2026-05-01 03:00") + offset, "orders") == utc("2026-05-02 03:00") + offset);
  // An interval's jitter is its grid's phase.
  auto hourly = Schedule::every(1h, 300s);
  CHECK(hourly.next_after(utc("2026-05-01 10:00"), "orders") == utc("2026-05-01 10:00") + offset);
  CHECK(hourly.next_after(utc("2026-05-01 10:00") + offset, "orders") == utc("2026-05-01 11:00") + offset);
  CHECK(hourly.describe() == "every 3600s jitter 300s");
  CHECK(Schedule::cron("30 2 * * *", "Europe/Berlin").describe() == "cron 30 2 * * * Europe/Berlin");
}

TEST_CASE("a schedule given as JSON is read strictly, each mistake one line with its JSON path") {
  using sluice::host::serve::schedule_from_json;
  auto read = [](const char* text) {
    try {
      return schedule_from_json(json::parse(text)).describe();
    } catch (const ScheduleError& e) {
      return std::string(e.what());
    }
  };
  CHECK(read(R"({"cron": "30 2 * * *", "time_zone": "Europe/Berlin", "jitter_seconds": 300})") ==
        "cron 30 2 * * * Europe/Berlin jitter 300s");
  CHECK(read(R"({"cron": "0 * * * *"})") == "cron 0 * * * * UTC");
  CHECK(read(R"({"interval_seconds": 900})") == "every 900s");
  CHECK(read(R"({"cron": "0 3 * * *", "timezone": "Europe/Berlin"})") ==
        "schedule.timezone: unknown key (did you mean time_zone?)");
  CHECK(read(R"({"every": "15m"})") ==
        "schedule.every: unknown key (expected cron, interval_seconds, time_zone or jitter_seconds)");
  CHECK(read(R"({"cron": "0 3 * * *", "time_zone": "Mars/Olympus"})") ==
        "schedule.time_zone: time zone \"Mars/Olympus\": unknown (not in /usr/share/zoneinfo)");
  CHECK(read(R"({"cron": "0 3 * *"})") ==
        "schedule.cron: cron \"0 3 * *\": expected 5 fields (minute hour day-of-month month day-of-week), got 4");
  CHECK(read(R"({"interval_seconds": 30})") ==
        "schedule.interval_seconds: interval 30s: must be from 1 minute to 31 days");
  CHECK(read(R"({"interval_seconds": 900, "time_zone": "UTC"})") ==
        "schedule.time_zone: only a cron schedule has a time zone");
  CHECK(read(R"({"interval_seconds": 900, "cron": "* * * * *"})") ==
        "schedule: give \"cron\" or \"interval_seconds\", not both");
  CHECK(read(R"({})") == "schedule: expected \"cron\" or \"interval_seconds\"");
  CHECK(read(R"("0 3 * * *")") == "schedule: expected an object with \"cron\" or \"interval_seconds\"");
  CHECK(read(R"({"interval_seconds": "15m"})") ==
        "schedule.interval_seconds: expected whole seconds (an integer, 0 or more)");
  CHECK(read(R"({"interval_seconds": 900, "jitter_seconds": -1})") ==
        "schedule.jitter_seconds: expected whole seconds (an integer, 0 or more)");
}
