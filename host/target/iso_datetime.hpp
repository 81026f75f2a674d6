// The one definition of which strings a timestamp or date column holds, so
// every target accepts exactly the same values: anything else goes to
// _sluice_uncast (see host/sync/record_mapper.cpp), never to the engine,
// where it would fail the sync or be altered.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::host {

// An instant in UTC, to the microsecond, within years 0001-9999.
struct UtcDateTime {
  int year = 1, month = 1, day = 1;
  int hour = 0, minute = 0, second = 0;
  int microsecond = 0;
};

// RFC 3339 date-time: YYYY-MM-DD, 'T' (or 't' or a space), HH:MM:SS, an
// optional fraction, then Z, +HH:MM, +HHMM, +HH (offsets up to 15:59), or
// nothing, which means UTC. Fraction digits past the sixth must be zeros
// (engines keep microseconds; dropping a non-zero digit would lose it). The
// calendar is checked (no February 30th, no second 60). Returns nullopt for
// anything else, or when the UTC instant falls outside years 0001-9999.
std::optional<UtcDateTime> parse_timestamp(std::string_view text);

// YYYY-MM-DD, a real calendar day in years 0001-9999.
bool is_valid_date(std::string_view text);

// "YYYY-MM-DD HH:MM:SS.ffffff": the literal form of MySQL's DATETIME(6).
void append_sql_datetime(std::string& out, const UtcDateTime& time);

}  // namespace sluice::host
