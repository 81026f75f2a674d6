#include "host/config/string_format.hpp"

#include "host/config/pattern.hpp"

#include <string>

namespace sluice::host {

namespace {

// valijson 1.0's expressions, on RE2. A date: any number of year digits.
const char* const kDate = R"([0-9]+-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01]))";
// A time: HH:MM:SS (a leap second allowed), an optional fraction, then Z or an offset.
const char* const kTime = R"(([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60))"
                          R"((\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))";

// The text matched a date pattern: the month and day follow the first "-".
bool day_fits_month(std::string_view text) {
  const size_t dash = text.find('-');
  const int month = (text[dash + 1] - '0') * 10 + (text[dash + 2] - '0');
  const int day = (text[dash + 4] - '0') * 10 + (text[dash + 5] - '0');
  if (month == 2) return day <= 29;
  const bool short_month = month == 4 || month == 6 || month == 9 || month == 11;
  return day <= (short_month ? 30 : 31);
}

}  // namespace

bool matches_format(std::string_view format, std::string_view text) {
  // Compiled once; these expressions are known to compile.
  static const Pattern date = *Pattern::compile(std::string("^") + kDate + "$");
  static const Pattern time = *Pattern::compile(std::string("^") + kTime + "$");
  static const Pattern date_time = *Pattern::compile(std::string("^") + kDate + "[Tt]" + kTime + "$");
  if (format == "date") return date.found_in(text) && day_fits_month(text);
  if (format == "time") return time.found_in(text);
  if (format == "date-time") return date_time.found_in(text) && day_fits_month(text);
  return true;
}

}  // namespace sluice::host
