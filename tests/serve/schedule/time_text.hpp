// UTC instants as text, so schedule tests read like the calendar.
#pragma once

#include "host/serve/schedule/schedule.hpp"

#include <cstdio>
#include <string>

namespace sluice::test {

// "2026-03-29 01:00" (UTC) -> instant.
inline host::serve::TimePoint utc(const char* text) {
  int y, mo, d, h, mi, s = 0;
  if (std::sscanf(text, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) < 5) throw std::invalid_argument(text);
  using namespace std::chrono;
  return sys_days(year(y) / month(static_cast<unsigned>(mo)) / day(static_cast<unsigned>(d))) + hours(h) +
         minutes(mi) + seconds(s);
}

// Instant -> "2026-03-29 01:00" (UTC; ":SS" added when not whole minutes).
inline std::string utc_text(host::serve::TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss time(t - day);
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()));
  std::string text = out;
  if (time.seconds().count() != 0) {
    std::snprintf(out, sizeof out, ":%02d", static_cast<int>(time.seconds().count()));
    text += out;
  }
  return text;
}

// Local civil minute "2026-03-27 17:50" -> LocalMinutes.
inline host::serve::LocalMinutes local(const char* text) {
  return host::serve::LocalMinutes(std::chrono::floor<std::chrono::minutes>(utc(text).time_since_epoch()));
}

inline std::string local_text(host::serve::LocalMinutes t) {
  return utc_text(host::serve::TimePoint(t.time_since_epoch()));
}

}  // namespace sluice::test
