// When a connection's syncs are due: a cron expression in a time zone, or
// a fixed interval, plus a deterministic jitter. Pure functions of their
// inputs (the daemon passes now): no clock is read here.
//
// Time zones are IANA names ("Europe/Berlin"; "UTC" is the default), read
// from the system's /usr/share/zoneinfo through Howard Hinnant's date/tz
// (GCC 12 has no std::chrono::tzdb). Daylight-saving rules, as Vixie cron
// (Debian's cron) has them:
//  - a cron time whose minute and hour are fixed ("30 2 * * *") runs once a
//    day: a time the clocks skip (02:30 when 02:00 jumps to 03:00) runs at
//    the jump, i.e. 03:00 new time; a time that happens twice (01:30 when
//    02:00 falls back to 01:00) runs at its first occurrence only;
//  - a cron expression whose minute or hour starts with '*' ("*/15 * * * *",
//    "0 * * * *") follows the wall clock: minutes the clocks skip do not
//    run, minutes that happen twice run twice.
//
// Intervals are a grid, not a countdown: "every 15m" is due at
// epoch + k*15m + phase, so runs never drift with how late each one
// started, and a restarted daemon keeps the grid.
//
// Jitter spreads connections with the same schedule: each connection gets
// an offset in [0, jitter) seeded by its id (FNV-1a), the same on every
// host and every restart, added to each cron time and used as the phase of
// an interval grid (an interval's jitter is at most the interval).
#pragma once

#include "host/serve/schedule/cron.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace date {
class time_zone;
}

namespace sluice::host::serve {

using TimePoint = std::chrono::sys_seconds;  // UTC, to the second

class Schedule {
 public:
  // Throws ScheduleError: a bad expression (cron.hpp), or
  //   time zone "Mars/Olympus": unknown (not in /usr/share/zoneinfo)
  static Schedule cron(std::string_view expression, std::string_view time_zone = "UTC",
                       std::chrono::seconds jitter = std::chrono::seconds(0));
  // interval: 1 minute to 31 days. Throws ScheduleError outside that.
  static Schedule every(std::chrono::seconds interval, std::chrono::seconds jitter = std::chrono::seconds(0));

  // The first due time strictly after `after` for the connection `seed`
  // (its id: the jitter's seed). nullopt only if a cron expression has no
  // time in the next 28 years (cannot happen for a parsed one).
  std::optional<TimePoint> next_after(TimePoint after, std::string_view seed) const;

  // "cron 30 2 * * * Europe/Berlin", "every 900s" (+ " jitter 60s"): for
  // logs and the API.
  std::string describe() const;

 private:
  struct Cron {
    CronExpression expression;
    std::string zone;
    const date::time_zone* tz = nullptr;  // found once, lives as long as the process
  };
  Schedule() = default;
  std::optional<TimePoint> next_cron(const Cron& cron, TimePoint after) const;

  std::variant<std::chrono::seconds, Cron> rule_;
  std::chrono::seconds jitter_{0};
};

// The offset in [0, jitter) a connection gets: FNV-1a of `seed` modulo the
// jitter in seconds; 0 when jitter is 0.
std::chrono::seconds jitter_offset(std::string_view seed, std::chrono::seconds jitter);

}  // namespace sluice::host::serve
