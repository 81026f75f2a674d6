// The fake's Snowflake values: DDL types resolved to their INFORMATION_SCHEMA
// and rowType names and the SQLite type that stores them unchanged; stored
// values encoded as jsonv2 cells; the TO_DATE / TO_TIME / TO_TIMESTAMP_*
// functions and the instant order of TIMESTAMP_TZ. Storage forms and cell
// encodings: fake_database.hpp.
#pragma once

#include <boost/json.hpp>

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

namespace snowflake_fake {

std::string upper(std::string text);
std::string lower(std::string text);
// "name" with '"' doubled.
std::string quote(const std::string& name);

// A DDL type resolved: INFORMATION_SCHEMA's DATA_TYPE, rowType's type,
// precision, scale, and the SQLite column type that stores it unchanged.
struct Resolved {
  std::string data_type, row_type;
  int64_t precision = 0, scale = 0, length = 0;
  std::string sqlite_type;
};

// Throws std::invalid_argument for a type the fake does not have.
Resolved resolve(const std::string& ddl);

// Column i of the current row as text ("" for NULL).
std::string text_of(sqlite3_stmt* stmt, int i);

// The jsonv2 cell of column i's stored value (null for NULL).
boost::json::value encode(sqlite3_stmt* stmt, int i, const Resolved& type);

// The stored form (fake_database.hpp) of a bound DATE, TIME or TIMESTAMP_*
// value as Snowflake's driver binds it (fake_snowflake.hpp); nullopt for a
// value not in that form or another type.
std::optional<std::string> stored_binding(const std::string& type, const std::string& value);

// Registers TO_DATE, TO_TIME, TO_TIMESTAMP_NTZ/LTZ/TZ(value, format) and the
// SF_INSTANT collation (TIMESTAMP_TZ columns) on `db`.
void register_value_functions(sqlite3* db);

}  // namespace snowflake_fake
