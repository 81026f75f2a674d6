// RFC 3339 date-times: the one parser and formatter the host and connectors
// share. Proleptic Gregorian calendar, no leap seconds, microseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::support {

// An instant: microseconds since 1970-01-01T00:00:00Z, negative before.
struct Timestamp {
  int64_t micros = 0;
  auto operator<=>(const Timestamp&) const = default;
};

// YYYY-MM-DD, 'T' (or 't' or a space), HH:MM:SS, optional '.' and digits
// (past the sixth only zeros), then Z, z, +HH:MM, +HHMM, +HH (or '-', at most
// 15:59) or nothing (UTC). nullopt for anything else: a day or time that does
// not exist, or an instant outside years 0001-9999 in UTC.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

// YYYY-MM-DD (a real day, years 0001-9999) as the instant it starts in UTC.
std::optional<Timestamp> parse_date(std::string_view text);

// YYYY-MM-DDTHH:MM:SS.ffffffZ in UTC with `fraction_digits` digits (clamped
// to 0-6; 0 drops the '.'), cut towards the past. parse_rfc3339 returns `t`
// for every t in years 0001-9999 the digits hold exactly (all with 6); outside
// them, a text it refuses. append_rfc3339 writes onto `out` (no allocation).
std::string format_rfc3339(Timestamp t, int fraction_digits = 6);
void append_rfc3339(std::string& out, Timestamp t, int fraction_digits = 6);

}  // namespace sluice::support
