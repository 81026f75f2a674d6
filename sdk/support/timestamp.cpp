#include <sluice/support/timestamp.hpp>

#include <sluice/detail/civil_date.hpp>
#include <sluice/detail/rfc3339_format.hpp>


namespace sluice::support {

namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

using detail::kEndMicros;
using detail::kFirstMicros;

// `count` ASCII digits at `at` as a number; false if any is missing.
bool digits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

// YYYY-MM-DD at the start of `text` (more may follow), a real day in years
// 0001-9999, as days since 1970-01-01.
std::optional<int64_t> parse_day(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, year) ||
      !digits(text, 5, 2, month) || !digits(text, 8, 2, day)) {
    return std::nullopt;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

// HH:MM:SS at the start of `text` as microseconds into the day.
std::optional<int64_t> parse_time_of_day(std::string_view text) {
  int hour = 0, minute = 0, second = 0;
  if (text.size() < 8 || text[2] != ':' || text[5] != ':' || !digits(text, 0, 2, hour) ||
      !digits(text, 3, 2, minute) || !digits(text, 6, 2, second) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  return ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond;
}

// ".digits" at the start of `text`, or nothing, as microseconds; `used` is
// how many characters it took. nullopt for a '.' without digits or a
// non-zero digit past the sixth.
std::optional<int64_t> parse_fraction(std::string_view text, size_t& used) {
  used = 0;
  if (text.empty() || text[0] != '.') return 0;
  int64_t micros = 0;
  size_t count = 0;
  for (used = 1; used < text.size() && text[used] >= '0' && text[used] <= '9'; ++used, ++count) {
    if (count < 6) micros = micros * 10 + (text[used] - '0');
    else if (text[used] != '0') return std::nullopt;
  }
  if (count == 0) return std::nullopt;
  for (; count < 6; ++count) micros *= 10;
  return micros;
}

// The whole rest of the text as an offset east of UTC, in microseconds.
std::optional<int64_t> parse_offset(std::string_view zone) {
  if (zone.empty() || zone == "Z" || zone == "z") return 0;
  if (zone[0] != '+' && zone[0] != '-') return std::nullopt;
  int hours = 0, minutes = 0;
  const bool ok = (zone.size() == 3 && digits(zone, 1, 2, hours)) ||
                  (zone.size() == 5 && digits(zone, 1, 2, hours) && digits(zone, 3, 2, minutes)) ||
                  (zone.size() == 6 && zone[3] == ':' && digits(zone, 1, 2, hours) && digits(zone, 4, 2, minutes));
  if (!ok || hours > 15 || minutes > 59) return std::nullopt;
  return (zone[0] == '+' ? 1 : -1) * (hours * 60 + minutes) * 60 * kMicrosPerSecond;
}

}  // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  const auto day = parse_day(text);
  if (!day || text.size() < 11 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) return std::nullopt;
  const auto time = parse_time_of_day(text.substr(11));
  if (!time) return std::nullopt;
  size_t used = 0;
  const auto fraction = parse_fraction(text.substr(19), used);
  if (!fraction) return std::nullopt;
  const auto offset = parse_offset(text.substr(19 + used));
  if (!offset) return std::nullopt;
  const int64_t micros = *day * kMicrosPerDay + *time + *fraction - *offset;
  if (micros < kFirstMicros || micros >= kEndMicros) return std::nullopt;
  return Timestamp{micros};
}

std::optional<Timestamp> parse_date(std::string_view text) {
  const auto day = parse_day(text);
  if (!day || text.size() != 10) return std::nullopt;
  return Timestamp{*day * kMicrosPerDay};
}

void append_rfc3339(std::string& out, Timestamp t, int fraction_digits) {
  detail::append_rfc3339_micros(out, t.micros, fraction_digits);
}

std::string format_rfc3339(Timestamp t, int fraction_digits) {
  std::string out;
  append_rfc3339(out, t, fraction_digits);
  return out;
}

}  // namespace sluice::support
