// Five-field cron expressions: what they select, and one clear line for
// what they cannot say (crontab(5) semantics, stricter parsing).
#include "host/serve/schedule/cron.hpp"
#include "serve/schedule/time_text.hpp"

#include <catch2/catch.hpp>

using sluice::host::serve::CronExpression;
using sluice::host::serve::ScheduleError;
using namespace sluice::test;

namespace {

std::string parse_error(const char* text) {
  try {
    CronExpression::parse(text);
  } catch (const ScheduleError& e) {
    return e.what();
  }
  return "(parsed)";
}

// The next `n` matches after `from`, as local times.
std::vector<std::string> next(const char* expression, const char* from, int n) {
  auto cron = CronExpression::parse(expression);
  std::vector<std::string> out;
  auto t = local(from);
  for (int i = 0; i < n; ++i) {
    auto match = cron.next_after(t);
    REQUIRE(match);
    out.push_back(local_text(*match));
    t = *match;
  }
  return out;
}

}  // namespace

TEST_CASE("a bad cron expression fails with one line naming the field and the position") {
  CHECK(parse_error("0 24 * * *") == "cron \"0 24 * * *\": field 2 (hour) at position 3: 24 is out of range 0-23");
  CHECK(parse_error("* * * *") ==
        "cron \"* * * *\": expected 5 fields (minute hour day-of-month month day-of-week), got 4");
  CHECK(parse_error("@daily") ==
        "cron \"@daily\": expected 5 fields (minute hour day-of-month month day-of-week), got 1");
  CHECK(parse_error("*/0 * * * *") ==
        "cron \"*/0 * * * *\": field 1 (minute) at position 3: step 0: a step must be 1 or more");
  CHECK(parse_error("0 0 * foo *") == "cron \"0 0 * foo *\": field 4 (month) at position 7: \"foo\" is not a "
                                      "number or a month name (jan..dec)");
  CHECK(parse_error("0 0 * * 5-1") == "cron \"0 0 * * 5-1\": field 5 (day-of-week) at position 9: range 5-1 runs "
                                      "backwards");
  CHECK(parse_error("1,,2 * * * *") == "cron \"1,,2 * * * *\": field 1 (minute) at position 3: an empty item in a "
                                       "list");
  CHECK(parse_error("0 0 1-x * *") == "cron \"0 0 1-x * *\": field 3 (day-of-month) at position 7: \"x\" is not a "
                                      "number");
  CHECK(parse_error("0 0 L * *") == "cron \"0 0 L * *\": field 3 (day-of-month) at position 5: \"L\" is not a "
                                    "number");
  CHECK(parse_error("0 0 30 2 *") == "cron \"0 0 30 2 *\": field 3 (day-of-month) at position 5: no selected month "
                                     "has that day, so it never runs");
  CHECK(parse_error("0 0 31 4,6 *") != "(parsed)");
  CHECK(parse_error("0 0 29 2 *") == "(parsed)");  // leap days exist
}

TEST_CASE("ranges, steps, lists and names select the minutes crontab(5) says") {
  // Friday 2026-03-27 17:50: the rest of the working day, then Monday.
  CHECK(next("*/15 9-17 * * mon-fri", "2026-03-27 17:20", 4) ==
        std::vector<std::string>{"2026-03-27 17:30", "2026-03-27 17:45", "2026-03-30 09:00", "2026-03-30 09:15"});
  CHECK(next("0,30 8-18/5 * * *", "2026-01-01 00:00", 5) ==
        std::vector<std::string>{"2026-01-01 08:00", "2026-01-01 08:30", "2026-01-01 13:00", "2026-01-01 13:30",
                                 "2026-01-01 18:00"});
  CHECK(next("0 0 1 JAN,Jul *", "2026-02-01 00:00", 2) ==
        std::vector<std::string>{"2026-07-01 00:00", "2027-01-01 00:00"});
  CHECK(next("5/20 * * * *", "2026-01-01 00:00", 3) ==
        std::vector<std::string>{"2026-01-01 00:05", "2026-01-01 00:25", "2026-01-01 00:45"});
  // 0 and 7 are both Sunday.
  CHECK(next("0 12 * * 7", "2026-03-23 00:00", 1) == next("0 12 * * sun", "2026-03-23 00:00", 1));
  CHECK(next("0 12 * * 0", "2026-03-23 00:00", 1) == std::vector<std::string>{"2026-03-29 12:00"});
  CHECK(next("0 0 29 2 *", "2026-03-01 00:00", 1) == std::vector<std::string>{"2028-02-29 00:00"});
  // Strictly after: a matching minute is not its own next.
  CHECK(next("30 2 * * *", "2026-01-01 02:30", 1) == std::vector<std::string>{"2026-01-02 02:30"});
}

TEST_CASE("both day fields restricted match either day (cron's OR rule) - a '*' field does not count") {
  // 2026-06-01 is a Monday: the 1st of each month or any Monday.
  CHECK(next("0 0 1 * mon", "2026-05-20 00:00", 4) ==
        std::vector<std::string>{"2026-05-25 00:00", "2026-06-01 00:00", "2026-06-08 00:00", "2026-06-15 00:00"});
  CHECK(next("0 0 13 * fri", "2026-02-01 00:00", 3) ==
        std::vector<std::string>{"2026-02-06 00:00", "2026-02-13 00:00", "2026-02-20 00:00"});
  // Day-of-month "*/2" starts with '*': only the day of the week counts.
  CHECK(next("0 0 */2 * mon", "2026-05-20 00:00", 2) ==
        std::vector<std::string>{"2026-05-25 00:00", "2026-06-01 00:00"});
  // Day of the week '*': only the day of month counts.
  CHECK(next("0 0 15 * *", "2026-05-20 00:00", 1) == std::vector<std::string>{"2026-06-15 00:00"});
}

TEST_CASE("a schedule follows the wall clock through DST only when its minute or hour starts with '*'") {
  CHECK(CronExpression::parse("*/5 * * * *").wildcard_time());
  CHECK(CronExpression::parse("0 * * * *").wildcard_time());
  CHECK_FALSE(CronExpression::parse("30 2 * * *").wildcard_time());
  CHECK_FALSE(CronExpression::parse("0,30 1-3 * * *").wildcard_time());
}
