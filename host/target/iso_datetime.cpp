#include "host/target/iso_datetime.hpp"

#include <sluice/civil_date.hpp>

#include <cstdint>
#include <cstdio>

namespace sluice::host {

namespace {

using sluice::days_from_civil;

// The host's callers work in int.
void civil_from_days(int64_t z, int& year, int& month, int& day) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  sluice::civil_from_days(z, y, m, d);
  year = static_cast<int>(y);
  month = static_cast<int>(m);
  day = static_cast<int>(d);
}

bool digits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

// Parses YYYY-MM-DD at the start of `text`.
bool parse_day(std::string_view text, int& year, int& month, int& day) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  if (!digits(text, 0, 4, year) || !digits(text, 5, 2, month) || !digits(text, 8, 2, day)) return false;
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}


}  // namespace

bool is_valid_date(std::string_view text) {
  int year, month, day;
  return text.size() == 10 && parse_day(text, year, month, day);
}

std::optional<UtcDateTime> parse_timestamp(std::string_view text) {
  UtcDateTime t;
  if (!parse_day(text, t.year, t.month, t.day)) return std::nullopt;
  if (text.size() < 19 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  if (!digits(text, 11, 2, t.hour) || !digits(text, 14, 2, t.minute) || !digits(text, 17, 2, t.second) ||
      t.hour > 23 || t.minute > 59 || t.second > 59) {
    return std::nullopt;
  }
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    size_t count = 0;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++count) {
      if (count < 6) t.microsecond = t.microsecond * 10 + (text[at] - '0');
      else if (text[at] != '0') return std::nullopt;
    }
    if (count == 0) return std::nullopt;
    for (; count < 6; ++count) t.microsecond *= 10;
  }
  int offset_minutes = 0;
  std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z" || zone.empty()) {
    // UTC; no zone at all is read as UTC too.
  } else if (zone[0] == '+' || zone[0] == '-') {
    int hours = 0, minutes = 0;
    bool ok = (zone.size() == 3 && digits(zone, 1, 2, hours)) ||
              (zone.size() == 5 && digits(zone, 1, 2, hours) && digits(zone, 3, 2, minutes)) ||
              (zone.size() == 6 && zone[3] == ':' && digits(zone, 1, 2, hours) && digits(zone, 4, 2, minutes));
    if (!ok || hours > 15 || minutes > 59) return std::nullopt;
    offset_minutes = (zone[0] == '+' ? 1 : -1) * (hours * 60 + minutes);
  } else {
    return std::nullopt;
  }
  if (offset_minutes != 0) {
    int64_t minutes = days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)) * 1440 +
                      t.hour * 60 + t.minute - offset_minutes;
    int64_t days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
    int64_t minute_of_day = minutes - days * 1440;
    civil_from_days(days, t.year, t.month, t.day);
    t.hour = static_cast<int>(minute_of_day / 60);
    t.minute = static_cast<int>(minute_of_day % 60);
    if (t.year < 1 || t.year > 9999) return std::nullopt;
  }
  return t;
}

void append_sql_datetime(std::string& out, const UtcDateTime& t) {
  char text[32];
  int size = std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%06d", t.year, t.month, t.day, t.hour,
                           t.minute, t.second, t.microsecond);
  out.append(text, static_cast<size_t>(size));
}

}  // namespace sluice::host
