// Instants as SQL engines read them. Which strings are timestamps and dates
// is sluice::support::parse_rfc3339 and parse_date (<sluice/support/timestamp.hpp>):
// the record mapper lets nothing else reach a timestamp or date column, so
// every target accepts exactly the same values.
#pragma once

#include <sluice/support/timestamp.hpp>

#include <string>

namespace sluice::host {

// Appends "YYYY-MM-DD HH:MM:SS.ffffff" in UTC: MySQL's DATETIME(6) literal,
// and PostgreSQL's timestamptz with "+00" after it. REQUIRES: `t` within
// years 0001-9999 (what parse_rfc3339 returns).
void append_sql_datetime(std::string& out, support::Timestamp t);

}  // namespace sluice::host
