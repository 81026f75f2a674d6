#include "serial_time.hpp"

#include <sluice/detail/civil_date.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace gsheets {

namespace {

constexpr int64_t kMillisPerDay = 86'400'000;
constexpr int64_t kEpochSerial = 25'569;  // 1970-01-01 as a serial number
// Serial numbers of 0001-01-01 and 9999-12-31.
constexpr double kFirstSerial = -693'593, kLastSerial = 2'958'465;

// Splits a serial into whole days since 1970-01-01 and milliseconds of that
// day, the fraction rounded to the nearest millisecond.
bool split(double serial, int64_t& days, int64_t& millis) {
  if (!std::isfinite(serial) || serial < kFirstSerial || serial >= kLastSerial + 1) return false;
  const double whole = std::floor(serial);
  days = static_cast<int64_t>(whole) - kEpochSerial;
  millis = std::llround((serial - whole) * static_cast<double>(kMillisPerDay));
  if (millis >= kMillisPerDay) {
    ++days;
    millis -= kMillisPerDay;
  }
  return days + kEpochSerial <= static_cast<int64_t>(kLastSerial);
}

void append_date(std::string& out, int64_t days) {
  const auto [y, m, d] = sluice::support::civil_from_days(days);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  out += buffer;
}

void append_clock(std::string& out, int64_t hours, int64_t millis_of_hour) {
  char buffer[64];
  const auto minutes = static_cast<int>(millis_of_hour / 60'000), seconds = static_cast<int>(millis_of_hour / 1000 % 60);
  const auto ms = static_cast<int>(millis_of_hour % 1000);
  if (ms == 0) {
    std::snprintf(buffer, sizeof buffer, "%02lld:%02d:%02d", static_cast<long long>(hours), minutes, seconds);
  } else {
    std::snprintf(buffer, sizeof buffer, "%02lld:%02d:%02d.%03d", static_cast<long long>(hours), minutes, seconds, ms);
  }
  out += buffer;
}

}  // namespace

bool append_serial_date(std::string& out, double serial) {
  if (!std::isfinite(serial) || serial < kFirstSerial || serial >= kLastSerial + 1) return false;
  out.push_back('"');
  append_date(out, static_cast<int64_t>(std::floor(serial)) - kEpochSerial);
  out.push_back('"');
  return true;
}

bool append_serial_date_time(std::string& out, double serial) {
  int64_t days = 0, millis = 0;
  if (!split(serial, days, millis)) return false;
  out.push_back('"');
  append_date(out, days);
  out.push_back('T');
  append_clock(out, millis / 3'600'000, millis % 3'600'000);
  out += "Z\"";
  return true;
}

bool append_serial_time(std::string& out, double serial) {
  if (!std::isfinite(serial) || serial < 0 || serial >= 1e7) return false;
  const int64_t millis = std::llround(serial * static_cast<double>(kMillisPerDay));
  out.push_back('"');
  append_clock(out, millis / 3'600'000, millis % 3'600'000);
  out.push_back('"');
  return true;
}

}  // namespace gsheets
