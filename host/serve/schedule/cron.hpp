// Five-field cron expressions, as crontab(5) reads them:
//
//   minute hour day-of-month month day-of-week
//   0-59   0-23 1-31         1-12  0-7 (0 and 7 are Sunday)
//
// Each field is a list of items separated by ',': "*", a number, a range
// "a-b", each optionally with a step "/n" ("*/15", "8-18/2"); months also
// by name (jan..dec), days of the week by name (sun..sat), case-insensitive,
// in ranges too ("mon-fri"). Strict where cron is lax: no sixth field, no
// "@daily" macros, no "?", "L", "W" or "#", a range must not run backwards,
// a step must be 1 or more, and a day of month that no selected month has
// ("0 0 30 2 *") is an error rather than a schedule that never runs.
//
// Both day fields follow cron's OR rule: when both are restricted (neither
// starts with '*'), a day matches if either matches ("0 0 1 * mon" is the
// 1st and every Monday); when one starts with '*', only the other counts.
//
// Times here are local civil times (no zone): schedule.hpp maps them to
// instants in a time zone, with the DST rules it documents.
#pragma once

#include "host/common/host_error.hpp"

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::host::serve {

// A schedule the daemon cannot use: one line naming what and where, e.g.
//   cron "0 24 * * *": field 2 (hour) at position 3: 24 is out of range 0-23
// Failure::config, so the API answers it as a bad request field.
class ScheduleError : public HostError {
 public:
  explicit ScheduleError(const std::string& line) : HostError(Failure::config, line) {}
};

// A local civil time to the minute (what a wall clock shows).
using LocalMinutes = std::chrono::local_time<std::chrono::minutes>;

class CronExpression {
 public:
  // Throws ScheduleError for anything crontab(5) plus the rules above
  // refuses; position is the 1-based character offset in `text`.
  static CronExpression parse(std::string_view text);

  // The first local minute strictly after `after` that matches, or nullopt
  // if none within 28 years (cannot happen for a parsed expression; the
  // bound keeps a bug from looping forever).
  std::optional<LocalMinutes> next_after(LocalMinutes after) const;
  bool matches(LocalMinutes minute) const;

  // Whether the minute or the hour field starts with '*': such a schedule
  // follows the wall clock through DST changes (schedule.hpp).
  bool wildcard_time() const noexcept { return wildcard_time_; }
  const std::string& text() const noexcept { return text_; }

 private:
  bool day_matches(std::chrono::year_month_day day) const;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // bit 1..31
  std::bitset<13> months_;         // bit 1..12
  std::bitset<7> days_of_week_;    // bit 0 = Sunday
  bool dom_star_ = false;
  bool dow_star_ = false;
  bool wildcard_time_ = false;
};

}  // namespace sluice::host::serve
