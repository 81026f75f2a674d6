// The JSON Schema "format" keyword, checked on config strings without
// std::regex (see pattern.hpp for why).
#pragma once

#include <string_view>

namespace sluice::host {

// True when `text` is a valid `format` value. Checks the three formats
// valijson 1.0 checks, with its rules: "date" (YYYY-MM-DD, any number of year
// digits), "time" (HH:MM:SS, optional fraction, then Z or an offset like
// +02:00) and "date-time" (a date, "T" or "t", a time); a day is checked
// against its month, February allowing 29 in any year. Any other format
// ("email", "uri", ...) is not checked: true, as in valijson.
bool matches_format(std::string_view format, std::string_view text);

}  // namespace sluice::host
