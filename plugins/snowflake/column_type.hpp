// Snowflake's column types as the SQL API's rowType names them (and
// INFORMATION_SCHEMA.COLUMNS.DATA_TYPE spells them), and the JSON Schema of
// each column's values as this connector emits them (row_decoder.hpp).
// https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses
// https://docs.snowflake.com/en/sql-reference/intro-summary-data-types
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace snowflake {

namespace json = boost::json;

enum class Kind {
  fixed, real, text, boolean, date, time, timestamp_ntz, timestamp_ltz, timestamp_tz,
  variant, object, array, binary, geography, geometry, unknown
};

struct Column {
  std::string name;
  Kind kind = Kind::unknown;
  std::string type_name;  // as Snowflake sent it, for messages
  int64_t precision = 0, scale = 0;
  bool nullable = true;
};

// rowType[].type ("fixed", "TIMESTAMP_TZ", ...; any case).
Kind kind_of_row_type(std::string_view type);
// INFORMATION_SCHEMA.COLUMNS.DATA_TYPE ("NUMBER", "FLOAT", "TEXT", ...).
Kind kind_of_data_type(std::string_view data_type);

// FIXED with scale 0 and precision up to 18: a JSON integer. Larger or scaled
// FIXED values are exact decimal strings, never a double.
bool is_integer(const Column& column);

// resultSetMetaData.rowType as columns; throws sluice::Error(source) when it
// is not an array of objects with a name and a type.
std::vector<Column> parse_row_type(const json::value& row_type);

// The JSON Schema of one column's values (nullable: with "null").
json::object value_schema(const Column& column);

}  // namespace snowflake
